"""``check_pass_counts(n, m, forward=..., reverse=...)``: how many passes each mode needs.

For f: Rⁿ → Rᵐ the whole Jacobian J (m × n) takes

* forward mode (``jacfwd``): one JVP pass per input direction eⱼ, giving the
  column J eⱼ — n passes;
* reverse mode (``jacrev``): one evaluation, then one VJP (backward) pass per
  output direction eᵢ, giving the row eᵢᵀ J — m passes.

The expected numbers are not this formula: they are counted by the cost tools
(``tools.cost.compare_modes``) on the built-in dense example with n inputs and
m outputs, so the answer is something the engine measured.
"""

from __future__ import annotations

from ..tools.cost import compare_modes, make_example
from .report import ExerciseError, Report, Words

LARGEST = 64
"""Counting builds the whole Jacobian; beyond this many inputs or outputs it gets slow."""


def counted_passes(n: int, m: int) -> dict[str, int]:
    """The derivative passes jacfwd and jacrev make on a dense f: Rⁿ → Rᵐ, as counted."""
    example = make_example("dense", n, m)
    costs = compare_modes(example.function, example.point, repeats=0).costs
    return {"forward": costs["jacfwd"].passes, "reverse": costs["jacrev"].passes}


def check_pass_counts(n: int, m: int, *, forward: int, reverse: int) -> Report:
    """Check a student's pass counts for the Jacobian of f: Rⁿ → Rᵐ in each mode."""
    if not all(isinstance(k, int) and 1 <= k <= LARGEST for k in (n, m)):
        raise ExerciseError(f"check_pass_counts takes whole numbers 1 ≤ n, m ≤ {LARGEST}, not n={n!r}, m={m!r}")
    counted = counted_passes(n, m)
    answers = {"forward": forward, "reverse": reverse}
    exercise = f"check_pass_counts(n={n}, m={m})"
    wrong = [mode for mode in ("forward", "reverse") if answers[mode] != counted[mode]]
    if not wrong:
        cheaper = Words("순방향이 적습니다", "forward mode makes fewer") if n < m else \
            Words("역방향이 적습니다", "reverse mode makes fewer") if m < n else Words("같습니다", "they tie")
        return Report(exercise, True, Words(f"통과: 순방향 {forward} 번, 역방향 {reverse} 번 — {cheaper.ko}",
                                            f"passed: {forward} forward, {reverse} reverse passes — {cheaper.en}"))
    mode = wrong[0]
    if n != m and (forward, reverse) == (counted["reverse"], counted["forward"]):
        hint = Words("두 답이 바뀌었습니다: 순방향은 입력마다, 역방향은 출력마다 한 번입니다",
                     "the two answers are swapped: forward mode makes one pass per input, reverse one per output")
    elif mode == "forward":
        hint = Words("순방향 한 번은 입력 방향 하나 (야코비안의 열 하나) 를 줍니다: 입력이 몇 개인가요?",
                     "one forward pass gives one input direction (one column of the Jacobian): how many inputs?")
    else:
        hint = Words("역방향 한 번은 출력 하나 (야코비안의 행 하나) 의 기울기를 줍니다: 출력이 몇 개인가요?",
                     "one reverse pass gives the gradient of one output (one row of the Jacobian): how many outputs?")
    details = [Words(f"역방향: 답 {reverse}, 기대값 {counted['reverse']}",
                     f"reverse: yours {reverse}, expected {counted['reverse']}")] if len(wrong) == 2 else []
    return Report(exercise, False, Words("틀렸습니다", "failed"), mode="fwd" if mode == "forward" else "rev",
                  got=answers[mode], expected=counted[mode], details=details, hint=hint,
                  expected_from=Words("cost 도구가 센 값 (tools.cost.compare_modes)",
                                      "counted by tools.cost.compare_modes"))
