// Reductions.
//
// sum_rows: out[c] = sum_r a[r, c] for a row-major (R, C) array: the "unbroadcast" that
// turns the gradient of a bias added to every row back into the bias's shape (C,).
//   sum_rows_<T>(const T* a, T* out, long long R, long long C)
//       launch with blockDim = (32, 8) exactly, gridDim.x = number of 32-column tiles (any
//       smaller grid works too: blocks loop over the tiles)
//
// mean_std: mean and population standard deviation of a flat buffer x (n,), two passes,
// accumulated in double:
//   mean = sum_i x[i] / n,   std = sqrt(sum_i (x[i] - mean)^2 / n)
// Subtracting the mean before squaring (rather than using E[x^2] - E[x]^2) keeps the
// result accurate when the mean is large compared with the spread.
//   mean_std_<T>(const T* x, T* out, long long n)    out[0] = mean, out[1] = std
//       launch with ONE block of 1024 threads: the block reads the whole buffer itself, so
//       the result is the same on every run (no atomics, fixed summation order).
//
// T in {f32: float, f64: double}.
#include "block_reduce.cuh"

// Each block owns a tile of 32 columns. Thread (x, y) sums column c0 + x over the rows
// y, y + 8, y + 16, ...: the 32 threads of a warp share y and read 32 adjacent elements of
// one row, so each load of a warp is coalesced into one or two memory transactions.
// Then thread (x, 0) adds up the 8 partial sums of its column.
constexpr int TILE_COLS = 32;
constexpr int ROW_LANES = 8;

template <typename T>
__device__ void sum_rows(const T* a, T* out, long long R, long long C) {
    __shared__ T partial[ROW_LANES][TILE_COLS];
    const int x = threadIdx.x, y = threadIdx.y;
    for (long long c0 = (long long)blockIdx.x * TILE_COLS; c0 < C; c0 += (long long)gridDim.x * TILE_COLS) {
        const long long c = c0 + x;
        T acc = T(0);
        if (c < C)
            for (long long r = y; r < R; r += ROW_LANES) acc += a[r * C + c];
        partial[y][x] = acc;
        __syncthreads();
        if (y == 0 && c < C) {
            for (int k = 1; k < ROW_LANES; ++k) acc += partial[k][x];
            out[c] = acc;
        }
        __syncthreads();  // partial is overwritten by the next tile
    }
}

template <typename T>
__device__ void mean_std(const T* x, T* out, long long n) {
    double sum = 0.0;
    for (long long i = threadIdx.x; i < n; i += blockDim.x) sum += (double)x[i];
    const double mean = block_reduce(sum, Sum()) / (double)n;

    double squares = 0.0;
    for (long long i = threadIdx.x; i < n; i += blockDim.x) {
        const double d = (double)x[i] - mean;
        squares += d * d;
    }
    const double variance = block_reduce(squares, Sum()) / (double)n;

    if (threadIdx.x == 0) {
        out[0] = (T)mean;
        out[1] = (T)sqrt(variance);
    }
}

extern "C" __global__ void sum_rows_f32(const float* a, float* out, long long R, long long C) { sum_rows(a, out, R, C); }
extern "C" __global__ void sum_rows_f64(const double* a, double* out, long long R, long long C) { sum_rows(a, out, R, C); }

extern "C" __global__ void mean_std_f32(const float* x, float* out, long long n) { mean_std(x, out, n); }
extern "C" __global__ void mean_std_f64(const double* x, double* out, long long n) { mean_std(x, out, n); }
