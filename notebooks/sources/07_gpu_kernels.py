CELLS = [
("md", """
# 7. GPU 커널 / GPU kernels

GPU 에서 도는 함수 하나를 **커널**이라고 부릅니다. 이 노트북에서는 커널이 무엇인지, 신경망 학습에서
자주 쓰이는 연산을 왜 하나의 커널로 **합쳐(fuse)** 쓰는지, 그리고 우리 커널(`kernels/*.cu`)이 메모리
대역폭을 얼마나 쓰는지 봅니다.

모든 커널에는 같은 이름과 인자를 가진 **NumPy 쌍둥이**(`tinygrad_ko/backend/kernel_reference.py`)가
있습니다. 쌍둥이가 커널의 명세이며 테스트는 커널을 쌍둥이와 비교합니다. GPU 가 없는 컴퓨터에서는 GPU
셀이 안내문을 출력하고 건너뛰며, NumPy 쌍둥이는 어디서나 실행됩니다.

A function that runs on the GPU is a **kernel**. This notebook shows what a kernel is, why the
common steps of training are **fused** into one kernel, and how much of the memory bandwidth our
kernels (`kernels/*.cu`) use. Every kernel has a **NumPy twin** with the same name and arguments
(`tinygrad_ko/backend/kernel_reference.py`): the twin is the kernel's specification, and the tests
compare the two. On a machine without a GPU the GPU cells print a note and skip; the NumPy twins
run everywhere.
"""),
("code", """
%matplotlib inline
import time
import numpy as np
import matplotlib.pyplot as plt
from tinygrad_ko.backend import kernels as K
from tinygrad_ko.backend import kernel_reference as ref
from tinygrad_ko.backend import philox
from tinygrad_ko.tools.figures import use_figure_fonts

use_figure_fonts()   # ∂ ² ∇ 는 DejaVu Sans, 한글은 한글 글꼴에서 / math from DejaVu Sans, Hangul from a Korean font

def find_gpu():
    \"\"\"(True, device name) with CuPy and a CUDA device, else (False, why not).\"\"\"
    try:
        import cupy
    except ImportError:
        return False, "CuPy 가 없습니다 / CuPy is not installed (pip install cupy-cuda13x)"
    try:
        if cupy.cuda.runtime.getDeviceCount() == 0:
            return False, "CUDA 장치가 없습니다 / no CUDA device"
        return True, cupy.cuda.runtime.getDeviceProperties(0)["name"].decode()
    except Exception as error:     # a CUDA driver or runtime error
        return False, f"CUDA 를 쓸 수 없습니다 / CUDA unavailable ({error})"

HAVE_GPU, GPU_NOTE = find_gpu()
print("GPU:", GPU_NOTE if HAVE_GPU else "없음 / none — " + GPU_NOTE)
if not HAVE_GPU:
    print("GPU 가 필요한 셀은 건너뜁니다; NumPy 쌍둥이는 실행됩니다. "
          "/ Cells that need a GPU are skipped; the NumPy twins run.")
"""),
("md", """
## 1. 커널이란 / What a kernel is

GPU 는 수만 개의 **스레드**를 동시에 돌립니다. 스레드는 256 개씩 **블록**으로 묶이고, 블록들이 모여
**그리드**가 됩니다. 커널은 "스레드 하나가 할 일"을 적은 함수입니다. 각 스레드는 자기 번호
`i = blockIdx.x · blockDim.x + threadIdx.x` 로 자기 몫의 원소를 고릅니다.

A GPU runs tens of thousands of **threads** at once, grouped 256 to a **block**, blocks forming a
**grid**. A kernel is the code of *one* thread; each thread picks its element by its number
`i = blockIdx.x · blockDim.x + threadIdx.x`.

모멘텀 SGD 커널의 본체입니다 (`kernels/optim.cu`). 스레드 하나가 자기 원소의 θ, v, g 를 한 번씩 읽고
θ, v 를 한 번씩 씁니다: d = g + wd·θ, v ← μ·v + d, θ ← θ − lr·v.
Here is the body of our SGD-with-momentum kernel: each thread reads θ, v and g of its element once and
writes θ and v once: d = g + wd·θ, v ← μ·v + d, θ ← θ − lr·v.
"""),
("code", """
source = K.kernel_source("optim.cu")
start = source.index("__device__ void sgd_momentum")
print(source[start:source.index("template <typename T>", start)])
"""),
("md", """
`for` 문은 **grid-stride 루프**입니다: 원소가 스레드보다 많으면 각 스레드가 `stride = (블록 수 × 블록 크기)`
만큼 건너뛰며 여러 원소를 맡습니다. 작은 예로 흉내 내 봅시다: 원소 10 개, 블록 2 개 × 스레드 3 개.

The `for` loop is a **grid-stride loop**: with more elements than threads, each thread takes every
`stride`-th element (stride = blocks × threads per block). A tiny imitation: 10 elements, 2 blocks of 3 threads.
"""),
("code", """
n, blocks, threads = 10, 2, 3
stride = blocks * threads
for block in range(blocks):
    for thread in range(threads):
        first = block * threads + thread
        print(f"block {block}, thread {thread}: elements {list(range(first, n, stride))}")
"""),
("md", """
## 2. 왜 합치나: 메모리가 병목 / Why fuse: memory is the bottleneck

원소별 연산(덧셈, 곱셈, 옵티마이저 갱신)은 원소 하나에 몇 번의 계산만 하지만, 그 원소를 메모리에서
읽고 써야 합니다. H100 (SXM) 은 초당 약 67 조 번(FP32) 계산하지만 메모리는 초당 약 3.35 TB 만 옮깁니다.
원소 하나(4 바이트)를 읽는 동안 수십 번 계산할 수 있으니, 원소별 연산의 시간은 거의 전부
**메모리를 옮기는 시간**입니다. 그러니 빨리 하려면 **배열을 덜 읽고 덜 써야** 합니다.

NumPy 로 `v = mu * v + (g + wd * theta)` 를 쓰면 연산마다 배열 전체를 읽고 새 임시 배열에 씁니다. 하나의
커널로 합치면 입력을 한 번 읽고 결과를 한 번 씁니다. 중간값은 스레드의 레지스터에만 있다가 사라집니다.

Elementwise work (adds, multiplies, optimizer updates) does a few operations per element but must read and
write that element. An H100 (SXM) computes about 67 trillion FP32 operations per second but moves only
about 3.35 TB/s, so an elementwise step's time is almost all **moving memory**. To go faster, read
and write the arrays **fewer times**. In NumPy each operation of `v = mu * v + (g + wd * theta)` reads a whole
array and writes a new temporary one; one fused kernel reads its inputs once and writes once, and the
intermediate values live in a thread's registers.

NumPy 가 배열을 실제로 몇 번 읽고 쓰는지 **세어** 봅시다. 아래 `Counted` 배열은 NumPy 연산(ufunc)과
대입이 일어날 때마다, 전체 크기 배열을 읽거나 쓴 횟수("패스")를 셉니다 (스칼라는 세지 않습니다).
Let us **count** how many times NumPy reads and writes whole arrays. The `Counted` array below counts
one pass for every full-size array a NumPy operation (ufunc) or an assignment reads or writes.
"""),
("code", """
SIZE = 1000

class Counted(np.ndarray):
    \"\"\"A NumPy array that counts full-size array reads and writes ("passes") in Counted.passes.\"\"\"
    passes = 0

    def __array_ufunc__(self, ufunc, method, *inputs, out=None, **options):
        plain = [x.view(np.ndarray) if isinstance(x, Counted) else x for x in inputs]
        if out is not None:
            options["out"] = tuple(o.view(np.ndarray) if isinstance(o, Counted) else o for o in out)
        result = getattr(ufunc, method)(*plain, **options)
        reads = sum(isinstance(x, np.ndarray) and x.size == SIZE for x in inputs)
        writes = int(isinstance(result, np.ndarray) and result.size == SIZE)
        Counted.passes += reads + writes
        return result.view(Counted) if isinstance(result, np.ndarray) else result

    def __setitem__(self, key, value):     # velocity[...] = ...: read the value, write the array
        Counted.passes += 2 if isinstance(value, np.ndarray) and value.size == SIZE else 1
        super().__setitem__(key, value)

def passes_of(run):
    Counted.passes = 0
    run()
    return Counted.passes

def array():
    return np.random.default_rng(0).random(SIZE).astype(np.float32).view(Counted)

hyper = dict(lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, step=1)
# (kernel, passes of the fused kernel (reads + writes), what runs unfused)
KERNEL_TRAFFIC = [
    ("SGD + momentum", 5, lambda: ref.sgd_momentum_update(array(), array(), array(), lr=0.1,
                                                           momentum=0.9, weight_decay=1e-4)),
    ("Adam", 7, lambda: ref.adam_update(array(), array(), array(), array(), **hyper)),
]
print(f"{'kernel':<26}{'NumPy passes':>14}{'fused passes':>14}{'ratio':>8}")
traffic = []
for name, fused, run in KERNEL_TRAFFIC:
    unfused = passes_of(run)
    traffic.append((name, unfused, fused))
    print(f"{name:<26}{unfused:>14}{fused:>14}{unfused / fused:>8.1f}")
"""),
("md", """
합친 커널이 옮기는 양은 커널 소스에서 바로 읽을 수 있습니다. 예를 들어 Adam (`kernels/optim.cu`) 은
θ, m, v, g 를 한 번씩 읽고 θ, m, v 를 한 번씩 씁니다: 7 패스. NumPy 로는 37 패스입니다.

The fused traffic can be read off the kernel source. Adam (`kernels/optim.cu`) reads θ, m, v, g once
and writes θ, m, v once: 7 passes, against NumPy's 37.
"""),
("code", """
names = [name for name, _, _ in traffic]
positions = np.arange(len(names))
figure, ax = plt.subplots(figsize=(7, 3.6))
ax.barh(positions + 0.2, [u for _, u, _ in traffic], height=0.4, color="tab:gray", label="NumPy (연산마다 / op by op)")
ax.barh(positions - 0.2, [f for _, _, f in traffic], height=0.4, color="tab:green", label="합친 커널 / fused kernel")
ax.set_yticks(positions, names)
ax.invert_yaxis()
ax.set_xlabel("배열 패스 (읽기 + 쓰기) / array passes (reads + writes)")
ax.set_title("메모리 트래픽 / memory traffic per step")
ax.legend(loc="lower right")
plt.show()
"""),
("md", """
## 3. 우리 커널과 그 쌍둥이 / Our kernels and their NumPy twins

| 파일 / file | 커널 / kernels | 합치는 것 / what it fuses |
|---|---|---|
| `reduce.cu` | `sum_rows`, `mean_std` | 열 합 (bias 의 기울기), 평균과 표준편차 / column sums (the bias gradient), mean and std |
| `optim.cu` | `sgd_momentum`, `adam`, `goup` | 옵티마이저 갱신 전체를 원소당 한 번에 / the whole optimizer update, once per element |
| `random.cu` | `philox_uint32`, `normal` | Philox 난수와 Box–Muller 정규분포 / Philox random numbers and Box–Muller normals |

어느 커널도 **미분을 계산하지 않습니다**. 미분 규칙은 한 곳, 원시 연산 레지스트리(`tinygrad_ko/ops/`)에만
있습니다. 미분을 계산하는 커널이 있다면 그것은 레지스트리 항목(순방향과 VJP)의 CuPy 구현, 곧 "합친 원시
연산"이어야 하고, 그런 원시 연산은 측정해서 더 빠를 때만 둡니다 (예: `ops/lstm.py` 의 LSTM 셀 — 누군가 한 번
손으로 유도한 미분을 가진 원시 연산). 커널은 그래서 옵티마이저 갱신, 그에 필요한 축약, 난수만 맡습니다.

No kernel **computes a derivative**. Derivative rules live in one place, the primitive registry
(`tinygrad_ko/ops/`). A kernel that computed one would have to be the CuPy implementation of a registry
entry's forward and VJP — a fused primitive — and the design admits those only where they are measurably
faster (the LSTM cell of `ops/lstm.py` is one: a primitive whose derivative someone derived once, by hand).
So the kernels do the optimizer updates, the reductions those need, and the random numbers.
"""),
("md", """
### GO-UP 커널과 난수 / The GO-UP kernel and its random numbers

GO-UP 갱신은 θ ← (1 − k)θ + α(θ − g + s·std(θ − g)·ε), ε ~ N(0, 1) 입니다 (5 번 노트북). 커널은 ε 를
메모리에 쓰지 않고 **스레드 안에서** 만듭니다: Philox 는 (seed, offset, 원소 번호) 만으로 난수를 정하는
"카운터 기반" 생성기라서, 스레드마다 공유 상태 없이 자기 원소의 난수를 계산할 수 있습니다. NumPy 쌍둥이
`philox.py` 는 GPU 와 **비트까지 같은** 난수를 만듭니다.

The GO-UP update is θ ← (1 − k)θ + α(θ − g + s·std(θ − g)·ε), ε ~ N(0, 1) (notebook 5). The kernel
never writes ε to memory: Philox is a *counter-based* generator — the numbers are a pure function of
(seed, offset, element index) — so each thread computes its own noise with no shared state. The NumPy
twin `philox.py` produces **bit-for-bit** the numbers the GPU does.

k = α 이면 θ − αg + α·s·std·ε: 경사 하강법에 가우스 잡음을 더한 것입니다. 쌍둥이로 확인합니다.
With k = α the update is θ − αg + α·s·std·ε: gradient descent plus Gaussian noise. Checked with the twin:
"""),
("code", """
rng = np.random.default_rng(1)
theta = rng.normal(size=10_000)
g = rng.normal(size=10_000)
alpha, s = 0.05, 0.5
std = ref.mean_std(theta - g)[1]
updated = theta.copy()
ref.goup_update(updated, g, alpha=alpha, k=alpha, s=s, std=std, seed=7, offset=0)
eps = philox.normal(theta.size, seed=7, offset=0, dtype=theta.dtype)
sgd_plus_noise = theta - alpha * g + alpha * s * std * eps
print(f"max |GO-UP − (SGD + noise)| = {np.max(np.abs(updated - sgd_plus_noise)):.1e}")
assert np.allclose(updated, sgd_plus_noise)
"""),
("code", """
normals = philox.normal(200_000, seed=2024, offset=0, dtype=np.float64)
print(f"mean {normals.mean():+.4f}, std {normals.std():.4f}, max |n| {np.abs(normals).max():.2f} "
      f"(Box–Muller on 23-bit uniforms never goes past 5.77)")
grid = np.linspace(-5, 5, 201)
figure, ax = plt.subplots(figsize=(6.5, 3.6))
ax.hist(normals, bins=100, density=True, color="tab:green", alpha=0.6, label="Philox + Box–Muller")
ax.plot(grid, np.exp(-grid ** 2 / 2) / np.sqrt(2 * np.pi), "k-", label="N(0, 1)")
ax.set_title("커널이 스레드 안에서 만드는 잡음 / the noise the kernel makes in each thread")
ax.legend()
plt.show()
"""),
("md", """
## 4. 대역폭 / Bandwidth

메모리가 병목이면 커널의 성적표는 **유효 대역폭** = (옮겨야 하는 최소 바이트) / (걸린 시간) 입니다. 최소
바이트는 위에서 센 "합친 패스 × 배열 크기"입니다. 그냥 복사(`copy`: 읽기 1 + 쓰기 1)의 대역폭이 현실적인
상한입니다.

먼저 CPU 에서 NumPy 쌍둥이를 같은 잣대로 재 봅니다. NumPy 는 연산마다 배열 전체를 오가므로, 최소
바이트로 계산한 유효 대역폭이 복사보다 훨씬 낮게 나옵니다. 이 차이가 곧 합치기로 얻을 수 있는 몫입니다.

When memory is the bottleneck, a kernel's score is its **effective bandwidth** = (the least bytes it
must move) / (time). The least bytes are the fused passes counted above times the array size. A plain
copy (one read, one write) is the realistic ceiling. First the NumPy twins on the CPU, by the same
measure: NumPy goes over memory once per operation, so its effective bandwidth falls far below a
copy's. The gap is what fusing can win.
"""),
("code", """
def best_seconds(run, repeats=5):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)

N = 1 << 21                     # 2M float32 = 8 MB per array: quick on a shared CPU
cpu = np.random.default_rng(2)
x32, g32 = cpu.standard_normal(N, dtype=np.float32), cpu.standard_normal(N, dtype=np.float32)
m32, v32 = np.zeros(N, np.float32), np.zeros(N, np.float32)
out32 = np.empty_like(x32)
array_bytes = N * 4

cpu_cases = [
    ("copy", 2, lambda: np.copyto(out32, x32)),
    ("SGD + momentum", 5, lambda: ref.sgd_momentum_update(out32, m32, g32, lr=0.1, momentum=0.9, weight_decay=1e-4)),
    ("Adam", 7, lambda: ref.adam_update(out32, m32, v32, g32, **hyper)),
]
print(f"CPU, NumPy twins, n = {N:,} float32")
print(f"{'':<26}{'time':>10}{'GB/s (least bytes / time)':>28}")
cpu_bandwidth = {}
for name, passes, run in cpu_cases:
    seconds = best_seconds(run)
    cpu_bandwidth[name] = passes * array_bytes / seconds / 1e9
    print(f"{name:<26}{seconds * 1e3:>8.2f} ms{cpu_bandwidth[name]:>28.1f}")
"""),
("md", """
SGD 는 곱셈과 덧셈뿐이고 Adam 은 거기에 제곱근 하나를 더할 뿐이니, 복사와의 차이 대부분은 배열을 여러 번
오가는 비용입니다.
SGD is only multiplies and adds, and Adam adds one square root, so most of the gap to the copy is the
repeated trips through memory.

### GPU 에서 / On the GPU

아래 셀은 CuPy 와 CUDA 장치가 있을 때만 실행됩니다: 각 커널이 쌍둥이와 같은 답을 내는지 확인하고,
CUDA 이벤트로 시간을 재서 유효 대역폭을 복사와 비교합니다. 메모리에 묶인 커널이라면 복사에 가까워야 합니다.

The cells below run only with CuPy and a CUDA device: each kernel is checked against its twin, then
timed with CUDA events; its effective bandwidth is compared with a copy's. A memory-bound kernel
done right comes close to the copy.
"""),
("code", """
if not HAVE_GPU:
    print(f"건너뜀 / skipped: {GPU_NOTE}")
else:
    import cupy as cp
    n = 1_000_003
    theta, m, v, g = (np.random.default_rng(i).normal(size=n).astype(np.float32) for i in range(4))
    v = np.abs(v)
    on_gpu = [cp.asarray(a) for a in (theta, m, v)]
    on_cpu = [a.copy() for a in (theta, m, v)]
    K.adam_update(*on_gpu, cp.asarray(g), **hyper)
    ref.adam_update(*on_cpu, g, **hyper)
    print(f"adam: max |kernel − twin| = {np.max(np.abs(cp.asnumpy(on_gpu[0]) - on_cpu[0])):.1e} (θ)")
"""),
("code", """
if not HAVE_GPU:
    print(f"건너뜀 / skipped: {GPU_NOTE}")
else:
    def gpu_seconds(run, repeats=20):
        run()                                   # the first call compiles the kernel
        start, stop = cp.cuda.Event(), cp.cuda.Event()
        start.record()
        for _ in range(repeats):
            run()
        stop.record()
        stop.synchronize()
        return cp.cuda.get_elapsed_time(start, stop) / 1e3 / repeats

    n = 1 << 26                                 # 64M float32 = 256 MB per array
    xg, gg = cp.random.standard_normal(n, dtype=cp.float32), cp.random.standard_normal(n, dtype=cp.float32)
    outg, mg, vg = cp.empty_like(xg), cp.zeros_like(xg), cp.zeros_like(xg)
    gpu_cases = [
        ("copy", 2, lambda: cp.copyto(outg, xg)),
        ("SGD + momentum", 5, lambda: K.sgd_momentum_update(outg, mg, gg, lr=0.1, momentum=0.9, weight_decay=1e-4)),
        ("Adam", 7, lambda: K.adam_update(outg, mg, vg, gg, **hyper)),
    ]
    print(f"{GPU_NOTE}, n = {n:,} float32")
    print(f"{'':<26}{'time':>10}{'GB/s':>10}{'× copy':>8}")
    copy_bandwidth = None
    for name, passes, run in gpu_cases:
        seconds = gpu_seconds(run)
        bandwidth = passes * n * 4 / seconds / 1e9
        copy_bandwidth = copy_bandwidth or bandwidth
        print(f"{name:<26}{seconds * 1e3:>8.3f} ms{bandwidth:>10.0f}{bandwidth / copy_bandwidth:>8.2f}")
"""),
("md", """
### 정리 / Summary

- 커널은 스레드 하나의 일을 적은 함수이고, 수만 개의 스레드가 그것을 동시에 실행합니다.
  A kernel is one thread's work; tens of thousands of threads run it at once.
- 원소별 연산은 메모리에 묶여 있으므로, 빨라지려면 배열을 덜 오가야 합니다: 연산을 하나의 커널로 합칩니다.
  Elementwise work is memory-bound: to speed it up, move the arrays fewer times — fuse the steps into one kernel.
- 합친 커널의 성적표는 유효 대역폭이고, 복사의 대역폭이 그 상한입니다.
  A fused kernel is scored by its effective bandwidth, with a plain copy as the ceiling.
- 미분은 레지스트리에만 있습니다: 커널은 미분 공식을 따로 갖지 않습니다.
  Derivatives live in the registry only: no kernel carries a derivative formula of its own.
- NumPy 쌍둥이가 명세입니다: 같은 이름, 같은 인자, 같은 답(Philox 난수는 비트까지).
  The NumPy twins are the specification: same names, same arguments, same answers (Philox bit for bit).
"""),
]
