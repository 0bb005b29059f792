// Softmax cross-entropy over the rows of z (B, C), row-major, with int64 labels y (B,).
//
// Forward, one block per row r:
//   lse[r]  = logsumexp(z[r, :]) = m + log(sum_j exp(z[r, j] - m)),  m = max_j z[r, j]
//   loss[r] = lse[r] - z[r, y[r]]                    (= -log softmax(z[r])[y[r]])
// Subtracting the row max m first makes every exp(...) <= 1, so nothing overflows.
// A label outside [0, C) gives loss NaN instead of reading out of bounds.
//
// Backward, elementwise over (B, C), reusing the lse saved by the forward pass:
//   dz[r, j] = (softmax(z[r])_j - [j == y[r]]) * g[r * g_stride],  softmax(z[r])_j = exp(z[r, j] - lse[r])
// g_stride = 1 takes one upstream gradient per row (loss per row); g_stride = 0 broadcasts
// g[0] to all rows (e.g. 1 / B for a mean loss).
//
// Kernels, T in {f32: float, f64: double}:
//   softmax_xent_fwd_<T>(const T* z, const long long* labels, T* loss, T* lse, long long B, long long C)
//       launch with blockDim.x a multiple of 32 (256), any number of blocks; needs C >= 1
//   softmax_xent_bwd_<T>(const T* z, const long long* labels, const T* lse, const T* g,
//                        long long g_stride, T* dz, long long B, long long C)
#include "block_reduce.cuh"

template <typename T>
__device__ void softmax_xent_fwd(const T* z, const long long* labels, T* loss, T* lse, long long B, long long C) {
    for (long long r = blockIdx.x; r < B; r += gridDim.x) {  // block-stride loop over rows
        const T* row = z + r * C;
        // 1. m = max_j row[j]: each thread scans the columns j = threadIdx.x + k * blockDim.x
        //    (adjacent threads read adjacent columns), then the block combines the threads.
        T m = row[0];
        for (long long j = threadIdx.x; j < C; j += blockDim.x) m = Max()(m, row[j]);
        m = block_reduce(m, Max());
        // 2. s = sum_j exp(row[j] - m), in the same pattern.
        T s = T(0);
        for (long long j = threadIdx.x; j < C; j += blockDim.x) s += exp(row[j] - m);
        s = block_reduce(s, Sum());
        // 3. One thread writes the results of the row.
        if (threadIdx.x == 0) {
            const T row_lse = m + log(s);
            const long long y = labels[r];
            lse[r] = row_lse;
            loss[r] = (0 <= y && y < C) ? row_lse - row[y] : T(nan(""));
        }
    }
}

template <typename T>
__device__ void softmax_xent_bwd(const T* z, const long long* labels, const T* lse, const T* g,
                                 long long g_stride, T* dz, long long B, long long C) {
    const long long stride = (long long)gridDim.x * blockDim.x;
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < B * C; i += stride) {
        const long long r = i / C, j = i % C;
        const T onehot = (j == labels[r]) ? T(1) : T(0);
        dz[i] = (exp(z[i] - lse[r]) - onehot) * g[r * g_stride];
    }
}

extern "C" __global__ void softmax_xent_fwd_f32(const float* z, const long long* labels, float* loss, float* lse, long long B, long long C) {
    softmax_xent_fwd(z, labels, loss, lse, B, C);
}
extern "C" __global__ void softmax_xent_fwd_f64(const double* z, const long long* labels, double* loss, double* lse, long long B, long long C) {
    softmax_xent_fwd(z, labels, loss, lse, B, C);
}
extern "C" __global__ void softmax_xent_bwd_f32(const float* z, const long long* labels, const float* lse, const float* g,
                                                long long g_stride, float* dz, long long B, long long C) {
    softmax_xent_bwd(z, labels, lse, g, g_stride, dz, B, C);
}
extern "C" __global__ void softmax_xent_bwd_f64(const double* z, const long long* labels, const double* lse, const double* g,
                                                long long g_stride, double* dz, long long B, long long C) {
    softmax_xent_bwd(z, labels, lse, g, g_stride, dz, B, C);
}
