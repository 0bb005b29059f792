// Elementwise activations y = f(x): forward writes y and the local derivative dy/dx in one
// pass over x; backward computes g * f'(x) from the tensor saved in the forward pass.
//
//   name     f(x)                                   f'(x), from the saved tensor
//   tanh     tanh(x)                                1 - y^2                          (saved: y)
//   sigmoid  1 / (1 + exp(-x))                      y (1 - y)                        (saved: y)
//   relu     max(x, 0)                              1 if y > 0 else 0                (saved: y)
//   gelu     x/2 (1 + tanh(u)),                     (1 + t)/2 + x/2 (1 - t^2) du/dx, (saved: x)
//            u = c (x + a x^3), t = tanh(u)         du/dx = c (1 + 3 a x^2)
//            c = sqrt(2 / pi), a = 0.044715  (the tanh approximation of x * Phi(x))
//
// Kernels, for each name in {tanh, sigmoid, relu, gelu} and T in {f32: float, f64: double}:
//   <name>_fwd_<T>(const T* x, T* y, T* dydx, long long n)       y = f(x), dydx = f'(x)
//   <name>_bwd_<T>(const T* saved, const T* g, T* gx, long long n)  gx = g * f'(x)

struct Tanh {
    static constexpr bool saves_output = true;
    template <typename T> static __device__ T value(T x) { return tanh(x); }
    template <typename T> static __device__ T slope(T y) { return T(1) - y * y; }
};

struct Sigmoid {
    static constexpr bool saves_output = true;
    // exp(-x) = inf for very negative x gives 1 / inf = 0: no overflow problem.
    template <typename T> static __device__ T value(T x) { return T(1) / (T(1) + exp(-x)); }
    template <typename T> static __device__ T slope(T y) { return y * (T(1) - y); }
};

struct Relu {
    static constexpr bool saves_output = true;
    template <typename T> static __device__ T value(T x) { return x > T(0) ? x : T(0); }
    template <typename T> static __device__ T slope(T y) { return y > T(0) ? T(1) : T(0); }
};

struct Gelu {
    static constexpr bool saves_output = false;
    template <typename T> static __device__ T value(T x) {
        const T c = T(0.7978845608028654), a = T(0.044715);
        return T(0.5) * x * (T(1) + tanh(c * (x + a * x * x * x)));
    }
    template <typename T> static __device__ T slope(T x) {
        const T c = T(0.7978845608028654), a = T(0.044715);
        const T t = tanh(c * (x + a * x * x * x));
        return T(0.5) * (T(1) + t) + T(0.5) * x * (T(1) - t * t) * c * (T(1) + T(3) * a * x * x);
    }
};

// y[i] = f(x[i]), dydx[i] = f'(x[i]); grid-stride loop, so any grid size covers all n.
template <typename Act, typename T>
__device__ void activation_fwd(const T* x, T* y, T* dydx, long long n) {
    const long long stride = (long long)gridDim.x * blockDim.x;
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) {
        const T xi = x[i];
        const T yi = Act::value(xi);
        y[i] = yi;
        dydx[i] = Act::slope(Act::saves_output ? yi : xi);
    }
}

// gx[i] = g[i] * f'(x[i]), where saved is y for tanh, sigmoid and relu and x for gelu.
template <typename Act, typename T>
__device__ void activation_bwd(const T* saved, const T* g, T* gx, long long n) {
    const long long stride = (long long)gridDim.x * blockDim.x;
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride)
        gx[i] = g[i] * Act::slope(saved[i]);
}

extern "C" __global__ void tanh_fwd_f32(const float* x, float* y, float* dydx, long long n) { activation_fwd<Tanh>(x, y, dydx, n); }
extern "C" __global__ void tanh_fwd_f64(const double* x, double* y, double* dydx, long long n) { activation_fwd<Tanh>(x, y, dydx, n); }
extern "C" __global__ void tanh_bwd_f32(const float* saved, const float* g, float* gx, long long n) { activation_bwd<Tanh>(saved, g, gx, n); }
extern "C" __global__ void tanh_bwd_f64(const double* saved, const double* g, double* gx, long long n) { activation_bwd<Tanh>(saved, g, gx, n); }

extern "C" __global__ void sigmoid_fwd_f32(const float* x, float* y, float* dydx, long long n) { activation_fwd<Sigmoid>(x, y, dydx, n); }
extern "C" __global__ void sigmoid_fwd_f64(const double* x, double* y, double* dydx, long long n) { activation_fwd<Sigmoid>(x, y, dydx, n); }
extern "C" __global__ void sigmoid_bwd_f32(const float* saved, const float* g, float* gx, long long n) { activation_bwd<Sigmoid>(saved, g, gx, n); }
extern "C" __global__ void sigmoid_bwd_f64(const double* saved, const double* g, double* gx, long long n) { activation_bwd<Sigmoid>(saved, g, gx, n); }

extern "C" __global__ void relu_fwd_f32(const float* x, float* y, float* dydx, long long n) { activation_fwd<Relu>(x, y, dydx, n); }
extern "C" __global__ void relu_fwd_f64(const double* x, double* y, double* dydx, long long n) { activation_fwd<Relu>(x, y, dydx, n); }
extern "C" __global__ void relu_bwd_f32(const float* saved, const float* g, float* gx, long long n) { activation_bwd<Relu>(saved, g, gx, n); }
extern "C" __global__ void relu_bwd_f64(const double* saved, const double* g, double* gx, long long n) { activation_bwd<Relu>(saved, g, gx, n); }

extern "C" __global__ void gelu_fwd_f32(const float* x, float* y, float* dydx, long long n) { activation_fwd<Gelu>(x, y, dydx, n); }
extern "C" __global__ void gelu_fwd_f64(const double* x, double* y, double* dydx, long long n) { activation_fwd<Gelu>(x, y, dydx, n); }
extern "C" __global__ void gelu_bwd_f32(const float* saved, const float* g, float* gx, long long n) { activation_bwd<Gelu>(saved, g, gx, n); }
extern "C" __global__ void gelu_bwd_f64(const double* saved, const double* g, double* gx, long long n) { activation_bwd<Gelu>(saved, g, gx, n); }
