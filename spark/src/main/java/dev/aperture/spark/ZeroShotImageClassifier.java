package dev.aperture.spark;

import dev.aperture.models.zeroshot.Label;
import dev.aperture.models.zeroshot.ZeroShotClassifier;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

/**
 * Classifies images (input as for {@link ImageEmbedder}) among {@code labels} with a CLIP or SigLIP model, through
 * the models' {@link ZeroShotClassifier}: the best label ({@code labelCol}, default {@code label}) and its score
 * ({@code scoreCol}, default {@code score}: a softmax over the labels for CLIP, a sigmoid for SigLIP), and, when
 * {@code scoresCol} names a column, every label ranked best first as {@code array<struct<label, score, logit>>}.
 * {@code templates} are the prompt templates (each with {@code {}}; several make the CLIP paper's ensemble), by
 * default the model family's own; {@code embeddingCol}, when set, also keeps each image's embedding (computed once
 * for both). Label embeddings are computed once per executor and reused by its tasks.
 *
 * <pre>{@code
 * Dataset<Row> labelled = new ZeroShotImageClassifier().setLabels(new String[] {"cat", "dog", "car"})
 *         .transform(spark.read().format("binaryFile").load("/data/images"));
 * }</pre>
 */
public final class ZeroShotImageClassifier extends ApertureTransformer<ZeroShotImageClassifier> {
    /** The element type of {@code scoresCol}. */
    private static final StructType LABEL_SCORE = DataTypes.createStructType(List.of(
            DataTypes.createStructField("label", DataTypes.StringType, false),
            DataTypes.createStructField("score", DataTypes.DoubleType, false),
            DataTypes.createStructField("logit", DataTypes.DoubleType, false)));

    private final StringArrayParam labels;
    private final StringArrayParam templates;
    private final Param<String> labelCol;
    private final Param<String> scoreCol;
    private final Param<String> scoresCol;
    private final Param<String> embeddingCol;

    public ZeroShotImageClassifier() {
        this(Identifiable.randomUID("apertureZeroShotImageClassifier"));
    }

    /** With a given uid: how the params reader recreates a saved classifier. */
    public ZeroShotImageClassifier(String uid) {
        super(uid, "content");
        labels = new StringArrayParam(this, "labels", "the candidate labels, distinct");
        templates = new StringArrayParam(this, "templates", "prompt templates, each with {} for the label; none:"
                + " the model family's default");
        labelCol = new Param<>(uid, "labelCol", "column of the best label");
        scoreCol = new Param<>(uid, "scoreCol", "column of the best label's score");
        scoresCol = new Param<>(uid, "scoresCol", "column of every label's score, ranked; empty: none");
        embeddingCol = new Param<>(uid, "embeddingCol", "column of the image embedding (array<float>); empty: none");
        setDefault(templates, new String[0]);
        setDefault(labelCol, "label");
        setDefault(scoreCol, "score");
        setDefault(scoresCol, "");
        setDefault(embeddingCol, "");
    }

    /** Reads a classifier saved with {@code write().save(path)}. */
    public static MLReader<ZeroShotImageClassifier> read() {
        return new DefaultParamsReader<>();
    }

    public static ZeroShotImageClassifier load(String path) {
        return read().load(path);
    }

    public StringArrayParam labels() {
        return labels;
    }

    public StringArrayParam templates() {
        return templates;
    }

    public Param<String> labelCol() {
        return labelCol;
    }

    public Param<String> scoreCol() {
        return scoreCol;
    }

    public Param<String> scoresCol() {
        return scoresCol;
    }

    public Param<String> embeddingCol() {
        return embeddingCol;
    }

    public String[] getLabels() {
        return getOrDefault(labels);
    }

    public String[] getTemplates() {
        return getOrDefault(templates);
    }

    public String getLabelCol() {
        return getOrDefault(labelCol);
    }

    public String getScoreCol() {
        return getOrDefault(scoreCol);
    }

    public String getScoresCol() {
        return getOrDefault(scoresCol);
    }

    public String getEmbeddingCol() {
        return getOrDefault(embeddingCol);
    }

    public ZeroShotImageClassifier setLabels(String[] value) {
        return setParam(labels, value);
    }

    public ZeroShotImageClassifier setTemplates(String[] value) {
        return setParam(templates, value);
    }

    public ZeroShotImageClassifier setLabelCol(String value) {
        return setParam(labelCol, value);
    }

    public ZeroShotImageClassifier setScoreCol(String value) {
        return setParam(scoreCol, value);
    }

    public ZeroShotImageClassifier setScoresCol(String value) {
        return setParam(scoresCol, value);
    }

    public ZeroShotImageClassifier setEmbeddingCol(String value) {
        return setParam(embeddingCol, value);
    }

    @Override
    protected void checkInputType(StructField input) {
        ImageColumn.checkType(input);
        if (!isDefined(labels) || getLabels().length == 0) {
            throw new IllegalArgumentException("No labels to classify among: set labels");
        }
    }

    @Override
    protected List<StructField> outputFields() {
        List<StructField> fields = new ArrayList<>(List.of(
                DataTypes.createStructField(getLabelCol(), DataTypes.StringType, true),
                DataTypes.createStructField(getScoreCol(), DataTypes.DoubleType, true)));
        if (!getScoresCol().isEmpty()) {
            DataType ranked = DataTypes.createArrayType(LABEL_SCORE, false);
            fields.add(DataTypes.createStructField(getScoresCol(), ranked, true));
        }
        if (!getEmbeddingCol().isEmpty()) {
            fields.add(DataTypes.createStructField(getEmbeddingCol(), VectorFormat.ARRAY.dataType, true));
        }
        return fields;
    }

    @Override
    protected RowBatchFunction batchFunction(StructType input) {
        return new Classification(modelSpec(), ImageColumn.of(input, getInputCol()), List.of(getLabels()),
                List.of(getTemplates()), !getScoresCol().isEmpty(), !getEmbeddingCol().isEmpty());
    }

    /** One batch of images through the executor's classifier. */
    private record Classification(ModelSpec model, ImageColumn images, List<String> labels, List<String> templates,
                                  boolean allScores, boolean embedding) implements RowBatchFunction {
        @Override
        public List<Object[]> apply(List<Row> rows) {
            float[][] embeddings = ExecutorModels.imageTextModel(model).embedImages(images.inputs(rows));
            List<List<Label>> ranked = ExecutorModels.classifier(model, templates).classifyEmbeddings(embeddings, labels);
            List<Object[]> outputs = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                outputs.add(outputs(ranked.get(i), embeddings[i]));
            }
            return outputs;
        }

        private Object[] outputs(List<Label> ranked, float[] imageEmbedding) {
            List<Object> values = new ArrayList<>(outputWidth());
            values.add(ranked.getFirst().label());
            values.add(ranked.getFirst().score());
            if (allScores) {
                // An array, not a java.util.List: Spark's row encoder takes arrays and Scala sequences only.
                values.add(ranked.stream()
                        .map(label -> RowFactory.create(label.label(), label.score(), label.logit()))
                        .toArray(Row[]::new));
            }
            if (embedding) {
                values.add(imageEmbedding);
            }
            return values.toArray();
        }

        @Override
        public int outputWidth() {
            return 2 + (allScores ? 1 : 0) + (embedding ? 1 : 0);
        }
    }
}
