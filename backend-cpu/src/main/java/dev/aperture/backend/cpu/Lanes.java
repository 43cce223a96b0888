package dev.aperture.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** The one place the vector shape is chosen: the widest float vector this CPU runs natively. */
final class Lanes {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int WIDTH = SPECIES.length();

    private Lanes() {
    }
}
