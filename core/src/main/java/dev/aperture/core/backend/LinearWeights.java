package dev.aperture.core.backend;

/** Weights of {@code y = x·Wᵀ + b} in whatever form the backend prepared them (packed panels, device buffers). */
public interface LinearWeights {
    /** Output features ({@code W}'s rows). */
    int outFeatures();

    /** Input features ({@code W}'s columns). */
    int inFeatures();
}
