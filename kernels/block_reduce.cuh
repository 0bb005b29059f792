// Reduction of one value per thread to one value per block, for reduce.cu.
#ifndef TINYGRAD_KO_BLOCK_REDUCE_CUH
#define TINYGRAD_KO_BLOCK_REDUCE_CUH

struct Sum {
    template <typename T> __device__ T operator()(T a, T b) const { return a + b; }
};

// Every thread of the block passes its v and gets back op(v of thread 0, v of thread 1, ...).
// All threads of the block must call it (it synchronises them), and blockDim.x must be a
// multiple of 32 (whole warps), at most 1024, with blockDim.y == blockDim.z == 1.
template <typename T, typename Op>
__device__ T block_reduce(T v, Op op) {
    __shared__ T warp_result[32];  // one slot per warp
    const int lane = threadIdx.x % 32, warp = threadIdx.x / 32, n_warps = blockDim.x / 32;
    // 1. Tree reduction inside each warp: lane i combines its value with lane i + d's, for
    //    d = 16, 8, 4, 2, 1. Then lane 0 holds op over all 32 lanes (other lanes hold
    //    partial results that are never used).
    for (int d = 16; d > 0; d /= 2)
        v = op(v, __shfl_down_sync(0xffffffffu, v, d));
    __syncthreads();  // a previous call may still be reading warp_result
    if (lane == 0) warp_result[warp] = v;
    __syncthreads();
    // 2. Every thread combines the per-warp results, so every thread gets the answer.
    v = warp_result[0];
    for (int w = 1; w < n_warps; ++w) v = op(v, warp_result[w]);
    return v;
}

#endif  // TINYGRAD_KO_BLOCK_REDUCE_CUH
