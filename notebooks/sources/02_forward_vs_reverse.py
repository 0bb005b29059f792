CELLS = [
("md", """
# 2. 순방향 vs 역방향 / Forward vs reverse mode

함수 f: Rⁿ → Rᵐ 의 미분은 m × n 행렬, **야코비안** J 입니다. 두 모드는 이 행렬을 서로 다른
방향에서 채웁니다.

- **순방향 모드**는 한 번 지나갈 때 J·v, 즉 **열 하나**를 얻습니다 (입력 방향 v 하나). 열이 n 개이므로 n 번.
- **역방향 모드**는 한 번 지나갈 때 uᵀ·J, 즉 **행 하나**를 얻습니다 (출력 방향 u 하나). 행이 m 개이므로 m 번.

그래서 입력이 많고 출력이 적으면(손실 함수: m = 1) 역방향이, 입력이 적고 출력이 많으면 순방향이
유리합니다. 이 노트북에서는 그 말을 믿는 대신 **세고 재어** 봅니다: 패스 수, FLOP, 시간, 테이프 메모리.

The derivative of f: Rⁿ → Rᵐ is the m × n **Jacobian** J. Forward mode gets one **column** J·v per
pass (n passes); reverse mode gets one **row** uᵀ·J per pass (m passes). So reverse mode wins with
many inputs and few outputs (a loss has m = 1), forward mode with few inputs and many outputs.
Here we count and time it instead of believing it: passes, FLOPs, time and tape memory.
"""),
("code", """
%matplotlib inline
import numpy as np
import matplotlib.pyplot as plt
from tinygrad_ko.tools.figures import use_figure_fonts
from tinygrad_ko import Tensor, grad, jvp, jacfwd, jacrev
from tinygrad_ko.tools.cost import (count_ops, compare_modes, make_example, run_sweep,
                                    make_sweep_figure, cheap_gradient_check, make_mlp)

use_figure_fonts()   # ∂ ² ∇ 는 DejaVu Sans, 한글은 한글 글꼴에서 / math from DejaVu Sans, Hangul from a Korean font
"""),
("md", """
## 1. 세는 도구 / The counter

`count_ops()` 블록 안에서 실행된 모든 프리미티브 연산을 셉니다. 연산마다 어느 일에 속하는지 꼬리표가 붙습니다.

- `primal`: 함수 자체의 계산 / evaluating f itself
- `jvp`: 순방향 모드의 접선 계산 / forward mode's tangents
- `vjp`: 역방향 모드의 backward / reverse mode's backward pass

FLOP 수는 각 프리미티브의 레지스트리 항목에서 옵니다. 미분 규칙도 텐서 연산으로 쓰여 있으므로,
규칙의 비용은 규칙이 실행한 연산의 비용 그대로입니다.

`count_ops()` counts every primitive run inside the block, labelled with the work it belongs to. The
FLOPs come from each primitive's registry entry; derivative rules are Tensor operations, so their
cost is simply the cost of the operations they run.
"""),
("code", """
x = Tensor(np.array([0.5, -1.0, 2.0]))
with count_ops() as counts:
    g = jacrev(lambda x: (x * x).sin().sum())(x)
print(counts.table())
"""),
("md", """
## 2. 한 쪽이 큰 두 경우 / Two lopsided cases

`make_example("dense", n, m)` 은 tanh 층 두 개 (n → 64 → m) 로 된 함수입니다. n = 100, m = 1 (입력이
많음) 과 n = 1, m = 100 (출력이 많음) 을 비교합니다. `compare_modes` 는 `jacfwd` 와 `jacrev` 로
야코비안을 만들고, 세고, 시간을 재고, 두 결과가 같은지 확인합니다.

`make_example("dense", n, m)` is two tanh layers, n → 64 → m. We compare n = 100, m = 1 (many inputs)
with n = 1, m = 100 (many outputs). `compare_modes` builds the Jacobian with `jacfwd` and `jacrev`,
counts, times, and checks that both agree.
"""),
("code", """
wide_input = make_example("dense", n=100, m=1)
result = compare_modes(wide_input.function, wide_input.point, repeats=3)
print(result.table())
print("fewer FLOPs:", result.cheaper_by_flops)
assert result.agree and result.cheaper_by_flops == "jacrev"
"""),
("code", """
wide_output = make_example("dense", n=1, m=100)
result = compare_modes(wide_output.function, wide_output.point, repeats=3)
print(result.table())
print("fewer FLOPs:", result.cheaper_by_flops)
assert result.agree and result.cheaper_by_flops == "jacfwd"
"""),
("md", """
표를 읽는 법: `passes` 가 n 과 m 을 그대로 따라갑니다 (100 fwd 대 1 bwd, 1 fwd 대 100 bwd).
FLOP 도 거의 패스 수에 비례합니다. 역방향 모드에는 테이프(tape peak)가 있고 순방향 모드는 0 입니다 — 4 절에서 다룹니다.

How to read the tables: the passes follow n and m exactly (100 forward vs 1 backward, and the other
way round), and the FLOPs follow the passes. Reverse mode keeps a tape; forward mode keeps
nothing — section 4.

## 3. 교차점 / The crossover

n 을 바꾸면서 (m = 16 고정) 그리고 m 을 바꾸면서 (n = 16 고정) 두 모드를 잽니다. 양 축이 로그 눈금이라
n 에 비례하는 비용은 기울기 1 의 직선, 일정한 비용은 수평선입니다. 두 선은 **n ≈ m** 근처에서 만납니다.
점선은 한 번의 벡터화된 패스로 야코비안 전체를 만드는 방법입니다 (시간만 그립니다).

We vary n with m = 16 fixed, and m with n = 16 fixed. Both axes are logarithmic: a cost growing
like n is a line of slope 1, a constant cost a flat line. The lines cross near **n ≈ m**. Dotted
lines build the whole Jacobian in one vectorised pass (drawn for time only).
"""),
("code", """
sweep = run_sweep(["dense", "elementwise"], sizes=(1, 4, 16, 64), fixed=16, repeats=2)
print(sweep.table())
"""),
("code", """
make_sweep_figure(sweep, metrics=("flops", "seconds"))
"""),
("code", """
def crossover(sweep, example, vary):
    \"\"\"The first size along the line where the winner (fewer FLOPs) changes.\"\"\"
    line = sweep.line(example, vary)
    winners = [point.comparison.cheaper_by_flops for point in line]
    for before, after, point in zip(winners, winners[1:], line[1:]):
        if before != after:
            return f"{before} → {after} at {vary} = {getattr(point, vary)}"
    return f"{winners[0]} everywhere"

for example in sweep.examples:
    for vary in ("n", "m"):
        print(f"{example:<12} vary {vary} (the other = {sweep.fixed}): {crossover(sweep, example, vary)}")
"""),
("md", """
n 이 m(= 16) 에 이르면 역방향이, m 이 n(= 16) 보다 커지면 순방향이 이깁니다: 교차점은 n ≈ m 입니다.
정확히 n = m 에서는 역방향이 조금 쌉니다. 순방향은 패스마다 함수 값도 다시 계산하지만(n × (f + 접선)),
역방향은 함수를 한 번만 계산하고 backward 만 m 번 하기 때문입니다 (f + m × backward).

Reverse mode wins once n reaches m (= 16), forward mode once m grows past n: the crossover is at
n ≈ m. At exactly n = m reverse mode is a little cheaper here: forward mode evaluates f again in
every pass (n × (f + tangent)), reverse mode evaluates it once and then runs m backward passes
(f + m × backward).

## 4. 값싼 기울기 원리 / The cheap-gradient principle

손실 함수는 출력이 하나(m = 1)이므로 역방향 모드는 backward **한 번**으로 모든 매개변수의 기울기를 줍니다.
그 비용은 매개변수 수와 상관없이 함수 계산 비용의 **작은 상수배**입니다 (Griewank 의 상한은 5,
행렬곱이 대부분이면 약 3: 순방향에서 층마다 곱 하나, backward 에서 ∂L/∂W 와 ∂L/∂h 두 개).
순방향 모드는 매개변수 하나당 한 번씩 지나가야 합니다.

A loss has one output, so reverse mode gives the gradient for **all** parameters with one
backward pass, for a **small constant** times the cost of evaluating the loss, whatever the number
of parameters (Griewank's bound is 5; with mostly matrix products it is about 3: one product per
layer forward, two — ∂L/∂W and ∂L/∂h — backward). Forward mode needs one pass per parameter.

MLP 784-256-256-10 (매개변수 269,322 개) 로 재어 봅니다. 순방향 모드의 시간은 매개변수 텐서마다
한 번 잰 값 × 텐서 크기로 추정합니다 (전부 돌리면 몇 분이 걸립니다; FLOP 은 정확합니다).
Measured on the MLP 784-256-256-10 (269,322 parameters). Forward mode's time is estimated from one
measured pass per parameter tensor times its size (all of them would take minutes; the FLOPs are exact).
"""),
("code", """
cheap = cheap_gradient_check(make_mlp((784, 256, 256, 10), batch=64), repeats=3)
print(cheap.table())
reverse_over_forward = cheap.ratio(cheap.reverse, "flops")
forward_mode_over_forward = cheap.ratio(cheap.forward_mode, "flops")
print(f"reverse-mode gradient = {reverse_over_forward:.2f} x forward pass (FLOPs)")
print(f"forward-mode gradient = {forward_mode_over_forward:,.0f} x forward pass (FLOPs)")
assert reverse_over_forward <= 3
"""),
("md", """
## 5. 테이프 메모리 / Tape memory: what reverse mode pays

역방향 모드는 공짜가 아닙니다. backward 가 읽을 중간값(각 층의 출력 등)을 순방향 계산 동안 **모두
기억**해야 합니다. 이것을 테이프라고 부릅니다. 층이 L 개면 테이프도 L 에 비례해 자랍니다.
순방향 모드는 접선을 값과 함께 들고 가므로 아무것도 기억하지 않습니다 (테이프 0).

Reverse mode is not free: the backward pass reads values of the forward pass (each layer's
output…), so they must all be **kept** until then — the tape. With L layers the tape grows like
L. Forward mode carries its tangent along with the value and keeps nothing.

아래는 길이 1000 인 벡터에 tanh 층을 L 번 적용한 함수의 기울기를 구할 때 테이프의 최대 크기입니다.
Below: the peak tape while taking the gradient of L tanh layers applied to a vector of 1,000 numbers.
"""),
("code", """
rng = np.random.default_rng(0)
vector = Tensor(rng.standard_normal(1000))          # float64: 8,000 bytes per stored vector
direction = Tensor(rng.standard_normal(1000))

def deep(x, layers):
    for _ in range(layers):
        x = (x * 0.9 + 0.1).tanh()
    return x.sum()

depths = [1, 2, 4, 8, 16, 32]
reverse_tape, forward_tape = [], []
for layers in depths:
    with count_ops() as reverse_counts:
        grad(lambda x: deep(x, layers))(vector)
    with count_ops() as forward_counts:
        jvp(lambda x: deep(x, layers), (vector,), (direction,))
    reverse_tape.append(reverse_counts.tape_peak_bytes)
    forward_tape.append(forward_counts.tape_peak_bytes)
    print(f"L = {layers:>2}: reverse tape peak {reverse_counts.tape_peak_bytes:>9,} bytes, "
          f"forward {forward_counts.tape_peak_bytes} bytes")
per_layer = (reverse_tape[-1] - reverse_tape[-2]) / (depths[-1] - depths[-2])
print(f"tape per layer: {per_layer:,.0f} bytes = {per_layer / 8000:.0f} vectors of 1,000 float64")
assert all(t == 0 for t in forward_tape)
"""),
("code", """
figure, ax = plt.subplots(figsize=(6.5, 4))
ax.plot(depths, [t / 1e3 for t in reverse_tape], "s-", color="tab:orange", label="역방향 / reverse (grad)")
ax.plot(depths, [t / 1e3 for t in forward_tape], "o-", color="tab:blue", label="순방향 / forward (jvp)")
ax.set_xlabel("층 수 / layers L")
ax.set_ylabel("테이프 최대 / tape peak [kB]")
ax.set_title("테이프는 깊이에 비례 / the tape grows with depth")
ax.legend()
plt.show()
"""),
("md", """
층마다 벡터 몇 개씩(층 안의 곱셈·덧셈·tanh 결과)이 테이프에 남습니다. 큰 신경망을 학습할 때 메모리를
가장 많이 쓰는 것이 바로 이 테이프이고, 그래서 "중간값을 버렸다가 backward 때 다시 계산하는"
체크포인팅 같은 기법이 있습니다: 메모리를 아끼는 대신 계산을 더 합니다.

Each layer leaves a few vectors on the tape (the results of its multiply, add and tanh). Training a
large network, this tape is what fills the memory; checkpointing trades it back for compute — drop
intermediate values and recompute them during the backward pass.

### 정리 / Summary

| | 순방향 / forward | 역방향 / reverse |
|---|---|---|
| 한 패스가 주는 것 / one pass gives | 열 J·v / a column | 행 uᵀJ / a row |
| 야코비안 전체 / full Jacobian | n 패스 / passes | m 패스 / passes |
| 손실의 기울기 (m = 1) / gradient of a loss | n 패스 — 느림 / slow | 1 패스, ≈ 2–3 × f |
| 메모리 / memory | 테이프 없음 / no tape | 깊이에 비례 / grows with depth |
"""),
]
