"""Charts for every output format, drawn once with matplotlib: PNG for DOCX, SVG for HTML and PDF.

Only matplotlib's object API is used (``matplotlib.figure.Figure`` with an Agg canvas), never pyplot,
so nothing here touches matplotlib's global figure manager and figures are freed with their last
reference. The vendored Sarabun files are registered with the font manager once, on first use, and
every text artist names the family itself; global ``rcParams`` are never changed at import. The one
exception is :func:`chart_svg`, which needs ``svg.fonttype`` and ``svg.hashsalt`` and sets them only
for the duration of the save.

matplotlib's wheel shapes Thai with libraqm, so stacked vowels and tone marks come out right
(STACK.md §4). Sizes follow ``style.yaml`` in rendered (Sarabun) points, for a chart printed at
``width_cm``. Strings in a :class:`~prongsai.document.model.Chart` are final text, but for their
digits: every text and every number drawn (titles, categories, legend, axis ticks, value labels)
is written in the chart's digit style (``chart.thai_digits``), so that a chart never mixes styles
whatever its strings were given in.
"""

from __future__ import annotations

import io
import itertools
import math
import textwrap
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from typing import cast

from matplotlib import font_manager, rc_context
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure as MplFigure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.textpath import text_to_path
from matplotlib.ticker import FixedLocator, FuncFormatter
from PIL import Image

from prongsai.document.model import Chart
from prongsai.document.style import SizeName, font_files, style
from prongsai.thai import format_score, to_digits, to_thai_digits

CM_PER_INCH = 2.54
PASS_COLOURS = ("#3a6ea5", "#8fb0d3", "#5f6b7a")  # calm blues and a slate, one per series
FAIL_COLOURS = ("#b5524a", "#dea39c", "#9c6b66")  # muted reds for values under the pass mark
LINE_COLOURS = ("#3a6ea5", "#b5524a", "#5f8a4e", "#7a5f9a", "#5f6b7a")
INK = "#222222"
GRID = "#d9d9d9"
SVG_SALT = "prongsai"
_BAR_SPAN = 0.72  # share of a category slot the bars of one category fill
_LABEL_BOX = {"facecolor": "white", "edgecolor": "none", "pad": 0.6, "alpha": 0.9}  # keeps labels off lines
_LABEL_WRAP = {"hbar": 34, "bar": 18, "line": 12}  # characters before a category label wraps at a space
POINTS_PER_INCH = 72.0
LINE_HEIGHT = 1.25  # a text line's height as a multiple of its font size (Sarabun's ascent + descent)
TICK_PAD = 4.0  # points between the axis and its tick labels (tick_params pad)
TICK_LENGTH = 3.0
TITLE_PAD = 8.0
EDGE = 4.0  # points of white around the whole chart
PNG_COMPRESSION = 1  # zlib level: a chart PNG is drawn for every document, fast beats a few KB


@cache
def _register_fonts() -> None:
    """Make the vendored Sarabun files known to matplotlib (once per process)."""
    for path in font_files().values():
        font_manager.fontManager.addfont(str(path))


def warm_up() -> None:
    """Register the fonts and load matplotlib's text machinery now rather than in the first chart."""
    _register_fonts()
    _text_points("ก", _font("table"))


def _font(size: SizeName, *, bold: bool = False) -> FontProperties:
    return FontProperties(
        family=style().family, size=style().rendered_pt(size), weight="bold" if bold else "normal"
    )


def _number(value: float, thai_digits: bool) -> str:
    text = f"{value:.0f}" if float(value).is_integer() else f"{value:g}"
    return to_thai_digits(text) if thai_digits else text


def in_digits(chart: Chart) -> Chart:
    """The chart with every text in its digit style."""

    def convert(value: str) -> str:
        return to_digits(value, thai=chart.thai_digits)

    return replace(
        chart,
        title=convert(chart.title),
        categories=tuple(convert(c) for c in chart.categories),
        series=tuple(replace(s, name=convert(s.name)) for s in chart.series),
        value_label=convert(chart.value_label),
        threshold_label=convert(chart.threshold_label) if chart.threshold_label is not None else None,
    )


