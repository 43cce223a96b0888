package dev.aperture.models.bert;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aperture.core.FormatException;
import dev.aperture.core.InputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How token vectors become one sentence vector, as sentence-transformers' {@code Pooling} and {@code Normalize}
 * modules do it: the mean over real (unpadded) tokens or the [CLS] vector, then optionally L2 normalization
 * ({@code x / max(||x||, 1e-12)}). Sums are taken in double precision.
 *
 * @param mode      which tokens make the sentence vector
 * @param normalize whether to scale it to unit length
 */
record SentencePooling(Mode mode, boolean normalize) {

    /** The pooling strategies of sentence-transformers' {@code 1_Pooling/config.json}. */
    enum Mode {
        /** {@code pooling_mode_mean_tokens}: average over positions where the attention mask is 1. */
        MEAN,
        /** {@code pooling_mode_cls_token}: the first position's vector. */
        CLS
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** all-MiniLM-L6-v2's recipe (and the default): mean pooling, then L2 normalization. */
    static SentencePooling meanNormalized() {
        return new SentencePooling(Mode.MEAN, true);
    }

    /**
     * Reads a sentence-transformers folder's {@code modules.json} and its Pooling module's {@code config.json};
     * a folder without {@code modules.json} gets {@link #meanNormalized()}.
     */
    static SentencePooling forFolder(Path folder) {
        Path modules = folder.resolve("modules.json");
        if (!Files.isRegularFile(modules)) {
            return meanNormalized();
        }
        JsonNode list = readJson(modules);
        Mode mode = Mode.MEAN;
        boolean normalize = false;
        for (JsonNode module : list) {
            String type = module.path("type").asText("");
            if (type.endsWith("Pooling")) {
                mode = readMode(folder.resolve(module.path("path").asText("1_Pooling")).resolve("config.json"));
            } else if (type.endsWith("Normalize")) {
                normalize = true;
            }
        }
        return new SentencePooling(mode, normalize);
    }

    private static Mode readMode(Path poolingConfig) {
        if (!Files.isRegularFile(poolingConfig)) {
            return Mode.MEAN;
        }
        JsonNode config = readJson(poolingConfig);
        if (config.path("pooling_mode_cls_token").asBoolean(false)) {
            return Mode.CLS;
        }
        if (config.path("pooling_mode_mean_tokens").asBoolean(false)) {
            return Mode.MEAN;
        }
        throw new FormatException("Pooling config " + poolingConfig + " selects no supported mode "
                + "(supported: pooling_mode_mean_tokens, pooling_mode_cls_token)");
    }

    /**
     * The sentence vector of sequence {@code b} of a batch's last hidden state.
     *
     * @param hiddenStates {@code [batch·seqLen, hidden]} row-major
     * @param length       real tokens of sequence b (the attention mask's ones)
     */
    float[] pool(float[] hiddenStates, int b, int seqLen, int length, int hidden) {
        double[] sum = new double[hidden];
        int first = b * seqLen;
        int count = mode == Mode.CLS ? 1 : length;
        for (int p = 0; p < count; p++) {
            int row = (first + p) * hidden;
            for (int d = 0; d < hidden; d++) {
                sum[d] += hiddenStates[row + d];
            }
        }
        double norm = 0;
        for (int d = 0; d < hidden; d++) {
            sum[d] /= count;
            norm += sum[d] * sum[d];
        }
        double scale = normalize ? 1.0 / Math.max(Math.sqrt(norm), 1e-12) : 1.0;
        float[] out = new float[hidden];
        for (int d = 0; d < hidden; d++) {
            out[d] = (float) (sum[d] * scale);
        }
        return out;
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(Files.readString(file));
        } catch (JacksonException e) {
            throw new FormatException("File " + file + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InputException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
