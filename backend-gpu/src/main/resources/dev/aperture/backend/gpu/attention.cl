// Scaled dot-product attention, one work-group per (query position, head, sequence):
//   out[i] = Σ_j p_j · v[j],   p = softmax_j(scale · q[i]·k[j])   over the visible keys j.
// Key j is visible when j < keyLength[b] and, for a causal mask, j ≤ i. Masked keys get weight exactly 0
// (they are skipped, not given a large negative score). A query with no visible key (key length 0) gets, as in
// PyTorch, where every score is then finfo.min, the plain mean of the values the causal mask alone allows.
//
// q, k, v, out are [batch·seqLen, numHeads·headDim]; head h occupies columns [h·headDim, (h+1)·headDim).
// Local memory holds the query (headDim), the row of scores (seqLen) and a reduction scratch (work-group size,
// a power of two).

float groupReduce(__local float* scratch, float value, int takeMax)
{
    const int lid = get_local_id(0);
    scratch[lid] = value;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int stride = get_local_size(0) / 2; stride > 0; stride /= 2) {
        if (lid < stride) {
            const float other = scratch[lid + stride];
            scratch[lid] = takeMax ? fmax(scratch[lid], other) : scratch[lid] + other;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    const float result = scratch[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return result;
}

__kernel void attention(__global const float* q, __global const float* k, __global const float* v,
                        __global float* out, __global const int* keyLengths,
                        const int seqLen, const int numHeads, const int headDim, const float scale, const int causal,
                        __local float* query, __local float* scores, __local float* scratch)
{
    const int position = get_group_id(0);
    const int head = get_group_id(1);
    const int sequence = get_group_id(2);
    const int lid = get_local_id(0);
    const int step = get_local_size(0);

    const int width = numHeads * headDim;
    const size_t firstRow = (size_t) sequence * seqLen;
    const int column = head * headDim;
    const int causalKeys = causal ? position + 1 : seqLen;
    const int visibleKeys = min(min(keyLengths[sequence], seqLen), causalKeys);

    if (visibleKeys <= 0) {
        // The whole work-group takes this branch (visibleKeys depends only on the group), so no barrier is skipped
        // by some work-items and reached by others.
        for (int d = lid; d < headDim; d += step) {
            float acc = 0.0f;
            for (int j = 0; j < causalKeys; j++) {
                acc += v[(firstRow + j) * width + column + d];
            }
            out[(firstRow + position) * width + column + d] = acc / causalKeys;
        }
        return;
    }

    for (int d = lid; d < headDim; d += step) {
        query[d] = q[(firstRow + position) * width + column + d];
    }
    barrier(CLK_LOCAL_MEM_FENCE);

    float localMax = -INFINITY;
    for (int j = lid; j < visibleKeys; j += step) {
        __global const float* key = k + (firstRow + j) * width + column;
        float dot = 0.0f;
        for (int d = 0; d < headDim; d++) {
            dot += query[d] * key[d];
        }
        scores[j] = dot * scale;
        localMax = fmax(localMax, scores[j]);
    }
    const float maxScore = groupReduce(scratch, localMax, 1);

    float localSum = 0.0f;
    for (int j = lid; j < visibleKeys; j += step) {
        scores[j] = exp(scores[j] - maxScore);
        localSum += scores[j];
    }
    const float total = groupReduce(scratch, localSum, 0);   // also a barrier: every score is written
    const float normalizer = 1.0f / total;

    for (int d = lid; d < headDim; d += step) {
        float acc = 0.0f;
        for (int j = 0; j < visibleKeys; j++) {
            acc += scores[j] * v[(firstRow + j) * width + column + d];
        }
        out[(firstRow + position) * width + column + d] = acc * normalizer;
    }
}