def _wrap(label: str, width: int) -> str:
    """Wrap a long category at spaces only: Thai words have no spaces inside, so this never cuts one."""
    if len(label) <= width:
        return label
    return "\n".join(textwrap.wrap(label, width, break_long_words=False, break_on_hyphens=False)) or label


def _values(chart: Chart) -> list[float]:
    return [v for s in chart.series for v in s.values if v is not None]


def _score_top(chart: Chart) -> float:
    """Scores: the value axis runs from 0 to 100, further if some value is larger."""
    return max(100.0, *_values(chart), chart.threshold or 0.0)


def _count_step(top: float) -> int:
    """The distance between whole-number ticks: 1, 2, 5, 10, 20, 50... so that there are six at most."""
    step, factors = 1, itertools.cycle((2.0, 2.5, 2.0))
    while top / step > 5:
        step = round(step * next(factors))
    return step


def _count_top(chart: Chart) -> float:
    """Counts: the value axis runs from 0 to the first tick at or past the largest count (1 at least)."""
    largest = max(1.0, *_values(chart), chart.threshold or 0.0)
    step = _count_step(largest)
    return float(math.ceil(largest / step) * step)


def _score_ticks(top: float) -> list[float]:
    return [float(t) for t in range(0, int(top) + 1, 20)]


def _count_ticks(top: float) -> list[float]:
    return [float(t) for t in range(0, int(top) + 1, _count_step(top))]


@dataclass(frozen=True)
class Scale:
    """How a value axis is sized, ticked and labelled."""

    top: Callable[[Chart], float]  # where the axis ends
    ticks: Callable[[float], list[float]]  # the ticks up to that end
    label: Callable[[float, bool], str]  # a value as its bar or point is labelled (thai_digits)


SCALES: dict[str, Scale] = {
    "score": Scale(_score_top, _score_ticks, lambda v, thai: format_score(v, thai_digits=thai)),
    "count": Scale(_count_top, _count_ticks, lambda v, thai: _number(round(v), thai)),
}


def _top(chart: Chart) -> float:
    return SCALES[chart.scale].top(chart)


def _height_cm(chart: Chart, width_cm: float) -> float:
    if chart.kind == "hbar":
        rows = len(chart.categories) * (1 + 0.45 * (len(chart.series) - 1))
        return 3.4 + 0.72 * rows
    return width_cm * (0.58 if chart.kind == "bar" else 0.52)


def _offsets(count: int) -> list[float]:
    """Centre offsets of ``count`` grouped bars inside one category slot."""
    step = _BAR_SPAN / count
    return [(i - (count - 1) / 2) * step for i in range(count)]


def _colours(chart: Chart, series: int, values: Sequence[float]) -> list[str]:
    passing, failing = PASS_COLOURS[series % 3], FAIL_COLOURS[series % 3]
    limit = chart.threshold
    return [failing if limit is not None and v < limit else passing for v in values]


def _present(values: Sequence[float | None]) -> tuple[list[int], list[float]]:
    pairs = [(i, v) for i, v in enumerate(values) if v is not None]
    return [i for i, _ in pairs], [v for _, v in pairs]


def _draw_bars(ax: Axes, chart: Chart) -> None:
    horizontal = chart.kind == "hbar"
    step = _BAR_SPAN / len(chart.series)
    for s, (series, offset) in enumerate(zip(chart.series, _offsets(len(chart.series)), strict=True)):
        index, values = _present(series.values)
        where = [i + offset for i in index]
        colours = _colours(chart, s, values)
        draw = ax.barh if horizontal else ax.bar
        bars = draw(where, values, step * 0.92, color=colours, zorder=2)
        labels = [SCALES[chart.scale].label(v, chart.thai_digits) for v in values]
        ax.bar_label(
            bars, labels=labels, padding=2, fontproperties=_font("note"), color=INK, bbox=_LABEL_BOX, zorder=5
        )


def _highest(chart: Chart) -> list[int]:
    """For each category, the series with the highest value there (its label goes above the point)."""
    best: list[int] = []
    for i in range(len(chart.categories)):
        values = [(v, -s) for s, series in enumerate(chart.series) if (v := series.values[i]) is not None]
        best.append(-max(values)[1] if values else -1)
    return best


