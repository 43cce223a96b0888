package dev.aperture.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aperture.core.InputException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the inputs of {@code --input FILE} ({@code -} for standard input), UTF-8, one input per line:
 *
 * <ul>
 *   <li>a line whose first non-blank character is <code>{</code> is a JSON object with a {@code "text"} or an
 *       {@code "image"} field (JSON Lines; a text that itself starts with <code>{</code> must be written this way);
 *   <li>any other non-empty line is the input itself: a text, or for commands that take only images, an image
 *       path; an image path that names a folder stands for the images under it ({@link ImageFolder});
 *   <li>empty lines are skipped (an empty text is <code>{"text": ""}</code>).
 * </ul>
 *
 * Errors name the file and the line: {@code inputs.jsonl:17: ...}.
 */
final class InputFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a plain (non-JSON) line holds for the command reading it. */
    enum PlainLines { TEXT, IMAGE }

    private InputFile() {
    }

    /** Reads {@code source} ("-" is {@code stdin}). */
    static List<InputRecord> read(String source, InputStream stdin, PlainLines plainLines) {
        if (source.equals("-")) {
            return read(stdin, "<stdin>", plainLines);
        }
        Path file = Path.of(source);
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, source, plainLines);
        } catch (NoSuchFileException e) {
            throw new InputException(source + ": no such input file", e);
        } catch (IOException e) {
            throw new InputException(source + ": cannot read input file: " + e.getMessage(), e);
        }
    }

    private static List<InputRecord> read(InputStream in, String name, PlainLines plainLines) {
        // Malformed UTF-8 is an error, not silently replaced text that would embed as something else.
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        List<InputRecord> records = new ArrayList<>();
        int lineNumber = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, decoder))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);  // a byte-order mark some editors write
                }
                if (line.isEmpty()) {
                    continue;
                }
                InputRecord record = line.stripLeading().startsWith("{")
                        ? parseJson(line, name + ":" + lineNumber)
                        : plainLines == PlainLines.TEXT ? InputRecord.ofText(line) : InputRecord.ofImage(Path.of(line));
                addExpanded(records, record);
            }
        } catch (CharacterCodingException e) {
            throw new InputException(name + ":" + (lineNumber + 1) + ": not valid UTF-8", e);
        } catch (IOException e) {
            throw new InputException(name + ": cannot read input: " + e.getMessage(), e);
        } catch (java.nio.file.InvalidPathException e) {
            throw new InputException(name + ":" + lineNumber + ": not a valid path: " + e.getMessage(), e);
        }
        return records;
    }

    /** An image record naming a folder becomes one record per image under it. */
    private static void addExpanded(List<InputRecord> records, InputRecord record) {
        if (record.isText()) {
            records.add(record);
            return;
        }
        for (Path image : ImageFolder.expand(record.image())) {
            records.add(InputRecord.ofImage(image));
        }
    }

    private static InputRecord parseJson(String line, String where) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new InputException(where + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (!node.isObject()) {
            throw new InputException(where + ": expected a JSON object with \"text\" or \"image\"");
        }
        JsonNode text = node.get("text");
        JsonNode image = node.get("image");
        if ((text == null) == (image == null)) {
            throw new InputException(where + ": expected exactly one of \"text\" and \"image\", got "
                    + (text == null ? "neither" : "both"));
        }
        JsonNode value = text != null ? text : image;
        if (!value.isTextual()) {
            throw new InputException(where + ": \"" + (text != null ? "text" : "image") + "\" must be a string, got "
                    + value.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
        }
        return text != null ? InputRecord.ofText(text.asText()) : InputRecord.ofImage(Path.of(image.asText()));
    }
}
