package dev.aperture.models.zeroshot;

import dev.aperture.core.InputException;
import dev.aperture.core.ResourceLimitException;
import dev.aperture.models.ImageInput;
import dev.aperture.models.Vectors;
import dev.aperture.models.clip.ClipModel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Zero-shot image classification with CLIP: each label becomes one or more prompts ("a photo of a {}."), the
 * image's embedding is compared with each label's, and the logits {@code exp(logit_scale) · cos} go through a
 * softmax over the labels.
 *
 * <p>With several templates a label's embedding is the CLIP paper's prompt ensemble: embed every prompt,
 * normalize each, average, renormalize. Label embeddings are cached per classifier, so classifying many images
 * against the same labels embeds the labels once. Thread-safe.
 */
public final class ZeroShotClassifier {
    private final ClipModel model;
    private final List<String> templates;
    private final Map<String, float[]> labelEmbeddings = new ConcurrentHashMap<>();

    /** A classifier with the default template {@code "a photo of a {}."}. */
    public ZeroShotClassifier(ClipModel model) {
        this(model, PromptTemplates.DEFAULT);
    }

    /** A classifier with these templates; each must contain {@code {}}. */
    public ZeroShotClassifier(ClipModel model, List<String> templates) {
        this.model = model;
        this.templates = PromptTemplates.validated(templates);
    }

    public List<String> templates() {
        return templates;
    }

    /** The labels ranked by score, highest first. */
    public List<Label> classify(ImageInput image, List<String> labels) {
        return classify(List.of(image), labels).getFirst();
    }

    /** For each image, the labels ranked by score, highest first. */
    public List<List<Label>> classify(List<ImageInput> images, List<String> labels) {
        checkLabels(labels);
        float[][] labelVectors = labelEmbeddings(labels);
        float[][] imageVectors = model.embedImages(images);
        List<List<Label>> results = new ArrayList<>(images.size());
        for (float[] imageVector : imageVectors) {
            results.add(rank(imageVector, labels, labelVectors));
        }
        return results;
    }

    /** The (ensembled, normalized) embedding of each label, from the cache where possible. */
    public float[][] labelEmbeddings(List<String> labels) {
        checkLabelCount(labels);
        List<String> missing = labels.stream().distinct().filter(l -> !labelEmbeddings.containsKey(l)).toList();
        if (!missing.isEmpty()) {
            embedLabels(missing);
        }
        float[][] out = new float[labels.size()][];
        for (int i = 0; i < labels.size(); i++) {
            out[i] = labelEmbeddings.get(labels.get(i));
        }
        return out;
    }

    /**
     * Embeds every (label, template) prompt, in as few calls as {@link dev.aperture.models.InputLimits#maxInputsPerCall()}
     * allows, then averages per label.
     */
    private void embedLabels(List<String> labels) {
        int labelsPerCall = Math.max(1, model.limits().maxInputsPerCall() / templates.size());
        for (int start = 0; start < labels.size(); start += labelsPerCall) {
            embedLabelGroup(labels.subList(start, Math.min(labels.size(), start + labelsPerCall)));
        }
    }

    private void embedLabelGroup(List<String> labels) {
        List<String> prompts = new ArrayList<>(labels.size() * templates.size());
        for (String label : labels) {
            for (String template : templates) {
                prompts.add(PromptTemplates.apply(template, label));
            }
        }
        float[][] promptVectors = model.embedTexts(prompts);
        for (int l = 0; l < labels.size(); l++) {
            float[][] perTemplate = new float[templates.size()][];
            System.arraycopy(promptVectors, l * templates.size(), perTemplate, 0, templates.size());
            labelEmbeddings.put(labels.get(l), ensemble(perTemplate));
        }
    }

    /** The CLIP paper's ensemble: mean of normalized prompt embeddings, renormalized. */
    static float[] ensemble(float[][] normalizedPromptEmbeddings) {
        int dim = normalizedPromptEmbeddings[0].length;
        float[] mean = new float[dim];
        for (float[] vector : normalizedPromptEmbeddings) {
            for (int i = 0; i < dim; i++) {
                mean[i] += vector[i];
            }
        }
        for (int i = 0; i < dim; i++) {
            mean[i] /= normalizedPromptEmbeddings.length;
        }
        return Vectors.normalized(mean);
    }

    private List<Label> rank(float[] imageVector, List<String> labels, float[][] labelVectors) {
        double scale = model.logitScale();
        double[] logits = new double[labels.size()];
        double maxLogit = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < logits.length; i++) {
            logits[i] = scale * Vectors.dot(imageVector, labelVectors[i]);
            maxLogit = Math.max(maxLogit, logits[i]);
        }
        double sum = 0;
        double[] exps = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            exps[i] = Math.exp(logits[i] - maxLogit);
            sum += exps[i];
        }
        List<Label> ranked = new ArrayList<>(logits.length);
        for (int i = 0; i < logits.length; i++) {
            ranked.add(new Label(labels.get(i), exps[i] / sum, logits[i]));
        }
        ranked.sort(Comparator.comparingDouble(Label::score).reversed());
        return ranked;
    }

    private void checkLabelCount(List<String> labels) {
        if (labels == null) {
            throw new InputException("No label list given (null)");
        }
        if (labels.size() > model.limits().maxLabels()) {
            throw new ResourceLimitException(labels.size() + " labels in one classification, over the limit of "
                    + model.limits().maxLabels() + " (InputLimits.maxLabels)");
        }
    }

    private void checkLabels(List<String> labels) {
        checkLabelCount(labels);
        if (labels.isEmpty()) {
            throw new InputException("At least one label is needed to classify");
        }
        for (int i = 0; i < labels.size(); i++) {
            if (labels.get(i) == null) {
                throw new InputException("Label " + i + " is null");
            }
        }
        if (new HashSet<>(labels).size() != labels.size()) {
            throw new InputException("Labels must be distinct: " + labels);
        }
    }
}
