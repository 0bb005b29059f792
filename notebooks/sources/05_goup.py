CELLS = [
("md", """
# 5. GO-UP: 경사하강법에 잡음을 더한 것 / GO-UP: gradient descent plus noise

한 한국어 블로그 글이 GO-UP 이라는 갱신식을 내놓으며 "옵티마이저도, 경사하강법도, 역전파도 없이"
신경망이 학습된다고 주장했습니다. 근거는 두 가지였습니다: 갱신식이 Ornstein–Uhlenbeck 과정처럼
생겼다는 것, 그리고 αθ − α·∂L/∂θ 의 히스토그램이 가우시안처럼 보인다는 것. 글 스스로도 단서를 붙였습니다:
"경사하강법이 없다"면서 "SGD 기반이긴 합니다만" 이라 하고, OU 해석은 "(엄밀하지는 않은) 수학적 원리" 라
부르며, 한 단계에서는 "이유는 묻지 말고" 넘어가자고 합니다. 이 노트북에서는 그 식을 글대로 구현한
`optim.GOUP` 으로 주장을 하나씩 확인합니다 (한 가지 다른 점, 표준편차는 1 절에). 식을 전개하고, 글의 그림을 우리
신경망으로 다시 그리고, 예측한 값과 잰 값을 나란히 놓습니다.

A Korean blog post presented an update rule, GO-UP, and claimed that a network learns with it
"with no optimizer, no gradient descent, no backpropagation". Its evidence: the update looks like an
Ornstein–Uhlenbeck process, and a histogram of αθ − α·∂L/∂θ looks Gaussian. The post hedges itself:
"no gradient descent", yet "SGD 기반이긴 합니다만" (it is SGD-based after all); the OU reading is a
"(엄밀하지는 않은) 수학적 원리" (a mathematical principle, not rigorous); and at one step the reader is to
go on "이유는 묻지 말고" (without asking why). Here we check the claims one by one with `optim.GOUP`, which
implements the post's formula with one difference (the standard deviation, section 1): we expand the algebra,
redraw the post's figure on our own network, and put predictions next to measurements.

순서 / Contents
1. 글에 적힌 갱신식 / the update as written
2. 전개하면: 경사하강법 + 가우시안 잡음 / the algebra: gradient descent plus Gaussian noise
3. 글의 그림은 왜 가우시안처럼 보이나 / why the post's figure looks Gaussian
4. 가중치의 퍼짐이 매 스텝 √(1+α²) 배로 / the weights' spread grows by √(1+α²) per step
5. 작은 비교: SGD, NoisySGD, GO-UP / a small comparison
6. 정말로 역전파 없이: 순방향 기울기 / truly without backpropagation: the forward gradient
7. 정리 / what we found
"""),
("code", """
%matplotlib inline
import inspect
import pathlib
import tempfile

import numpy as np
import matplotlib.pyplot as plt
from tinygrad_ko.tools.figures import use_figure_fonts
from IPython.display import Image, display

from tinygrad_ko import Tensor, nn
from tinygrad_ko.data import digits
from tinygrad_ko.optim import GOUP, SGD, ForwardGradient
from tinygrad_ko.tools.cost import count_ops
from tinygrad_ko.train import (fit, single_blas_thread, update_parts, update_statistics,
                               plot_gaussian_check, loss_of_parameters)
from tinygrad_ko.optim import build_optimizer

use_figure_fonts()   # ∂ ² ∇ 는 DejaVu Sans, 한글은 한글 글꼴에서 / math from DejaVu Sans, Hangul from a Korean font
FIGURES = pathlib.Path(tempfile.gettempdir()) / "tinygrad_ko_notebook5"   # 그림 파일을 둘 곳 / where figure files go

train_data, test_data = digits("train"), digits("test")
print("digits:", train_data[0].shape, "train,", test_data[0].shape, "test")
"""),
("md", """
## 1. 글에 적힌 갱신식 / The update as written

파라미터 텐서 θ 마다, 손실의 기울기 g = ∂L/∂θ 로

$$\\theta \\leftarrow (1-\\alpha)\\,\\theta + \\alpha\\,\\big(\\theta - g + \\varepsilon\\cdot \\mathrm{std}(\\theta - g)\\big),
\\qquad \\varepsilon \\sim \\mathcal N(0, I)$$

- (1 − α)θ: θ 를 비율 α 로 "목표" 쪽으로 당기는 항 (Ornstein–Uhlenbeck 의 평균 회귀),
- 목표 θ − g + ε·std(θ − g): 한 걸음 내려간 자리에 잡음을 얹은 것,
- std(θ − g): 텐서 **전체**의 표준편차, 텐서마다 숫자 하나. ε 는 스텝마다 새로 뽑습니다.

`optim.GOUP` 은 이 식을 옮기되 한 가지가 다릅니다. 글은 std 를 PyTorch 의 `torch.std` 로 구하는데, 이것은
**표본** 표준편차(N − 1 로 나눔)입니다. 우리는 **모집단** 표준편차(N 으로 나눔, NumPy 의 `std`)를 씁니다:
텐서에 있는 값들의 퍼짐 그 자체이고, 원소가 하나뿐인 텐서에서도 정의되기 때문입니다 (글의 식은 0 으로
나눠 NaN, 우리 식은 0). 두 값의 비는 √(N/(N − 1)) 로, 편향 64 개에서 0.8 %, 가중치 4,096 개에서 0.01 % 입니다.
평균 회귀 비율 k 를 따로 둘 수 있지만 기본값은 글처럼 k = α 이고, 잡음 크기 σ 의 기본값은 1 입니다.
아래가 한 텐서를 갱신하는 코드 전부입니다.

For every parameter tensor θ with loss gradient g = ∂L/∂θ: (1 − α)θ pulls θ at rate α towards a
"target", the target is one step downhill plus noise, and std(θ − g) is the standard deviation over
the **whole** tensor, one number per tensor; ε is drawn afresh every step. `optim.GOUP` transcribes
the formula with one difference: the post's `torch.std` is the *sample* standard deviation (divided
by N − 1), ours the *population* one (divided by N, NumPy's `std`) — the spread of the values that are
there, and defined for a one-element tensor, where the post's update divides by zero and gives NaN
while ours gives 0. They differ by √(N/(N − 1)): 0.8 % for 64 biases, 0.01 % for 4,096 weights. (The
pull rate k can be set apart from α but defaults to k = α, as in the post; the noise
scale σ defaults to 1). Below is all the code that updates one tensor.
"""),
("code", """
print(inspect.getsource(GOUP.update))
"""),
("md", """
## 2. 전개하면: 경사하강법 + 가우시안 잡음 / The algebra

괄호를 풀어 봅시다 (s = std(θ − g)):

(1 − α)θ + α(θ − g + s·ε) = θ − αθ + αθ − αg + α·s·ε = **θ − α·g + α·s·ε**

θ 항이 서로 지워지고 남는 것은 **학습률 α 의 경사하강법 한 걸음에 등방성 가우시안 잡음 α·s·ε 를 더한 것**
입니다. 그리고 g 는 보통의 손실 기울기이므로 역전파로 구합니다. 즉 GO-UP 은 옵티마이저(갱신 규칙)이고,
경사하강법이고, 역전파를 씁니다. 글의 세 "없음"이 모두 식 안에 들어 있습니다.

숫자로 확인합니다. 같은 배치의 기울기로 (가) `GOUP` 한 스텝, (나) 손으로 쓴 SGD 한 걸음 θ − αg 에 같은
시드로 뽑은 같은 잡음 α·s·ε 를 더한 것을 비교합니다. ε 는 `GOUP` 과 똑같이 파라미터 순서대로,
파라미터의 dtype(float32)으로 뽑습니다.

Expanding the brackets, the θ terms cancel and what is left is θ − α·g + α·s·ε: **one gradient
descent step with learning rate α plus isotropic Gaussian noise**, and g is the ordinary loss
gradient, obtained by backpropagation. GO-UP is an optimizer, it is gradient descent, and it uses
backprop. Checked numerically: one `GOUP` step against a hand-written SGD step plus the same noise,
drawn from the same seed in the same order and dtype.
"""),
("code", """
alpha, seed = 0.05, 7
model = nn.MLP([64, 64, 10], rng=np.random.default_rng(0))
xb, yb = train_data[0][:32], train_data[1][:32]          # 한 배치 / one batch
loss = nn.cross_entropy(model(Tensor(xb)), yb)
loss.backward()                                          # g = ∂L/∂θ, 역전파로 / by backprop
params = model.parameters()
thetas = [p.numpy().copy() for p in params]
grads = [p.grad.numpy().copy() for p in params]

GOUP(params, lr=alpha, seed=seed).step()                 # (가) 글의 식 / the post's update
goup_result = [p.numpy().copy() for p in params]

rng = np.random.default_rng(seed)                        # (나) SGD 한 걸음 + 같은 잡음 / SGD step + same noise
by_hand = []
for theta, g in zip(thetas, grads):
    eps = rng.standard_normal(theta.shape, dtype=theta.dtype)
    by_hand.append(theta - alpha * g + alpha * (theta - g).std() * eps)

difference = max(np.abs(a - b).max() for a, b in zip(goup_result, by_hand))
rounding = np.spacing(np.float32(max(np.abs(t).max() for t in thetas)))   # float32 의 눈금 / float32 spacing
print(f"max |GO-UP − (SGD step + α·std(θ − g)·ε)| = {difference:.1e}  "
      f"(float32 spacing at the largest weight: {rounding:.1e})")
assert difference <= 4 * rounding
print("GO-UP step = SGD step + α·std(θ − g)·ε, to float32 rounding")
"""),
("md", """
차이는 float32 의 반올림 몇 눈금뿐입니다. 평균 회귀 비율 k 를 α 와 다르게 두면 −(k − α)·θ 가 더 생기는데,
이것은 SGD 의 가중치 감쇠(weight decay)와 같습니다. 잡음을 끄고(σ = 0) k = 2α 로 두면
`SGD(lr=α, weight_decay=1)` 과 (반올림 차이를 빼면) 같습니다.

The difference is a few float32 roundings. With k ≠ α an extra −(k − α)·θ appears, which is SGD's
weight decay: with the noise off (σ = 0) and k = 2α, GO-UP is `SGD(lr=α, weight_decay=1)` up to rounding.
"""),
("code", """
for p, theta, g in zip(params, thetas, grads):           # 같은 θ, 같은 g 에서 다시 / same θ and g again
    p.data[...] = theta
    p.grad = Tensor(g)
GOUP(params, lr=alpha, k=2 * alpha, noise_scale=0.0).step()
goup_k = [p.numpy().copy() for p in params]
for p, theta, g in zip(params, thetas, grads):
    p.data[...] = theta
    p.grad = Tensor(g)
SGD(params, lr=alpha, weight_decay=1.0).step()
difference = max(np.abs(a - p.numpy()).max() for a, p in zip(goup_k, params))
print(f"max |GO-UP(k = 2α, σ = 0) − SGD(weight_decay = 1)| = {difference:.1e}")
assert difference < 1e-6
"""),
("md", """
## 3. 글의 그림은 왜 가우시안처럼 보이나 / Why the post's figure looks Gaussian

글은 한 층의 αθ − α·∂L/∂θ 히스토그램을 그려 종 모양을 보이고, 그래서 갱신이 가우시안 과정이라고
결론 내립니다. 같은 그림을 우리 MLP(64-64-10, digits)의 첫 층 가중치로 그립니다: 초기화 직후,
SGD 로 30 에폭 뒤, GO-UP 으로 30 에폭 뒤 (α = 0.03, 시드 0 — `benchmarks/goup_experiment.py` 의
그림과 같은 설정). 패널마다 맞춘 가우시안(빨간 선)과 정규성 통계를 적었습니다: 왜도, 초과 첨도
(가우시안이면 0, 균등분포면 −1.2), Kolmogorov–Smirnov 거리 D 와 Lilliefors 5 % 임계값.

The post draws a histogram of αθ − α·∂L/∂θ for one layer, sees a bell, and concludes that the update
is a Gaussian process. We redraw it for the first layer of our MLP: at initialisation, after 30
epochs of SGD and after 30 epochs of GO-UP (α = 0.03, seed 0: the setting of the benchmark's
figure), with the fitted Gaussian and normality statistics (skewness, excess kurtosis — 0 for a
Gaussian, −1.2 for a uniform — and the Kolmogorov–Smirnov distance against Lilliefors' 5 % value).
"""),
("code", """
alpha, epochs = 0.03, 30
panels = []
with single_blas_thread():
    for name in ("sgd", "goup"):
        model = nn.MLP([64, 64, 10], rng=np.random.default_rng(0))
        optimizer, _ = build_optimizer(name, model.parameters(), alpha, seed=0)
        last_step = epochs * 43 - 1                      # 43 배치 / batches per epoch

        def capture(step, model, name=name):
            if step == 0 and name == "sgd":
                panels.append(("at initialisation", *update_parts(model[0].weight, alpha)))
            if step == last_step:
                panels.append((f"after {epochs} epochs of {name}", *update_parts(model[0].weight, alpha)))

        history = fit(model, optimizer, train_data, test_data, epochs=epochs, seed=0,
                      progress=False, before_update=capture)
        print(f"{name:>4}, α = {alpha}: test accuracy {history.test_accuracy[-1]:.1%}")

path = plot_gaussian_check(panels, FIGURES / "goup_gaussian_check.png",
                           f"αθ − α·∂L/∂θ, first layer, α = {alpha} (the GO-UP post's figure)")
display(Image(filename=str(path)))
"""),
("md", """
세 번째 패널만 가우시안입니다. 이유는 αθ − αg 의 분산이 어디서 오는지 보면 보입니다:
Var(αθ − αg) = Var(αθ) + Var(αg) − 2·Cov(αθ, αg). 아래 표는 각 항이 전체에서 차지하는 몫입니다.

Only the third panel is Gaussian. Where the variance of αθ − αg comes from tells why:
Var(αθ − αg) = Var(αθ) + Var(αg) − 2·Cov(αθ, αg); the table gives each term's share.
"""),
("code", """
print(f"{'':<26}{'Var(αθ)':>8}{'Var(αg)':>8}{'−2Cov':>7}{'kurtosis':>9}{'KS D':>7}{'5% crit.':>9}  verdict")
gaussian = {}
for label, scaled_theta, scaled_grad in panels:
    total = np.var(scaled_theta - scaled_grad)                # Var(αθ − αg)
    share_theta, share_grad = np.var(scaled_theta) / total, np.var(scaled_grad) / total
    stats = update_statistics(scaled_theta, scaled_grad)
    gaussian[label] = stats["ks_distance"] < stats["ks_critical_5pct"]
    print(f"{label:<26}{share_theta:>8.1%}{share_grad:>8.1%}{1 - share_theta - share_grad:>+7.1%}"
          f"{stats['excess_kurtosis']:>+9.2f}{stats['ks_distance']:>7.3f}{stats['ks_critical_5pct']:>9.3f}  "
          f"{'Gaussian-like' if gaussian[label] else 'not Gaussian'}")
    assert share_theta > 0.95 and share_grad < 0.05
assert list(gaussian.values()) == [False, False, True]      # 초기화, SGD 뒤: 아님; GO-UP 뒤: 가우시안
print("αθ − α·∂L/∂θ is mostly αθ: the histogram shows the weights, not the gradient")
"""),
("md", """
분산의 95 % 이상이 αθ 에서 옵니다. 그러니 히스토그램은 **가중치 자신의 분포**를 보여 줄 뿐입니다.
초기화 직후에는 He 균등분포라 평평하고(첨도 ≈ −1.1), SGD 로 학습한 뒤에도 여전히 평평하며 KS 검정이
가우시안을 기각합니다. GO-UP 으로 학습한 뒤에만 종 모양인데, 그건 GO-UP 이 매 스텝 가중치에 가우시안
잡음을 더해 왔기 때문입니다. 종 모양은 방법의 **결과**이지, 방법이 옳다는 **증거**가 아닙니다.

More than 95 % of the variance comes from αθ, so the histogram shows **the weights' own
distribution**: flat at initialisation (He uniform, kurtosis ≈ −1.1), still flat after SGD (the KS
test rejects a Gaussian), bell-shaped only after GO-UP, because GO-UP has been adding Gaussian noise
to the weights every step. The bell is a **product** of the method, not **evidence** for it.
"""),
("md", """
## 4. 가중치의 퍼짐이 매 스텝 √(1+α²) 배로 / The spread grows by √(1+α²) per step

GO-UP 의 잡음 α·std(θ − g)·ε 는 고정된 크기가 아니라 **가중치 자신의 퍼짐에 비례**합니다. 기울기가
하는 일이 작다면 (std(θ − g) ≈ std(θ)), 독립인 잡음의 분산이 더해지므로

Var(θ_new) ≈ Var(θ) + α²·Var(θ) = (1 + α²)·Var(θ)   ⇒   std(θ) 가 매 스텝 √(1 + α²) 배

T 스텝 뒤에는 (1 + α²)^(T/2) 배입니다. 퍼짐이 커지면 잡음도 커지는 되먹임이라 기하급수로 자랍니다.
비교를 위해 `NoisySGD` 는 첫 스텝의 GO-UP 잡음 크기 s = α·std(θ₀ − g₀) 를 **고정**해 씁니다.
그러면 분산은 스텝마다 같은 양이 더해져 선형으로 자라고, std 는 √(1 + T·α²) 배쯤입니다.
α = 0.1 로 5 에폭(215 스텝) 동안 첫 층 가중치의 std 를 매 스텝 기록해 예측과 비교합니다.

GO-UP's noise α·std(θ − g)·ε is not a fixed size: it is **proportional to the weights' own spread**.
If the gradient does little (std(θ − g) ≈ std(θ)), independent noise adds its variance, so
Var(θ) grows by (1 + α²) per step, std(θ) by √(1 + α²), and after T steps by (1 + α²)^(T/2): a
feedback loop, hence geometric growth. `NoisySGD`, the control, fixes the noise at GO-UP's
first-step size α·std(θ₀ − g₀); its variance grows linearly and std(θ) by about √(1 + T·α²).
We record std of the first layer's weight at every step for 5 epochs (215 steps) at α = 0.1.
"""),
("code", """
alpha, epochs = 0.1, 5
spreads = {}                                             # std(W₁) / std(W₁ at the start), step by step
with single_blas_thread():
    for name in ("goup", "sgd-noise", "sgd"):
        model = nn.MLP([64, 64, 10], rng=np.random.default_rng(0))
        optimizer, _ = build_optimizer(name, model.parameters(), alpha, seed=0)
        trace = []

        def record(step, model):                         # 갱신 직전마다 / before every update
            trace.append(model[0].weight.numpy().std())

        fit(model, optimizer, train_data, test_data, epochs=epochs, seed=0, progress=False,
            before_update=record)
        trace.append(model[0].weight.numpy().std())
        spreads[name] = np.array(trace) / trace[0]

steps = len(spreads["goup"]) - 1
predicted_goup = (1 + alpha ** 2) ** (steps / 2)
predicted_fixed = np.sqrt(1 + steps * alpha ** 2)
print(f"T = {steps} steps at α = {alpha}: std(W₁) grew")
print(f"  GO-UP     ×{spreads['goup'][-1]:.2f}   predicted (1 + α²)^(T/2) = ×{predicted_goup:.2f}")
print(f"  NoisySGD  ×{spreads['sgd-noise'][-1]:.2f}   predicted √(1 + T·α²)   = ×{predicted_fixed:.2f}")
print(f"  SGD       ×{spreads['sgd'][-1]:.2f}")
per_step = spreads["goup"][-1] ** (1 / steps)
print(f"GO-UP per step: measured ×{per_step:.4f} (geometric mean), "
      f"predicted √(1 + α²) = ×{np.sqrt(1 + alpha ** 2):.4f}")
assert abs(spreads["goup"][-1] / predicted_goup - 1) < 0.1
assert spreads["sgd"][-1] < spreads["sgd-noise"][-1] < spreads["goup"][-1]

t = np.arange(steps + 1)
figure, ax = plt.subplots(figsize=(7, 3.8))
ax.plot(t, spreads["goup"], color="tab:red", label="GO-UP (measured)")
ax.plot(t, (1 + alpha ** 2) ** (t / 2), "k--", linewidth=1, label="(1 + α²)^(t/2)")
ax.plot(t, spreads["sgd-noise"], color="tab:orange", label="NoisySGD (measured)")
ax.plot(t, np.sqrt(1 + t * alpha ** 2), "k:", linewidth=1, label="√(1 + t·α²)")
ax.plot(t, spreads["sgd"], color="tab:blue", label="SGD (measured)")
ax.set(xlabel="step t", ylabel="std(W₁) / std(W₁ at t = 0)",
       title=f"첫 층 가중치의 퍼짐 / spread of the first layer's weights, α = {alpha}")
ax.legend(fontsize=8)
plt.show()
"""),
("md", """
잰 값이 예측을 거의 그대로 따릅니다 (기울기가 퍼짐을 조금 더 키워 약간 위에 있습니다). 기울기는 이
성장을 막지 못합니다. 215 스텝에서는 ×3 이지만, 30 에폭(1,290 스텝)이면 예측 ×613, 벤치마크에서 잰 값
×588 입니다. 가중치가 수백 배로 퍼진 신경망은 제대로 분류하지 못합니다. α 를 작게 하면 성장은 느려지지만
그만큼 학습도 느려집니다: GO-UP 에서 학습률과 잡음 크기는 한 숫자 α 로 묶여 있습니다.

The measurement follows the prediction closely (slightly above it: the gradient adds a little spread
of its own). The gradient does not hold the growth back. Over 215 steps it is ×3; over 30 epochs
(1,290 steps) the prediction is ×613 and the benchmark measured ×588. A network whose weights have
spread out several hundredfold no longer classifies well. A smaller α slows the growth, and the
learning with it: in GO-UP the learning rate and the noise size are tied to the one number α.
"""),
("md", """
## 5. 작은 비교: SGD, NoisySGD, GO-UP / A small comparison

같은 신경망, 같은 배치 순서, 같은 시드로 세 방법을 두 학습률에서 10 에폭씩 돌립니다 (시드 0, 1).
NoisySGD 는 "잡음 자체"의 효과와 "가중치와 함께 커지는 잡음"의 효과를 가르는 대조군입니다.

The same network, batch order and seeds for the three methods at two learning rates, 10 epochs,
seeds 0 and 1. NoisySGD separates the effect of noise as such from that of noise that grows with
the weights.
"""),
("code", """
epochs, seeds, methods, rates = 10, (0, 1), ("sgd", "sgd-noise", "goup"), (0.03, 0.1)
final, curves = {}, {}
with single_blas_thread():
    for alpha in rates:
        for name in methods:
            histories = []
            for seed in seeds:
                model = nn.MLP([64, 64, 10], rng=np.random.default_rng(seed))
                optimizer, _ = build_optimizer(name, model.parameters(), alpha, seed=seed)
                histories.append(fit(model, optimizer, train_data, test_data, epochs=epochs, seed=seed,
                                     progress=False))
            final[name, alpha] = [h.test_accuracy[-1] for h in histories]
            curves[name, alpha] = np.mean([h.test_accuracy for h in histories], axis=0)

print(f"test accuracy after {epochs} epochs")
print(f"{'method':<10}{'α':>6}{'seed 0':>9}{'seed 1':>9}{'mean':>9}")
for alpha in rates:
    for name in methods:
        a = final[name, alpha]
        print(f"{name:<10}{alpha:>6}{a[0]:>9.1%}{a[1]:>9.1%}{np.mean(a):>9.1%}")
assert np.mean(final["goup", 0.1]) < np.mean(final["sgd", 0.1]) - 0.1

figure, axes = plt.subplots(1, 2, figsize=(10, 3.6), sharey=True)
for ax, alpha in zip(axes, rates):
    for name, color in zip(methods, ("tab:blue", "tab:orange", "tab:red")):
        ax.plot(np.arange(1, epochs + 1), 100 * curves[name, alpha], "o-", markersize=3, color=color, label=name)
    ax.set(title=f"α = {alpha}", xlabel="epoch", ylim=(0, 100))
    ax.grid(alpha=0.3)
axes[0].set_ylabel("test accuracy % (mean of 2 seeds)")
axes[1].legend(loc="lower right")
plt.show()
"""),
("md", """
α = 0.03 에서는 세 방법이 비슷하고, α = 0.1 에서는 GO-UP 만 크게 무너집니다 (두 시드 평균 약 60 % 대
SGD 약 95 %). 시드 둘, 10 에폭은 작은 표본이라 시드 사이 차이도 큽니다. 더 긴 실험이 아래에 있습니다.

At α = 0.03 the three methods are close; at α = 0.1 GO-UP alone collapses (about 60 % against SGD's
95 %, mean of two seeds). Two seeds and 10 epochs are a small sample, and the seeds differ a lot;
the longer experiment follows.

### 전체 실험 / The full experiment

아래 표는 `python benchmarks/goup_experiment.py` 로 잰 것입니다 (30 에폭 = 1,290 스텝, 시드 5 개,
digits, MLP 64-64-10, 배치 32; `benchmarks/RESULTS.md` 의 GO-UP 절에서 옮김). goup-fwd 는 아래 6 절의
역전파 없는 GO-UP 입니다 (K = 16 방향).

The table below was measured by `python benchmarks/goup_experiment.py` (30 epochs = 1,290 steps,
five seeds, digits, MLP 64-64-10, batch 32; copied from the GO-UP section of `benchmarks/RESULTS.md`).
goup-fwd is the backprop-free GO-UP of section 6 (K = 16 directions).

| method | lr α | test accuracy % (mean ± std) | CPU s / run | ms / step | std(W₁) growth (GO-UP: predicted (1+α²)^(T/2)) |
|---|---|---|---|---|---|
| sgd | 0.01 | 91.7 ± 0.5 | 1.1 | 0.83 | ×1.06 |
| sgd-noise | 0.01 | 91.6 ± 1.3 | 1.1 | 0.83 | ×1.11 |
| goup | 0.01 | 91.4 ± 1.1 | 1.1 | 0.82 | ×1.12 (pred. ×1.07) |
| sgd | 0.03 | 95.3 ± 0.4 | 0.8 | 0.63 | ×1.12 |
| sgd-noise | 0.03 | 94.2 ± 0.8 | 1.0 | 0.74 | ×1.53 |
| goup | 0.03 | 90.4 ± 1.6 | 1.1 | 0.89 | ×1.89 (pred. ×1.79) |
| sgd | 0.05 | 96.0 ± 0.5 | 0.9 | 0.71 | ×1.15 |
| sgd-noise | 0.05 | 93.2 ± 1.1 | 1.0 | 0.80 | ×2.11 |
| goup | 0.05 | 71.8 ± 4.2 | 1.2 | 0.95 | ×5.14 (pred. ×5.01) |
| sgd | 0.1 | 96.4 ± 0.3 | 1.0 | 0.76 | ×1.2 |
| sgd-noise | 0.1 | 88.4 ± 6.7 | 1.0 | 0.79 | ×3.76 |
| goup | 0.1 | 39.9 ± 4.8 | 1.2 | 0.91 | ×588 (pred. ×613) |
| sgd | 0.5 | 97.4 ± 0.3 | 0.9 | 0.73 | ×1.42 |
| sgd-noise | 0.5 | 86.6 ± 2.0 | 1.0 | 0.75 | ×17.9 |
| goup | 0.5 | diverged (5/5) | 0.3 | 0.82 | overflow (pred. ×3.21e+62) |
| goup-fwd | 0.01 | 90.8 ± 0.9 | 17.0 | 13.16 | ×1.37 (pred. ×1.07) |
| goup-fwd | 0.03 | 50.6 ± 6.0 | 18.2 | 14.12 | ×16.3 (pred. ×1.79) |

읽는 법: α = 0.01 에서는 잡음이 너무 작아 GO-UP 이 SGD 와 같습니다. 그보다 크면 GO-UP 은 정확도를 잃기만
하고 (0.05 에서 71.8 vs 96.0 %, 0.1 에서 39.9 vs 96.4 %, 0.5 에서 발산), SGD 는 α = 0.5 까지 계속
좋아집니다 (97.4 %). 고정 크기 잡음(sgd-noise)은 훨씬 덜 해롭지만 어느 학습률에서도 SGD 를 넘지 못합니다.

Reading: at α = 0.01 the noise is too small to matter and GO-UP equals SGD; above, GO-UP only loses
accuracy (71.8 vs 96.0 % at 0.05, 39.9 vs 96.4 % at 0.1, divergence at 0.5) while SGD keeps improving
up to α = 0.5 (97.4 %). Fixed-size noise (sgd-noise) hurts much less but beats SGD nowhere.
"""),
("md", """
## 6. 정말로 역전파 없이: 순방향 기울기 / Truly without backpropagation: the forward gradient

GO-UP 의 g 를 역전파 없이 구할 수도 있습니다. 순방향 모드(2 번 노트북)는 한 번의 패스로 방향 미분
∇L·v 를 줍니다. 무작위 방향 v ~ N(0, I) 에 그 값을 곱하면

ĝ = (∇L·v)·v,   E[ĝ] = E[v vᵀ]·∇L = ∇L

평균이 정확히 기울기인 추정값이 됩니다 (Baydin et al., 2022, "Gradients without backpropagation").
`optim.ForwardGradient(K)` 는 K 개 방향의 평균을 `.grad` 에 넣습니다. 그래프도 테이프도 없고 VJP 규칙은
한 번도 돌지 않습니다. 대가는 잡음입니다: 파라미터가 n 개이면 E‖ĝ‖² = (1 + (n+1)/K)·‖∇L‖² 이고
ĝ 와 ∇L 사이 코사인은 약 √(K / (K + n + 1)) 입니다. 한 배치에서 역전파로 구한 참 기울기와 비교합니다.

GO-UP's g can also be had without backprop. Forward mode (notebook 2) gives the directional
derivative ∇L·v in one pass; times a random direction v ~ N(0, I) this is an estimate whose mean is
exactly the gradient. `optim.ForwardGradient(K)` puts the average over K directions into `.grad`: no
graph, no tape, no VJP rule ever runs. The price is noise: with n parameters,
E‖ĝ‖² = (1 + (n+1)/K)·‖∇L‖², and the cosine between ĝ and ∇L is about √(K / (K + n + 1)).
Compared on one batch with the true gradient from backprop:
"""),
("code", """
model = nn.MLP([64, 64, 10], rng=np.random.default_rng(0))
params = model.parameters()
n = sum(p.data.size for p in params)
xb, yb = Tensor(train_data[0][:32]), train_data[1][:32]
nn.cross_entropy(model(xb), yb).backward()
true_grad = np.concatenate([p.grad.numpy().ravel() for p in params])

print(f"n = {n:,} parameters")
print(f"{'K':>5}{'cos(ĝ, g)':>11}{'predicted':>11}{'‖ĝ‖/‖g‖':>10}{'predicted':>11}")
with single_blas_thread():
    for K in (16, 256, 1024):
        model.zero_grad()
        ForwardGradient(K, seed=0)(loss_of_parameters(model, xb, yb), params)
        estimate = np.concatenate([p.grad.numpy().ravel() for p in params])
        cosine = estimate @ true_grad / (np.linalg.norm(estimate) * np.linalg.norm(true_grad))
        ratio = np.linalg.norm(estimate) / np.linalg.norm(true_grad)
        predicted = np.sqrt(K / (K + n + 1))
        print(f"{K:>5}{cosine:>11.3f}{predicted:>11.3f}{ratio:>10.1f}{np.sqrt(1 + (n + 1) / K):>11.1f}")
        assert abs(cosine / predicted - 1) < 0.3
"""),
("md", """
K = 16 이면 ĝ 는 참 기울기보다 17 배쯤 길고 방향은 거의 직각입니다. 평균은 맞으니 학습률을 작게 하면
여러 스텝에 걸쳐 잡음이 평균되어 학습이 됩니다. 이제 GO-UP 을 두 가지로 돌리고 `count_ops` 로 패스를
셉니다: 역전파 기울기(goup)와 K = 16 순방향 기울기(goup-fwd), 둘 다 α = 0.01.

With K = 16, ĝ is about 17 times longer than the gradient and nearly orthogonal to it; its mean is
right, so with a small learning rate the noise averages out over many steps. Now GO-UP both ways,
with the passes counted by `count_ops`: backprop gradient (goup) and K = 16 forward gradient
(goup-fwd), both at α = 0.01.
"""),
("code", """
alpha, epochs, K = 0.01, 6, 16
runs = {}
with single_blas_thread():
    for name in ("goup", "goup-fwd"):
        model = nn.MLP([64, 64, 10], rng=np.random.default_rng(0))
        optimizer, gradient = build_optimizer(name, model.parameters(), alpha, seed=0, directions=K)
        with count_ops() as counts:
            history = fit(model, optimizer, train_data, test_data, epochs=epochs, seed=0,
                          gradient=gradient, progress=False)
        runs[name] = history, counts

print(f"{epochs} epochs at α = {alpha}  (times taken with count_ops watching every operation)")
print(f"{'':<9}{'steps':>6}{'forward-mode passes':>21}{'backward passes':>17}{'VJP rule calls':>16}"
      f"{'test acc.':>11}{'ms / step':>11}")
for name, (history, counts) in runs.items():
    steps = len(history.step_loss)
    print(f"{name:<9}{steps:>6}{counts.forward_passes:>21,}{counts.backward_passes:>17,}"
          f"{counts.calls('vjp'):>16,}{history.test_accuracy[-1]:>11.1%}{1000 * history.seconds / steps:>11.1f}")
history, counts = runs["goup-fwd"]
assert counts.backward_passes == 0 and counts.calls("vjp") == 0
assert counts.forward_passes == K * len(history.step_loss) == history.passes["jvp"]
print(f"goup-fwd: {counts.backward_passes} backward passes, {counts.calls('vjp')} VJP rule calls, "
      f"{counts.forward_passes:,} forward-mode passes = {K} per step")
"""),
("md", """
goup-fwd 는 글의 "역전파 없음"을 **문자 그대로** 참으로 만듭니다: 역방향 패스 0 번, VJP 규칙 호출 0 번.
그래도 학습은 됩니다. 하지만 스텝마다 순방향 패스 16 번이라 훨씬 느리고, 같은 스텝 수에서 뒤처집니다
(전체 실험: 30 에폭 뒤 90.8 %, 역전파 GO-UP 과 같은 α 에서 같은 수준, 스텝당 약 16 배의 시간).
α = 0.03 이면 실패합니다 (50.6 %): ĝ 의 잡음이 std(θ − ĝ) 를 부풀리고, 그만큼 GO-UP 자신의 잡음도 커져
가중치 퍼짐이 ×1.9 대신 ×16 으로 자랍니다. 역전파가 없는 것은 GO-UP 식 덕분이 아니라 순방향 모드
덕분이고, 같은 추정값은 잡음 없는 SGD 에도 그대로 쓸 수 있습니다.

goup-fwd makes "no backpropagation" **literally** true: zero reverse passes, zero VJP rule calls, and
it still learns. But 16 forward passes per step make it much slower, and it lags behind per step
(full experiment: 90.8 % after 30 epochs, on par with backprop GO-UP at the same α, at about 16× the
time per step). At α = 0.03 it fails (50.6 %): the noise in ĝ inflates std(θ − ĝ), and with it
GO-UP's own noise, so the weights spread ×16 instead of ×1.9. The missing backward pass is owed to
forward mode, not to the GO-UP formula; the same estimate would drive plain SGD just as well.
"""),
("md", """
## 7. 정리 / What we found

GO-UP 의 식은 전개하면 θ − α·g + α·std(θ − g)·ε, 곧 **역전파로 구한 기울기로 하는 경사하강법에 가우시안
잡음을 더한 것**입니다. "옵티마이저도, 경사하강법도, 역전파도 없다"는 말은 이 식에 맞지 않습니다. 글의
가우시안 그림은 대부분 αθ 를 보여 주며, GO-UP 이 가중치에 넣은 잡음 때문에 종 모양이 됩니다. 잡음이
가중치의 퍼짐에 비례하므로 퍼짐이 매 스텝 √(1+α²) 배로 자라고, 그 예측은 측정과 맞습니다. 그 결과 잡음이
무시할 만한 작은 α 에서는 SGD 와 같고, 그보다 크면 SGD 보다 나쁩니다. 우리 측정에서 GO-UP 이 SGD 를
이긴 설정은 없습니다. 역전파 없이 학습하는 것 자체는 가능하지만 (순방향 기울기), 그것은 다른 아이디어이고
값이 비쌉니다. 이 결론은 작은 MLP 와 digits, 한정된 학습률과 시드에서의 측정입니다. 다른 설정에서 다시
재 보는 것은 언제든 환영합니다: `python benchmarks/goup_experiment.py --help`.

Expanded, GO-UP is θ − α·g + α·std(θ − g)·ε: **gradient descent with a backpropagated gradient plus
Gaussian noise**; "no optimizer, no gradient descent, no backpropagation" does not describe it. The
post's Gaussian figure mostly shows αθ, and it is bell-shaped because of the noise GO-UP puts into the
weights. Because the noise is proportional to the weights' spread, the spread grows by √(1+α²) per
step, as predicted and measured; so GO-UP equals SGD where α is small enough for the noise not to
matter and is worse than SGD above that. In our measurements there is no setting where it beats SGD.
Learning without backprop is possible (the forward gradient), but that is a different idea, and an
expensive one. These are measurements of a small MLP on the digits, over a limited set of learning
rates and seeds; re-measuring in other settings is welcome: `python benchmarks/goup_experiment.py --help`.
"""),
]
