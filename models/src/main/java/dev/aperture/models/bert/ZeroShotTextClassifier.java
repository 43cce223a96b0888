package dev.aperture.models.bert;

import dev.aperture.core.InputException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Zero-shot text classification with sentence embeddings: each label is put into a hypothesis template
 * (e.g. {@code "This text is about {}."}), embedded once, and a text's labels are ranked by the cosine similarity
 * between its embedding and theirs. Scores are raw cosines, not probabilities. Thread-safe; it does not own the
 * embedder.
 */
public final class ZeroShotTextClassifier {
    /** The template that uses each label as it is. */
    public static final String PLAIN_TEMPLATE = "{}";

    private final TextEmbedder embedder;
    private final List<String> labels;
    private final float[][] labelEmbeddings;

    /**
     * @param labels             candidate labels (at least one, none blank)
     * @param hypothesisTemplate text with {@code {}} where the label goes; {@code null} for the label alone
     */
    public ZeroShotTextClassifier(TextEmbedder embedder, List<String> labels, String hypothesisTemplate) {
        if (labels == null || labels.isEmpty()) {
            throw new InputException("Zero-shot classification needs at least one label");
        }
        String template = hypothesisTemplate == null ? PLAIN_TEMPLATE : hypothesisTemplate;
        if (!template.contains("{}")) {
            throw new InputException("Hypothesis template '" + template + "' has no {} where the label goes");
        }
        List<String> hypotheses = new ArrayList<>();
        for (String label : labels) {
            if (label == null || label.isBlank()) {
                throw new InputException("Labels must not be blank: " + labels);
            }
            hypotheses.add(template.replace("{}", label));
        }
        this.embedder = embedder;
        this.labels = List.copyOf(labels);
        this.labelEmbeddings = embedder.embed(hypotheses);
    }

    public List<String> labels() {
        return labels;
    }

    /** Every label with its cosine similarity to {@code text}, best first. */
    public List<TextLabelScore> classify(String text) {
        return classify(List.of(text)).getFirst();
    }

    /** As {@link #classify(String)} for each text, embedding them in batches. */
    public List<List<TextLabelScore>> classify(List<String> texts) {
        return classifyEmbeddings(embedder.embed(texts));
    }

    /**
     * As {@link #classify(List)} for texts the caller has already embedded with this classifier's embedder: a server
     * that batches text embeddings across requests ranks them here.
     */
    public List<List<TextLabelScore>> classifyEmbeddings(float[][] textEmbeddings) {
        List<List<TextLabelScore>> results = new ArrayList<>(textEmbeddings.length);
        for (float[] textEmbedding : textEmbeddings) {
            List<TextLabelScore> scores = new ArrayList<>(labels.size());
            for (int i = 0; i < labels.size(); i++) {
                scores.add(new TextLabelScore(labels.get(i), cosine(textEmbedding, labelEmbeddings[i])));
            }
            scores.sort(Comparator.comparingDouble(TextLabelScore::score).reversed());
            results.add(List.copyOf(scores));
        }
        return List.copyOf(results);
    }

    /** Cosine similarity; embeddings need not be normalized (CLS-pooled models often are not). */
    public static float cosine(float[] a, float[] b) {
        double dot = 0;
        double normA = 0;
        double normB = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            normA += (double) a[i] * a[i];
            normB += (double) b[i] * b[i];
        }
        return (float) (dot / Math.max(Math.sqrt(normA) * Math.sqrt(normB), 1e-12));
    }
}
