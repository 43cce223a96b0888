package dev.aperture.spark;

import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;
import java.util.List;

/**
 * What Aperture's transformers share: the model and how to run it ({@code model}, {@code backend}, {@code threads},
 * {@code batchSize}), the input column, and what a failed row gives ({@code onError}, {@code errorCol}).
 *
 * <p>{@link #transform} runs each partition in batches of {@code batchSize} rows through the executor's one copy of
 * the model ({@link ExecutorModels}) and appends the subclass's output columns, then the error column: null on
 * success, the exception's type and message for a row that failed with {@code onError = "null"} (the default; its
 * outputs are then null). {@code onError = "fail"} fails the job instead. Saved and loaded with the default
 * params writer and reader ({@code save(path)}, {@code load(path)}), alone or inside a {@code Pipeline}.
 *
 * @param <T> the transformer's own type, which the setters return
 */
public abstract class ApertureTransformer<T extends ApertureTransformer<T>> extends Transformer
        implements DefaultParamsWritable {
    /** The default model, as the command line's: OpenAI's CLIP ViT-B/32. */
    public static final String DEFAULT_MODEL = "openai/clip-vit-base-patch32";

    private final String uid;
    private final Param<String> inputCol;
    private final Param<String> model;
    private final Param<String> backend;
    private final IntParam threads;
    private final IntParam batchSize;
    private final Param<String> onError;
    private final Param<String> errorCol;

    protected ApertureTransformer(String uid, String defaultInputCol) {
        this.uid = uid;
        inputCol = new Param<>(uid, "inputCol", "input column name");
        model = new Param<>(uid, "model", "model folder or .onnx file every node can read, or a Hugging Face hub id"
                + " (org/name[@revision]) fetched into each node's hub cache");
        backend = new Param<>(uid, "backend", "compute backend: cpu, opencl or auto");
        threads = new IntParam(uid, "threads", "compute threads of the executor's model, shared by its concurrent"
                + " tasks (0: one per processor)", ParamValidators.gtEq(0));
        batchSize = new IntParam(uid, "batchSize", "rows per forward pass", ParamValidators.gtEq(1));
        onError = new Param<>(uid, "onError", "what a row whose input fails gives: null (null outputs and the"
                + " error in errorCol) or fail (the job fails)", ParamValidators.inArray(new String[] {"null", "fail"}));
        errorCol = new Param<>(uid, "errorCol", "column of each row's error: null on success");
        setDefault(inputCol, defaultInputCol);
        setDefault(model, DEFAULT_MODEL);
        setDefault(backend, "cpu");
        setDefault(threads, 0);
        setDefault(batchSize, 32);
        setDefault(onError, "null");
        setDefault(errorCol, "error");
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> inputCol() {
        return inputCol;
    }

    public Param<String> model() {
        return model;
    }

    public Param<String> backend() {
        return backend;
    }

    public IntParam threads() {
        return threads;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public Param<String> onError() {
        return onError;
    }

    public Param<String> errorCol() {
        return errorCol;
    }

    public String getInputCol() {
        return getOrDefault(inputCol);
    }

    public String getModel() {
        return getOrDefault(model);
    }

    public String getBackend() {
        return getOrDefault(backend);
    }

    public int getThreads() {
        return (Integer) getOrDefault(threads);
    }

    public int getBatchSize() {
        return (Integer) getOrDefault(batchSize);
    }

    public String getOnError() {
        return getOrDefault(onError);
    }

    public String getErrorCol() {
        return getOrDefault(errorCol);
    }

    public T setInputCol(String value) {
        return setParam(inputCol, value);
    }

    public T setModel(String value) {
        return setParam(model, value);
    }

    public T setBackend(String value) {
        return setParam(backend, value);
    }

    public T setThreads(int value) {
        return setParam(threads, value);
    }

    public T setBatchSize(int value) {
        return setParam(batchSize, value);
    }

    public T setOnError(String value) {
        return setParam(onError, value);
    }

    public T setErrorCol(String value) {
        return setParam(errorCol, value);
    }

    /** Sets a param and returns this transformer as its own type, for the setters' chaining. */
    @SuppressWarnings("unchecked")
    protected final <V> T setParam(Param<V> param, V value) {
        set(param, value);
        return (T) this;
    }

    /** The model, options and cache key the executors run. */
    protected final ModelSpec modelSpec() {
        return new ModelSpec(getModel(), getBackend(), getThreads(), getBatchSize());
    }

    /** Checks the input column's type; throws IllegalArgumentException, as Spark's transformers do. */
    protected abstract void checkInputType(StructField input);

    /** The columns this transformer appends (the error column follows them). */
    protected abstract List<StructField> outputFields();

    /** What computes the output columns for a batch of rows of {@code input}. */
    protected abstract RowBatchFunction batchFunction(StructType input);

    @Override
    public StructType transformSchema(StructType schema) {
        List<String> existing = Arrays.asList(schema.fieldNames());
        if (!existing.contains(getInputCol())) {
            throw new IllegalArgumentException("No input column " + getInputCol() + " among " + existing);
        }
        checkInputType(schema.apply(getInputCol()));
        StructType out = schema;
        for (StructField field : outputFields()) {
            out = withNewField(out, field);
        }
        return withNewField(out, DataTypes.createStructField(getErrorCol(), DataTypes.StringType, true));
    }

    private static StructType withNewField(StructType schema, StructField field) {
        if (Arrays.asList(schema.fieldNames()).contains(field.name())) {
            throw new IllegalArgumentException("Output column " + field.name() + " already exists");
        }
        return schema.add(field);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType output = transformSchema(dataset.schema());
        PartitionTransform partitions = new PartitionTransform(batchFunction(dataset.schema()), getBatchSize(),
                getOnError().equals("fail"));
        return dataset.toDF().mapPartitions(partitions, Encoders.row(output));
    }

    @Override
    public T copy(ParamMap extra) {
        return defaultCopy(extra);
    }
}
