CELLS = [
("md", """
# 4. 신경망 만들기 / Building and training an MLP

지금까지는 식 하나를 미분했습니다. 이번에는 같은 엔진으로 **신경망**을 만들고 학습시킵니다.
데이터는 패키지에 들어 있는 8×8 손글씨 숫자(학습 1,347장, 시험 450장)입니다. 필요한 것은 세 가지뿐입니다:
매개변수를 가진 모듈(`nn.Module`), 손실 함수(`nn.cross_entropy`), 그리고 기울기로 매개변수를 고치는
옵티마이저(`optim.SGD`, `optim.Adam`). 기울기는 1–3 장에서 본 역방향 모드가 구합니다.

So far we differentiated single expressions. Now the same engine builds and trains a **neural
network** on the bundled 8×8 handwritten digits (1,347 training and 450 test images). Three pieces
are enough: a module that owns parameters (`nn.Module`), a loss (`nn.cross_entropy`), and an
optimizer that changes the parameters along the gradient (`optim.SGD`, `optim.Adam`). The gradient
comes from the reverse mode of notebooks 1–3.

순서 / Contents
1. 데이터 보기 / looking at the data
2. 모듈을 직접 만들기 / writing a Module by hand
3. 역전파를 믿어도 될까? 유한 차분으로 확인 / can we trust backward? finite differences
4. 학습 루프를 손으로 한 에폭 / one epoch of the training loop, by hand
5. `fit` 으로 더 길게, SGD 와 Adam / longer with `fit`: SGD and Adam
6. 손실·정확도 곡선 / loss and accuracy curves
7. 무엇을 틀렸나: 혼동 행렬 / what it gets wrong: the confusion matrix
8. 저장하고 불러오기: state_dict / saving and loading: state_dict
"""),
("code", """
%matplotlib inline
import pathlib
import tempfile
import time

import numpy as np
import matplotlib.pyplot as plt
from tinygrad_ko.tools.figures import use_figure_fonts
from IPython.display import Image, display

from tinygrad_ko import Tensor, gradcheck, no_grad
from tinygrad_ko import nn, optim
from tinygrad_ko.data import DataLoader, digits
from tinygrad_ko.train import evaluate, fit, plot_history, single_blas_thread

use_figure_fonts()   # ∂ ² ∇ 는 DejaVu Sans, 한글은 한글 글꼴에서 / math from DejaVu Sans, Hangul from a Korean font
OUT = pathlib.Path(tempfile.gettempdir()) / "tinygrad_ko_04_mlp"   # 그림과 저장 파일 / figures and saved weights
OUT.mkdir(exist_ok=True)
notebook_start = time.perf_counter()
"""),
("md", """
## 1. 데이터 보기 / Looking at the data

`digits(split)` 는 `(X, y)` 를 돌려줍니다. X 의 한 행은 그림 한 장을 64 개 픽셀로 편 것이고 값은
0 ~ 1 사이, y 는 0 ~ 9 의 정답입니다. `flatten=False` 로 받으면 8×8 그림 모양 그대로입니다.

`digits(split)` returns `(X, y)`: each row of X is one image flattened into 64 pixels in [0, 1],
and y holds the labels 0–9. With `flatten=False` the images keep their 8×8 shape.
"""),
("code", """
X_train, y_train = digits("train")
X_test, y_test = digits("test")
print("train:", X_train.shape, X_train.dtype, " test:", X_test.shape, " labels:", y_train.dtype)
print(f"pixels in [{X_train.min()}, {X_train.max()}]", " images per class (train):", np.bincount(y_train))
assert X_train.shape == (1347, 64) and X_test.shape == (450, 64)

images, labels = digits("train", flatten=False)
figure, axes = plt.subplots(2, 8, figsize=(9, 2.8))
for axis, image, label in zip(axes.flat, images, labels):
    axis.imshow(image, cmap="gray_r")
    axis.set_title(f"y = {label}")
    axis.axis("off")
figure.suptitle("학습 데이터의 처음 16장 / the first 16 training images")
plt.show()
"""),
("md", """
8×8 이면 64 개의 숫자입니다. 사람 눈에도 꽤 흐릿하지만, 숫자를 구별할 정보는 충분히 남아 있습니다.
우리 신경망의 입력은 이 64 개의 숫자이고, 출력은 "각 숫자일 가능성"을 나타내는 10 개의 점수(로짓)입니다.

8×8 is just 64 numbers: blurry to the eye, but enough to tell the digits apart. Our network reads
these 64 numbers and outputs 10 scores (logits), one per digit.
"""),
("md", """
## 2. 모듈을 직접 만들기 / Writing a Module by hand

2층 신경망: 입력 x (64) → `Linear` (64 → 64) → ReLU → `Linear` (64 → 10) → 로짓.
`Linear` 는 y = x W + b 입니다 (W 의 모양은 (입력 수, 출력 수)).

`nn.Module` 을 상속하고 `__init__` 에서 층을 **속성으로 대입**하기만 하면 됩니다. 대입하는 순간
모듈이 그 층을 하위 모듈로 등록하고, `parameters()` 가 그 안의 매개변수를 모두 정해진 순서로 찾아 줍니다.
숫자나 문자열 같은 보통 속성은 등록되지 않습니다. `forward` 에는 계산을 적습니다.

A two-layer network: x (64) → `Linear` (64 → 64) → ReLU → `Linear` (64 → 10) → logits, where
`Linear` computes y = x W + b with W of shape (inputs, outputs). Subclass `nn.Module` and **assign**
the layers as attributes in `__init__`: assignment registers them, and `parameters()` finds every
parameter inside, in a fixed order. Plain attributes (a string, a number) are not registered.
`forward` says what to compute.
"""),
("code", """
class TwoLayerNet(nn.Module):
    \"\"\"x → Linear → ReLU → Linear → logits.\"\"\"

    def __init__(self, n_in=64, n_hidden=64, n_out=10, dtype=None):
        super().__init__()                                   # 먼저! 등록할 자리를 만듭니다 / first: makes the registries
        self.hidden = nn.Linear(n_in, n_hidden, dtype=dtype) # 대입 = 등록 / assigning registers it
        self.output = nn.Linear(n_hidden, n_out, dtype=dtype)
        self.sizes = f"{n_in} → {n_hidden} → {n_out}"       # 보통 속성: 매개변수 아님 / a plain attribute

    def forward(self, x):
        return self.output(self.hidden(x).relu())


nn.manual_seed(0)            # 가중치 초기값을 고정 / fixes the initial weights
model = TwoLayerNet()
initial_state = model.state_dict()          # 나중에 비교하려고 처음 값을 복사해 둡니다 / a copy, for later
print(model)
for name, parameter in model.named_parameters():
    print(f"  {name:<14} {str(parameter.shape):<9} requires_grad={parameter.requires_grad}")
print(f"parameters: {model.num_parameters():,}  = 64·64 + 64 + 64·10 + 10")
assert [name for name, _ in model.named_parameters()] == \\
    ["hidden.weight", "hidden.bias", "output.weight", "output.bias"]
assert model.num_parameters() == 64 * 64 + 64 + 64 * 10 + 10
"""),
("md", """
`super().__init__()` 를 빠뜨리면 등록할 곳이 없으므로, 모듈이 무엇을 고치라고 알려 줍니다.
Forget `super().__init__()` and there is nowhere to register the layers; the error says what to fix.
"""),
("code", """
class Forgetful(nn.Module):
    def __init__(self):
        self.layer = nn.Linear(2, 2)     # super().__init__() 없음 / no super().__init__()

try:
    Forgetful()
except nn.ModuleError as error:
    print("ModuleError:", error)
"""),
("md", """
다섯 장을 넣어 봅시다. 로짓은 (5, 10) 이고, 소프트맥스를 거치면 각 행이 합 1 인 확률이 됩니다.
아직 학습 전이라 예측은 엉터리입니다. **교차 엔트로피** L = −log softmax(z)_y 는 정답 클래스의 확률이
작을수록 큽니다. 열 클래스에 고르게 찍으면 L = ln 10 ≈ 2.30 이니, 처음 손실은 그 근처여야 합니다.

Feed five images. The logits have shape (5, 10); softmax turns each row into probabilities that sum
to 1. Untrained, the guesses are random. **Cross-entropy** L = −log softmax(z)_y is large when the
true class gets a small probability; guessing uniformly over ten classes gives ln 10 ≈ 2.30, so the
first loss should be near that.
"""),
("code", """
logits = model(Tensor(X_train[:5]))
probabilities = logits.softmax(axis=1).detach().numpy()
print("logits:", logits.shape, " row sums of softmax:", probabilities.sum(axis=1).round(6))
print("predicted:", probabilities.argmax(axis=1), " true:", y_train[:5])
assert np.allclose(probabilities.sum(axis=1), 1, atol=1e-6)

loss = nn.cross_entropy(model(Tensor(X_train)), y_train)
print(f"loss before training: {loss.item():.3f}   (ln 10 = {np.log(10):.3f})")
assert 1.5 < loss.item() < 4.0
"""),
("md", """
## 3. 역전파를 믿어도 될까? / Can we trust backward?

`loss.backward()` 는 모든 매개변수의 `.grad` 에 ∂L/∂θ 를 채웁니다. 맞는 값일까요? 정의대로
확인해 봅니다: 가중치 하나를 h 만큼 올리고 내려서 손실을 두 번 계산하면

  ∂L/∂θ ≈ (L(θ + h) − L(θ − h)) / 2h   (중심 차분 / central difference)

반올림 오차를 줄이려고 float64 로 만든 작은 망(은닉 8)에서 합니다.

`loss.backward()` fills every parameter's `.grad` with ∂L/∂θ. Is it right? Check by definition: nudge
one weight up and down by h, evaluate the loss twice, and take the central difference. We use a small
float64 network (8 hidden units) so rounding does not blur the comparison.
"""),
("code", """
nn.manual_seed(1)
small = TwoLayerNet(64, 8, 10, dtype=np.float64)
xb, yb = Tensor(X_train[:16].astype(np.float64)), y_train[:16]

loss = nn.cross_entropy(small(xb), yb)
loss.backward()
W = small.hidden.weight
backward_grad = W.grad.numpy().copy()

def loss_now():
    with no_grad():
        return nn.cross_entropy(small(xb), yb).item()

h = 1e-6
for i, j in [(20, 0), (27, 3), (45, 7)]:            # (픽셀, 은닉 유닛) / (pixel, hidden unit)
    original = W.data[i, j]
    W.data[i, j] = original + h; loss_plus = loss_now()
    W.data[i, j] = original - h; loss_minus = loss_now()
    W.data[i, j] = original
    numeric = (loss_plus - loss_minus) / (2 * h)
    print(f"∂L/∂W[{i},{j}]:  backward {backward_grad[i, j]:+.9f}   finite difference {numeric:+.9f}")
    assert abs(numeric - backward_grad[i, j]) < 1e-7
"""),
("md", """
세 개만 본 것으로는 부족하니, `gradcheck` 로 층 전체(W 의 512 개와 b 의 8 개 항목 전부)를
순방향 모드(`jacfwd`)와 역방향 모드(`jacrev`) 둘 다 유한 차분과 비교합니다. 모듈을 "매개변수를
받는 함수"로 바꾸는 것은 `functional_call` 이 합니다.

Three entries are not a proof. `gradcheck` compares the whole layer (all 512 entries of W and 8 of
b) in both forward mode (`jacfwd`) and reverse mode (`jacrev`) against finite differences.
`functional_call` turns the module into a function of the parameters we pass in.
"""),
("code", """
def loss_of_hidden_layer(weight, bias):
    replaced = {"hidden.weight": weight, "hidden.bias": bias}
    return nn.cross_entropy(nn.functional_call(small, replaced, xb), yb)

passed = gradcheck(loss_of_hidden_layer, small.hidden.weight, small.hidden.bias, modes=("fwd", "rev"))
print("gradcheck of the hidden layer, forward and reverse mode:", passed)
"""),
("md", """
## 4. 학습 루프를 손으로 / The training loop, by hand

한 걸음(step)은 다섯 줄입니다.

1. `optimizer.zero_grad()` — 지난 배치의 기울기를 지웁니다
2. `logits = model(Tensor(xb))` — 순전파 (그래프가 기록됨)
3. `loss = nn.cross_entropy(logits, yb)` — 손실
4. `loss.backward()` — 역전파: 모든 ∂L/∂θ 를 `.grad` 로
5. `optimizer.step()` — θ ← θ − lr · ∂L/∂θ (SGD 의 경우)

왜 1 번이 필요할까요? `backward` 는 `.grad` 에 **더하기** 때문입니다 (한 값이 여러 곳에 쓰이면 기울기를
모두 더해야 하므로, 1 장의 경로의 합 규칙). 지우지 않으면 배치들의 기울기가 쌓입니다.

One step is five lines: zero the gradients, forward, loss, backward, step. Why step 1? Because
`backward` **adds** into `.grad` (a value used in several places must sum its gradients — the
sum-over-paths rule of notebook 1), so without it the batches' gradients pile up.
"""),
("code", """
small.zero_grad()
nn.cross_entropy(small(xb), yb).backward()
once = small.output.bias.grad.numpy().copy()
nn.cross_entropy(small(xb), yb).backward()        # zero_grad 없이 한 번 더 / again, without zero_grad
twice = small.output.bias.grad.numpy()
print("backward twice without zero_grad gives 2 × the gradient:", np.allclose(twice, 2 * once))
assert np.allclose(twice, 2 * once)
"""),
("md", """
이제 한 에폭(epoch: 학습 데이터를 한 바퀴)을 손으로 돌립니다. `DataLoader` 는 에폭마다 순서를 섞어
32 장씩 미니배치를 내줍니다 (`seed` 로 순서 고정). 1,347 / 32 → 43 걸음입니다.
작은 행렬은 BLAS 스레드 하나가 더 빠르므로 `single_blas_thread()` 안에서 돌립니다.

Now one epoch (one pass over the training data) by hand. `DataLoader` shuffles every epoch and hands
out mini-batches of 32 (`seed` fixes the order): 1,347 / 32 → 43 steps. Small matrices run faster on
one BLAS thread, hence `single_blas_thread()`.
"""),
("code", """
optimizer = optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(X_train, y_train, batch_size=32, shuffle=True, seed=0)

batch_losses = []
with single_blas_thread():
    for xb, yb in loader:
        optimizer.zero_grad()                    # 1. 기울기 지우기 / forget the last gradient
        logits = model(Tensor(xb))               # 2. 순전파 / forward
        loss = nn.cross_entropy(logits, yb)      # 3. 손실 / loss
        loss.backward()                          # 4. 역전파 / backward: ∂L/∂θ into .grad
        optimizer.step()                         # 5. θ ← θ − lr·∂L/∂θ
        batch_losses.append(loss.item())

first_train_loss, _ = evaluate(model, X_train, y_train)
first_test_loss, first_test_accuracy = evaluate(model, X_test, y_test)
print(f"steps in one epoch: {len(batch_losses)}")
print(f"batch loss: first 5 steps {np.mean(batch_losses[:5]):.2f}, last 5 steps {np.mean(batch_losses[-5:]):.2f}")
print(f"after 1 epoch: test accuracy {first_test_accuracy:.2f}")
assert len(batch_losses) == len(loader) == 43
assert np.mean(batch_losses[-5:]) < np.mean(batch_losses[:5])
"""),
("md", """
## 5. `fit` 으로 더 길게 / Longer with `fit`

`tinygrad_ko.train.fit` 은 위의 다섯 줄을 에폭만큼 되풀이하고, 에폭이 끝날 때마다 학습·시험 데이터의
손실과 정확도를 `History` 에 적습니다. 같은 모델과 옵티마이저로 29 에폭 더, 모두 30 에폭입니다.

`fit` repeats the same five lines epoch after epoch and, at the end of each epoch, records train and
test loss and accuracy in a `History`. Same model, same optimizer: 29 more epochs, 30 in all.
"""),
("code", """
with single_blas_thread():
    history_sgd = fit(model, optimizer, (X_train, y_train), (X_test, y_test),
                      epochs=29, batch_size=32, seed=1, progress=False)

sgd_accuracy = history_sgd.test_accuracy[-1]
print(f"SGD (lr = 0.1), 30 epochs, {optimizer.steps} steps in {history_sgd.seconds:.1f} s: "
      f"test accuracy {sgd_accuracy:.3f}")
print("SGD test accuracy ≥ 0.95:", sgd_accuracy >= 0.95)
assert sgd_accuracy >= 0.95
"""),
("md", """
**Adam** 은 좌표마다 기울기의 크기를 따로 재어 걸음 크기를 맞춥니다 (`optim.Adam` 의 설명 참고).
공정하게 비교하려면 출발점이 같아야 합니다. 라이브러리의 `nn.MLP([64, 64, 10])` 은 우리가 만든
`TwoLayerNet` 과 똑같은 구조(Linear, ReLU, Linear)이고, 같은 시드로 만들면 초기 가중치까지 같습니다.
매개변수 이름만 다릅니다 (`hidden.weight` 대신 `0.weight`).

**Adam** scales each coordinate's step by a running estimate of its gradient's size (see the
docstring of `optim.Adam`). For a fair race both start from the same point: the library's
`nn.MLP([64, 64, 10])` is the same architecture as our `TwoLayerNet` (Linear, ReLU, Linear) and,
built after the same seed, has the same initial weights. Only the parameter names differ.
"""),
("code", """
nn.manual_seed(0)
model_adam = nn.MLP([64, 64, 10])
print(model_adam)
same_start = all(np.array_equal(a, b) for a, b in zip(initial_state.values(), model_adam.state_dict().values()))
print("names:", list(model_adam.state_dict()), " same initial weights as TwoLayerNet:", same_start)
assert same_start

optimizer_adam = optim.Adam(model_adam.parameters(), lr=1e-3)
with single_blas_thread():
    history_adam = fit(model_adam, optimizer_adam, (X_train, y_train), (X_test, y_test),
                       epochs=30, batch_size=32, seed=0, progress=False)
adam_accuracy = history_adam.test_accuracy[-1]
print(f"Adam (lr = 0.001), 30 epochs in {history_adam.seconds:.1f} s: test accuracy {adam_accuracy:.3f}")
print("Adam test accuracy ≥ 0.95:", adam_accuracy >= 0.95)
assert adam_accuracy >= 0.95
"""),
("md", """
## 6. 손실·정확도 곡선 / Loss and accuracy curves

`plot_history` 는 두 칸짜리 그림을 파일로 저장합니다: 왼쪽은 걸음마다의 배치 손실(회색)과 에폭마다의
손실, 오른쪽은 에폭마다의 정확도. 저장된 PNG 를 노트북에 띄웁니다.

`plot_history` saves a two-panel figure to a file: batch loss per step (grey) and loss per epoch on
the left, accuracy per epoch on the right. We display the saved PNG.
"""),
("code", """
path = plot_history(history_sgd, OUT / "history_sgd.png", title="SGD, lr = 0.1 (epochs 2–30)")
print("written:", path)
display(Image(filename=str(path)))
"""),
("md", """
두 옵티마이저를 나란히 그려 봅니다 (SGD 의 첫 점은 손으로 돌린 에폭입니다).
학습 손실은 계속 내려가지만 시험 정확도는 어느 순간부터 거의 그대로입니다: 남은 차이는 이 망이
학습 데이터에서 배운 것이 새 그림에 얼마나 옮겨 가느냐의 문제입니다.

Both optimizers side by side (SGD's first point is the epoch run by hand). Train loss keeps falling
while test accuracy levels off: the remaining gap is about how well what was learnt on the training
images carries over to new ones.
"""),
("code", """
sgd_train_loss = [first_train_loss] + history_sgd.train_loss      # 손으로 돌린 에폭 + fit / by hand + fit
sgd_test = [first_test_accuracy] + history_sgd.test_accuracy
epochs = np.arange(1, 31)
figure, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
left.plot(epochs, sgd_train_loss, "o-", markersize=3, label="SGD, train")
left.plot(epochs, history_adam.train_loss, "s-", markersize=3, label="Adam, train")
left.set(xlabel="epoch", ylabel="cross-entropy", yscale="log", title="학습 손실 / train loss")
left.legend()
right.plot(epochs, 100 * np.array(sgd_test), "o-", markersize=3, label="SGD, test")
right.plot(epochs, 100 * np.array(history_adam.test_accuracy), "s-", markersize=3, label="Adam, test")
right.set(xlabel="epoch", ylabel="accuracy (%)", ylim=(40, 100), title="시험 정확도 / test accuracy")
right.grid(alpha=0.3)
right.legend(loc="lower right")
plt.show()
"""),
("md", """
## 7. 무엇을 틀렸나 / What does it get wrong?

**혼동 행렬**: 행은 정답, 열은 예측입니다. 대각선이 맞힌 수, 나머지 칸이 틀린 수입니다.
대각선의 합 / 450 이 곧 시험 정확도입니다.

The **confusion matrix**: rows are true labels, columns are predictions; the diagonal counts the hits
and its sum / 450 is the test accuracy.
"""),
("code", """
with no_grad():
    predictions = model(Tensor(X_test)).numpy().argmax(axis=1)
confusion = np.zeros((10, 10), dtype=int)
np.add.at(confusion, (y_test, predictions), 1)
assert confusion.sum() == len(y_test)
assert np.isclose(np.trace(confusion) / len(y_test), sgd_accuracy)

figure, axis = plt.subplots(figsize=(5.2, 4.6))
axis.imshow(confusion, cmap="Blues")
for true in range(10):
    for predicted in range(10):
        count = confusion[true, predicted]
        if count:
            axis.text(predicted, true, count, ha="center", va="center",
                      color="white" if count > 20 else "black", fontsize=8)
axis.set(xticks=range(10), yticks=range(10), xlabel="예측 / predicted", ylabel="정답 / true",
         title="혼동 행렬 (SGD) / confusion matrix")
plt.show()

mistakes = confusion - np.diag(np.diag(confusion))
true, predicted = np.unravel_index(mistakes.argmax(), mistakes.shape)
print(f"mistakes: {mistakes.sum()} of {len(y_test)}; most frequent: a {true} read as {predicted} "
      f"({mistakes[true, predicted]} times)")
"""),
("md", """
틀린 그림들을 직접 봅시다. 사람이 봐도 헷갈리는 것이 많습니다.
Here are the misclassified images; many are hard for a person too.
"""),
("code", """
wrong = np.flatnonzero(predictions != y_test)
shown = wrong[:12]
figure, axes = plt.subplots(1, len(shown), figsize=(1.1 * len(shown), 1.9), squeeze=False)
for axis, index in zip(axes[0], shown):
    axis.imshow(X_test[index].reshape(8, 8), cmap="gray_r")
    axis.set_title(f"{y_test[index]}→{predictions[index]}", fontsize=9)
    axis.axis("off")
figure.suptitle("정답→예측 / true→predicted", y=1.02)
plt.show()
"""),
("md", """
## 8. 저장하고 불러오기 / Saving and loading: `state_dict`

`state_dict()` 는 매개변수(와 버퍼)를 이름 → NumPy 배열 **복사본**으로 모은 사전입니다. 그대로
`np.savez` 로 저장하고, 같은 구조의 새 모델에 `load_state_dict` 로 넣으면 같은 예측이 나와야 합니다.

`state_dict()` collects the parameters (and buffers) as name → a **copy** as a NumPy array. Save it
with `np.savez`; loading it into a fresh model of the same architecture must give the same predictions.
"""),
("code", """
state = model.state_dict()
print({name: array.shape for name, array in state.items()})
weights_file = OUT / "two_layer_digits.npz"
np.savez(weights_file, **state)
print("written:", weights_file)

nn.manual_seed(123)
restored = TwoLayerNet()                     # 다른 초기값 / different random weights
print(f"fresh model: test accuracy {evaluate(restored, X_test, y_test)[1]:.2f}")
with np.load(weights_file) as saved:
    restored.load_state_dict(dict(saved))
with no_grad():
    same = np.array_equal(model(Tensor(X_test)).detach().numpy(), restored(Tensor(X_test)).detach().numpy())
print(f"after load_state_dict: test accuracy {evaluate(restored, X_test, y_test)[1]:.3f}")
print("state_dict round trip gives identical logits:", same)
assert same
"""),
("md", """
이름이 맞아야 불러올 수 있습니다. 구조가 같은 `nn.MLP` 의 가중치라도 이름(`0.weight`)이 다르면
아무것도 바꾸지 않고 무엇이 다른지 알려 줍니다.

Names must match: even the weights of the identical `nn.MLP` (named `0.weight`, ...) are refused,
nothing is changed, and the error lists what differs.
"""),
("code", """
try:
    restored.load_state_dict(model_adam.state_dict())
except nn.ModuleError as error:
    print("ModuleError:", error)
print(f"notebook ran in {time.perf_counter() - notebook_start:.1f} s")
"""),
("md", """
## 해 볼 것 / Try it yourself

- 학습률을 1.0 이나 0.01 로 바꾸면 곡선이 어떻게 변하나요? / Change the SGD learning rate to 1.0 or 0.01.
- 은닉 유닛을 16 이나 256 으로 / 16 or 256 hidden units.
- `optim.SGD(..., momentum=0.9)` 와 Adam 을 비교 / momentum 0.9 against Adam.
- `TwoLayerNet` 에 층을 하나 더 넣고 `num_parameters()` 를 예측한 뒤 확인 / add a layer; predict, then
  check `num_parameters()`.
"""),
]
