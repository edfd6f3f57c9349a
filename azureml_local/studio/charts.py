"""Line charts as inline SVG, drawn here: no chart library, nothing fetched by the browser."""
from __future__ import annotations

import html
import math
from typing import Sequence

PALETTE = ("#1565c0", "#c62828", "#2e8540", "#6a1b9a", "#ef6c00", "#00838f", "#5d4037", "#ad1457")
MAX_POINTS = 2000  # a longer series is thinned evenly (the chart is ~500 px wide)


def _numbers(values: Sequence) -> list[float | None]:
    out: list[float | None] = []
    for v in values:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            out.append(None)
        else:
            out.append(float(v))
    return out


def is_chartable(values: Sequence) -> bool:
    """At least two numbers: worth a line."""
    return sum(v is not None for v in _numbers(values)) >= 2


def _tick(value: float) -> str:
    return f"{value:.4g}"


def line_chart(series: dict[str, Sequence], title: str = "", x_values: Sequence | None = None,
               width: int = 520, height: int = 240) -> str:
    """An ``<svg>`` with one polyline per series (x = step or index), axes, min/max ticks and a legend."""
    data = {name: _numbers(values) for name, values in series.items()}
    data = {k: v for k, v in data.items() if any(p is not None for p in v)}
    legend = 16 * len(data) if len(data) > 1 else 0
    left, right, top, bottom = 56, 12, 24 if title else 10, 22 + legend
    plot_w, plot_h = width - left - right, height - top - bottom
    ys = [y for values in data.values() for y in values if y is not None]
    count = max((len(v) for v in data.values()), default=0)
    xs = _numbers(x_values) if x_values is not None and len(x_values) == count else None
    if xs is None or any(x is None for x in xs):
        xs = [float(i) for i in range(count)]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{html.escape(title or "chart")}">']
    if title:
        parts.append(f'<text x="{left}" y="16" class="chart-title">{html.escape(title)}</text>')
    if not ys:
        parts.append(f'<text x="{left}" y="{top + 20}">no numeric values</text></svg>')
        return "".join(parts)
    y_min, y_max = min(ys), max(ys)
    if y_min == y_max:
        y_min, y_max = y_min - 1, y_max + 1
    x_min, x_max = min(xs), max(xs)
    if x_min == x_max:
        x_max = x_min + 1

    def px(x: float) -> float:
        return left + (x - x_min) / (x_max - x_min) * plot_w

    def py(y: float) -> float:
        return top + plot_h - (y - y_min) / (y_max - y_min) * plot_h

    axis_y = top + plot_h
    parts.append(f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" class="plot"/>')
    for value in (y_min, (y_min + y_max) / 2, y_max):
        y = py(value)
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
                     f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" class="tick">{_tick(value)}</text>')
    for value in (x_min, x_max):
        parts.append(f'<text x="{px(value):.1f}" y="{axis_y + 14}" text-anchor="middle" class="tick">'
                     f'{_tick(value)}</text>')
    step = max(1, math.ceil(count / MAX_POINTS))
    for index, (name, values) in enumerate(data.items()):
        colour = PALETTE[index % len(PALETTE)]
        kept = range(0, len(values), step)
        points = " ".join(f"{px(xs[i]):.1f},{py(values[i]):.1f}" for i in kept if values[i] is not None)
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="1.8" points="{points}">'
                     f'<title>{html.escape(name)}</title></polyline>')
        if sum(v is not None for v in values) == 1 or count <= 30:
            for i, v in enumerate(values):
                if v is not None:
                    parts.append(f'<circle cx="{px(xs[i]):.1f}" cy="{py(v):.1f}" r="2.5" fill="{colour}">'
                                 f'<title>{html.escape(name)} [{_tick(xs[i])}] = {_tick(v)}</title></circle>')
        if len(data) > 1:
            ly = height - 8 - 16 * (len(data) - 1 - index)
            parts.append(f'<rect x="{left}" y="{ly - 9}" width="10" height="10" fill="{colour}"/>'
                         f'<text x="{left + 14}" y="{ly}" class="legend">{html.escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)
