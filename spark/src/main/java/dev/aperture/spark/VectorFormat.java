package dev.aperture.spark;

import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

import java.util.Arrays;
import java.util.List;

/** How an embedding is stored in its column: the {@code outputType} param. */
enum VectorFormat {
    /** {@code array<float>}: the model's floats exactly, ready for Parquet. */
    ARRAY("array", DataTypes.createArrayType(DataTypes.FloatType, false)),
    /** An ML {@code Vector} (dense), for Spark ML stages; doubles, widened exactly from the floats. */
    VECTOR("vector", SQLDataTypes.VectorType());

    final String paramValue;
    final DataType dataType;

    VectorFormat(String paramValue, DataType dataType) {
        this.paramValue = paramValue;
        this.dataType = dataType;
    }

    static VectorFormat of(String paramValue) {
        for (VectorFormat format : values()) {
            if (format.paramValue.equals(paramValue)) {
                return format;
            }
        }
        throw new IllegalArgumentException("outputType must be \"array\" or \"vector\", got \"" + paramValue + "\"");
    }

    /** Each embedding as the one output value of its row. */
    List<Object[]> outputs(float[][] embeddings) {
        return Arrays.stream(embeddings).map(embedding -> new Object[] {value(embedding)}).toList();
    }

    /** The column value of one embedding. */
    Object value(float[] embedding) {
        if (this == ARRAY) {
            return embedding;
        }
        double[] widened = new double[embedding.length];
        for (int i = 0; i < embedding.length; i++) {
            widened[i] = embedding[i];
        }
        return Vectors.dense(widened);
    }
}
