# The tables quoted from benchmarks/RESULTS.md, kept as constants so that a test can check
# that the notebook still quotes RESULTS.md word for word (tests/test_notebooks.py).
DIGITS_COMMAND = "python benchmarks/dni_digits.py --steps 3000 --seeds 2 --jobs 2"
DIGITS_TABLE = """
| layers | Bprop | DNI | cDNI | PyTorch ref. Bprop / DNI / cDNI |
|---|---|---|---|---|
| 4 | 1.1 ± 0.0 | 1.8 ± 0.0 | 0.9 ± 0.2 | 1.3 / 1.6 / 1.1 |
| 5 | 0.7 ± 0.0 | 1.9 ± 0.1 | 0.8 ± 0.1 | 1.0 / 1.9 / 1.0 |
| 6 | 1.1 ± 0.4 | 2.2 ± 0.2 | 1.0 ± 0.3 | 0.9 / 2.8 / 1.3 |
| 7 | 1.7 ± 0.3 | 3.3 ± 0.2 | 1.7 ± 0.1 | 1.4 / 4.1 / 1.2 |
"""
FASHION_COMMAND = "python benchmarks/dni_feedforward.py"
CNN_COMMAND = "python benchmarks/dni_feedforward.py --net cnn [--steps N --eval-every M]"
COPY_COMMAND = "nice -n 19 python benchmarks/dni_recurrent.py --setup v2 --episodes 20000"

