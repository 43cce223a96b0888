package dev.aperture.models.convert;

import dev.aperture.core.InputException;
import dev.aperture.core.safetensors.TensorToWrite;
import dev.aperture.core.tensor.TensorSource;
import dev.aperture.core.tensor.TensorView;

import java.util.ArrayList;
import java.util.List;

/**
 * The tensors a conversion writes: each source tensor under its own name, cast where the target says, its bytes
 * produced only when the writer reaches it, and reported to the listener once written.
 */
final class TensorPlan {
    private final ConversionListener listener;
    private final int tensorsTotal;
    private final long bytesTotal;
    private int tensorsDone;
    private long bytesDone;

    private TensorPlan(ConversionListener listener, int tensorsTotal, long bytesTotal) {
        this.listener = listener;
        this.tensorsTotal = tensorsTotal;
        this.bytesTotal = bytesTotal;
    }

    /**
     * The tensors to write for {@code source} converted to {@code dtype}. Checks every tensor before any is written.
     *
     * @throws InputException when a tensor is of a floating-point type that cannot be cast (FP8, FP4, FP6, complex)
     */
    static List<TensorToWrite> of(TensorSource source, TargetDType dtype, ConversionListener listener) {
        List<TensorToWrite> converted = new ArrayList<>();
        for (String name : source.names()) {
            converted.add(converted(source.tensor(name), dtype));
        }
        long bytesTotal = converted.stream().mapToLong(TensorToWrite::byteSize).sum();
        TensorPlan plan = new TensorPlan(listener, converted.size(), bytesTotal);
        return converted.stream().map(plan::reported).toList();
    }

    private static TensorToWrite converted(TensorView view, TargetDType dtype) {
        if (dtype != TargetDType.KEEP && TargetDType.isUncastableFloat(view.dtype())) {
            throw new InputException("Tensor '" + view.name() + "' is " + view.dtype() + ", which cannot be converted"
                    + " to " + dtype.cliName() + " (F64, F32, F16 and BF16 can); keep the types as they are"
                    + " (dtype keep) to convert this checkpoint");
        }
        if (dtype.converts(view.dtype())) {
            return TensorToWrite.castOf(view, dtype.storedTypeOf(view.dtype()));
        }
        return TensorToWrite.of(view);
    }

    /** The same tensor, telling the listener once its bytes are written. */
    private TensorToWrite reported(TensorToWrite tensor) {
        return new TensorToWrite(tensor.name(), tensor.dtype(), tensor.shape(), out -> {
            tensor.content().writeTo(out);
            bytesDone += tensor.byteSize();
            listener.progress(ConversionListener.Phase.WRITING, ++tensorsDone, tensorsTotal, bytesDone, bytesTotal);
        });
    }
}
