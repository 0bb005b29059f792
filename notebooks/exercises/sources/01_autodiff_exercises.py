CELLS = [
("md", """
# 연습 문제: 스스로 채점하는 자동 미분 / Exercises that check themselves

세 가지 연습입니다. 답을 쓰고 아래의 검사 셀을 실행하면, 틀린 곳이 있을 때 **어느 입력, 어느 모드**에서
틀렸는지, 가장 작은 반례와 그 숫자, 기대값, 힌트를 알려 줍니다.

Three exercises. Write your answer and run the check cell below it: when something is wrong it says
**which input and which mode**, the smallest counterexample with its numbers, the expected value and a hint.

1. `div` 의 VJP 와 JVP 규칙 쓰기 / write the VJP and JVP rules of `div`
2. Olah 의 그래프를 손으로 역전파하기 / backpropagate Olah's graph by hand
3. f: Rⁿ → Rᵐ 의 야코비안에 각 모드가 필요한 패스 수 / the passes each mode needs for the Jacobian of f: Rⁿ → Rᵐ

`YOUR CODE HERE` 가 있는 셀만 고치세요 / edit only the cells that say `YOUR CODE HERE`.
"""),
("code", """
from tinygrad_ko.exercises import check_adjoint_table, check_pass_counts, check_rule
"""),
("md", """
## 1. `div` 의 규칙 / the rules of `div`

z = x / y. 레지스트리의 규칙은 입력마다 하나씩, Tensor 연산으로 씁니다
(`tinygrad_ko/ops/primitive.py`):

* VJP (역방향 / reverse): `rule(g, z, x, y)` 는 g · ∂z/∂입력 을 돌려줍니다 / returns g · ∂z/∂input;
* JVP (순방향 / forward): `rule(t, z, x, y)` 는 ∂z/∂입력 · t 를 돌려줍니다 / returns ∂z/∂input · t.

브로드캐스트는 엔진이 줄이므로 모양은 신경 쓰지 않아도 됩니다. 검사기는 레지스트리 자신의 검사(유한 차분,
수반 항등식, 2 차 미분)를 여러분의 규칙에 돌립니다. 먼저 틀린 답이 어떻게 보고되는지 봅시다: 부호가 틀린 ∂z/∂y.

The engine reduces broadcasting, so shapes are not your concern. The checker runs the registry's own
checks (finite differences, the adjoint identity, second derivatives) on your rules. First, what a wrong
answer looks like: ∂z/∂y with the wrong sign.
"""),
("code", """
wrong = check_rule("div", vjp=(lambda g, z, x, y: g / y,
                               lambda g, z, x, y: g * z / y))     # 부호가 빠졌습니다 / the sign is missing
print(wrong)
"""),
("md", """
이제 네 규칙을 쓰세요. 힌트: ∂z/∂x = 1/y, ∂z/∂y = −x/y² = −z/y.

Now write the four rules. Hint: ∂z/∂x = 1/y, ∂z/∂y = −x/y² = −z/y.
"""),
("solution", "div-rules", """
def div_vjp_x(g, z, x, y):
    \"\"\"g · ∂z/∂x\"\"\"
    ### BEGIN SOLUTION
    return g / y
    ### END SOLUTION


def div_vjp_y(g, z, x, y):
    \"\"\"g · ∂z/∂y\"\"\"
    ### BEGIN SOLUTION
    return -g * z / y
    ### END SOLUTION


def div_jvp_x(t, z, x, y):
    \"\"\"∂z/∂x · t\"\"\"
    ### BEGIN SOLUTION
    return t / y
    ### END SOLUTION


def div_jvp_y(t, z, x, y):
    \"\"\"∂z/∂y · t\"\"\"
    ### BEGIN SOLUTION
    return -t * z / y
    ### END SOLUTION
"""),
("test", "div-rules-check", 4, """
report = check_rule("div", vjp=(div_vjp_x, div_vjp_y), jvp=(div_jvp_x, div_jvp_y))
print(report)
assert report.passed
"""),
("md", """
### 1b. 2 차 미분까지 / to second order

규칙은 Tensor 연산으로 써야 엔진이 규칙 자체를 미분할 수 있습니다 (헤세 행렬, grad 의 grad). `.detach()` 를
쓰면 1 차는 맞아도 2 차가 틀립니다 — 검사기가 알려 줍니다:

A rule must be written in Tensor operations so that the engine can differentiate the rule itself
(Hessians, grad of grad). With `.detach()` the first derivative is right and the second is not — the
checker says so:
"""),
("code", """
print(check_rule("sin", vjp=lambda g, z, x: g * x.cos().detach()))
"""),
("solution", "sin-rule", """
def sin_vjp(g, z, x):
    \"\"\"g · ∂(sin x)/∂x, differentiable again\"\"\"
    ### BEGIN SOLUTION
    return g * x.cos()
    ### END SOLUTION
"""),
("test", "sin-rule-check", 2, """
report = check_rule("sin", vjp=sin_vjp)
print(report)
assert report.passed and report.text("en").count("second order") == 1
"""),
("md", """
## 2. Olah 의 그래프를 손으로 / Olah's graph by hand

c = a + b, d = b + 1, e = c · d, a = 2, b = 1 에서. 출력에서 시작해 각 노드의 수반 x̄ = ∂e/∂x 를
채우세요: ē = 1, 그리고 x̄ = Σ (x 에서 나가는 간선 x → y) ȳ · ∂y/∂x.

At a = 2, b = 1. Start at the output and fill in every node's adjoint x̄ = ∂e/∂x: ē = 1, and
x̄ = Σ over the edges x → y leaving x of ȳ · ∂y/∂x.

Jupyter 에서는 슬라이더로 직접 볼 수 있습니다 (ipywidgets 가 필요합니다) / in Jupyter you can watch it with
sliders (needs ipywidgets): `explore("(a+b)*(b+1)", a=2, b=1)`, 모드 / mode `reverse`, Prev/Next 로 한 단계씩
/ step by step with Prev/Next.
"""),
("code", """
from tinygrad_ko.widgets import MissingWidgetsError, explore

try:
    explorer = explore("(a+b)*(b+1)", a=2, b=1, mode="reverse")
except MissingWidgetsError as error:   # 위젯 없이도 연습은 됩니다 / the exercise works without it
    explorer = error
explorer
"""),
("solution", "olah-table", """
### BEGIN SOLUTION
adjoints = {"e": 1, "d": 3, "c": 2, "b": 5, "a": 2}   # d̄ = c = 3, c̄ = d = 2, ā = c̄, b̄ = c̄ + d̄
### END SOLUTION
"""),
("test", "olah-table-check", 3, """
report = check_adjoint_table(adjoints)
print(report)
assert report.passed
"""),
("md", """
## 3. 패스는 몇 번? / How many passes?

f: Rⁿ → Rᵐ 의 야코비안 전체를 만들 때, 순방향 모드(`jacfwd`)와 역방향 모드(`jacrev`)는 미분 패스를 각각 몇
번 합니까? 검사기는 `tools.cost` 가 실제로 센 값과 비교합니다.

To build the whole Jacobian of f: Rⁿ → Rᵐ, how many derivative passes do forward mode (`jacfwd`) and
reverse mode (`jacrev`) make? The checker compares with what `tools.cost` counts.

* (가) 손실 함수 / a loss: n = 50 입력, m = 1 출력 / 50 inputs, 1 output
* (나) 곡선 / a curve: n = 1, m = 30
"""),
("solution", "pass-counts", """
### BEGIN SOLUTION
loss_forward, loss_reverse = 50, 1       # 입력마다 순방향 한 번, 출력마다 역방향 한 번 / one per input, one per output
curve_forward, curve_reverse = 1, 30
### END SOLUTION
"""),
("test", "pass-counts-check", 2, """
for n, m, forward, reverse in ((50, 1, loss_forward, loss_reverse), (1, 30, curve_forward, curve_reverse)):
    report = check_pass_counts(n, m, forward=forward, reverse=reverse)
    print(report)
    assert report.passed
"""),
]