CELLS = [
("md", """
# 6. DNI: 합성 기울기로 잠금 풀기 / Decoupled neural interfaces with synthetic gradients

역전파는 모듈들을 서로 묶어 둡니다. 어떤 층이든 자기 가중치를 고치려면, 뒤의 모든 층이 손실까지
계산을 마치고 기울기가 거꾸로 자기에게 돌아올 때까지 **기다려야** 합니다. Jaderberg et al. (2016,
arXiv:1608.05343) 은 이 기다림을 끊는 방법을 제안했습니다: 층 사이의 경계에 작은 모델 M 을 두고,
진짜 기울기가 오기 전에 M 이 **예측한 기울기**(합성 기울기, synthetic gradient) ĝ 로 먼저 갱신합니다.
M 은 나중에 진짜 기울기가 도착하면 그것을 보고 배웁니다. 이 노트북은 `tinygrad_ko.dni` 패키지로
그 과정을 한 단계씩 보여 주고, 짧게 학습시켜 보고, 우리가 측정한 결과를 논문과 나란히 놓습니다.

Backpropagation ties modules together: a layer can only change its weights once every layer after
it has run forwards to the loss and the gradient has come all the way back. Jaderberg et al. (2016)
cut that wait with a small model M at the boundary: the layer updates at once with M's **predicted
gradient** ĝ (the synthetic gradient), and M learns from the true gradient whenever it arrives.
This notebook shows the mechanism step by step with `tinygrad_ko.dni`, trains briefly, and puts
our measurements beside the paper's.

순서 / Contents
1. 세 가지 잠금 / the three locks
2. 인터페이스 하나를 한 단계씩 / one interface, step by step
3. M 이 볼 수 없는 것은 예측할 수 없다 / what M cannot see it cannot predict
4. 숫자 분류 FCN: 역전파, DNI, cDNI / the digits FCN: backprop, DNI, cDNI
5. 오래 측정한 표와 논문 / the full measured table beside the paper
6. Copy 과제와 잘린 BPTT / the Copy task with truncated BPTT
7. 논문의 표 2 와 우리 격자 / the paper's Table 2 beside our grid
"""),
("code", """
%matplotlib inline
import time
import numpy as np
import matplotlib.pyplot as plt
from IPython.display import Image, display

from tinygrad_ko import Tensor
from tinygrad_ko.data import digits
from tinygrad_ko.nn import Linear, Module, Parameter, Sequential, Tanh
from tinygrad_ko.optim import Adam
from tinygrad_ko.dni import (CopyTask, FeedForwardConfig, FeedForwardTrainer, LinearPredictor, RecurrentConfig,
                             RecurrentTrainer, SyntheticGradient, Timeline, train_feedforward, train_recurrent)
from tinygrad_ko.dni.plots import plot_feedforward, plot_recurrent
from tinygrad_ko.tools.figures import use_figure_fonts
from tinygrad_ko.train import single_blas_thread      # 작은 행렬: BLAS 스레드 하나 / small matrices: one BLAS thread

use_figure_fonts()   # ∂ ² ∇ 는 DejaVu Sans, 한글은 한글 글꼴에서 / math from DejaVu Sans, Hangul from a Korean font
X_train, y_train = digits("train")                              # 1,347 images of 8×8 pixels
X_test, y_test = digits("test")                                 # 450 images
started = time.process_time()
"""),
("md", """
## 1. 세 가지 잠금 / The three locks

모듈을 입력 쪽부터 1, 2, …, L 로 번호 매기고 마지막 모듈이 손실을 계산한다고 합시다. 한 학습 단계에서
모듈마다 순방향(F), 역방향(B), 갱신(U)을 한 번씩 합니다. 모듈 i 가 갱신하기 전에 기다리는 것은:

- **순방향 잠금 / forward lock** — 앞 모듈들(j < i)의 순방향: 입력이 와야 계산을 시작합니다;
- **갱신 잠금 / update lock** — 뒤 모듈들(j > i)의 순방향: 손실이 계산되어야 합니다;
- **역방향 잠금 / backward lock** — 뒤 모듈들(j > i)의 역방향: 기울기가 돌아와야 합니다.

역전파에는 셋 다 있습니다. 모든 은닉층 뒤에 합성 기울기를 두면 모듈 i 는 자기 순방향과 역방향
직후 바로 갱신합니다. 남는 것은 순방향 잠금뿐입니다 (논문은 합성 *입력*으로 그것도 풉니다: 4 절 끝). `Timeline` 은 트레이너가 실제로 한 일을 순서대로 기록하고, `waits(i)` 는 모듈 i
가 갱신 전에 무엇을 기다렸는지 잠금별로 나눠 줍니다. 3 개의 은닉층 + 출력층 = 모듈 4 개입니다.

Number the modules 1 … L from the input; the last computes the loss. Before module i can update it
waits for the forward of every module before it (**forward lock**), the forward of every module after
it (**update lock**) and the backward of every module after it (**backward lock**). Backprop has all
three. With a synthetic gradient after every hidden layer, module i updates right after its own
forward and backward: only the forward lock remains (the paper removes it too, with synthetic
*inputs*: see section 4's end). `Timeline` records what the trainer really did, in order, and
`waits(i)` sorts what module i waited for into the three locks.
"""),
("code", """
names = ["layer 1", "layer 2", "layer 3", "output"]
timelines = {}
for method in ("bprop", "dni"):
    trainer = FeedForwardTrainer(FeedForwardConfig(method=method, layers=4, width=32, seed=0),
                                 in_features=64, num_classes=10)
    timelines[method] = Timeline(4, names)
    with single_blas_thread():
        trainer.step(X_train[:64], y_train[:64], timelines[method])    # one training step, recorded
    print(f"== {method} ==")
    print(timelines[method].report())
    print()

for method, timeline in timelines.items():
    waited = timeline.waits(1)
    listed = "; ".join(f"{lock}: {', '.join(items)}" for lock, items in waited.items() if items)
    print(f"{method}: layer 1 waited for {listed or 'nothing'}")

assert timelines["bprop"].waits(1) == {
    "forward lock": [],
    "update lock": ["forward layer 2", "forward layer 3", "forward output"],
    "backward lock": ["backward output", "backward layer 3", "backward layer 2"]}
assert timelines["dni"].waits(1) == {"forward lock": [], "update lock": [], "backward lock": []}
assert timelines["dni"].waits(3)["forward lock"] == ["forward layer 1", "forward layer 2"]   # what DNI keeps
"""),
("md", """
같은 기록을 그림으로: 가로축은 일이 일어난 순서, 세로축은 모듈입니다. 빨간 점선은 layer 1 이 갱신한
시점입니다. 역전파에서는 거의 마지막이고, DNI 에서는 세 번째 일입니다.

The same records as a picture: events in the order they happened, one row per module. The dashed
line marks layer 1's update: nearly last with backprop, the third event with DNI.
"""),
("code", """
colours = {"forward": "tab:blue", "backward": "tab:orange", "update": "tab:green"}
figure, axes = plt.subplots(1, 2, figsize=(12, 3.2), sharey=True)
for axis, (method, timeline) in zip(axes, timelines.items()):
    for order, event in enumerate(timeline.events):
        axis.scatter(order, event.module, s=330, marker="s", color=colours[event.action])
        axis.text(order, event.module, event.action[0].upper(), ha="center", va="center", color="white")
    layer_1_update = next(k for k, e in enumerate(timeline.events) if e.module == 1 and e.action == "update")
    axis.axvline(layer_1_update, color="red", linestyle="--", linewidth=1)
    axis.set_title(f"{method}: layer 1 갱신 = {layer_1_update + 1}번째 / layer 1 updates at event {layer_1_update + 1}")
    axis.set_xlabel("일어난 순서 / order of events")
    axis.set_yticks(range(1, 5), names)
    axis.invert_yaxis()
plt.show()
"""),
("md", """
DNI 의 순서 F1, B1, U1, F2, … 는 "layer 1 은 layer 2 가 계산을 시작하기도 전에 이미 갱신을 마쳤다"는
뜻입니다. 그러면 층마다 다른 프로세스(다른 기계)에서 동시에 일할 수 있습니다:
`tinygrad_ko/dni/workers.py` 가 그렇게 하고, `benchmarks/dni_workers.py` 가 시간을 잽니다.
(우리 2코어 기계에서는 큐 비용 때문에 이득이 작았습니다: RESULTS.md 의 dni-workers 절.)

DNI's order F1, B1, U1, F2, … says that layer 1 finished its update before layer 2 even started.
That is what lets layers run in separate processes at once (`tinygrad_ko/dni/workers.py`, timed by
`benchmarks/dni_workers.py`; on our shared 2-core machine the queues ate most of the gain).

## 2. 인터페이스 하나를 한 단계씩 / One interface, step by step

작은 예제로 경계 하나를 자세히 봅시다. 모듈 A 는 h = tanh(x W_A + b_A) 를 만들고, 모듈 B 는
ŷ = h W_B + b_B 로 회귀하며 손실은 L = Σₙ (ŷₙ − yₙ)² 입니다. 그 사이에 `SyntheticGradient` 를
둡니다. `cut(h)` 가 하는 일:

1. ĝ = M(h) 를 계산해 **지금** h 에서 A 쪽으로 역전파합니다 (A 의 역방향을 ĝ 로 시작);
2. h 와 같은 값이지만 기록(그래프)이 없는 새 잎(leaf) 텐서를 B 에게 넘깁니다 (h 를 detach);
3. 예측 ĝ 는 진짜 기울기가 올 때까지 대기열(FIFO)에서 기다립니다.

B 가 나중에 역전파를 하면 그 잎 텐서의 `.grad` 에 진짜 기울기 g = ∂L/∂h 가 쌓이고,
`update(g)` 가 M 을 L_M = (1/N) Σₙ ‖ĝₙ − gₙ‖² 로 학습시킵니다.
M 의 마지막 층은 0 으로 시작하므로 **처음에는 ĝ = 0** 이고, A 는 M 이 무언가를 배울 때까지 움직이지 않습니다.

A small example, one boundary in detail. Module A makes h = tanh(x W_A + b_A); module B regresses
ŷ = h W_B + b_B with the loss L = Σₙ (ŷₙ − yₙ)². Between them sits a `SyntheticGradient`; `cut(h)`
(1) backpropagates ĝ = M(h) into A **now**, (2) hands B a fresh leaf with h's value and no history,
(3) queues the prediction until its target comes. When B runs backward, the leaf's `.grad` holds the
true g = ∂L/∂h, and `update(g)` trains M on L_M = (1/N) Σₙ ‖ĝₙ − gₙ‖². M's last layer starts at
zero, so **at first ĝ = 0** and A does not move until M has learnt something.
"""),
("code", """
rng = np.random.default_rng(1)
X = rng.uniform(-2, 2, size=(32, 3)).astype(np.float32)
Y = (np.sin(X[:, :1]) + X[:, 1:2] * X[:, 2:3] / 2).astype(np.float32)     # a target to regress

def make_modules(seed=0):
    \"\"\"A: x → tanh(x W_A + b_A) (8 units), B: h → h W_B + b_B.\"\"\"
    rng = np.random.default_rng(seed)
    return Sequential(Linear(3, 8, init="xavier", rng=rng), Tanh()), Linear(8, 1, init="xavier", rng=rng)

def loss_of_B(B, h):
    \"\"\"L = Σₙ (ŷₙ − yₙ)², summed over the batch.\"\"\"
    return ((B(h) - Tensor(Y)) ** 2).sum()

A, B = make_modules()
W_A = A[0].weight
M = LinearPredictor(8)                                        # ĝ = h A_M + b_M, all zero at the start
interface = SyntheticGradient(M, Adam(M.parameters(), lr=3e-2))
optimizer_A = Adam(A.parameters(), lr=1e-2)

h = A(Tensor(X))
h_next = interface.cut(h)                                     # A's backward runs now, seeded with ĝ = 0
print("ĝ = M(h) at the start: max |ĝ| =", np.abs(M(h.detach()).detach().numpy()).max())
print("A's gradient after the cut: max |∂/∂W_A| =", np.abs(W_A.grad.numpy()).max())
print("h_next: a leaf:", h_next.is_leaf, "| requires_grad:", h_next.requires_grad,
      "| same value as h:", np.array_equal(h_next.detach().numpy(), h.detach().numpy()), "| parents:", h_next.node.inputs)
print("predictions waiting for a target:", len(interface.pending))
before = W_A.numpy().copy()
optimizer_A.step()                                            # A updates now; B has not even run forward
print("A's update ran before B's forward; with ĝ = 0, W_A moved:", not np.array_equal(before, W_A.numpy()))

assert np.all(W_A.grad.numpy() == 0) and np.array_equal(before, W_A.numpy())
assert h_next.is_leaf and h_next.requires_grad and h_next.node.inputs == ()
assert len(interface.pending) == 1
"""),
("md", """
이제 B 차례입니다. B 의 순방향과 역방향은 h_next 에서 멈춥니다(그 뒤로 A 까지 이어지는 그래프가
없습니다). h_next.grad 가 진짜 기울기 g 이고, 처음 예측이 ĝ = 0 이었으므로 M 의 첫 손실은 정확히
‖g‖²/N 입니다.

Now B. Its forward and backward stop at h_next (no graph leads back into A). h_next.grad is the true
gradient g; since the first prediction was ĝ = 0, M's first loss is exactly ‖g‖²/N.
"""),
("code", """
optimizer_A.zero_grad()
loss = loss_of_B(B, h_next)
loss.backward()                                               # stops at the leaf h_next
g = h_next.grad.numpy()
print("A got nothing from B's backward:", W_A.grad is None or not np.any(W_A.grad.numpy()))
L_M = interface.update(h_next.grad)                           # M learns: ĝ = 0 was wrong by g
print(f"true gradient at the cut: ‖g‖²/N = {(g ** 2).sum() / len(X):.4f}")
print(f"M's loss:       ‖ĝ − g‖²/N = {L_M:.4f}   (ĝ was 0)")
print("predictions waiting for a target:", len(interface.pending))
assert np.isclose(L_M, (g ** 2).sum() / len(X), rtol=1e-6)
assert len(interface.pending) == 0 and np.any(M.weight.numpy() != 0)    # M has moved off zero
"""),
("md", """
두 번째 단계에서는 M 이 이미 한 번 배웠으므로 ĝ ≠ 0 이고, A 의 기울기는 연쇄 법칙 그대로
∂⟨h, ĝ⟩/∂W_A = xᵀ (ĝ ⊙ (1 − h²)) 입니다 (tanh' = 1 − tanh²). 진짜 기울기 자리에 ĝ 가 들어갔을 뿐,
A 안의 역전파는 보통과 같습니다.

On the second step M has learnt once, so ĝ ≠ 0, and A's gradient is the chain rule with ĝ in place of
the true gradient: ∂⟨h, ĝ⟩/∂W_A = xᵀ (ĝ ⊙ (1 − h²)) (tanh' = 1 − tanh²). Inside A, backprop is as usual.
"""),
("code", """
h = A(Tensor(X))
g_hat = M(h.detach()).detach().numpy()
h_next = interface.cut(h)
by_hand = X.T @ (g_hat * (1 - h.detach().numpy() ** 2))
print("max |ĝ| =", f"{np.abs(g_hat).max():.4f}")
print("A's gradient = xᵀ (ĝ ⊙ (1 − h²)):", np.allclose(W_A.grad.numpy(), by_hand, rtol=1e-4, atol=1e-6))
assert np.abs(g_hat).max() > 0
np.testing.assert_allclose(W_A.grad.numpy(), by_hand, rtol=1e-4, atol=1e-6)
interface.drop_pending()                                      # this demonstration ends here
"""),
("md", """
## 3. M 이 볼 수 없는 것은 예측할 수 없다 / What M cannot see it cannot predict

이 예제에서 진짜 기울기는 g = 2 (h W_B + b_B − y) W_Bᵀ 입니다. h 와 **y** 에 대해 아핀(선형 + 상수)이지만, DNI 의
M 은 h 만 봅니다. y 를 모르면 "예측이 얼마나 틀렸는지"를 알 수 없으니 g 를 맞힐 수 없습니다. 논문의
cDNI 는 M 에게 정답 레이블(맥락 c)을 함께 줍니다: ĝ = M(h, c). 여기서는 y 가 실수이므로 한 줄짜리
조건부 모델을 직접 만듭니다 (`SyntheticGradient` 는 `model(h, context)` 형태의 어떤 모델이든 받습니다;
분류에서는 `LinearPredictor(features, num_classes)` 가 원-핫 레이블로 같은 일을 합니다).

네 가지를 300 단계씩 비교합니다: A 고정(B 만 학습), DNI, cDNI, 역전파.

Here the true gradient is g = 2 (h W_B + b_B − y) W_Bᵀ: affine (linear plus a constant) in h **and y**, but DNI's M sees only
h. Without y it cannot know how wrong the prediction is, so it cannot predict g. The paper's cDNI
gives M the label as context, ĝ = M(h, c). Our y is real-valued, so we write a one-line conditional
model (`SyntheticGradient` takes any `model(h, context)`; for classes, `LinearPredictor(features,
num_classes)` does this with a one-hot label). We compare 300 steps of: A frozen (only B learns),
DNI, cDNI, and backprop.
"""),
("code", """
class TargetAwarePredictor(Module):
    \"\"\"ĝ = h A_M + y C_M + b_M, zero at the start: cDNI's model for a real-valued target y.\"\"\"

    def __init__(self, features, targets):
        super().__init__()
        self.weight = Parameter(np.zeros((features, features), dtype=np.float32))
        self.target_weight = Parameter(np.zeros((targets, features), dtype=np.float32))
        self.bias = Parameter(np.zeros(features, dtype=np.float32))

    def forward(self, h, y):
        return h @ self.weight + Tensor(y) @ self.target_weight + self.bias


def train_toy(mode, steps=300):
    \"\"\"A and B trained on (X, Y); mode: "frozen A", "DNI", "cDNI" or "backprop".\"\"\"
    A, B = make_modules()
    optimizer_A, optimizer_B = Adam(A.parameters(), lr=1e-2), Adam(B.parameters(), lr=1e-2)
    M = TargetAwarePredictor(8, 1) if mode == "cDNI" else LinearPredictor(8)
    interface = SyntheticGradient(M, Adam(M.parameters(), lr=3e-2))
    losses = []
    for step in range(steps):
        h = A(Tensor(X))
        if mode in ("DNI", "cDNI"):
            h = interface.cut(h, Y if mode == "cDNI" else None)     # A: backward with ĝ …
            optimizer_A.step()                                      # … and update, right now
            optimizer_A.zero_grad()
        loss = loss_of_B(B, h)
        loss.backward()
        if mode in ("DNI", "cDNI"):
            interface.update(h.grad)                                # M learns from the true g
        if mode == "backprop":
            optimizer_A.step()
            optimizer_A.zero_grad()
        optimizer_B.step()
        optimizer_B.zero_grad()
        losses.append(loss.item() / len(X))
    return losses, interface.cosines

toy = {}
with single_blas_thread():
    for mode in ("frozen A", "DNI", "cDNI", "backprop"):
        toy[mode] = train_toy(mode)
print(f"{'mode':<10} {'loss at 300':>12}   cos(ĝ, g), mean of the last 50 updates")
for mode, (losses, cosines) in toy.items():
    print(f"{mode:<10} {losses[-1]:12.4f}   " + (f"{np.mean(cosines[-50:]):.2f}" if cosines else "—"))

final = {mode: losses[-1] for mode, (losses, _) in toy.items()}
assert toy["DNI"][1][0] == 0.0 and toy["cDNI"][1][0] == 0.0               # ĝ = 0 at the first update
assert np.mean(toy["cDNI"][1][-50:]) > 0.8 > 0.4 > np.mean(toy["DNI"][1][-50:])
assert final["backprop"] < final["cDNI"] < 0.5 * final["DNI"]
assert 0.5 * final["frozen A"] < final["DNI"] < 1.5 * final["frozen A"]
print("cDNI: ĝ points like g and A learns; DNI: ĝ cannot, and its loss stays near frozen A's")
"""),
("code", """
figure, (loss_axis, cosine_axis) = plt.subplots(1, 2, figsize=(12, 3.8))
for mode, (losses, cosines) in toy.items():
    loss_axis.plot(losses, label=mode)
    if cosines:
        cosine_axis.plot(cosines, label=mode)
loss_axis.set(yscale="log", xlabel="단계 / step", ylabel="손실 / loss (mean squared error)",
              title="B 의 손실 / the downstream loss")
cosine_axis.set(xlabel="M 의 갱신 / update of M", ylabel="cos(ĝ, g)", ylim=(-0.5, 1.05),
                title="합성 기울기 vs 진짜 / synthetic vs true gradient")
for axis in (loss_axis, cosine_axis):
    axis.grid(alpha=0.3)
    axis.legend()
plt.show()
"""),
("md", """
## 4. 숫자 분류 FCN: 역전파, DNI, cDNI / The digits FCN: backprop, DNI, cDNI

이제 진짜 네트워크입니다. 8×8 숫자 이미지(64 픽셀 → 10 클래스)에 은닉층 3 개 (Linear → BatchNorm →
ReLU, 256 유닛) 를 두고, 모든 은닉층 뒤에 합성 기울기 인터페이스를 둡니다 (`FeedForwardTrainer`).
M 은 선형이고 0 에서 시작하며, cDNI 에서는 원-핫 레이블도 봅니다. 맨 위 M 만 손실에서 온 진짜
기울기로 배우고, 그 아래 Mᵢ 는 바로 위 층이 M_{i+1} 의 예측을 역전파해 보낸 기울기로 배웁니다
(부트스트랩: 시간차 학습처럼 "다음 예측"을 목표로 삼습니다). 400 단계만 학습합니다 (벤치마크는 3000).

100 단계마다 시험 오류를, 20 단계마다 **진짜** 기울기와의 코사인을 잽니다: 시험 이미지 256 장에서
역전파로 ∂L/∂hᵢ 를 구해 Mᵢ(hᵢ) 와 비교하고, 아무것도 갱신하지 않습니다 (`trainer.probe`).

Now a real network: 3 hidden blocks (Linear → BatchNorm → ReLU, 256 units) on the 8×8 digits, with
an interface after every hidden block. M is linear and starts at zero; in cDNI it also sees the
one-hot label. Only the top M learns from the true loss gradient; each lower Mᵢ learns from the
gradient that the block above sends back from M_{i+1}'s prediction (bootstrapping, as in
temporal-difference learning). 400 steps (the benchmark runs 3,000). Every 20 steps we measure the
cosine between Mᵢ(hᵢ) and the **true** ∂L/∂hᵢ from a full backprop on 256 test images, updating nothing.
"""),
("code", """
runs = {}
with single_blas_thread():
    for method in ("no-bprop", "bprop", "dni", "cdni"):
        config = FeedForwardConfig(method=method, layers=4, width=256, steps=400,
                                   eval_every=100, probe_every=20, seed=0)
        runs[method] = train_feedforward(config, (X_train, y_train, X_test, y_test))

print("test error (%) after", " / ".join(str(s) for s in runs["bprop"].eval_steps), "steps; 450 test images")
for method, result in runs.items():
    errors = " / ".join(f"{e:.1f}" for e in result.test_error)
    line = f"{method:>8}: {errors:<22}  train error {result.train_error[-1]:.1f} %"
    if method in ("dni", "cdni"):
        cosines = np.array(result.true_cosine)                    # (probes, layers)
        first, last = cosines[:5].mean(axis=0), cosines[-5:].mean(axis=0)
        line += "   cos(ĝ, ∂L/∂h) layer 1/2/3: " + ", ".join(f"{a:.2f}→{b:.2f}" for a, b in zip(first, last))
    print(line)
"""),
("code", """
later = {m: np.array(runs[m].true_cosine)[10:].mean(axis=0) for m in ("dni", "cdni")}   # steps 220 … 400
print("mean cos(ĝ, ∂L/∂h) over the second half, layer 1/2/3:")
for method, cosines in later.items():
    print(f"{method:>8}: " + ", ".join(f"{c:.2f}" for c in cosines))
assert all(runs[method].final_test_error < 5 for method in ("bprop", "dni", "cdni"))
assert runs["no-bprop"].final_test_error > 2 * runs["bprop"].final_test_error   # random features are not enough
assert later["cdni"][2] > 0.3 and later["cdni"][2] > later["dni"][2] + 0.2   # the label helps M at the top
assert later["cdni"][2] > later["cdni"][0]                                 # bootstrapped layers point worse
print("cDNI's top interface keeps pointing like the true gradient; DNI's fades towards 0")
"""),
("code", """
path = plot_feedforward(list(runs.values()), "dni_figures/digits_4layers.png",
                        title="digits, 4 layers (3 hidden × 256 + output), 400 steps")
display(Image(filename=str(path)))
"""),
("md", """
읽는 법: 가운데는 시험 오류, 오른쪽은 층마다 cos(ĝ, 진짜 ∂L/∂h) 입니다 (실선 cDNI, 점선 DNI).
cDNI 의 맨 위 인터페이스(layer 3)가 가장 잘 맞고, 아래로 갈수록 덜 맞습니다: 아래 층의 목표는 위 층
M 의 예측을 거쳐 온 부트스트랩 값이기 때문입니다. 레이블이 없는 DNI 는 처음에만 조금 맞다가 0 으로
떨어집니다. 학습 집합을 다 맞히고 나면 (train error 0 %) 학습 배치의 기울기 자체가 거의 사라지므로
M 이 배울 목표도 작아집니다.

How to read it: test error in the middle; on the right cos(ĝ, true ∂L/∂h) per layer (solid cDNI,
dashed DNI). cDNI's top interface (layer 3) fits best and lower ones less: their targets come through
the prediction of the M above (bootstrapped). DNI without the label fits a little early, then falls
towards 0. Once the training set is fit, the training gradients themselves all but vanish, and so do
M's targets.

**풀린 잠금의 증거 / Evidence of unlocking.** 합성 기울기가 있으면 층들은 서로의 갱신을 기다리지
않으므로, 갱신 순서를 무작위로 섞어도 학습 결과가 비트 하나까지 같아야 합니다. 역전파는 이렇게 할 수
없습니다 (층 i 의 기울기는 층 i+1 의 가중치에 의존합니다).

With synthetic gradients no layer waits for another's update, so updating the layers in a random
order must give bit-for-bit the same training. Backprop cannot do this (layer i's gradient depends on
the weights of layer i+1).
"""),
("code", """
def trained(random_order):
    config = FeedForwardConfig(method="cdni", layers=4, width=32, seed=0, random_order=random_order)
    trainer = FeedForwardTrainer(config, in_features=64, num_classes=10)
    with single_blas_thread():
        for start in range(0, 320, 64):
            trainer.step(X_train[start:start + 64], y_train[start:start + 64])
    return [p.numpy() for p in trainer.network.parameters()]

difference = max(np.abs(a - b).max() for a, b in zip(trained(False), trained(True)))
print(f"random order == in order: {difference == 0}  (largest weight difference {difference})")
assert difference == 0
"""),
("md", """
**합성 입력 / Synthetic inputs.** 순방향 잠금까지 풀려면 층 i 의 입력 hᵢ₋₁ 도 예측합니다: Iᵢ(x) 는 데이터
x 만 보고 hᵢ₋₁ 을 예측하고, 진짜 활성값이 계산되면 그것으로 회귀해 배웁니다 (논문 그림 5 오른쪽).
시험할 때는 진짜 순방향만 씁니다.

To lift the forward lock too, module i's input is predicted: Iᵢ(x) sees only the data and regresses
onto the real hᵢ₋₁ once it has been computed (the paper's Fig. 5 right; `tinygrad_ko/dni/synthetic_inputs.py`).
At test time the network runs its real forward pass. Fashion-MNIST numbers: `benchmarks/RESULTS.md`, dni-feedforward.
"""),
("code", """
with single_blas_thread():
    unlocked = {method: train_feedforward(FeedForwardConfig(method=method, layers=4, width=64, steps=300,
                                                            eval_every=300, seed=0),
                                          (X_train, y_train, X_test, y_test))
                for method in ("cdni", "cdni-synthetic-input")}
for method, result in unlocked.items():
    print(f"{method:>21}: test error after 300 steps {result.final_test_error:.1f} %")
assert unlocked["cdni-synthetic-input"].final_test_error < 20      # it learns without waiting for any forward
"""),
("md", """
## 5. 오래 측정한 표와 논문 / The full measured tables beside the paper

위의 400 단계는 수업용 맛보기입니다. 벤치마크는 같은 코드를 더 오래 돌렸습니다. 층 수는 어디서나 **논문의
방식**으로 셉니다: n 층 = 은닉층 n − 1 개 + 출력층.

**숫자 (8×8) 와 PyTorch 참조 / digits and the PyTorch reference.** PyTorch 참조 구현 (RESEARCH.md §4) 은 숫자
데이터에서만, 같은 설정으로 돌렸습니다. `benchmarks/RESULTS.md` 의 표를 그대로 옮깁니다 (시험 오류 %, 평균 ±
표준편차; 시험 이미지 450 장이라 이미지 하나 = 0.22 포인트; 오른쪽 열이 PyTorch 참조):

The 400 steps above are a taste; the benchmarks ran the same code longer. Depth is counted **the
paper's way** everywhere: n layers = n − 1 hidden layers + the output layer. The PyTorch reference
(RESEARCH.md §4) was run on the digits only, with the same settings; quoted from `benchmarks/RESULTS.md`
(test error %, mean ± std; one of the 450 test images = 0.22 points; last column: PyTorch):

`""" + DIGITS_COMMAND + """`
""" + DIGITS_TABLE + """
**Fashion-MNIST 과 논문의 표 1 / Fashion-MNIST beside the paper's Table 1.** 8×8 숫자는 너무 쉬워서 논문과
견주기 어렵습니다. 그래서 같은 코드를 28×28 Fashion-MNIST (학습 60,000 / 시험 10,000 장) 에서 돌렸습니다:
FCN 3–6 층, CNN 3·4 층, 방법 네 가지 (No Bprop: 출력층만 학습), 시드 2 개. 칸(cell)마다
`benchmarks/results/dni_feedforward.json` 에 저장되어 있고, 아래 코드는 **그 파일에 지금 있는 칸을 모두** 읽어
(과제, 신경망, 단계 수, 너비) 로 묶어 표를 만듭니다. 새 칸이 생기면 노트북을 다시 실행하기만 하면 됩니다.
PyTorch 참조는 Fashion-MNIST 에서는 돌리지 않았으므로 이 표에는 그 열이 없습니다.

The digits are too easy to compare with the paper, so the same code ran on 28×28 Fashion-MNIST
(60,000 / 10,000 images): FCNs of 3–6 layers, CNNs of 3 and 4, the four methods (No Bprop: only the
output layer learns), 2 seeds. Every cell is stored in `benchmarks/results/dni_feedforward.json`; the
code below reads **whatever cells the file holds now** and groups them by (task, net, steps, width), so a new
budget shows up by rerunning the notebook. The PyTorch reference was not run on Fashion-MNIST: no
column for it here. Commands: `""" + FASHION_COMMAND + """`, `""" + CNN_COMMAND + """`.
"""),
("code", """
import json
import pathlib
import sys
from collections import defaultdict

import tinygrad_ko


def find_repository():
    \"\"\"The checkout whose benchmarks/results/ holds the stored grids (from here or from tinygrad_ko).\"\"\"
    here = pathlib.Path.cwd().resolve()
    for folder in (here, *here.parents, pathlib.Path(tinygrad_ko.__file__).resolve().parents[1]):
        if (folder / "benchmarks" / "results").is_dir():
            return folder
    raise FileNotFoundError("benchmarks/results/ not found: run this notebook inside the repository")


REPO = find_repository()
sys.path.insert(0, str(REPO / "benchmarks"))
from dni_reference import CIFAR10, MNIST, PAPER_METHODS            # the paper's Table 1, as data
from dni_feedforward import column_of, name_of   # a cell's column: its method, marked with its gradient model

feedforward = json.loads((REPO / "benchmarks/results/dni_feedforward.json").read_text(encoding="utf-8"))
NAMES = {"no-bprop": "No Bprop", "bprop": "Bprop", "dni": "DNI", "cdni": "cDNI",
         "dni-synthetic-input": "DNI + synth. input", "cdni-synthetic-input": "cDNI + synth. input"}
ORDER = list(NAMES)
COLOURS = {"no-bprop": "C7", "bprop": "C0", "dni": "C1", "cdni": "C2",
           "dni-synthetic-input": "C1", "cdni-synthetic-input": "C2"}   # synthetic inputs: dashed, same colour


def grids_of(cells):
    \"\"\"{(task, net, steps, width): {(layers, column): [cell per seed]}}: one grid per data set, net, budget, width.

    A column is a method, or a method with another gradient model ("cdni (mlp M, label maps)"):
    cells that differ in any key field but the seed are never averaged together.\"\"\"
    grids = defaultdict(lambda: defaultdict(list))
    for cell in cells:
        grids[(cell["task"], cell["net"], cell["steps"], cell["width"])][(cell["layers"], column_of(cell))].append(cell)
    return grids


def method_of(column):
    \"\"\""cdni (mlp M, label maps)" → "cdni".\"\"\"
    return column.split(" ")[0]


def columns_of(grid):
    \"\"\"The grid's columns: the methods in ORDER, each followed by its variants.\"\"\"
    present = {column for _, column in grid}
    return sorted(present, key=lambda column: (ORDER.index(method_of(column)), column))


def mean_std(values):
    return f"{np.mean(values):4.1f} ± {np.std(values):.1f}"


grids = grids_of(feedforward["cells"])
print(f"{len(feedforward['cells'])} cells, key {feedforward['key']}")
for (task, net, steps, width), grid in sorted(grids.items()):
    print(f"  {task} {net.upper()} of width {width}, {steps:,} steps: {len(grid)} (layers, column) pairs, "
          f"seeds {sorted({c['seed'] for cells in grid.values() for c in cells})}")
"""),
("code", """
def side_by_side(net, steps, width, grid):
    \"\"\"Per depth and method: the paper's MNIST / CIFAR-10 error beside ours (Fashion-MNIST, mean ± std).\"\"\"
    columns = columns_of(grid)
    print(f"== {net.upper()} of width {width}, {steps:,} steps: paper MNIST / CIFAR-10 │ ours Fashion-MNIST (test error %) ==")
    print(f"{'layers':>6}  " + "  ".join(f"{name_of(column):>26}" for column in columns))
    for layers in sorted({layers for layers, _ in grid}):
        row = []
        for column in columns:
            method = method_of(column)
            ours = [c["metric"] for c in grid.get((layers, column), [])]
            paper = (f"{MNIST[(net, layers)][PAPER_METHODS.index(method)]:4.1f} / "
                     f"{CIFAR10[(net, layers)][PAPER_METHODS.index(method)]:4.1f}"
                     if (net, layers) in MNIST and method in PAPER_METHODS else "     —     ")
            row.append(f"{paper} │ {mean_std(ours) if ours else '     —    '}")
        print(f"{layers:>6}  " + "  ".join(f"{cell:>26}" for cell in row))


def orderings(grid):
    \"\"\"The paper's three orderings, checked on our seed means at every depth where all methods ran.\"\"\"
    mean = {key: np.mean([c["metric"] for c in cells]) for key, cells in grid.items()}
    for layers in sorted({layers for layers, _ in grid}):
        if not all((layers, m) in mean for m in PAPER_METHODS):
            continue
        others = [mean[(layers, m)] for m in ("bprop", "dni", "cdni")]
        print(f"  {layers} layers: No Bprop worst: {'yes' if mean[(layers, 'no-bprop')] > max(others) else 'NO'};"
              f"  cDNI − Bprop {mean[(layers, 'cdni')] - mean[(layers, 'bprop')]:+.1f}"
              f" ({'within' if mean[(layers, 'cdni')] - mean[(layers, 'bprop')] <= 1.5 else 'NOT within'} 1.5);"
              f"  DNI − Bprop {mean[(layers, 'dni')] - mean[(layers, 'bprop')]:+.1f}")
        for column in columns_of(grid):
            if column != method_of(column) and (layers, column) in mean:       # another gradient model
                print(f"      {name_of(column)} − Bprop {mean[(layers, column)] - mean[(layers, 'bprop')]:+.1f}")


for (task, net, steps, width), grid in sorted(grids.items()):
    side_by_side(net, steps, width, grid)
    orderings(grid)
    print()
"""),
("md", """
**PyTorch 로 다시 쓴 CNN / The CNN rows again, in PyTorch.** 우리 CNN 의 cDNI 가 Bprop 보다 뒤처지는 것이 우리
엔진 탓인지 설정 탓인지 가리려고, 같은 신경망·방법·설정을 PyTorch 로 따로 구현했습니다
(`benchmarks/dni_torch_reference.py`, tinygrad_ko 에서는 데이터만 가져옵니다). PyTorch 의 cDNI 도 똑같이 뒤처지면
그 차이는 설정(신경망, 기울기 모형, 예산)의 것입니다. PyTorch 는 여기서 우리보다 약 5 배 빨라, 10 배 긴 예산도 돌려 봅니다.

Is cDNI's lag behind Bprop on our CNNs ours, or the setup's? The same networks, methods and settings
written independently in PyTorch (`benchmarks/dni_torch_reference.py`; it takes only the data from
tinygrad_ko). If PyTorch's cDNI lags as much, the gap belongs to the setup (the network, the gradient
model, the budget). PyTorch runs these about 5× faster than we do, so it also runs a budget 10× longer.
"""),
("code", """
reference_path = REPO / "benchmarks/results/dni_torch_reference.json"
torch_cells = json.loads(reference_path.read_text(encoding="utf-8"))["cells"] if reference_path.exists() else []
ours_cnn = [c for c in feedforward["cells"] if c["net"] == "cnn" and column_of(c) == c["method"]]


def network_of(cell):
    \"\"\"(steps, channels, kernel size, hidden blocks of the gradient model): cells comparable across the two.\"\"\"
    return cell["steps"], cell["width"], cell["kernel_size"], cell.get("predictor_hidden", 0)   # ours: linear M


def seed_mean(cells, network, layers, method):
    \"\"\"The mean test error of the cells of one network, depth and method, or None.\"\"\"
    values = [c["metric"] for c in cells
              if network_of(c) == network and (c["layers"], c["method"]) == (layers, method)]
    return float(np.mean(values)) if values else None


def shown(value):
    return f"{value:4.1f}" if value is not None else "  — "


print(f"{len(torch_cells)} PyTorch cells. Test error % (seed means): ours │ PyTorch")
for network in sorted({network_of(c) for c in torch_cells}):
    steps, width, kernel, hidden = network
    print(f"== CNN, {steps:,} steps, {width} channels of {kernel}×{kernel}, gradient model with {hidden} hidden block(s) ==")
    for layers in sorted({c["layers"] for c in torch_cells if network_of(c) == network}):
        row, gaps = [], []
        for method in PAPER_METHODS:
            pair = [seed_mean(cells, network, layers, method) for cells in (ours_cnn, torch_cells)]
            row.append(f"{NAMES[method]} {shown(pair[0])} │ {shown(pair[1])}")
        for cells in (ours_cnn, torch_cells):
            cdni, bprop = (seed_mean(cells, network, layers, m) for m in ("cdni", "bprop"))
            gaps.append(f"{cdni - bprop:+.1f}" if cdni is not None and bprop is not None else "—")
        print(f"  {layers} layers: " + ";  ".join(row) + f";  cDNI − Bprop {gaps[0]} │ {gaps[1]}")
"""),
("md", """
**곡선이 평평해졌나? / Did the curves flatten?** 각 칸은 학습 중 시험 오류를 여러 번 기록했습니다
(`eval_steps`, `test_error`). 아래는 시드 평균 곡선입니다; 제목의 "⅔ − final" 은 학습의 ⅔ 지점의 오류에서
마지막 오류를 뺀 값 (양수: 아직 내려가는 중) 의 가장 큰 값입니다.

Every cell recorded its test error during training (`eval_steps`, `test_error`). Below: the seed-mean
curves, one panel per depth and budget; "⅔ − final" in a title is the largest (over methods) test error
at two thirds of the steps minus the final one (positive: still falling).
"""),
("code", """
def curve_of(cells):
    \"\"\"The seed-mean test-error curve of one (layers, method) pair.\"\"\"
    steps = np.array(cells[0]["eval_steps"])
    return steps, np.mean([c["test_error"] for c in cells], axis=0)


def still_falling(steps, errors):
    \"\"\"Test error at ⅔ of the steps minus the final one, in points.\"\"\"
    return errors[np.argmin(np.abs(steps - steps[-1] * 2 / 3))] - errors[-1]


for (task, net, budget, width), grid in sorted(grids.items()):
    depths = sorted({layers for layers, _ in grid})
    figure, axes = plt.subplots(1, len(depths), figsize=(3.6 * len(depths), 3.2), sharey=True, squeeze=False)
    for axis, layers in zip(axes[0], depths):
        worst = -np.inf
        for column in columns_of(grid):
            if (layers, column) in grid:
                method = method_of(column)
                steps, errors = curve_of(grid[(layers, column)])
                style = ":" if column != method else "--" if "synthetic" in method else "-"
                axis.plot(steps, errors, label=name_of(column), color=COLOURS[method], linestyle=style)
                worst = max(worst, still_falling(steps, errors))
        axis.set_title(f"{net.upper()} {layers} layers, ⅔ − final ≤ {worst:+.1f}", fontsize=9)
        axis.set_xlabel("step")
    axes[0][0].set_ylabel(f"{task} test error (%)")
    labelled = {label: line for axis in axes[0] for line, label in zip(*axis.get_legend_handles_labels())}
    figure.legend(labelled.values(), labelled.keys(), fontsize=7, loc="center right")
    figure.suptitle(f"{task}, {net.upper()} of width {width}, {budget:,} steps (층 수는 논문의 방식 / layers counted the paper's way)",
                    fontsize=10)
    plt.tight_layout(rect=(0, 0, 0.88, 1))
    plt.show()
"""),
("md", """
**정직하게 읽기: 순방향 / An honest reading, feed-forward.** (2026-12-07 에 저장된 칸 기준; 위의 표가 JSON 에서
다시 계산되므로 숫자가 다르면 위의 표가 맞습니다.)

- 데이터가 다르므로 (Fashion-MNIST 는 MNIST 보다 어렵습니다: Bprop 11.6–12.7 % 대 논문 1.8–2.0 %) 절대 오류는
  비교할 수 없고, 비교할 것은 **순서**입니다.
- **FCN (6,000 단계): 논문의 세 순서가 3–6 층 모두에서 나옵니다.** No Bprop 이 가장 나쁘고 깊을수록 나빠지며
  (19.0 → 25.1 %, 논문 MNIST 9.3 → 21.4 %), cDNI 는 Bprop 에서 1.5 포인트 안 (−0.3 … +1.0), DNI 는 깊을수록 더
  뒤처집니다 (+3.4 → +6.7). 맞지 않는 것: 논문 MNIST 처럼 cDNI 가 Bprop 보다 *낫지는* 않고, DNI 의 격차가 논문
  (+0.1 … +2.5) 보다 큽니다. 곡선은 대부분 평평해졌지만 (⅔ − final: −0.8 … +1.1) 완전히는 아닙니다.
- **CNN: cDNI 기준에 못 미칩니다.** 3,000 단계에서 cDNI − Bprop 은 3 층 +1.5 (기준을 0.05 넘음), 4 층 +3.4 로,
  1,200 단계 (+1.7, +3.0) 보다 4 층에서 오히려 넓어졌습니다. 곡선도 아직 평평하지 않습니다 (⅔ − final 최대
  +1.2). 또 3,000 단계 3 층에서는 No Bprop (13.9 %) 이 DNI (14.0 %) 보다 *나쁘지 않습니다*: "No Bprop 이 가장
  나쁨" 이 이 한 칸에서 깨집니다 (시드 표준편차 0.8 안의 차이). DNI 는 깊을수록 뒤처집니다 (+2.4 → +5.5).
  우리 CNN 은 16 채널, 배치 64, 3,000 단계 (논문: 64 채널, 50 만 반복) 이라 평평해질 예산은 모릅니다.
- **합성 입력 (4 층)**: 순방향까지 풀어도 1 포인트 안쪽 손해 (DNI 17.0 → 17.6 %, cDNI 12.2 → 13.0 %): 논문 그림 5
  오른쪽과 같은 그림입니다.
- **PyTorch 참조**는 숫자 데이터에서만 있습니다: 우리 Bprop 은 0.4 포인트 안, 순서 (cDNI ≈ Bprop, DNI 는 깊을수록
  뒤처짐) 도 같습니다. Fashion-MNIST 나 CNN 에서의 독립 확인은 없습니다.

(as stored on 2026-12-07; the tables above are recomputed from the JSON, so where they differ they win.)

- The data differ (Fashion-MNIST is harder than MNIST: Bprop 11.6–12.7 % against the paper's 1.8–2.0 %),
  so absolute errors do not compare; the **orderings** do.
- **FCN (6,000 steps): the paper's three orderings hold at 3–6 layers.** No Bprop worst and worse with
  depth (19.0 → 25.1 %; the paper's MNIST 9.3 → 21.4 %), cDNI within 1.5 points of Bprop (−0.3 … +1.0),
  DNI further behind the deeper the net (+3.4 → +6.7). What does not match: cDNI is not *better* than
  Bprop as in the paper's MNIST column, and DNI's gap is wider than the paper's (+0.1 … +2.5). The
  curves have mostly, not fully, flattened (⅔ − final: −0.8 … +1.1).
- **CNN: the cDNI criterion is not met.** At 3,000 steps cDNI − Bprop is +1.5 at 3 layers (0.05 over)
  and +3.4 at 4 layers — wider than at 1,200 steps (+1.7, +3.0), not narrower. The curves are still not
  flat (⅔ − final up to +1.2). And at 3,000 steps and 3 layers No Bprop (13.9 %) is *not* worse than DNI
  (14.0 %): "No Bprop worst" fails in that one cell (inside the seeds' spread of 0.8). DNI falls behind
  with depth (+2.4 → +5.5). Our CNNs have 16 channels, batch 64, 3,000 steps (the paper: 64 channels,
  500k iterations); what budget would flatten them is not known.
- **Synthetic inputs (4 layers)**: unlocking the forward pass too costs under a point (DNI 17.0 → 17.6 %,
  cDNI 12.2 → 13.0 %), the picture of the paper's Fig. 5 right.
- **The PyTorch reference** exists for the digits only: our Bprop is within 0.4 points of it and the
  ordering (cDNI ≈ Bprop, DNI behind with depth) is the same. Nothing checks Fashion-MNIST or the CNNs
  independently.
"""),
("md", """
## 6. Copy 과제와 잘린 BPTT / The Copy task with truncated BPTT

RNN 에서 잠금은 시간 방향입니다. 긴 시퀀스를 끝까지 펼쳐 역전파하는 대신, **잘린 BPTT** 는 시퀀스를
T 단계씩 조각(chunk)으로 나눕니다. 상태 s = [h, c] 는 다음 조각으로 넘어가지만 기울기는 조각 경계를
거슬러 올라가지 못합니다. 그래서 T 단계보다 먼 미래의 손실은 지금 조각에게 아무것도 가르치지 못합니다.

**Copy** 과제 (Graves et al. 2014 의 설정, 논문도 그대로 따릅니다): 무작위 이진 벡터 N 개를 읽고
(논문은 8 비트), 구분 기호(delimiter)를 본 뒤, 같은 N 개를 다시 씁니다. 출력 비트마다 시그모이드 하나,
손실은 이진 교차 엔트로피입니다. 첫 출력은 N + 1 단계 전의 입력에 달려 있으므로 T 가 작으면 배우기
어렵습니다. 커리큘럼은 N = 1 에서 시작해 최근 10 에피소드의 평균 오류가 목표 단계당 0.15 비트 아래면
N 을 하나 늘립니다.

In an RNN the locks run along time. **Truncated BPTT** cuts the sequence into chunks of T steps: the
state s = [h, c] is carried forward, but no gradient crosses a chunk boundary backwards, so no loss
more than T steps ahead can teach the current chunk. **Copy** (Graves et al.'s setup, which the paper
follows): read N random binary vectors (8 bits in the paper), see a delimiter, write the N vectors
back; one sigmoid per output bit, binary cross-entropy. The first output depends on an input N + 1
steps earlier. A curriculum starts at N = 1 and moves up once the mean error of the last 10 episodes
is below 0.15 bits per target step.
"""),
("code", """
task = CopyTask(bits=4)
episode = task.episode(3, batch_size=1, rng=np.random.default_rng(0))

def as_bits(row):
    return "".join(str(int(bit)) for bit in row)

print("step  input          target")
for t in range(episode.steps):
    row = episode.inputs[t, 0]
    seen = "delimiter" if row[task.bits] else (as_bits(row[:task.bits]) if t < episode.length else "—")
    wanted = as_bits(episode.targets[t, 0]) if episode.mask[t] else "—"
    print(f"{t:>4}  {seen:<14} {wanted}")
T = 2
chunks = [list(range(start, min(start + T, episode.steps))) for start in range(0, episode.steps, T)]
print("chunks of T = 2 steps:", chunks, "→", len(chunks) - 1, "boundaries")
"""),
("md", """
경계에 합성 기울기를 두면 (논문 §3.1), 조각 k 의 마지막 상태 s_end 도 ĝ = 0.1 · M(s_end) 를 받습니다:
"이후 모든 조각이 보내올 기울기"의 예측입니다. 조각의 목적 함수는

    objective_k = Σ_(t ∈ 조각 k) CE_t + ⟨s_end, ĝ⟩

이므로 ∂objective/∂s_end = ∂CE_last/∂s_end + ĝ 입니다 (마지막 단계에 목표가 있으면 그 손실 CE_last 도 s_end 에서
읽으므로; 조각의 손실이 s_end 에 달려 있지 않을 때만 ĝ 하나입니다). 역전파가 이 기울기를 조각의 T 단계 전체로 실어 나릅니다. 다음 조각을
학습할 때 그 조각의 **첫** 상태에 도착하는 기울기(그 조각의 손실 + 그 끝의 예측)가 이전 경계에서 한
예측의 목표가 됩니다: 부트스트랩입니다. 배율 0.1 은 할인율처럼 작용해 k 조각 앞의 손실을 0.1ᵏ 로
줄입니다. 아래에서 길이 3 의 에피소드 하나를 T = 2 로 학습하며 예측과 갱신의 수를 셉니다.

With a synthetic gradient at the boundary (paper §3.1) the chunk's last state s_end also receives
ĝ = 0.1 · M(s_end), a prediction of everything the later chunks would send back: the chunk's
objective is Σ CE_t + ⟨s_end, ĝ⟩, so ∂objective/∂s_end = ∂CE_last/∂s_end + ĝ (when the last step has a
target its loss is read from s_end too; it is ĝ alone only if the chunk's losses do not depend on s_end),
and backward carries that gradient through all T steps. The gradient that reaches the **first** state of the next chunk (its losses plus the
prediction at its end) is the target for the previous boundary's prediction: bootstrapping. The
scale 0.1 acts as a discount: a loss k chunks ahead counts 0.1ᵏ. Below, one episode of length 3
with T = 2; we count predictions and updates.
"""),
("code", """
trainer = RecurrentTrainer(RecurrentConfig(method="dni", truncation=2, hidden=32, bits=4, seed=0))
episode = trainer.task.episode(3, batch_size=16, rng=np.random.default_rng(0))
with single_blas_thread():
    bits = trainer.train_episode(episode)
boundary = trainer.interface
print(f"one episode of {episode.steps} steps: {len(boundary.losses)} predictions at the boundaries, "
      f"{len(boundary.losses)} updates of M, {len(boundary.pending)} left waiting")
print(f"error {bits:.2f} bits per target step (4 bits is guessing)")
assert len(boundary.losses) == 3 and not boundary.pending
assert boundary.cosines[0] == 0.0                                    # M starts at zero: the first ĝ was 0
"""),
("md", """
이제 짧게 학습합니다: T = 2, LSTM 32 유닛, 4 비트 벡터, 배치 16 (벤치마크는 64 유닛, 논문처럼 8 비트).
두 방법 모두 **같은 에피소드 수** (2,000) 입니다: 논문도 같은 반복 횟수에서 비교합니다. N = 1 에서도
출력(2 단계)은 입력(0 단계)과 경계 하나를 사이에 둡니다: 잘린 BPTT 는 그 경계를 넘는 기울기가 없어,
우연히 남아 있는 기억을 읽는 법만 배울 수 있습니다. 200 에피소드마다 끝까지 펼친 BPTT 로 진짜 ∂L/∂s 를
구해 ĝ 와의 코사인을 잽니다.

A short run: T = 2, an LSTM of 32 units, 4-bit vectors, batch 16 (the benchmark uses 64 units and the
paper's 8 bits). Both methods get the **same number of episodes** (2,000), as the paper compares at equal
iterations. Even at N = 1 the output (step 2) lies across a boundary from its input (step 0): truncated
BPTT has no gradient across it and can only learn to read whatever memory happens to survive. Every 200
episodes, the true ∂L/∂s from full BPTT is compared with ĝ.
"""),
("code", """
copy_runs = {}
with single_blas_thread():
    for method in ("bptt", "dni"):
        config = RecurrentConfig(task="copy", method=method, truncation=2, hidden=32, bits=4,
                                 episodes=2000, probe_every=200, seed=0)
        copy_runs[method] = train_recurrent(config)

for method, result in copy_runs.items():
    passed = ", ".join(f"N={level} at episode {episode}" for level, episode in result.passed) or "nothing"
    print(f"{method:>4}: {result.episodes_run} episodes, longest length solved {result.solved}, "
          f"passed {passed}; last 20 episodes {np.mean(result.bits[-20:]):.2f} bits; "
          f"{1000 * result.cpu_seconds / result.episodes_run:.1f} ms CPU per episode")
print(f" dni: cos(ĝ, full-BPTT ∂L/∂s), mean of the last 5 probes: {np.mean(copy_runs['dni'].true_cosine[-5:]):.2f}")

bptt, dni = copy_runs["bptt"], copy_runs["dni"]
assert bptt.solved >= 1 and dni.solved >= 1
assert dni.passed[0][1] < bptt.passed[0][1]          # DNI passes length 1 in fewer episodes
print("per episode DNI climbs the curriculum sooner")
"""),
("code", """
path = plot_recurrent(list(copy_runs.values()), "dni_figures/copy_T2.png",
                      title="copy, T = 2, LSTM 32 units, 4-bit vectors")
display(Image(filename=str(path)))
"""),
("md", """
읽는 법: 가운데 그림(커리큘럼)에서 DNI 는 같은 에피소드 수로 먼저 올라갑니다. DNI 에피소드는 경계마다
M 의 순방향·역방향·Adam 이 더해져 더 비쌉니다 (위 출력의 ms CPU per episode). 오른쪽: ĝ 와 끝까지 펼친
BPTT 의 진짜 기울기 사이의 코사인입니다.

How to read it: in the curriculum panel DNI moves up sooner for the same number of episodes. A DNI
episode costs more (M's forward, backward and Adam step at every boundary: ms CPU per episode above).
Right: the cosine between ĝ and the true gradient of full BPTT.

## 7. 논문의 표 2 와 우리 격자 / The paper's Table 2 beside our grid

논문 (표 2; 250 만 반복) 은 T = 2, 3, 4, 5 에서 풀어 낸 가장 긴 길이를 보고합니다. 우리 격자는
`benchmarks/results/dni_recurrent.json` 에 칸마다 저장되어 있고 (키: 과제, 방법, T, 시드, 설정), 아래 코드가
설정 v2 의 칸을 모두 읽어 논문 옆에 놓습니다 (논문 / 시드별 우리 값). T = 1000 은 자르지 않은 BPTT 로, 설정이
배우는지 확인하는 참조 칸입니다. PyTorch 참조는 순환 과제에서는 돌리지 않았습니다 (RESEARCH.md §4: 150 초로는
구별이 안 되었다는 기록뿐).

The paper (Table 2; 2.5M iterations) reports the longest length solved at T = 2, 3, 4, 5. Our grid is
stored cell by cell in `benchmarks/results/dni_recurrent.json` (key: task, method, T, seed, setup); the
code reads every setup-v2 cell and puts it beside the paper (paper / ours per seed). T = 1000 is
untruncated BPTT, the reference cell that checks the setup learns at all. There is no PyTorch reference
for the recurrent tasks (RESEARCH.md §4 only records that 150 s of CPU could not separate the methods).
Command: `""" + COPY_COMMAND + """`.
"""),
("code", """
from dni_recurrent import PAPER, PAPER_ITERATIONS, TRUNCATIONS   # the paper's Table 2, as data

recurrent = json.loads((REPO / "benchmarks/results/dni_recurrent.json").read_text(encoding="utf-8"))
RNN_NAMES = {"bptt": "BPTT", "dni": "DNI", "dni-aux": "DNI + Aux"}
v2 = [c for c in recurrent["cells"] if c["setup"] == "v2"]
solved = defaultdict(list)                                        # (task, method, T) → lengths, one per seed
for cell in sorted(v2, key=lambda c: c["seed"]):
    solved[(cell["task"], cell["method"], cell["T"])].append(cell["metric"])

print(f"{len(v2)} setup-v2 cells, {v2[0]['steps']:,} episodes each (the paper: {PAPER_ITERATIONS:,})")
print(f"{'task':<12}{'method':<11}" + "".join(f"{'T=' + str(T):>16}" for T in TRUNCATIONS))
for (task, method), paper in PAPER.items():
    row = [f"{p} / {'/'.join(map(str, solved[(task, method, T)])) or '—'}" for p, T in zip(paper, TRUNCATIONS)]
    print(f"{task:<12}{RNN_NAMES[method]:<11}" + "".join(f"{r:>16}" for r in row))
for task in sorted({task for task, _ in PAPER}):
    print(f"untruncated BPTT, {task}: length {solved[(task, 'bptt', 1000)]}")

holds = [(task, T) for task in sorted({task for task, _ in PAPER}) for T in TRUNCATIONS
         if all(solved[(task, m, T)] for m in RNN_NAMES)
         and min(np.mean(solved[(task, m, T)]) for m in ("dni", "dni-aux")) > np.mean(solved[(task, "bptt", T)])]
run = sum(all(solved[(task, m, T)] for m in RNN_NAMES) for task in {name for name, _ in PAPER} for T in TRUNCATIONS)
print(f"ordering (both DNI variants above BPTT, seed means) holds in {len(holds)} of {run} (task, T) pairs: "
      + ", ".join(f"{task} T={T}" for task, T in holds))
"""),
("md", """
**예산이 모자란가? / Is it the budget?** 각 칸은 커리큘럼의 단계를 통과한 에피소드를 기록합니다 (`trace`:
[길이, 에피소드]). 아래 그림은 그 계단 곡선입니다 (가로축 로그). 점선 위의 모든 점에 N ≈ a + b·log₁₀(에피소드)
를 맞추어, 논문의 250 만 반복에서 예상되는 길이를 구합니다 — 짧은 실행에서의 거친 외삽입니다.

Every cell records the episode at which it passed each curriculum level (`trace`: [length, episode]).
Below, those staircases (log x axis). A fit N ≈ a + b·log₁₀(episode) over every trace point of a task
and method extrapolates to the paper's 2.5M iterations — a crude extrapolation from short runs.
"""),
("code", """
tasks = sorted({task for task, _ in PAPER})
figure, axes = plt.subplots(len(tasks), len(TRUNCATIONS), figsize=(13, 5.4), sharex=True, sharey=True)
for row, task in enumerate(tasks):
    for column, T in enumerate(TRUNCATIONS):
        axis = axes[row][column]
        for colour, method in zip(("C0", "C1", "C3"), RNN_NAMES):
            for cell in (c for c in v2 if (c["task"], c["method"], c["T"]) == (task, method, T)):
                levels = [0] + [level for level, _ in cell["trace"]] + [cell["metric"]]
                episodes = [1] + [episode for _, episode in cell["trace"]] + [cell["steps"]]
                axis.step(episodes, levels, where="post", color=colour, alpha=0.8,
                          label=RNN_NAMES[method] if cell["seed"] == 0 else None)
        axis.set_xscale("log")
        axis.set_title(f"{task}, T = {T}", fontsize=9)
    axes[row][0].set_ylabel("길이 / length solved")
axes[0][-1].legend(fontsize=7)
for axis in axes[-1]:
    axis.set_xlabel("episode")
plt.tight_layout()
plt.show()

print(f"{'task':<12}{'method':<11}{'b (levels per ×10)':>20}{'N at 2.5M':>11}{'paper mean':>12}")
for (task, method), paper in PAPER.items():
    points = np.array([p for c in v2 if (c["task"], c["method"]) == (task, method) and c["T"] in TRUNCATIONS
                       for p in c["trace"]], dtype=float)
    if len(points) < 2 or np.ptp(points[:, 1]) == 0:
        print(f"{task:<12}{RNN_NAMES[method]:<11}{'too few points':>20}")
        continue
    b, a = np.polyfit(np.log10(points[:, 1]), points[:, 0], 1)
    print(f"{task:<12}{RNN_NAMES[method]:<11}{b:>20.2f}{a + b * np.log10(PAPER_ITERATIONS):>11.1f}{np.mean(paper):>12.1f}")
"""),
("md", """
**정직하게 읽기: 순환 / An honest reading, recurrent.** (2026-12-07 에 저장된 칸 기준)

- **순서는 절반에서만 나옵니다.** 두 DNI 변형이 모두 잘린 BPTT 보다 긴 길이를 푸는 것은 8 쌍 중 4 쌍
  (Copy T = 4, 5; Repeat Copy T = 3, 4) 이고, 나머지는 동률이거나 (Copy T = 2, 3; Repeat Copy T = 2) 한 변형만
  앞섭니다 (Repeat Copy T = 5). 논문은 8 쌍 모두에서 DNI 가 앞섭니다.
- **길이가 논문보다 훨씬 짧습니다**: 우리는 길이 1–4, 논문은 7–67. 예산은 2 만 에피소드, 논문의 1/125 입니다.
  자르지 않은 BPTT 도 2 만 에피소드에 길이 6 에 그칩니다.
- **예산만의 문제가 아닙니다.** 위의 로그 맞춤은 250 만 반복에서 약 1–6 의 길이를 예측합니다 (논문 평균 8–56).
  논문의 길이에 닿으려면 맞춤으로는 10¹¹ 에피소드 이상이 필요합니다: 외삽이 거칠다는 것을 감안해도, 차이는
  반복 수가 아니라 설정에 있습니다. 정하지 못한 것: 논문의 오류 단위, 상태 초기화와 조각 정렬, 은닉 크기
  (우리 64), 0.1 배율이 부트스트랩도 할인하는지 (RESULTS.md, dni-notes).
- ĝ 는 약한 예측기입니다: 끝까지 펼친 BPTT 기울기와의 코사인 0.04–0.11.

(as stored on 2026-12-07)

- **The ordering appears in half the pairs.** Both DNI variants solve longer sequences than truncated
  BPTT in 4 of the 8 (task, T) pairs (Copy T = 4, 5; Repeat Copy T = 3, 4); the others tie (Copy T = 2, 3;
  Repeat Copy T = 2) or only one variant leads (Repeat Copy T = 5). In the paper DNI leads in all 8.
- **Lengths far below the paper's**: ours 1–4, the paper's 7–67, at 20,000 episodes, 1/125 of its
  iterations. Even untruncated BPTT reaches only length 6 in 20,000 episodes.
- **Not the budget alone.** The log fit above predicts lengths of about 1–6 at 2.5M iterations (the
  paper's means: 8–56); reaching the paper's lengths would take 10¹¹ episodes or more by the fit.
  However crude the extrapolation, the gap is in the setup, not the iteration count. Unsettled: the
  paper's error unit, state resets and chunk alignment, the hidden size (ours 64), whether its 0.1 also
  discounts the bootstrap (RESULTS.md, dni-notes).
- ĝ stays a weak predictor: cosine 0.04–0.11 with the gradient of full BPTT.

직접 더 돌려 보기 / to go further: `nice -n 19 python benchmarks/dni_recurrent.py --setup v2 --seeds 2` (격자 이어 돌리기 /
continue the grid), `tinygrad-ko dni --task copy --truncation 2 --cpu-seconds 60`,
`python benchmarks/dni_recurrent.py --profile` (LSTM 한 단계의 µs / µs per LSTM step).
"""),
("code", """
print(f"이 노트북의 CPU 시간 / this notebook's CPU time: {time.process_time() - started:.0f} s")
"""),
]
