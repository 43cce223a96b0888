package dev.aperture.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * e^x for a vector of floats, from additions and FMAs only. The Vector API's own {@code EXP} differs in the last
 * bit between interpreted and compiled code, which would make results depend on warm-up; this one gives the same
 * bits everywhere, within 2 ulps of the exact value for x in [-87, 88] (beyond, it saturates near 2^±127).
 *
 * <pre>
 *   n = round(x · log2 e)              (the 1.5·2^23 trick: adding it rounds to an integer, to nearest even)
 *   r = x − n·ln2                      (ln2 split in a high and a low part, so r is exact: Cody–Waite)
 *   e^r ≈ 1 + r + r²/2! + … + r⁷/7!    (|r| ≤ ln2/2, so the next term is below 2^-27)
 *   e^x = e^r · 2^n                    (2^n built from its exponent bits)
 * </pre>
 */
final class VectorExp {
    private static final float LOG2_E = 1.44269504f;
    private static final float LN2_HIGH = 0.693359375f;       // exact in 9 bits, so n·LN2_HIGH is exact
    private static final float LN2_LOW = -2.12194440e-4f;
    private static final float ROUNDING_MAGIC = 12582912f;     // 1.5 · 2^23
    private static final int ROUNDING_MAGIC_BITS = Float.floatToRawIntBits(ROUNDING_MAGIC);
    private static final float MIN_ARGUMENT = -87.3f;          // n stays ≥ −126: 2^n is a normal float
    private static final float MAX_ARGUMENT = 88.0f;           // n stays ≤ 127

    private VectorExp() {
    }

    static FloatVector exp(FloatVector x) {
        FloatVector clamped = x.max(MIN_ARGUMENT).min(MAX_ARGUMENT);
        FloatVector shifted = clamped.mul(LOG2_E).add(ROUNDING_MAGIC);
        FloatVector n = shifted.sub(ROUNDING_MAGIC);
        FloatVector r = n.fma(n.broadcast(-LN2_HIGH), clamped);
        r = n.fma(n.broadcast(-LN2_LOW), r);
        FloatVector p = r.broadcast(1f / 5040);
        p = p.fma(r, r.broadcast(1f / 720));
        p = p.fma(r, r.broadcast(1f / 120));
        p = p.fma(r, r.broadcast(1f / 24));
        p = p.fma(r, r.broadcast(1f / 6));
        p = p.fma(r, r.broadcast(0.5f));
        p = p.fma(r, r.broadcast(1f));
        p = p.fma(r, r.broadcast(1f));
        IntVector exponent = ((IntVector) shifted.reinterpretAsInts()).sub(ROUNDING_MAGIC_BITS).add(127)
                .lanewise(VectorOperators.LSHL, 23);
        return p.mul(exponent.reinterpretAsFloats());
    }
}
