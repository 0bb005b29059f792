"""``check_adjoint_table(answers)``: a backward pass done by hand, checked.

The student fills in x̄ = ∂e/∂x for every node x of a graph, from the output
down: ē = 1, and for every other node the sum over the edges leaving it,

    x̄ = Σ over the edges x → y of  ȳ · ∂y/∂x

(for Olah's graph c = a + b, d = b + 1, e = c · d at a = 2, b = 1:
ē = 1, c̄ = d = 2, d̄ = c = 3, ā = c̄ = 2, b̄ = c̄ + d̄ = 5). The expected
numbers come from one real backward pass of the engine on a fresh graph.
"""

from __future__ import annotations

import math

from ..tensor import Tensor
from ..tools.olah import olah_graph
from ..tools.viz import expression_graph
from ..tools.viz.steps import barred
from .report import ExerciseError, Report, Words, number_text


def graph_tensors(graph, at: dict) -> list[Tensor]:
    """The named tensors of ``graph``, the output last: from a builder (a function
    of the values returning named tensors, like ``olah_graph``) or an expression."""
    if isinstance(graph, str):
        output, inputs = expression_graph(graph, at)
        return [*inputs, output]
    if not callable(graph):
        raise ExerciseError("graph= is a function returning named tensors (like tools.olah.olah_graph) "
                            "or an expression such as '(a+b)*(b+1)'")
    tensors = list(graph(**at))
    unnamed = [t for t in tensors if not t.name]
    if unnamed or not tensors:
        raise ExerciseError("every tensor the graph function returns needs a name (t.name = 'c')")
    return tensors


def true_adjoints(tensors: list[Tensor]) -> dict[str, float]:
    """∂output/∂t for every named tensor t (the output is the last one), by one backward pass."""
    for tensor in tensors[:-1]:
        if not tensor.is_leaf:
            tensor.retain_grad()
    output = tensors[-1]
    output.backward()
    adjoints = {output.name: 1.0}
    for tensor in tensors[:-1]:
        adjoints[tensor.name] = 0.0 if tensor.grad is None else float(tensor.grad.item())
    return adjoints


def edges_leaving(tensors: list[Tensor]) -> dict[str, list[str]]:
    """For each named tensor, the named tensors it is an input of (read from ``t.node``)."""
    leaving = {tensor.name: [] for tensor in tensors}
    for tensor in tensors:
        if tensor.node.is_leaf:
            continue
        for parent in tensor.node.inputs:
            if parent.name in leaving and tensor.name not in leaving[parent.name]:
                leaving[parent.name].append(tensor.name)
    return leaving


def check_adjoint_table(answers: dict, graph=olah_graph, **at) -> Report:
    """Check hand-computed adjoints ``answers`` (name → ∂output/∂name) on ``graph``.

    ``graph``: Olah's graph by default (at a = 2, b = 1 unless ``a=``, ``b=`` are
    given), a function returning named tensors, or an expression string (then
    only its inputs and its output, f, have names). Every named tensor needs an answer."""
    if isinstance(graph, str) and not at:
        raise ExerciseError("an expression needs its values: check_adjoint_table(answers, '(a+b)*(b+1)', a=2, b=1)")
    tensors = graph_tensors(graph, at)
    leaving = edges_leaving(tensors)     # before the backward pass releases the graph
    expected = true_adjoints(tensors)
    output = tensors[-1].name
    exercise = f"check_adjoint_table({output})"
    order = [tensor.name for tensor in reversed(tensors)]    # from the output down
    missing = [name for name in order if name not in answers]
    unknown = [name for name in answers if name not in expected]
    if missing or unknown:
        problem = Words(f"표에 빠진 이름: {', '.join(missing) or '없음'}; 그래프에 없는 이름: {', '.join(unknown) or '없음'}",
                        f"missing from the table: {', '.join(missing) or 'none'}; "
                        f"not in the graph: {', '.join(unknown) or 'none'}")
        return Report(exercise, False, Words("표가 그래프와 맞지 않습니다", "the table does not fit the graph"),
                      problem=problem)
    wrong = [name for name in order if not math.isclose(float(answers[name]), expected[name], rel_tol=1e-6,
                                                         abs_tol=1e-9)]
    if not wrong:
        return Report(exercise, True, Words(f"통과: {len(order)} 개의 수반 값이 모두 맞습니다",
                                            f"passed: all {len(order)} adjoints are right"))
    first = wrong[0]
    sum_rule = " + ".join(f"{barred(child)}·∂{child}/∂{first}" for child in leaving[first]) or "1"
    if first == output:
        hint = Words(f"출력에서 시작합니다: {barred(output)} = ∂{output}/∂{output} = 1",
                     f"start at the output: {barred(output)} = ∂{output}/∂{output} = 1")
    else:
        hint = Words(f"{barred(first)} = {sum_rule}: {first} 에서 나가는 간선 {len(leaving[first])} 개를 모두 더합니다",
                     f"{barred(first)} = {sum_rule}: add over all {len(leaving[first])} edge(s) leaving {first}")
        if len(leaving[first]) > 1:
            hint = Words(hint.ko + " (경로를 하나 빠뜨리지 않았나요?)", hint.en + " (did you leave a path out?)")
    details = [Words(f"{barred(name)}: 답 {number_text(answers[name])}, 기대값 {number_text(expected[name])}",
                     f"{barred(name)}: yours {number_text(answers[name])}, expected {number_text(expected[name])}")
               for name in wrong[1:]]
    return Report(exercise, False, Words(f"{len(wrong)} 개가 틀렸습니다 (출력에서 가까운 것부터)",
                                         f"{len(wrong)} wrong (nearest the output first)"),
                  entry=f"∂{output}/∂{first}", got=float(answers[first]), expected=expected[first],
                  expected_from=Words("엔진의 역전파", "the engine's backward pass"), hint=hint, details=details)

