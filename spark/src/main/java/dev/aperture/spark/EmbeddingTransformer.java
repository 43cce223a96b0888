package dev.aperture.spark;

import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

import java.util.List;

/**
 * A transformer that appends one embedding per row: {@code outputCol} (default {@code embedding}), as
 * {@code array<float>} ({@code outputType = "array"}, the default) or an ML {@code Vector} ({@code "vector"}); null
 * for a row that failed. Embeddings are L2-normalized, exactly the floats the Java API returns.
 *
 * @param <T> the transformer's own type, which the setters return
 */
public abstract class EmbeddingTransformer<T extends EmbeddingTransformer<T>> extends ApertureTransformer<T> {
    private final Param<String> outputCol;
    private final Param<String> outputType;

    protected EmbeddingTransformer(String uid, String defaultInputCol) {
        super(uid, defaultInputCol);
        outputCol = new Param<>(uid, "outputCol", "output column name");
        outputType = new Param<>(uid, "outputType", "array (array<float>) or vector (an ML Vector)",
                ParamValidators.inArray(new String[] {VectorFormat.ARRAY.paramValue, VectorFormat.VECTOR.paramValue}));
        setDefault(outputCol, "embedding");
        setDefault(outputType, VectorFormat.ARRAY.paramValue);
    }

    public Param<String> outputCol() {
        return outputCol;
    }

    public Param<String> outputType() {
        return outputType;
    }

    public String getOutputCol() {
        return getOrDefault(outputCol);
    }

    public String getOutputType() {
        return getOrDefault(outputType);
    }

    public T setOutputCol(String value) {
        return setParam(outputCol, value);
    }

    public T setOutputType(String value) {
        return setParam(outputType, value);
    }

    protected final VectorFormat vectorFormat() {
        return VectorFormat.of(getOutputType());
    }

    @Override
    protected List<StructField> outputFields() {
        return List.of(DataTypes.createStructField(getOutputCol(), vectorFormat().dataType, true));
    }
}
