package dev.aperture.backend.cpu;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VectorExpTest {

    private static float[] exp(float[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i += Lanes.WIDTH) {
            var inRange = Lanes.SPECIES.indexInRange(i, x.length);
            VectorExp.exp(FloatVector.fromArray(Lanes.SPECIES, x, i, inRange)).intoArray(out, i, inRange);
        }
        return out;
    }

    @Test
    void isWithinTwoUlpsOfTheExactValueFromMinus87To88() {
        int count = 2_000_001;
        float[] x = new float[count];
        for (int i = 0; i < count; i++) {
            x[i] = -87f + 175f * i / (count - 1);
        }
        float[] actual = exp(x);
        double worstUlps = 0;
        for (int i = 0; i < count; i++) {
            double exact = StrictMath.exp(x[i]);
            worstUlps = Math.max(worstUlps, Math.abs(actual[i] - exact) / Math.ulp((float) exact));
        }
        assertTrue(worstUlps <= 2, "worst error " + worstUlps + " ulps");
    }

    @Test
    void saturatesInsteadOfOverflowingAndIsExactAtZero() {
        float[] actual = exp(new float[]{0f, -1000f, 1000f, Float.NEGATIVE_INFINITY});
        assertEquals(1f, actual[0]);
        assertTrue(actual[1] >= 0 && actual[1] < 1e-37f, "tiny for very negative x: " + actual[1]);
        assertTrue(Float.isFinite(actual[2]) && actual[2] > 1e38f, "huge but finite for very positive x: " + actual[2]);
        assertTrue(actual[3] >= 0 && actual[3] < 1e-37f);
    }
}
