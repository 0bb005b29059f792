"""What an exercise check says back: passed or not, and if not, where and why.

Every sentence is kept in both of the project's languages, Korean first, as the
drawings and the notebooks write them; ``report.text("ko")`` or ``text("en")``
gives one language, ``str(report)`` both ("한국어 · English").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from ..errors import TinygradKoError

LANGUAGES = ("both", "ko", "en")
SHOWN_ELEMENTS = 6
"""A counterexample with more numbers than this is shown by its shape."""


class ExerciseError(TinygradKoError, ValueError):
    """An exercise was asked for in a way that cannot work (an unknown primitive, a wrong answer type)."""


class Words(NamedTuple):
    """One sentence in Korean and in English."""

    ko: str
    en: str

    def text(self, language: str = "both") -> str:
        if language == "ko":
            return self.ko
        if language == "en":
            return self.en
        return f"{self.ko} · {self.en}"


MODES = {
    "fwd": Words("순방향 모드 (JVP)", "forward mode (JVP)"),
    "rev": Words("역방향 모드 (VJP)", "reverse mode (VJP)"),
    "adjoint": Words("수반 항등식 ⟨u, Jv⟩ = ⟨Jᵀu, v⟩ (JVP 와 VJP 비교)",
                     "adjoint identity ⟨u, Jv⟩ = ⟨Jᵀu, v⟩ (JVP against VJP)"),
}


def number_text(value) -> str:
    """A number or a small array, as a student would write it (6 significant digits)."""
    array = np.asarray(value)
    if array.dtype == bool:
        return str(array.tolist())
    array = array.astype(np.float64)
    if array.ndim == 0:
        return f"{float(array):.6g}"
    if array.size > SHOWN_ELEMENTS:
        return f"(shape {array.shape}, {array.size} numbers)"
    return "[" + ", ".join(f"{value:.6g}" for value in array.reshape(-1)) + "]" if array.ndim == 1 \
        else np.array2string(array, separator=", ", precision=6).replace("\n", "")


@dataclass
class Report:
    """The verdict of one exercise check; truthy when it passed.

    When it failed: ``problem`` (what is wrong), and where the check can say so
    ``input`` (the input's name), ``mode`` ("fwd", "rev", "adjoint" or None),
    ``order`` (1 or 2), ``inputs`` (the counterexample: name → value), ``entry``
    (which derivative), ``got`` and ``expected``, and a ``hint``."""

    exercise: str
    passed: bool
    summary: Words
    problem: Words | None = None
    input: str | None = None
    mode: str | None = None
    order: int | None = None
    inputs: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict)
    entry: str | None = None
    got: object = None
    expected: object = None
    expected_from: Words | None = None
    hint: Words | None = None
    details: list = field(default_factory=list)   # further wrong answers (Words), after the first

    def __bool__(self) -> bool:
        return self.passed

    def text(self, language: str = "both") -> str:
        """The report as lines of text in ``language``: "ko", "en" or "both"."""
        if language not in LANGUAGES:
            raise ExerciseError(f"language {language!r}: use one of {', '.join(LANGUAGES)}")
        say = lambda words: words.text(language)  # noqa: E731
        mark = "✓" if self.passed else "✗"
        lines = [f"{mark} {self.exercise}: {say(self.summary)}"]
        if self.problem is not None:
            lines.append("  " + say(self.problem))
        where = []
        if self.input is not None:
            where.append(f"{say(Words('입력', 'input'))}: {self.input}")
        if self.mode is not None:
            mode = say(MODES[self.mode])
            if self.order is not None:
                mode += ", " + say(Words(f"{self.order}차", f"order {self.order}"))
            where.append(f"{say(Words('모드', 'mode'))}: {mode}")
        if where:
            lines.append("  " + ";  ".join(where))
        if self.inputs:
            values = ", ".join([f"{name} = {number_text(value)}" for name, value in self.inputs.items()]
                               + [f"{name}={value!r}" for name, value in self.params.items()])
            lines.append(f"  {say(Words('반례', 'counterexample'))}: {values}")
        if self.got is not None or self.expected is not None:
            entry = f"{self.entry}: " if self.entry else ""
            line = (f"  {entry}{say(Words('답', 'yours'))} = {number_text(self.got)}, "
                    f"{say(Words('기대값', 'expected'))} = {number_text(self.expected)}")
            if self.expected_from is not None:
                line += f" ({say(self.expected_from)})"
            lines.append(line)
        lines.extend("  " + say(words) for words in self.details)
        if self.hint is not None:
            lines.append(f"  {say(Words('힌트', 'hint'))}: {say(self.hint)}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return self.text()
