package dev.aperture.spark;

import dev.aperture.core.InputException;
import dev.aperture.models.ImageTextModel;
import dev.aperture.models.ModelTypes;
import dev.aperture.models.bert.TextEmbedder;
import dev.aperture.models.source.HubOptions;
import dev.aperture.models.zeroshot.ZeroShotClassifier;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The models of this JVM (a Spark executor, or the driver in local mode): each {@link ModelSpec} is loaded once, on
 * first use, and shared by every task the JVM runs, so a 600 MB model is mapped once per executor instead of once per
 * task or partition. Models stay loaded for the JVM's lifetime and are closed when it shuts down. Models are
 * thread-safe, so concurrent tasks (executor cores) call one model at once.
 */
public final class ExecutorModels {
    /** What each spec loaded as: an {@link ImageTextModel} (CLIP, SigLIP) or a BERT {@link TextEmbedder}. */
    private static final Map<ModelSpec, AutoCloseable> LOADED = new ConcurrentHashMap<>();
    /** Zero-shot classifiers, which cache label embeddings, by model and templates. */
    private static final Map<ClassifierKey, ZeroShotClassifier> CLASSIFIERS = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ExecutorModels::closeAll, "aperture-close-models"));
    }

    private record ClassifierKey(ModelSpec model, List<String> templates) {
    }

    private ExecutorModels() {
    }

    /** How many models this JVM has loaded so far: one per distinct spec, however many tasks used it. */
    public static int loadCount() {
        return LOADS.get();
    }

    /** The spec's CLIP or SigLIP model, loaded on first use. */
    static ImageTextModel imageTextModel(ModelSpec spec) {
        if (loaded(spec) instanceof ImageTextModel model) {
            return model;
        }
        throw new InputException(spec.model() + " is a BERT sentence embedder; images need an image-text model"
                + " (CLIP, SigLIP)");
    }

    /** What embeds texts with the spec's model: its text tower (CLIP, SigLIP) or the BERT sentence embedder. */
    static Function<List<String>, float[][]> textEncoder(ModelSpec spec) {
        AutoCloseable model = loaded(spec);
        if (model instanceof TextEmbedder sentenceEmbedder) {
            return sentenceEmbedder::embed;
        }
        return ((ImageTextModel) model)::embedTexts;
    }

    /**
     * The JVM's classifier for this model and these templates (empty: the family's default), so label embeddings
     * are computed once per executor, not once per partition.
     */
    static ZeroShotClassifier classifier(ModelSpec spec, List<String> templates) {
        ImageTextModel model = imageTextModel(spec);
        return CLASSIFIERS.computeIfAbsent(new ClassifierKey(spec, templates), key -> templates.isEmpty()
                ? new ZeroShotClassifier(model) : new ZeroShotClassifier(model, templates));
    }

    private static AutoCloseable loaded(ModelSpec spec) {
        // computeIfAbsent runs the load once while concurrent tasks asking for the same spec wait for it; a failed
        // load caches nothing, so a later task tries again.
        return LOADED.computeIfAbsent(spec, ExecutorModels::load);
    }

    private static AutoCloseable load(ModelSpec spec) {
        HubOptions hub = HubOptions.fromEnvironment().quiet();
        AutoCloseable model;
        if (ModelTypes.isSentenceEmbedder(spec.model(), hub)) {
            Path local = Path.of(spec.model());
            model = Files.exists(local) ? TextEmbedder.load(local, null, spec.options())
                    : TextEmbedder.load(spec.model(), spec.options(), hub);
        } else {
            model = ImageTextModel.load(spec.model(), spec.options(), hub);
        }
        LOADS.incrementAndGet();
        return model;
    }

    private static void closeAll() {
        for (AutoCloseable model : LOADED.values()) {
            try {
                model.close();
            } catch (Exception e) {
                // The JVM is going away: a model that fails to close leaks nothing that outlives it.
            }
        }
    }
}
