CELLS = [
("md", """
# 3. 고계 미분 / Higher-order derivatives

미분 규칙 자체가 텐서 연산으로 쓰여 있기 때문에, 미분한 결과를 다시 미분할 수 있습니다.
이 노트북에서는 2계 도함수, 헤시안(Hessian), 헤시안-벡터 곱(HVP), 그리고 뉴턴 방법을 다룹니다.

Every derivative rule in tinygrad_ko is written with Tensor operations, so a derivative can be
differentiated again. This notebook covers grad of grad, the Hessian, Hessian-vector products and
Newton's method.
"""),
("code", """
import numpy as np
from tinygrad_ko import Tensor, grad, jacfwd, jacrev, hessian, hvp
"""),
("md", """
## grad of grad

f(x) = x⁴ − 2x² 이면 f'(x) = 4x³ − 4x, f''(x) = 12x² − 4 이므로 f''(2) = 44 입니다.
For f(x) = x⁴ − 2x², f''(2) = 12·4 − 4 = 44.
"""),
("code", """
f = lambda x: x ** 4 - 2 * x ** 2
print("f'(2)  =", grad(f)(2.0).item())
print("f''(2) =", grad(grad(f))(2.0).item())
assert grad(grad(f))(2.0).item() == 44
"""),
("md", """
## 도함수의 그래프가 자란다 / The graph of a derivative grows

`backward(create_graph=True)` 는 역방향 패스 자체를 텐서 연산으로 **기록**합니다. 그래서 x.grad 는
숫자일 뿐 아니라 자기 그래프를 가진 텐서이고, 다시 미분할 수 있습니다. y = tanh(x) 에서

- tanh'(x) = 1 − tanh²(x)
- tanh''(x) = −2 tanh(x) (1 − tanh²(x))
- tanh'''(x) = (1 − tanh²(x)) (6 tanh²(x) − 2)

한 번 미분할 때마다 규칙이 규칙을 부르므로 그래프가 커집니다.

`backward(create_graph=True)` **records** the backward pass itself as Tensor operations. So x.grad
is not just a number: it is a tensor with its own graph, and it can be differentiated again. Each
order applies the rules to the previous rules' operations, so the graph grows.
"""),
("code", """
from tinygrad_ko.tools.viz import draw

x = Tensor(1.0, requires_grad=True, name="x", dtype=np.float64)
y = x.tanh()
y.name = "y"
y.backward(create_graph=True)
derivatives = []
for order in range(1, 4):
    gx = x.grad                      # tanh^(order)(x), with its own recorded graph
    gx.name = f"gx{order}"
    derivatives.append(gx)
    x.zero_grad()
    gx.backward(create_graph=True)   # differentiate the derivative: the next order

t = np.tanh(1.0)
exact = [1 - t * t, -2 * t * (1 - t * t), (1 - t * t) * (6 * t * t - 2)]
for order, (gx, value) in enumerate(zip(derivatives, exact), 1):
    edges = draw(gx).source.count("->")
    label = "tanh" + "'" * order
    print(f"{gx.name} = {label:<7} = {gx.item():+.6f}  (exact {value:+.6f}),  graph edges: {edges}")
    assert np.isclose(gx.item(), value)
"""),
("md", """
먼저 gx1 = tanh'(x) 의 그래프, 그다음 gx2 = tanh''(x) 의 그래프입니다. gx2 에서 노드마다 적힌
빨간 수는 ∂gx2/∂(노드) 이고, x 에 적힌 값이 곧 tanh'''(1) 입니다.
First the graph of gx1 = tanh'(x), then that of gx2 = tanh''(x). On gx2 the red numbers are
∂gx2/∂(node); the one at x is tanh'''(1).
"""),
("code", """
draw(derivatives[0], title="gx1 = tanh'(x), x = 1")
"""),
("code", """
draw(derivatives[1], mode="reverse", title="gx2 = tanh''(x) 의 그래프 / the graph of tanh''(x), x = 1")
"""),
("md", """
## sin 의 n계 도함수 / nth derivatives of sin

sin → cos → −sin → −cos → sin … 네 번마다 되풀이됩니다. The derivatives of sin cycle with period 4.
"""),
("code", """
x = Tensor(0.5, dtype=np.float64)
derivative = lambda t: t.sin()
for order in range(1, 9):
    derivative = grad(derivative)
    print(order, round(derivative(x).item(), 6))
"""),
("md", """
## 헤시안 / The Hessian: forward over reverse

`hessian(f) = jacfwd(jacrev(f))`: 역방향으로 기울기를 구하고, 그 기울기를 순방향으로 다시 미분합니다.
Rosenbrock 함수 f(x, y) = (1 − x)² + 100 (y − x²)² 의 최솟값 (1, 1) 에서의 헤시안을 봅시다.
The Hessian of the Rosenbrock function at its minimum (1, 1).
"""),
("code", """
def rosenbrock(p):
    x, y = p[0], p[1]
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2

p = Tensor([1.0, 1.0], dtype=np.float64)
H = hessian(rosenbrock)(p).numpy()
print(H)   # [[802, -400], [-400, 200]]
assert np.allclose(H, [[802, -400], [-400, 200]])
"""),
("md", """
## 헤시안-벡터 곱 / Hessian-vector products without the Hessian

H 를 만들지 않고 H·v 를 기울기 한 번의 몇 배 비용으로 구합니다: `jvp(grad(f), (x,), (v,))`.
H·v costs a few gradients, whatever the size of H.
"""),
("code", """
v = Tensor([1.0, 0.0], dtype=np.float64)
print(hvp(rosenbrock, (p,), (v,)).numpy(), "=", H @ v.numpy())
"""),
("md", """
## 뉴턴 방법 / Newton's method

x ← x − H⁻¹ ∇f. 이차 수렴: 몇 번의 반복만에 최솟값 (1, 1) 에 도달합니다.
Newton's method converges quadratically: a handful of steps reach (1, 1).
"""),
("code", """
point = np.array([-1.2, 1.0])
for step in range(8):
    g = grad(rosenbrock)(Tensor(point)).numpy()
    H = hessian(rosenbrock)(Tensor(point)).numpy()
    point = point - np.linalg.solve(H, g)
    print(step, point, rosenbrock(Tensor(point)).item())
assert np.allclose(point, [1.0, 1.0], atol=1e-8)
"""),
]