def _draw_lines(ax: Axes, chart: Chart) -> None:
    """One line per series; a missing value leaves its year out, the line joins the years around it."""
    highest = _highest(chart)
    for s, series in enumerate(chart.series):
        index, values = _present(series.values)
        colour = LINE_COLOURS[s % len(LINE_COLOURS)]
        ax.plot(index, values, color=colour, marker="o", markersize=4, linewidth=1.6, zorder=3)
        for x, y in zip(index, values, strict=True):
            above = highest[x] == s
            ax.annotate(
                SCALES[chart.scale].label(y, chart.thai_digits),
                (x, y),
                xytext=(0, 5 if above else -5),
                textcoords="offset points",
                ha="center",
                va="bottom" if above else "top",
                fontproperties=_font("note"),
                color=colour,
                bbox=_LABEL_BOX,
                zorder=5,
            )


def _category_axis(ax: Axes, chart: Chart) -> None:
    """One slot per category, the first at the left (or, for horizontal bars, at the top)."""
    horizontal = chart.kind == "hbar"
    labels = [_wrap(c, _LABEL_WRAP[chart.kind]) for c in chart.categories]
    axis = ax.yaxis if horizontal else ax.xaxis
    axis.set_major_locator(FixedLocator(list(range(len(labels)))))
    axis.set_ticklabels(labels, fontproperties=_font("table"), color=INK)
    ax.tick_params(axis="y" if horizontal else "x", length=0, pad=TICK_PAD)
    edges = (-0.5, len(labels) - 0.5)
    if horizontal:
        ax.set_ylim(edges[1], edges[0])
    else:
        ax.set_xlim(*edges)


