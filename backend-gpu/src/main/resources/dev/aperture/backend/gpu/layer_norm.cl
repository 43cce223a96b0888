// Layer norm over each row: out = (x − mean) / sqrt(var + eps) · gamma + beta.
// One work-group per row; its work-items stride across the columns and meet in a local-memory tree reduction
// (work-group size is a power of two). Two passes, mean then the squared deviations, for accuracy.

float groupSum(__local float* scratch, float value)
{
    const int lid = get_local_id(0);
    scratch[lid] = value;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int stride = get_local_size(0) / 2; stride > 0; stride /= 2) {
        if (lid < stride) {
            scratch[lid] += scratch[lid + stride];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    const float total = scratch[0];
    barrier(CLK_LOCAL_MEM_FENCE);   // everyone has read scratch[0] before it is reused
    return total;
}

__kernel void layer_norm(__global const float* x, __global const float* gamma, __global const float* beta,
                         const float eps, __global float* out, const int cols, __local float* scratch)
{
    const size_t rowStart = (size_t) get_group_id(0) * cols;
    const int lid = get_local_id(0);
    const int step = get_local_size(0);

    float sum = 0.0f;
    for (int c = lid; c < cols; c += step) {
        sum += x[rowStart + c];
    }
    const float mean = groupSum(scratch, sum) / cols;

    float squares = 0.0f;
    for (int c = lid; c < cols; c += step) {
        const float deviation = x[rowStart + c] - mean;
        squares += deviation * deviation;
    }
    const float inverseStd = 1.0f / sqrt(groupSum(scratch, squares) / cols + eps);

    for (int c = lid; c < cols; c += step) {
        out[rowStart + c] = (x[rowStart + c] - mean) * inverseStd * gamma[c] + beta[c];
    }
}
