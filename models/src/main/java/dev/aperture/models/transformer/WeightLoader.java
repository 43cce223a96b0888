package dev.aperture.models.transformer;

import dev.aperture.core.ModelMismatchException;
import dev.aperture.core.backend.Backend;
import dev.aperture.core.backend.LinearWeights;
import dev.aperture.core.backend.Matrix;
import dev.aperture.core.tensor.TensorSource;
import dev.aperture.core.tensor.TensorView;

import java.util.Arrays;
import java.util.List;

/**
 * Takes tensors out of a checkpoint for the model's blocks, checking each one's shape against what the config
 * implies before anything is converted or copied. Every check failure names the tensor, its shape, the shape
 * expected and the config fields that imply it. F32, F16 and BF16 tensors are all accepted (computed as float32).
 */
public final class WeightLoader {
    private final TensorSource source;
    private final Backend backend;
    private final String configSource;

    /**
     * @param configSource where the config fields cited in error messages come from, e.g. {@code config.json}
     */
    public WeightLoader(TensorSource source, Backend backend, String configSource) {
        this.source = source;
        this.backend = backend;
        this.configSource = configSource;
    }

    public Backend backend() {
        return backend;
    }

    /** Fails, naming every absent tensor, unless the source holds all of {@code names}. */
    public void requireAll(List<String> names) {
        List<String> missing = names.stream().filter(name -> !source.contains(name)).toList();
        if (missing.isEmpty()) {
            return;
        }
        int shown = Math.min(missing.size(), 12);
        String list = String.join(", ", missing.subList(0, shown))
                + (missing.size() > shown ? ", ... (" + (missing.size() - shown) + " more)" : "");
        throw new ModelMismatchException("The checkpoint lacks " + missing.size() + " of the " + names.size()
                + " tensors " + configSource + " implies: " + list);
    }

    /** {@code prefix.weight} as {@code [out, in]} and, when {@code withBias}, {@code prefix.bias} as {@code [out]}. */
    public LinearWeights linear(String prefix, boolean withBias, int outFeatures, int inFeatures, String why) {
        TensorView weight = view(prefix + ".weight", why, outFeatures, inFeatures);
        TensorView bias = withBias ? view(prefix + ".bias", why, outFeatures) : null;
        return backend.prepareLinear(weight, bias);
    }

    /** A vector uploaded as a {@code [1, length]} matrix (layer-norm gamma and beta). */
    public Matrix row(String name, int length, String why) {
        return backend.adopt(floats(name, why, length), 1, length);
    }

    /** A {@code [rows, cols]} table uploaded as a matrix (embedding tables). */
    public Matrix table(String name, int rows, int cols, String why) {
        return backend.adopt(floats(name, why, rows, cols), rows, cols);
    }

    /** The tensor's values as float32 on the host. */
    public float[] floats(String name, String why, long... shape) {
        return view(name, why, shape).toFloatArray();
    }

    /**
     * Entries {@code [from, to)} along the first dimension of the tensor {@code name} (checked to have {@code shape}),
     * without copying: how a model takes one of several weights stacked in one tensor (PyTorch's
     * {@code in_proj_weight} and {@code in_proj_bias} hold the queries', keys' and values' projections).
     */
    public TensorView slice(String name, String why, int from, int to, long... shape) {
        TensorView whole = view(name, why, shape);
        long entryBytes = whole.dtype().byteCount(whole.elementCount() / shape[0]);
        long[] sliceShape = shape.clone();
        sliceShape[0] = to - from;
        return new TensorView(name + "[" + from + ":" + to + "]", whole.dtype(), sliceShape,
                whole.data().asSlice(from * entryBytes, (to - from) * entryBytes));
    }

    /** A single number stored with shape {@code []} or {@code [1]} (the logit scale). */
    public float scalar(String name) {
        TensorView view = source.tensor(name);
        if (view.elementCount() != 1 || view.rank() > 1) {
            throw new ModelMismatchException("Tensor '" + name + "' has shape " + Arrays.toString(view.shape())
                    + ", expected a scalar [] (or [1])");
        }
        return view.toFloatArray()[0];
    }

    /**
     * The tensor {@code name}, checked to have {@code expectedShape} ({@code why} names the config fields that imply
     * it) and a float dtype: for weights a model prepares itself (a convolution kernel used as a matmul).
     */
    public TensorView view(String name, String why, long... expectedShape) {
        TensorView view = source.tensor(name);
        if (!Arrays.equals(view.shape(), expectedShape)) {
            throw new ModelMismatchException("Tensor '" + name + "' has shape " + Arrays.toString(view.shape())
                    + ", expected " + Arrays.toString(expectedShape) + " (" + why + " in " + configSource + ")");
        }
        if (!view.dtype().isConvertibleToFloat()) {
            throw new ModelMismatchException("Tensor '" + name + "' has dtype " + view.dtype()
                    + "; model weights must be F32, F16 or BF16");
        }
        return view;
    }
}
