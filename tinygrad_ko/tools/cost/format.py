"""Numbers for people: 1.2 M FLOPs, 16.0 kB, 3.4 ms; and plain-text tables."""

from __future__ import annotations

import math


def format_count(value: float) -> str:
    """1234 → "1,234"; 12_345_678 → "12.3 M"."""
    for limit, suffix in ((1e12, " T"), (1e9, " G"), (1e6, " M")):
        if abs(value) >= limit:
            return f"{value / limit:.3g}{suffix}"
    return f"{int(value):,}"


def format_bytes(value: float) -> str:
    """Bytes in B, kB, MB or GB (powers of 1000)."""
    for limit, unit in ((1e9, "GB"), (1e6, "MB"), (1e3, "kB")):
        if abs(value) >= limit:
            return f"{value / limit:.3g} {unit}"
    return f"{int(value)} B"


def format_seconds(value: float) -> str:
    """Seconds in s, ms or µs, three significant digits."""
    if math.isnan(value):
        return "—"
    for limit, scale, unit in ((1.0, 1.0, "s"), (1e-3, 1e3, "ms")):
        if value >= limit:
            return f"{value * scale:.3g} {unit}"
    return f"{value * 1e6:.3g} µs"


def text_table(header: list[str], rows: list[list[object]]) -> str:
    """Columns padded to their widest cell; the first column left-aligned, the rest right."""
    cells = [[str(c) for c in header]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]

    def line(row):
        return "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                         for i, (cell, w) in enumerate(zip(row, widths)))
    return "\n".join([line(cells[0]), "  ".join("-" * w for w in widths)] + [line(r) for r in cells[1:]])


def markdown_table(header: list[str], rows: list[list[object]]) -> str:
    """A GitHub-flavoured markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)
