package dev.aperture.models.zeroshot;

import dev.aperture.core.InputException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Prompt templates: a label is put into each template at {@code {}}. The presets are the CLIP paper's:
 * {@code imagenet80} (the 80 ImageNet prompts of OpenAI's prompt-engineering notebook) and {@code imagenet7}
 * (its 7-template subset).
 */
public final class PromptTemplates {
    /** The placeholder replaced by the label. */
    public static final String PLACEHOLDER = "{}";

    /** The CLIP default: a single template. */
    public static final List<String> DEFAULT = List.of("a photo of a {}.");

    /** Names accepted by {@link #preset}. */
    public static final List<String> PRESET_NAMES = List.of("imagenet80", "imagenet7");

    private PromptTemplates() {
    }

    /** The templates of a named preset. */
    public static List<String> preset(String name) {
        if (!PRESET_NAMES.contains(name)) {
            throw new InputException("Unknown template preset '" + name + "' (known: " + String.join(", ", PRESET_NAMES) + ")");
        }
        return readResource(name + ".txt");
    }

    /** {@code template} with the label in place of {@code {}}. */
    public static String apply(String template, String label) {
        return template.replace(PLACEHOLDER, label);
    }

    /** Checks that every template has the placeholder, so no label is silently dropped. */
    static List<String> validated(List<String> templates) {
        if (templates.isEmpty()) {
            throw new InputException("At least one prompt template is needed");
        }
        for (String template : templates) {
            if (!template.contains(PLACEHOLDER)) {
                throw new InputException("Prompt template '" + template + "' has no '{}' for the label");
            }
        }
        return List.copyOf(templates);
    }

    private static List<String> readResource(String file) {
        try (InputStream in = PromptTemplates.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + file);
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .filter(line -> !line.isBlank())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