def _value_axis(ax: Axes, chart: Chart, top: float) -> None:
    horizontal = chart.kind == "hbar"
    axis = ax.xaxis if horizontal else ax.yaxis
    axis.set_major_locator(FixedLocator(SCALES[chart.scale].ticks(top)))
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: _number(v, chart.thai_digits)))
    (ax.set_xlim if horizontal else ax.set_ylim)(0, top * (1.13 if horizontal else 1.1))
    ax.tick_params(
        axis="x" if horizontal else "y",
        labelsize=style().rendered_pt("table"),
        labelfontfamily=style().family,
        colors=INK,
        length=TICK_LENGTH,
        pad=TICK_PAD,
    )
    axis.grid(True, color=GRID, linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    label = _font("table")
    (ax.set_xlabel if horizontal else ax.set_ylabel)(chart.value_label, fontproperties=label, color=INK)


def _threshold(ax: Axes, chart: Chart) -> list[Artist]:
    if chart.threshold is None:
        return []
    line = (ax.axvline if chart.kind == "hbar" else ax.axhline)(
        chart.threshold, color=INK, linestyle=(0, (5, 3)), linewidth=1.0, zorder=4
    )
    line.set_label(chart.threshold_label or _number(chart.threshold, chart.thai_digits))
    return [line]


LEGEND_COLUMNS = 4  # entries per row of the legend under a chart


def _legend(fig: MplFigure, ax: Axes, chart: Chart, extra: list[Artist]) -> None:
    handles: list[Artist] = []
    if len(chart.series) > 1:
        for s, series in enumerate(chart.series):
            if chart.kind == "line":
                colour = LINE_COLOURS[s % len(LINE_COLOURS)]
                handles.append(Line2D([], [], color=colour, marker="o", markersize=4, label=series.name))
            else:
                handles.append(Patch(color=PASS_COLOURS[s % 3], label=series.name))
    handles += extra
    if handles:
        fig.legend(
            handles=handles,
            loc="lower center",
            bbox_to_anchor=(0.5, EDGE / (fig.get_figheight() * POINTS_PER_INCH)),
            borderaxespad=0,
            borderpad=0,
            ncols=min(len(handles), LEGEND_COLUMNS),
            frameon=False,
            prop=_font("note"),
            handlelength=2.4,
        )


def _frame(ax: Axes) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#888888")
        ax.spines[side].set_linewidth(0.8)


_DRAW: dict[str, Callable[[Axes, Chart], None]] = {"hbar": _draw_bars, "bar": _draw_bars, "line": _draw_lines}


def _legend_entries(chart: Chart) -> int:
    return (len(chart.series) if len(chart.series) > 1 else 0) + (chart.threshold is not None)


def _text_points(text: str, font: FontProperties) -> tuple[float, float]:
    """Width and height in points of ``text`` set in ``font``, lines stacked: measured with the font
    itself (no renderer, no drawing), so the layout costs a few glyph runs rather than a draw."""
    lines = text.split("\n")
    width = max(text_to_path.get_text_width_height_descent(line, font, ismath=False)[0] for line in lines)
    return width, len(lines) * font.get_size_in_points() * LINE_HEIGHT


def _lines(font: FontProperties, count: int = 1) -> float:
    return count * font.get_size_in_points() * LINE_HEIGHT


def _margins(chart: Chart, top_value: float) -> tuple[float, float, float, float]:
    """Left, right, bottom and top margins of the plot area in points, from the sizes of the texts
    around it: the category and value tick labels, the value-axis label, the legend and the title."""
    table, note = _font("table"), _font("note")
    categories = [_text_points(_wrap(c, _LABEL_WRAP[chart.kind]), table) for c in chart.categories]
    widest_tick = _text_points(_number(SCALES[chart.scale].ticks(top_value)[-1], chart.thai_digits), table)[0]
    entries = _legend_entries(chart)
    legend = _lines(note, -(-entries // LEGEND_COLUMNS)) + EDGE if entries else 0.0  # its rows
    top = EDGE + _text_points(chart.title, _font("heading2", bold=True))[1] + TITLE_PAD
    if chart.kind == "hbar":
        left = EDGE + max(w for w, _ in categories) + TICK_PAD
        bottom = EDGE + legend + _lines(table) + TICK_PAD + _lines(table) + TICK_LENGTH + TICK_PAD
        return left, 3 * EDGE, bottom, top
    left = EDGE + _lines(table) + TICK_PAD + widest_tick + TICK_LENGTH + TICK_PAD
    bottom = EDGE + legend + max(h for _, h in categories) + TICK_PAD + EDGE
    return left, 3 * EDGE, bottom, top


def _frame_figure(chart: Chart, width_cm: float, top: float) -> tuple[MplFigure, Axes, list[Artist]]:
    """Everything of the chart but its data: axes, category and value scales, the pass-mark line,
    legend and title. Returns the figure, its axes and the artists to draw again over the data (the
    pass-mark line)."""
    _register_fonts()
    size = (width_cm / CM_PER_INCH, _height_cm(chart, width_cm) / CM_PER_INCH)
    fig = MplFigure(figsize=size, facecolor="white")
    FigureCanvasAgg(fig)
    left, right, bottom, above = _margins(chart, top)
    width_pt, height_pt = size[0] * POINTS_PER_INCH, size[1] * POINTS_PER_INCH
    fig.subplots_adjust(
        left=left / width_pt, right=1 - right / width_pt, bottom=bottom / height_pt, top=1 - above / height_pt
    )
    ax = fig.add_subplot()
    _frame(ax)
    _category_axis(ax, chart)
    _value_axis(ax, chart, top)
    overlays = _threshold(ax, chart)
    _legend(fig, ax, chart, overlays)
    ax.set_title(
        chart.title, fontproperties=_font("heading2", bold=True), color=INK, loc="center", pad=TITLE_PAD
    )
    return fig, ax, overlays


def build_figure(chart: Chart, width_cm: float) -> MplFigure:
    """The chart as a matplotlib figure ``width_cm`` wide, with an Agg canvas attached. The plot area
    is placed from measured text sizes (:func:`_margins`) rather than by a layout engine, which would
    draw the whole figure once more to find them."""
    chart = in_digits(chart)
    fig, ax, _ = _frame_figure(chart, width_cm, _top(chart))
    _DRAW[chart.kind](ax, chart)
    return fig


# --------------------------------------------------------------------------------------------------
# PNG: the frame is drawn once, each chart's data is drawn over a copy of it
# --------------------------------------------------------------------------------------------------


@dataclass
class _Stage:
    """A chart's frame (figure, axes, pass-mark line) built once and kept for every chart that shares
    it; a PNG stage also keeps the frame's pixels at one resolution."""

    fig: MplFigure
    ax: Axes
    overlays: list[Artist]
    background: object = None  # PNG stages: the frame's pixels (a BufferRegion of the Agg canvas)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _frame_of(chart: Chart) -> Chart:
    """The chart without its values: what charts that share one frame have in common."""
    return replace(chart, series=tuple(replace(s, values=(None,) * len(s.values)) for s in chart.series))


def _agg(fig: MplFigure) -> FigureCanvasAgg:
    return cast(FigureCanvasAgg, fig.canvas)


@lru_cache(maxsize=16)
def _png_stage(frame: Chart, top: float, width_cm: float, dpi: int) -> _Stage:
    fig, ax, overlays = _frame_figure(frame, width_cm, top)
    fig.set_dpi(dpi)
    for artist in overlays:  # drawn over the data later, not under it now
        artist.set_visible(False)
    _agg(fig).draw()  # type: ignore[no-untyped-call]  # backend_agg has no annotations
    for artist in overlays:
        artist.set_visible(True)
    background = _agg(fig).copy_from_bbox(fig.bbox)  # type: ignore[no-untyped-call]
    return _Stage(fig, ax, overlays, background)


@lru_cache(maxsize=16)
def _svg_stage(frame: Chart, top: float, width_cm: float) -> _Stage:
    return _Stage(*_frame_figure(frame, width_cm, top))


@contextmanager
def _data_drawn(stage: _Stage, chart: Chart) -> Iterator[list[Artist]]:
    """The chart's bars or lines and value labels added to a kept frame, and taken away again after."""
    ax = stage.ax
    before, containers = set(ax.get_children()), list(ax.containers)
    _DRAW[chart.kind](ax, chart)
    added = [artist for artist in ax.get_children() if artist not in before]
    try:
        yield added
    finally:
        for artist in added:
            artist.remove()
        ax.containers[:] = containers


def chart_png(chart: Chart, width_cm: float, dpi: int = 150) -> bytes:
    """The chart as a PNG ``width_cm`` wide at ``dpi``: ``width_cm / 2.54 * dpi`` pixels, rounded down.

    The frame (axes, scales, labels, legend, title) of a chart is drawn once and kept: charts with
    the same frame, as every agency of a batch has, only draw their bars or lines and value labels
    over a copy of it (matplotlib's blitting), a few times faster than drawing the whole figure.
    """
    chart = in_digits(chart)
    stage = _png_stage(_frame_of(chart), _top(chart), width_cm, dpi)
    canvas = _agg(stage.fig)
    with stage.lock, _data_drawn(stage, chart) as added:
        canvas.restore_region(stage.background)  # type: ignore[no-untyped-call]
        for artist in sorted([*added, *stage.overlays], key=lambda a: a.get_zorder()):
            stage.ax.draw_artist(artist)
        pixels = canvas.buffer_rgba()  # type: ignore[no-untyped-call]
        image = Image.frombuffer("RGBA", canvas.get_width_height(), pixels, "raw", "RGBA", 0, 1)
        out = io.BytesIO()
        image.save(out, format="png", compress_level=PNG_COMPRESSION, dpi=(dpi, dpi))
    return out.getvalue()


def chart_svg(chart: Chart, width_cm: float) -> str:
    """The chart as an SVG element to inline in HTML: no XML prolog, same bytes every time for the
    same chart. Text stays text (``svg.fonttype: none``) in the font family of the page, which embeds
    Sarabun: the browser shapes the Thai, a PDF printed from the page has the chart's words in its
    text layer, and the page is lighter and prints faster than with every glyph drawn as a path.
    Positions are matplotlib's, computed with the same Sarabun files. The frame is built once and
    kept, as for PNG; the whole figure is then written out."""
    chart = in_digits(chart)
    stage = _svg_stage(_frame_of(chart), _top(chart), width_cm)
    out = io.StringIO()
    with (
        stage.lock,
        _data_drawn(stage, chart),
        rc_context({"svg.fonttype": "none", "svg.hashsalt": SVG_SALT}),
    ):
        stage.fig.savefig(out, format="svg", facecolor="white", metadata={"Date": None})
    text = out.getvalue()
    return text[text.index("<svg") :]
