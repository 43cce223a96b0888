package dev.aperture.core.backend;

import dev.aperture.core.FormatException;

/** Element-wise activations of transformer MLPs, named as Hugging Face configs name them ({@code hidden_act}). */
public enum Activation {
    /** x · Φ(x), with the exact erf form of Φ. */
    GELU("gelu"),
    /** The tanh approximation of GELU. */
    GELU_TANH("gelu_new"),
    /** x · σ(1.702·x), OpenAI CLIP's approximation. */
    QUICK_GELU("quick_gelu");

    private final String configName;

    Activation(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /** The activation a config's {@code hidden_act} names. */
    public static Activation fromConfigName(String name) {
        return switch (name) {
            case "gelu" -> GELU;
            case "gelu_new", "gelu_pytorch_tanh" -> GELU_TANH;
            case "quick_gelu" -> QUICK_GELU;
            default -> throw new FormatException("Unsupported hidden_act '" + name
                    + "' (supported: gelu, gelu_new, gelu_pytorch_tanh, quick_gelu)");
        };
    }
}
