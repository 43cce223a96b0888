package dev.aperture.backend.cpu;

import dev.aperture.backend.cpu.gemm.VectorWidth;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** The vector shape every kernel uses ({@link VectorWidth} chooses it, for the GEMM too), and lane sums. */
final class Lanes {
    static final VectorSpecies<Float> SPECIES = VectorWidth.FLOATS;
    static final int WIDTH = SPECIES.length();

    private Lanes() {
    }

    /**
     * The sum of the lanes, added first to last. Not {@code reduceLanes(ADD)}: its order of additions is
     * unspecified and differs between interpreted and JIT-compiled code, which made results depend on warm-up.
     * A fixed order keeps every result bit-for-bit reproducible.
     */
    static float sum(FloatVector vector) {
        float total = 0f;
        for (int lane = 0; lane < WIDTH; lane++) {
            total += vector.lane(lane);  // lane by lane, not toArray(): no allocation per row
        }
        return total;
    }
}
