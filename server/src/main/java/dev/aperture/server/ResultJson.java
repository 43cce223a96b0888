package dev.aperture.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aperture.models.bert.TextLabelScore;
import dev.aperture.models.zeroshot.Label;

import java.util.List;

/**
 * The JSON of zero-shot results, one shape for {@code aperture classify} / {@code classify-text} lines and the
 * server's {@code /v1/classify} / {@code /v1/classify-text} items: {@code "scoring"} (images) and
 * {@code "labels": [{"label", "score"[, "logit"]}, ...]}, best first.
 */
public final class ResultJson {
    private ResultJson() {
    }

    /**
     * Puts {@code "scoring"} and the {@code top} best of {@code ranked} (all when null) as {@code "labels"} into
     * {@code into}.
     */
    public static ObjectNode putImageLabels(ObjectNode into, List<Label> ranked, Integer top) {
        into.put("scoring", ranked.getFirst().scoring().jsonName());
        ArrayNode labels = into.putArray("labels");
        int count = top == null ? ranked.size() : Math.min(top, ranked.size());
        for (Label label : ranked.subList(0, count)) {
            labels.addObject().put("label", label.label()).put("score", label.score()).put("logit", label.logit());
        }
        return into;
    }

    /** Puts every label with its cosine score, best first, as {@code "labels"} into {@code into}. */
    public static ObjectNode putTextLabels(ObjectNode into, List<TextLabelScore> ranked) {
        ArrayNode labels = into.putArray("labels");
        for (TextLabelScore score : ranked) {
            labels.addObject().put("label", score.label()).put("score", score.score());
        }
        return into;
    }
}
