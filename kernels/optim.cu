// Fused optimizer steps over flat parameter buffers of n elements, updated in place.
// One thread per element (grid-stride loop); each kernel reads and writes every buffer once.
// T in {f32: float, f64: double}.
//
// SGD with momentum mu and weight decay wd (the PyTorch convention, no dampening):
//   d = g + wd * theta,   v <- mu * v + d,   theta <- theta - lr * v
//   sgd_momentum_<T>(T* theta, T* velocity, const T* g, T lr, T momentum, T weight_decay, long long n)
//
// Adam, bias-corrected, at step t = 1, 2, ... (t counts this update):
//   m <- b1 m + (1 - b1) g,   v <- b2 v + (1 - b2) g^2
//   m_hat = m / (1 - b1^t),   v_hat = v / (1 - b2^t)
//   theta <- theta - lr * m_hat / (sqrt(v_hat) + eps)
//   adam_<T>(T* theta, T* m, T* v, const T* g, T lr, T beta1, T beta2, T eps, long long step, long long n)
//
// GO-UP, with learning rate alpha, mean-reversion rate k, noise scale s and std_dev = the
// population std of (theta - g) over the whole tensor (computed first by mean_std in reduce.cu):
//   theta <- (1 - k) * theta + alpha * (theta - g + s * std_dev * eps),   eps ~ N(0, 1)
// the blog post's update with its two roles of alpha split (tinygrad_ko.optim.GOUP): theta
// decays at rate k and takes alpha of the noisy target theta - g. Algebraically this is
// theta - alpha * g - (k - alpha) * theta + alpha * s * std_dev * eps; with k = alpha (the
// post's choice) it is gradient descent plus Gaussian noise: theta - alpha g + alpha s std eps.
// eps for element i is normal i % 4 of Philox block i / 4 of the draw (seed, offset), exactly
// as in philox.cuh and tinygrad_ko/backend/philox.py: pass a new offset (e.g. the step
// number) for fresh noise at every step.
//   goup_<T>(T* theta, const T* g, T alpha, T k, T s, T std_dev,
//            unsigned long long seed, unsigned long long offset, long long n)
#include "philox.cuh"

template <typename T>
__device__ void sgd_momentum(T* theta, T* velocity, const T* g, T lr, T momentum, T weight_decay, long long n) {
    const long long stride = (long long)gridDim.x * blockDim.x;
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) {
        const T d = g[i] + weight_decay * theta[i];
        const T v = momentum * velocity[i] + d;
        velocity[i] = v;
        theta[i] -= lr * v;
    }
}

template <typename T>
__device__ void adam(T* theta, T* m, T* v, const T* g, T lr, T beta1, T beta2, T eps, long long step, long long n) {
    // The bias corrections are the same for every element: computed once per thread, in double.
    const T correction1 = T(1.0 - pow((double)beta1, (double)step));
    const T correction2 = T(1.0 - pow((double)beta2, (double)step));
    const long long stride = (long long)gridDim.x * blockDim.x;
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) {
        const T gi = g[i];
        const T mi = beta1 * m[i] + (T(1) - beta1) * gi;
        const T vi = beta2 * v[i] + (T(1) - beta2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        const T m_hat = mi / correction1, v_hat = vi / correction2;
        theta[i] -= lr * m_hat / (sqrt(v_hat) + eps);
    }
}

// Each thread handles the 4 elements 4b .. 4b+3 of one Philox block b, so one call of
// the generator gives the noise of 4 elements.
template <typename T>
__device__ void goup(T* theta, const T* g, T alpha, T k, T s, T std_dev,
                     unsigned long long seed, unsigned long long offset, long long n) {
    const T noise_scale = alpha * s * std_dev;
    const long long n_blocks = (n + 3) / 4;
    const long long stride = (long long)gridDim.x * blockDim.x;
    for (long long b = (long long)blockIdx.x * blockDim.x + threadIdx.x; b < n_blocks; b += stride) {
        T eps[4];
        normal4(seed, offset, b, eps);
        for (int j = 0; j < 4; ++j) {
            const long long i = 4 * b + j;
            if (i < n) {
                const T target = theta[i] - g[i];
                theta[i] = (T(1) - k) * theta[i] + alpha * target + noise_scale * eps[j];
            }
        }
    }
}

extern "C" __global__ void sgd_momentum_f32(float* theta, float* velocity, const float* g, float lr, float momentum, float weight_decay, long long n) {
    sgd_momentum(theta, velocity, g, lr, momentum, weight_decay, n);
}
extern "C" __global__ void sgd_momentum_f64(double* theta, double* velocity, const double* g, double lr, double momentum, double weight_decay, long long n) {
    sgd_momentum(theta, velocity, g, lr, momentum, weight_decay, n);
}

extern "C" __global__ void adam_f32(float* theta, float* m, float* v, const float* g, float lr, float beta1, float beta2, float eps, long long step, long long n) {
    adam(theta, m, v, g, lr, beta1, beta2, eps, step, n);
}
extern "C" __global__ void adam_f64(double* theta, double* m, double* v, const double* g, double lr, double beta1, double beta2, double eps, long long step, long long n) {
    adam(theta, m, v, g, lr, beta1, beta2, eps, step, n);
}

extern "C" __global__ void goup_f32(float* theta, const float* g, float alpha, float k, float s, float std_dev,
                                    unsigned long long seed, unsigned long long offset, long long n) {
    goup(theta, g, alpha, k, s, std_dev, seed, offset, n);
}
extern "C" __global__ void goup_f64(double* theta, const double* g, double alpha, double k, double s, double std_dev,
                                    unsigned long long seed, unsigned long long offset, long long n) {
    goup(theta, g, alpha, k, s, std_dev, seed, offset, n);
}
