// Random draws from Philox4x32-10 (philox.cuh), the same numbers as tinygrad_ko/backend/philox.py.
// Element i of the draw (seed, offset) comes from Philox block b = i / 4; one thread per block b.
//
//   philox_uint32(unsigned int* out, unsigned long long seed, unsigned long long offset, long long n)
//       out[i] = word i % 4 of block i / 4                      (bit-exact with random_uint32)
//   normal_<T>(T* out, unsigned long long seed, unsigned long long offset, long long n)
//       out[i] = Box-Muller normal i % 4 of block i / 4         (the eps of goup in optim.cu)
// T in {f32: float, f64: double}.
#include "philox.cuh"

extern "C" __global__ void philox_uint32(unsigned int* out, unsigned long long seed, unsigned long long offset, long long n) {
    const long long n_blocks = (n + 3) / 4;
    const long long stride = (long long)gridDim.x * blockDim.x;
    for (long long b = (long long)blockIdx.x * blockDim.x + threadIdx.x; b < n_blocks; b += stride) {
        const uint4 w = philox_block(seed, offset, b);
        const unsigned int words[4] = {w.x, w.y, w.z, w.w};
        for (int j = 0; j < 4; ++j)
            if (4 * b + j < n) out[4 * b + j] = words[j];
    }
}

template <typename T>
__device__ void normal(T* out, unsigned long long seed, unsigned long long offset, long long n) {
    const long long n_blocks = (n + 3) / 4;
    const long long stride = (long long)gridDim.x * blockDim.x;
    for (long long b = (long long)blockIdx.x * blockDim.x + threadIdx.x; b < n_blocks; b += stride) {
        T eps[4];
        normal4(seed, offset, b, eps);
        for (int j = 0; j < 4; ++j)
            if (4 * b + j < n) out[4 * b + j] = eps[j];
    }
}

extern "C" __global__ void normal_f32(float* out, unsigned long long seed, unsigned long long offset, long long n) { normal(out, seed, offset, n); }
extern "C" __global__ void normal_f64(double* out, unsigned long long seed, unsigned long long offset, long long n) { normal(out, seed, offset, n); }
