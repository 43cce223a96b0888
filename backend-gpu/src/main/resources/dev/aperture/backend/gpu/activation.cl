// Element-wise activations of the MLP, in place; one work-item per element.

// x · Φ(x) with the exact Gaussian CDF Φ(x) = (1 + erf(x / √2)) / 2.
__kernel void gelu(__global float* x, const int count)
{
    const int i = get_global_id(0);
    if (i < count) {
        const float v = x[i];
        x[i] = 0.5f * v * (1.0f + erf(v * M_SQRT1_2_F));
    }
}

// The tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
__kernel void gelu_tanh(__global float* x, const int count)
{
    const int i = get_global_id(0);
    if (i < count) {
        const float v = x[i];
        const float sqrtTwoOverPi = 0.7978845608028654f;
        x[i] = 0.5f * v * (1.0f + tanh(sqrtTwoOverPi * (v + 0.044715f * v * v * v)));
    }
}

// OpenAI CLIP's x · σ(1.702·x).
__kernel void quick_gelu(__global float* x, const int count)
{
    const int i = get_global_id(0);
    if (i < count) {
        const float v = x[i];
        x[i] = v / (1.0f + exp(-1.702f * v));
    }
}
