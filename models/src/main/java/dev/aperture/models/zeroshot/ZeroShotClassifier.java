package dev.aperture.models.zeroshot;

import dev.aperture.core.InputException;
import dev.aperture.core.ResourceLimitException;
import dev.aperture.models.ImageInput;
import dev.aperture.models.Vectors;
import dev.aperture.models.ImageTextModel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Zero-shot image classification with any {@link ImageTextModel} (CLIP, SigLIP): each label becomes one or more
 * prompts (by default the model family's own: "a photo of a {}." for CLIP, "This is a photo of {}." for SigLIP), the
 * image's embedding is compared with each label's, and the logits {@code exp(logit_scale) · cos + logit_bias} become
 * scores as the model was trained: a softmax over the labels for CLIP, an independent sigmoid per label for SigLIP
 * ({@link ImageTextModel#scoring()}; each {@link Label} says which).
 *
 * <p>With several templates a label's embedding is the CLIP paper's prompt ensemble: embed every prompt,
 * normalize each, average, renormalize.
 *
 * <p>Label embeddings are cached per classifier, so classifying many images against the same labels embeds the
 * labels once. The cache keeps the {@link #DEFAULT_LABEL_CACHE_SIZE} (or the constructor's {@code labelCacheSize})
 * most recently used labels. When threads miss on the same label at once, one of them embeds it and the others
 * wait for that result; if the embedding fails, every thread waiting for it gets the failure and nothing is
 * cached, so the next call tries again. Thread-safe.
 */
public final class ZeroShotClassifier {
    /**
     * Labels a classifier caches unless told otherwise: 32,768, enough for ImageNet-21k's 21,841 classes, at
     * most 64 MiB of embeddings for a 512-wide model (ViT-B), 96 MiB for a 768-wide one (ViT-L).
     */
    public static final int DEFAULT_LABEL_CACHE_SIZE = 32_768;

    private final ImageTextModel model;
    private final List<String> templates;
    /** Embeds prompts; {@code model::embedTexts} except in tests that count the calls. */
    private final Function<List<String>, float[][]> promptEmbedder;
    private final int labelCacheSize;
    /** Guards {@link #cached} and {@link #inFlight}; never held while embedding. */
    private final Object lock = new Object();
    /** Finished label embeddings in least-recently-used order, at most {@link #labelCacheSize}. Never handed out. */
    private final LinkedHashMap<String, float[]> cached;
    /** Labels some thread is embedding now; a label is in {@link #cached} or here, never both. */
    private final Map<String, CompletableFuture<float[]>> inFlight = new HashMap<>();

    /** A classifier with the model family's default template ({@link ImageTextModel#defaultTemplates()}). */
    public ZeroShotClassifier(ImageTextModel model) {
        this(model, model.defaultTemplates());
    }

    /** A classifier with these templates; each must contain {@code {}}. */
    public ZeroShotClassifier(ImageTextModel model, List<String> templates) {
        this(model, templates, DEFAULT_LABEL_CACHE_SIZE);
    }

    /**
     * A classifier with these templates that caches the embeddings of at most {@code labelCacheSize} labels
     * (0: none; each call embeds its labels).
     */
    public ZeroShotClassifier(ImageTextModel model, List<String> templates, int labelCacheSize) {
        this(model, templates, labelCacheSize, model::embedTexts);
    }

    /** As above, with the function that embeds prompts given (tests wrap {@code model::embedTexts} to count calls). */
    ZeroShotClassifier(ImageTextModel model, List<String> templates, int labelCacheSize,
                       Function<List<String>, float[][]> promptEmbedder) {
        if (labelCacheSize < 0) {
            throw new InputException("Label cache size must be 0 or more, got " + labelCacheSize);
        }
        this.model = model;
        this.templates = PromptTemplates.validated(templates);
        this.labelCacheSize = labelCacheSize;
        this.promptEmbedder = promptEmbedder;
        this.cached = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
                return size() > ZeroShotClassifier.this.labelCacheSize;
            }
        };
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
        float[][] labelVectors = sharedLabelEmbeddings(labels);
        return rankAll(model.embedImages(images), labels, labelVectors);
    }

    /**
     * As {@link #classify(List, List)} for images the caller has already embedded with this classifier's model
     * ({@link ImageTextModel#embedImages}): a server that batches image embeddings across requests, or a Spark job that keeps the embeddings too.
     */
    public List<List<Label>> classifyEmbeddings(float[][] imageVectors, List<String> labels) {
        checkLabels(labels);
        return rankAll(imageVectors, labels, sharedLabelEmbeddings(labels));
    }

    private List<List<Label>> rankAll(float[][] imageVectors, List<String> labels, float[][] labelVectors) {
        List<List<Label>> results = new ArrayList<>(imageVectors.length);
        for (float[] imageVector : imageVectors) {
            results.add(rank(imageVector, labels, labelVectors));
        }
        return results;
    }

    /**
     * The (ensembled, normalized) embedding of each label, from the cache where possible. The arrays are the
     * caller's: changing them changes nothing here.
     */
    public float[][] labelEmbeddings(List<String> labels) {
        checkLabelList(labels);
        float[][] out = sharedLabelEmbeddings(labels);
        for (int i = 0; i < out.length; i++) {
            out[i] = out[i].clone();
        }
        return out;
    }

    /**
     * Each label's embedding, as the cache holds it (so only for reading, never for handing out): cached labels
     * are looked up, labels another thread is embedding are waited for, and the rest are embedded here.
     */
    private float[][] sharedLabelEmbeddings(List<String> labels) {
        Map<String, float[]> found = new HashMap<>();
        Map<String, CompletableFuture<float[]>> awaited = new HashMap<>();
        Map<String, CompletableFuture<float[]>> claimed = new LinkedHashMap<>();
        synchronized (lock) {
            for (String label : labels) {
                if (found.containsKey(label) || awaited.containsKey(label) || claimed.containsKey(label)) {
                    continue;
                }
                float[] vector = cached.get(label);
                if (vector != null) {
                    found.put(label, vector);
                } else if (inFlight.containsKey(label)) {
                    awaited.put(label, inFlight.get(label));
                } else {
                    CompletableFuture<float[]> pending = new CompletableFuture<>();
                    inFlight.put(label, pending);
                    claimed.put(label, pending);
                }
            }
        }
        // This thread's own labels first, then the others': a thread never waits while holding unfinished claims,
        // so two threads cannot wait for each other.
        if (!claimed.isEmpty()) {
            found.putAll(embedLabels(claimed));
        }
        for (Map.Entry<String, CompletableFuture<float[]>> entry : awaited.entrySet()) {
            found.put(entry.getKey(), await(entry.getValue()));
        }
        float[][] out = new float[labels.size()][];
        for (int i = 0; i < labels.size(); i++) {
            out[i] = found.get(labels.get(i));
        }
        return out;
    }

    /**
     * Embeds the claimed labels' prompts, in as few calls as
     * {@link dev.aperture.models.InputLimits#maxInputsPerCall()} allows, averaging per label; each group, once
     * embedded, moves from in flight to the cache. On a failure the labels not yet embedded leave the in-flight
     * map uncached and their waiters get the same exception.
     */
    private Map<String, float[]> embedLabels(Map<String, CompletableFuture<float[]>> claimed) {
        List<String> labels = List.copyOf(claimed.keySet());
        int labelsPerCall = Math.max(1, model.limits().maxInputsPerCall() / templates.size());
        Map<String, float[]> embedded = new HashMap<>();
        try {
            for (int start = 0; start < labels.size(); start += labelsPerCall) {
                List<String> group = labels.subList(start, Math.min(labels.size(), start + labelsPerCall));
                Map<String, float[]> groupVectors = embedLabelGroup(group);
                synchronized (lock) {
                    for (String label : group) {
                        inFlight.remove(label);
                        if (labelCacheSize > 0) {
                            cached.put(label, groupVectors.get(label));
                        }
                    }
                }
                for (String label : group) {
                    claimed.get(label).complete(groupVectors.get(label));
                }
                embedded.putAll(groupVectors);
            }
            return embedded;
        } catch (Throwable failure) {
            synchronized (lock) {
                claimed.forEach((label, pending) -> inFlight.remove(label, pending));
            }
            claimed.values().forEach(pending -> pending.completeExceptionally(failure));
            throw failure;
        }
    }

    private Map<String, float[]> embedLabelGroup(List<String> labels) {
        List<String> prompts = new ArrayList<>(labels.size() * templates.size());
        for (String label : labels) {
            for (String template : templates) {
                prompts.add(PromptTemplates.apply(template, label));
            }
        }
        float[][] promptVectors = promptEmbedder.apply(prompts);
        Map<String, float[]> vectors = new HashMap<>();
        for (int l = 0; l < labels.size(); l++) {
            float[][] perTemplate = new float[templates.size()][];
            System.arraycopy(promptVectors, l * templates.size(), perTemplate, 0, templates.size());
            vectors.put(labels.get(l), ensemble(perTemplate));
        }
        return vectors;
    }

    /** Another thread's embedding of a label; its failure is rethrown as it was thrown there. */
    private static float[] await(CompletableFuture<float[]> pending) {
        try {
            return pending.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw e;
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
        double[] logits = new double[labels.size()];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = model.logitScale() * Vectors.dot(imageVector, labelVectors[i]) + model.logitBias();
        }
        Scoring scoring = model.scoring();
        double[] scores = scoring.scores(logits);
        List<Label> ranked = new ArrayList<>(logits.length);
        for (int i = 0; i < logits.length; i++) {
            ranked.add(new Label(labels.get(i), scores[i], logits[i], scoring));
        }
        ranked.sort(Comparator.comparingDouble(Label::score).reversed());
        return ranked;
    }

    /** What {@link #labelEmbeddings} needs: a list within {@link dev.aperture.models.InputLimits#maxLabels()}, no nulls. */
    private void checkLabelList(List<String> labels) {
        if (labels == null) {
            throw new InputException("No label list given (null)");
        }
        if (labels.size() > model.limits().maxLabels()) {
            throw new ResourceLimitException(labels.size() + " labels in one classification, over the limit of "
                    + model.limits().maxLabels() + " (InputLimits.maxLabels)");
        }
        for (int i = 0; i < labels.size(); i++) {
            if (labels.get(i) == null) {
                throw new InputException("Label " + i + " is null");
            }
        }
    }

    /** What {@link #classify} needs besides: at least one label, all distinct. */
    private void checkLabels(List<String> labels) {
        checkLabelList(labels);
        if (labels.isEmpty()) {
            throw new InputException("At least one label is needed to classify");
        }
        if (new HashSet<>(labels).size() != labels.size()) {
            throw new InputException("Labels must be distinct: " + labels);
        }
    }
}
