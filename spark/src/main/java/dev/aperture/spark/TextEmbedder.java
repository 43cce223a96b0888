package dev.aperture.spark;

import dev.aperture.core.InputException;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.List;

/**
 * Embeds the texts of a string column (default {@code text}) with the text tower of a CLIP or SigLIP model, or with
 * a BERT sentence embedder (a sentence-transformers folder or hub id, or a BERT {@code .onnx} file with its
 * {@code tokenizer.json} beside it): the model's {@code config.json} says which. A null text or one over the model's
 * limits gives a null embedding and its error (see {@link ApertureTransformer}).
 *
 * <pre>{@code
 * Dataset<Row> embedded = new TextEmbedder().setModel("sentence-transformers/all-MiniLM-L6-v2")
 *         .setInputCol("sentence").transform(sentences);
 * }</pre>
 */
public final class TextEmbedder extends EmbeddingTransformer<TextEmbedder> {

    public TextEmbedder() {
        this(Identifiable.randomUID("apertureTextEmbedder"));
    }

    /** With a given uid: how the params reader recreates a saved embedder. */
    public TextEmbedder(String uid) {
        super(uid, "text");
    }

    /** Reads an embedder saved with {@code write().save(path)}. */
    public static MLReader<TextEmbedder> read() {
        return new DefaultParamsReader<>();
    }

    public static TextEmbedder load(String path) {
        return read().load(path);
    }

    @Override
    protected void checkInputType(StructField input) {
        if (!input.dataType().equals(DataTypes.StringType)) {
            throw new IllegalArgumentException("Column " + input.name() + " must hold texts (string), not "
                    + input.dataType().simpleString());
        }
    }

    @Override
    protected RowBatchFunction batchFunction(StructType input) {
        return new Embeddings(modelSpec(), input.fieldIndex(getInputCol()), vectorFormat());
    }

    /** One batch of texts through the executor's model. */
    private record Embeddings(ModelSpec model, int textIndex, VectorFormat format) implements RowBatchFunction {
        @Override
        public List<Object[]> apply(List<Row> rows) {
            List<String> texts = rows.stream().map(this::text).toList();
            return format.outputs(ExecutorModels.textEncoder(model).apply(texts));
        }

        private String text(Row row) {
            if (row.isNullAt(textIndex)) {
                throw new InputException("No text: the input column is null");
            }
            return row.getString(textIndex);
        }

        @Override
        public int outputWidth() {
            return 1;
        }
    }
}
