// Row-wise bookkeeping of a transformer: residual adds, position embeddings, embedding lookups.
// One work-item per element of the output.

// x += y (a residual connection).
__kernel void add(__global float* x, __global const float* y, const int count)
{
    const int i = get_global_id(0);
    if (i < count) {
        x[i] += y[i];
    }
}

// x[r] += table[r mod period] (position embeddings added to each sequence of a batch).
__kernel void add_rows_periodic(__global float* x, __global const float* table, const int rows, const int cols,
                                const int period)
{
    const int i = get_global_id(0);
    if (i < rows * cols) {
        const int row = i / cols;
        const int col = i % cols;
        x[i] += table[(size_t) (row % period) * cols + col];
    }
}

// out[r] = source[indices[r]] (token-embedding lookup, pooled-row selection).
__kernel void gather_rows(__global const float* source, __global const int* indices, __global float* out,
                          const int rows, const int cols)
{
    const int i = get_global_id(0);
    if (i < rows * cols) {
        const int row = i / cols;
        const int col = i % cols;
        out[i] = source[(size_t) indices[row] * cols + col];
    }
}
