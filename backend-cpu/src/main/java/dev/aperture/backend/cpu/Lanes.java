package dev.aperture.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** The one place the vector shape is chosen (the widest float vector this CPU runs natively), and lane sums. */
final class Lanes {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
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
        for (float lane : vector.toArray()) {
            total += lane;
        }
        return total;
    }
}
