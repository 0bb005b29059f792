CELLS = [
("md", """
# 1. 계산 그래프와 역전파 / Computational graphs and backpropagation

식 하나를 계산할 때마다 tinygrad_ko 는 그 계산을 **그래프**로 기록합니다. 노드는 값이고, 간선은
"이 값이 저 값을 만드는 데 쓰였다"는 뜻입니다. 미분은 이 그래프 위에서 간선마다 붙은 작은 미분
(국소 미분)을 곱하고 더하는 일입니다. 이 노트북에서는 Chris Olah 의 유명한 예제
`c = a + b, d = b + 1, e = c · d` 를 직접 만들고, 그림으로 그리고, 두 가지 방향으로 미분합니다.

Every time tinygrad_ko evaluates an expression it records a **graph**: nodes are values, and an
edge says "this value was used to make that one". Differentiating means multiplying and adding the
small derivatives written on the edges. We build Chris Olah's example `e = (a + b)(b + 1)`, draw
it, and differentiate it in both directions.

순서 / Contents
1. 그래프 만들기와 그리기 / building and drawing the graph
2. 간선의 국소 미분 / the local derivative on each edge
3. 순방향 모드: a 에서, b 에서 / forward mode from a and from b
4. 역방향 모드: e 에서 / reverse mode from e
5. 경로의 합 규칙 / the sum-over-paths rule
6. 경로를 묶으면 싸지는 이유 / why factoring the paths makes it cheap
7. 직접 식을 바꿔 보기 / change the expression yourself
"""),
("code", """
%matplotlib inline
import numpy as np
import matplotlib.pyplot as plt
from tinygrad_ko.tools.figures import use_figure_fonts
from tinygrad_ko import Tensor, jvp, no_grad
from tinygrad_ko.ops import PRIMITIVES
from tinygrad_ko.tools.viz import draw, step_through, expression_graph
from tinygrad_ko.tools.cost import count_ops
from tinygrad_ko.tools.olah import olah, olah_graph, olah_nodes

use_figure_fonts()   # ∂ ² ∇ 는 DejaVu Sans, 한글은 한글 글꼴에서 / math from DejaVu Sans, Hangul from a Korean font
"""),
("md", """
## 1. 그래프 만들기 / Building the graph

a = 2, b = 1 에서 시작합니다. `requires_grad=True` 는 "이 값에 대한 미분을 알고 싶다"는 표시이고,
`name` 은 그림에 나올 이름입니다. 곱셈·덧셈 한 번마다 노드가 하나씩 생깁니다.

We start at a = 2, b = 1. `requires_grad=True` marks the inputs we want derivatives for; `name` is
the label on the drawing. Every addition and multiplication adds one node.
"""),
("code", """
import inspect
print(inspect.getsource(olah_nodes))   # 그래프를 만드는 코드 (tinygrad_ko/tools/olah.py) / the code that builds it

a, b, c, d, e = olah_graph(dtype=np.float64)   # a = 2, b = 1, 이름 a…e / named a…e, as in the figure
print("c =", c.item(), " d =", d.item(), " e =", e.item())
print("e 를 만든 연산 / the op that made e:", e.op_name, " 입력 / inputs:", [p.name for p in e.node.inputs])
"""),
("md", """
아래 그림은 엔진이 기록한 그래프를 그대로 그린 것입니다 (아래에서 위로 계산이 흐릅니다).
간선마다 **국소 미분** ∂(위 노드)/∂(아래 노드) 가 적혀 있습니다. `d = b + 1` 의 상수 1 은 미분하지
않으므로 그림에서 접혀 식 안에 들어갑니다.

The drawing is the recorded graph itself (computation flows upwards). Each edge carries its
**local derivative** ∂(upper node)/∂(lower node). The constant 1 in `d = b + 1` is not
differentiated, so it is folded into the formula.
"""),
("code", """
draw(e, mode="values", title="e = (a + b)(b + 1),  a = 2, b = 1")
"""),
("md", """
## 2. 간선의 국소 미분 / The local derivative on each edge

간선의 숫자는 어디서 올까요? 각 연산(프리미티브)은 레지스트리에 값 계산, 역방향 규칙(VJP),
순방향 규칙(JVP), FLOP 수를 한 항목으로 가지고 있습니다. 입력 i 에서 나가는 간선의 국소 미분은
그 연산의 JVP 규칙에 접선 1 을 넣은 값입니다. 노트북도 그림도 미분 공식을 따로 적지 않고 레지스트리에 묻습니다.

- c = a + b:  ∂c/∂a = 1, ∂c/∂b = 1
- d = b + 1:  ∂d/∂b = 1
- e = c · d:  ∂e/∂c = d = 2, ∂e/∂d = c = 3  (곱셈의 미분은 "다른 쪽 값")

Where do the edge numbers come from? Each primitive has one registry entry holding its forward
computation, its reverse rule (VJP), its forward rule (JVP) and its FLOP count. The local
derivative on the edge from input i is the JVP rule applied to a tangent of 1. Neither this
notebook nor the drawing writes a derivative formula of its own: they ask the registry.
"""),
("code", """
def edge_derivative(child, i):
    \"\"\"∂child/∂(its i-th input), from the registry's JVP rule with tangent 1 (None: not differentiable).\"\"\"
    rule = child.node.op.jvp[i]
    if rule is None:
        return None
    with no_grad():
        one = Tensor(1.0, dtype=child.dtype)
        return rule(one, child, *child.node.inputs, **child.node.params).item()

for name in ("add", "mul"):
    print(f"PRIMITIVES[{name!r}]: {PRIMITIVES[name].doc}")
for tensor in (c, d, e):
    for i, parent in enumerate(tensor.node.inputs):
        if parent.requires_grad:
            print(f"∂{tensor.name}/∂{parent.name} = {edge_derivative(tensor, i):g}")
"""),
("md", """
## 3. 순방향 모드 / Forward mode: from a, then from b

순방향 모드는 **입력 하나**를 골라 그 입력에 대한 미분(접선, tangent)을 값과 함께 앞으로 밀고
갑니다. a 를 고르면 ȧ = ∂a/∂a = 1, ḃ = 0 에서 시작하고, 노드마다
"들어오는 간선의 국소 미분 × 아래 노드의 접선"을 더합니다.

Forward mode picks **one input** and pushes the derivative with respect to it (the tangent)
forward together with the values. From a: start with ȧ = 1, ḃ = 0; at every node, add up
(local derivative on the incoming edge) × (tangent of the node below).

ċ = 1·ȧ + 1·ḃ = 1,  ḋ = 1·ḃ = 0,  ė = 2·ċ + 3·ḋ = 2  →  **∂e/∂a = 2**
"""),
("code", """
draw(e, mode="forward", wrt=a, title="순방향 모드, a 에서 / forward mode from a")
"""),
("md", """
b 에서 시작하면 ḃ = 1, ȧ = 0:  ċ = 1,  ḋ = 1,  ė = 2·1 + 3·1 = 5  →  **∂e/∂b = 5**.
입력이 둘이니 순방향 모드는 **두 번** 지나가야 두 편미분을 모두 얻습니다.

From b: ċ = 1, ḋ = 1, ė = 2·1 + 3·1 = 5. Two inputs, so forward mode needs **two passes** to get
both partial derivatives.
"""),
("code", """
draw(e, mode="forward", wrt=b, title="순방향 모드, b 에서 / forward mode from b")
"""),
("md", """
같은 일을 함수 API `jvp(f, primals, tangents)` 로 해 봅시다. 접선 (1, 0) 은 "a 방향", (0, 1) 은
"b 방향"입니다. `count_ops` 로 세어 보면 순방향 패스가 2 번입니다.

The same with the functional API `jvp(f, primals, tangents)`: tangent (1, 0) is "the a
direction", (0, 1) "the b direction". `count_ops` counts two forward passes.
"""),
("code", """
with count_ops() as forward_counts:             # olah(a, b) = (a + b) * (b + 1)
    _, de_da = jvp(olah, (2.0, 1.0), (1.0, 0.0))
    _, de_db = jvp(olah, (2.0, 1.0), (0.0, 1.0))
print(f"forward mode: ∂e/∂a = {de_da.item():g}, ∂e/∂b = {de_db.item():g}, "
      f"forward passes = {forward_counts.forward_passes}")
assert (de_da.item(), de_db.item(), forward_counts.forward_passes) == (2.0, 5.0, 2)
"""),
("md", """
## 4. 역방향 모드 / Reverse mode: from e

역방향 모드는 **출력 하나**에서 시작해 거꾸로 내려갑니다. ē = ∂e/∂e = 1 에서 시작하고, 노드마다
"나가는 간선의 국소 미분 × 위 노드의 수반(adjoint)"을 더합니다.

Reverse mode starts from **one output** and walks down. Start with ē = ∂e/∂e = 1; at every node,
add up (local derivative on the outgoing edge) × (adjoint of the node above).

c̄ = ē·2 = 2,  d̄ = ē·3 = 3,  ā = c̄·1 = 2,  b̄ = c̄·1 + d̄·1 = 5

한 번 내려가면 **모든 입력**의 미분이 한꺼번에 나옵니다. 이것이 역전파(backpropagation)입니다.
One pass down gives the derivative with respect to **every input** at once: this is backpropagation.
"""),
("code", """
draw(e, mode="reverse", title="역방향 모드, e 에서 / reverse mode from e")
"""),
("code", """
a, b, c, d, e = olah_graph(dtype=np.float64)
with count_ops() as reverse_counts:
    e.backward()
print(f"reverse mode: ∂e/∂a = {a.grad.item():g}, ∂e/∂b = {b.grad.item():g}, "
      f"backward passes = {reverse_counts.backward_passes}")
assert (a.grad.item(), b.grad.item(), reverse_counts.backward_passes) == (2.0, 5.0, 1)
"""),
("md", """
두 모드를 한 그림에 그리면 b 에서 시작한 순방향의 결과(e 에 적힌 ∂e/∂b)와 e 에서 시작한 역방향의
결과(b 에 적힌 ∂e/∂b)가 같은 5 임을 볼 수 있습니다. 아래 단계별 보기에서는 노드가 하나씩 채워집니다
(슬라이더나 ← → 키로 움직입니다).

Both modes on one drawing: ∂e/∂b from forward mode (written at e) and from reverse mode (written at
b) are the same 5. The step-through below fills the graph in one node at a time (use the slider or
the ← → keys).
"""),
("code", """
a, b, c, d, e = olah_graph(dtype=np.float64)
draw(e, mode="both", wrt=b, title="두 모드 / both modes")
"""),
("code", """
step_through(e, mode="both", wrt=b)
"""),
("md", """
## 5. 경로의 합 규칙 / The sum-over-paths rule

연쇄 법칙을 그래프로 말하면 이렇습니다: **∂e/∂b 는 b 에서 e 로 가는 모든 경로에 대해, 경로 위 간선의
국소 미분을 곱한 값을 더한 것**입니다. b 에서 e 로 가는 길은 b→c→e 와 b→d→e 두 개이므로

∂e/∂b = (∂c/∂b)(∂e/∂c) + (∂d/∂b)(∂e/∂d) = 1·2 + 1·3 = 5.

The chain rule, said with the graph: **∂e/∂b is the sum, over every path from b to e, of the
product of the local derivatives along the path.** There are two paths, b→c→e and b→d→e.

아래 함수는 그래프를 따라 경로를 하나하나 나열합니다 (엔진의 `backward` 와는 독립적인 계산입니다).
The function below lists the paths one by one (a computation independent of the engine's `backward`).
"""),
("code", """
def paths(tensor, target):
    \"\"\"Every path from target up to tensor, as a list of (child, input position) edges.\"\"\"
    if tensor is target:
        yield []
        return
    for i, parent in enumerate(tensor.node.inputs):
        if parent.requires_grad:
            for path in paths(parent, target):
                yield path + [(tensor, i)]

def sum_over_paths(output, target, show=False):
    total = 0.0
    for path in paths(output, target):
        factors = [edge_derivative(child, i) for child, i in path]
        product = float(np.prod(factors))
        if show:
            route = "→".join([target.name] + [child.name or child.op_name for child, _ in path])
            print(f"  {route}: {' · '.join(f'{x:g}' for x in factors)} = {product:g}")
        total += product
    return total

a, b, c, d, e = olah_graph(dtype=np.float64)
for x in (a, b):
    print(f"∂e/∂{x.name}:")
    print(f"  합 / sum = {sum_over_paths(e, x, show=True):g}")
"""),
("md", """
## 6. 경로를 묶으면 싸지는 이유 / Why factoring the paths makes it cheap

경로의 수는 그래프가 깊어지면 **지수적으로** 늘어납니다. 층마다 두 갈래로 나뉘었다가 다시 합쳐지는
그래프 x_{k+1} = sin(x_k) + cos(x_k) 를 생각해 봅시다. k 층이면 경로가 2^k 개입니다.
하지만 경로들은 간선을 공유하므로 공통 인수로 묶을 수 있습니다:
ac + ad + bc + bd 대신 (a + b)(c + d) 로 쓰는 것처럼요. 노드마다 "지금까지의 합"을 한 번만
계산해 두면(메모이제이션) 각 간선을 한 번씩만 보면 됩니다. 입력 쪽에서 묶으면 순방향 모드,
출력 쪽에서 묶으면 역방향 모드입니다.

The number of paths grows **exponentially** with depth. In x_{k+1} = sin(x_k) + cos(x_k) every
layer splits in two and merges again, so k layers have 2^k paths. But paths share edges, so the
sum factors — like writing (a + b)(c + d) instead of ac + ad + bc + bd. Keep one running sum
per node (memoization) and each edge is used once. Factoring from the input side is forward
mode; from the output side, reverse mode.
"""),
("code", """
def diamond_chain(layers, x_value=0.3):
    x = Tensor(x_value, requires_grad=True, name="x", dtype=np.float64)
    h = x
    for _ in range(layers):
        h = h.sin() + h.cos()
    return x, h

def derivatives_of_edges(output):
    \"\"\"Every edge's local derivative, asked of the registry once: {(id(child), i): number}.\"\"\"
    found, stack, seen = {}, [output], set()
    while stack:
        tensor = stack.pop()
        if id(tensor) in seen or tensor.node.is_leaf:
            continue
        seen.add(id(tensor))
        for i, parent in enumerate(tensor.node.inputs):
            if parent.requires_grad:
                found[(id(tensor), i)] = edge_derivative(tensor, i)
                stack.append(parent)
    return found

def path_by_path(tensor, target, edges, calls):
    \"\"\"The plain sum over paths: every path is walked separately.\"\"\"
    calls[0] += 1
    if tensor is target:
        return 1.0
    return sum(edges[(id(tensor), i)] * path_by_path(parent, target, edges, calls)
               for i, parent in enumerate(tensor.node.inputs) if parent.requires_grad)

def factored(tensor, target, edges, calls, memo):
    \"\"\"The same sum, each node's partial sum computed once and remembered.\"\"\"
    if id(tensor) in memo:
        return memo[id(tensor)]
    calls[0] += 1
    value = 1.0 if tensor is target else sum(
        edges[(id(tensor), i)] * factored(parent, target, edges, calls, memo)
        for i, parent in enumerate(tensor.node.inputs) if parent.requires_grad)
    memo[id(tensor)] = value
    return value

depths = list(range(1, 15))
naive_calls, memo_calls, backward_ops = [], [], []
for layers in depths:
    x, h = diamond_chain(layers)
    edges = derivatives_of_edges(h)
    calls_naive, calls_memo = [0], [0]
    by_paths = path_by_path(h, x, edges, calls_naive)
    by_factoring = factored(h, x, edges, calls_memo, {})
    with count_ops() as counts:
        h.backward()
    assert np.isclose(by_paths, x.grad.item()) and np.isclose(by_factoring, x.grad.item())
    naive_calls.append(calls_naive[0])
    memo_calls.append(calls_memo[0])
    backward_ops.append(counts.calls("vjp"))

print(f"{'layers':>6} {'paths':>8} {'path by path':>13} {'factored':>9} {'backward ops':>13}")
for layers, n1, n2, n3 in zip(depths, naive_calls, memo_calls, backward_ops):
    print(f"{layers:>6} {2 ** layers:>8} {n1:>13} {n2:>9} {n3:>13}")
print(f"layers = {depths[-1]}: paths = {2 ** depths[-1]}, path by path = {naive_calls[-1]} visits, "
      f"factored = {memo_calls[-1]} visits")
"""),
("code", """
figure, ax = plt.subplots(figsize=(6.5, 4))
ax.semilogy(depths, [2 ** k for k in depths], "k--", label="경로 수 / paths 2^k")
ax.semilogy(depths, naive_calls, "o-", label="경로마다 따로 / path by path")
ax.semilogy(depths, memo_calls, "s-", label="묶어서 / factored (memoized)")
ax.semilogy(depths, backward_ops, "^-", label="backward 의 연산 / ops in backward()")
ax.set_xlabel("층 수 / layers k")
ax.set_ylabel("노드 방문 · 연산 수 / visits · ops")
ax.set_title(r"$x_{k+1} = \\sin x_k + \\cos x_k$")
ax.legend()
plt.show()
"""),
("md", """
경로마다 따로 더하면 비용이 2^k 로 늘지만, 묶어서 계산하면 층 수에 **비례**해서만 늘어납니다.
`backward()` 가 하는 일이 바로 이 "묶은" 계산입니다.

Path by path the cost doubles with every layer; factored, it grows **linearly**. That factored
sum is exactly what `backward()` does.

층이 3 개일 때 그래프를 보면 갈라졌다 합쳐지는 모양이 보입니다.
With 3 layers you can see the graph split and merge:
"""),
("code", """
x, h = diamond_chain(3)
h.name = "h"
draw(h, mode="reverse", title="3 층 / 3 layers: 2³ = 8 경로 / paths")
"""),
("md", """
## 7. 직접 바꿔 보기 / Your turn: change the expression

아래 `EXPRESSION` 과 `VALUES` 를 바꾸고 실행해 보세요. 숫자, 변수, `+ - * / **`, 괄호와
`sin cos exp log sqrt tanh sigmoid relu` 를 쓸 수 있습니다. 식은 안전한 파서로 읽고 (`eval` 을 쓰지
않습니다) 엔진이 직접 그래프를 기록합니다. 경로의 합과 `backward()` 가 같은지 확인합니다.

Change `EXPRESSION` and `VALUES` below and run the cells. You may use numbers, variables,
`+ - * / **`, parentheses and `sin cos exp log sqrt tanh sigmoid relu`. The text is read by a safe
parser (never `eval`), and the engine records the graph. The sum over paths is checked against
`backward()`.
"""),
("code", """
EXPRESSION = "sin(a * b) + a ** 2"     # 바꿔 보세요 / change me
VALUES = {"a": 1.0, "b": 2.0}

output, inputs = expression_graph(EXPRESSION, VALUES)
draw(output, mode="both", wrt=inputs[0], title=EXPRESSION)
"""),
("code", """
by_paths = {x.name: sum_over_paths(output, x) for x in inputs}
output.backward()
for x in inputs:
    print(f"∂{output.name}/∂{x.name}: 경로의 합 / sum over paths = {by_paths[x.name]:.6g}, "
          f"backward = {x.grad.item():.6g}")
    assert np.isclose(by_paths[x.name], x.grad.item())
"""),
("md", """
### 생각해 볼 것 / Things to try

- `a * a` 처럼 같은 입력을 두 번 쓰면 간선이 두 개가 됩니다. 경로의 합이 2a 를 주는지 보세요.
  Use an input twice (`a * a`): two edges, and the sum over paths gives 2a.
- 입력이 많고 출력이 하나인 식(예: 손실 함수)에서는 어느 모드가 유리할까요? 다음 노트북에서 재어 봅니다.
  With many inputs and one output (a loss), which mode wins? The next notebook measures it.
"""),
]
