// y = x·Wᵀ + b, the matmul of every linear layer.
//   x: [rows, inFeatures]   W: [outFeatures, inFeatures]   b: [outFeatures]   y: [rows, outFeatures]
//
// Tiling: a work-group computes a TILE × TILE block of y (TILE rows of x against TILE rows of W). It walks the
// shared dimension in steps of TILE_K, staging an x tile and a W tile in local memory, so each value read from
// global memory is used TILE times. The THREADS × THREADS work-items each own WPT × WPT outputs spaced THREADS
// apart (strided, so neighbouring work-items write neighbouring columns). Out-of-range tile entries load as 0 and
// out-of-range outputs are not written, so any size works.
#define TILE 32
#define TILE_K 16
#define WPT 4
#define THREADS (TILE / WPT)

__kernel __attribute__((reqd_work_group_size(THREADS, THREADS, 1)))
void linear(__global const float* x, __global const float* weight, __global const float* bias, const int hasBias,
            __global float* y, const int rows, const int inFeatures, const int outFeatures)
{
    __local float xTile[TILE][TILE_K + 1];   // +1: no bank conflicts when reading down a column
    __local float wTile[TILE][TILE_K + 1];

    const int localCol = get_local_id(0);   // along output features
    const int localRow = get_local_id(1);   // along rows of x
    const int firstRow = get_group_id(1) * TILE;
    const int firstCol = get_group_id(0) * TILE;
    const int localIndex = localRow * THREADS + localCol;

    float acc[WPT][WPT];
    for (int i = 0; i < WPT; i++) {
        for (int j = 0; j < WPT; j++) {
            acc[i][j] = 0.0f;
        }
    }

    for (int k0 = 0; k0 < inFeatures; k0 += TILE_K) {
        // Stage both tiles; consecutive work-items read consecutive k (coalesced).
        for (int e = localIndex; e < TILE * TILE_K; e += THREADS * THREADS) {
            const int r = e / TILE_K;
            const int k = e % TILE_K;
            const int globalK = k0 + k;
            const int xRow = firstRow + r;
            const int wRow = firstCol + r;
            xTile[r][k] = (xRow < rows && globalK < inFeatures) ? x[(size_t) xRow * inFeatures + globalK] : 0.0f;
            wTile[r][k] = (wRow < outFeatures && globalK < inFeatures)
                    ? weight[(size_t) wRow * inFeatures + globalK] : 0.0f;
        }
        barrier(CLK_LOCAL_MEM_FENCE);

        for (int k = 0; k < TILE_K; k++) {
            float w[WPT];
            for (int j = 0; j < WPT; j++) {
                w[j] = wTile[localCol + j * THREADS][k];
            }
            for (int i = 0; i < WPT; i++) {
                const float xValue = xTile[localRow + i * THREADS][k];
                for (int j = 0; j < WPT; j++) {
                    acc[i][j] += xValue * w[j];
                }
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }

    for (int i = 0; i < WPT; i++) {
        const int row = firstRow + localRow + i * THREADS;
        for (int j = 0; j < WPT; j++) {
            const int col = firstCol + localCol + j * THREADS;
            if (row < rows && col < outFeatures) {
                y[(size_t) row * outFeatures + col] = acc[i][j] + (hasBias ? bias[col] : 0.0f);
            }
        }
    }
}
