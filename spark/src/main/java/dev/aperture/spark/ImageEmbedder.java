package dev.aperture.spark;

import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.List;

/**
 * Embeds images with a CLIP or SigLIP model: the input column holds encoded images (binary, as
 * {@code spark.read().format("binaryFile")} gives them in {@code content}; the default) or paths (string, read
 * through Hadoop's file systems). A row whose image cannot be read or decoded gets a null embedding and its error
 * (see {@link ApertureTransformer}); a {@code path} column, when the input has one, names the image in it.
 *
 * <pre>{@code
 * Dataset<Row> images = spark.read().format("binaryFile").load("/data/images");
 * Dataset<Row> embedded = new ImageEmbedder().setModel("openai/clip-vit-base-patch32").transform(images);
 * }</pre>
 */
public final class ImageEmbedder extends EmbeddingTransformer<ImageEmbedder> {

    public ImageEmbedder() {
        this(Identifiable.randomUID("apertureImageEmbedder"));
    }

    /** With a given uid: how the params reader recreates a saved embedder. */
    public ImageEmbedder(String uid) {
        super(uid, "content");
    }

    /** Reads an embedder saved with {@code write().save(path)}. */
    public static MLReader<ImageEmbedder> read() {
        return new DefaultParamsReader<>();
    }

    public static ImageEmbedder load(String path) {
        return read().load(path);
    }

    @Override
    protected void checkInputType(StructField input) {
        ImageColumn.checkType(input);
    }

    @Override
    protected RowBatchFunction batchFunction(StructType input) {
        return new Embeddings(modelSpec(), ImageColumn.of(input, getInputCol()), vectorFormat());
    }

    /** One batch of images through the executor's model. */
    private record Embeddings(ModelSpec model, ImageColumn images, VectorFormat format) implements RowBatchFunction {
        @Override
        public List<Object[]> apply(List<Row> rows) {
            return format.outputs(ExecutorModels.imageTextModel(model).embedImages(images.inputs(rows)));
        }

        @Override
        public int outputWidth() {
            return 1;
        }
    }
}
