package dev.aperture.core.tensor;

import dev.aperture.core.ModelMismatchException;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The tensors of one file, as views into memory a single arena owns (the file's mapping, and any copies made while
 * reading it): what every file-backed {@link TensorSource} shares. Lookups fail clearly once the arena is closed,
 * instead of handing out views of freed memory.
 */
public final class MappedTensors {
    private final Path file;
    private final String kind;
    private final Arena arena;
    private final Map<String, TensorView> views;

    /**
     * @param kind  names the file's format in messages, e.g. {@code "Safetensors file"}
     * @param views the tensors by name, in file order; kept as given (pass an unmodifiable map)
     */
    public MappedTensors(Path file, String kind, Arena arena, Map<String, TensorView> views) {
        this.file = file;
        this.kind = kind;
        this.arena = arena;
        this.views = views;
    }

    public Set<String> names() {
        return views.keySet();
    }

    /**
     * The tensor with this name.
     *
     * @throws IllegalStateException  when the file has been closed
     * @throws ModelMismatchException when there is none, naming the tensor and the file
     */
    public TensorView tensor(String name) {
        if (!arena.scope().isAlive()) {
            throw new IllegalStateException(kind + " " + file + " is closed; cannot read tensor '" + name + "'");
        }
        TensorView view = views.get(name);
        if (view == null) {
            throw new ModelMismatchException("No tensor '" + name + "' in " + file);
        }
        return view;
    }

    /** Frees the arena (unmaps the file). Idempotent. */
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}
