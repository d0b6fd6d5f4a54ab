"""Charts: real PNG and SVG output, colours against the pass mark, Thai digits, gaps in a trend."""

from __future__ import annotations

import io
import re
from dataclasses import replace

from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure as MplFigure
from matplotlib.font_manager import findfont
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from PIL import Image

from prongsai.document.charts import build_figure, chart_png, chart_svg
from prongsai.document.model import Chart, Series
from prongsai.document.style import font_files
from tests.document.sample import INDICATORS, sample_document

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ARABIC = re.compile("[0-9]")
THAI = re.compile("[๐-๙]")


def indicators() -> Chart:
    return sample_document().figures()[0].chart


def tools(thai_digits: bool = False) -> Chart:
    return Chart(
        key="tools",
        kind="bar",
        title="คะแนนรายเครื่องมือ",
        categories=("IIT", "EIT", "OIT", "ภาพรวม"),
        series=(Series("2567", (88.2, 79.5, 92.0, 87.1)), Series("2568", (91.0, 84.4, 95.5, 90.52))),
        value_label="คะแนน",
        threshold=85.0,
        threshold_label="เกณฑ์ผ่าน",
        thai_digits=thai_digits,
    )


def trend() -> Chart:
    return Chart(
        key="trend",
        kind="line",
        title="แนวโน้มคะแนน",
        categories=("2564", "2565", "2566", "2567"),
        series=(Series("ภาพรวม", (80.1, None, 86.3, 90.52)), Series("EIT", (75.0, 78.2, None, None))),
        value_label="คะแนน",
    )


def trend_of_four_series() -> Chart:
    """The trend the documents draw: the overall and three tools with the pass mark, five legend
    entries in two rows under the year labels."""
    return Chart(
        key="trend",
        kind="line",
        title="ผลการประเมินย้อนหลัง ปีงบประมาณ พ.ศ. 2566 – 2567",
        categories=("พ.ศ. 2566", "พ.ศ. 2567"),
        series=(
            Series("คะแนนภาพรวม", (86.79, 92.03)),
            Series("IIT", (92.52, 90.26)),
            Series("EIT", (None, 83.18)),
            Series("OIT", (86.79, 100.0)),
        ),
        value_label="คะแนน",
        threshold=85.0,
        threshold_label="เกณฑ์ผ่าน 85 คะแนน",
    )


def drawn(chart: Chart, width_cm: float = 15) -> tuple[MplFigure, Axes]:
    fig = build_figure(chart, width_cm)
    fig.canvas.draw()
    return fig, fig.axes[0]


def bars(ax: Axes) -> list[Rectangle]:
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def texts(ax: Axes) -> list[str]:
    return [t.get_text() for t in ax.texts]


def test_png_is_a_png_of_the_requested_width() -> None:
    for width_cm, dpi in ((15.0, 100), (12.3, 150)):
        png = chart_png(indicators(), width_cm, dpi=dpi)
        assert png.startswith(PNG_SIGNATURE)
        image = Image.open(io.BytesIO(png))
        assert image.format == "PNG"
        assert abs(image.width - width_cm / 2.54 * dpi) < 1
        assert image.height > 100


def test_hbar_grows_with_its_categories() -> None:
    chart = indicators()
    doubled = replace(
        chart,
        categories=chart.categories * 2,
        series=(Series("คะแนน", chart.series[0].values * 2),),
    )
    short = Image.open(io.BytesIO(chart_png(chart, 15, dpi=50)))
    tall = Image.open(io.BytesIO(chart_png(doubled, 15, dpi=50)))
    assert short.width == tall.width
    assert tall.height > short.height * 1.6


def test_svg_keeps_text_as_text_in_sarabun_without_prolog_and_is_stable() -> None:
    chart = indicators()
    svg = chart_svg(chart, 15)
    assert svg.startswith("<svg")
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg
    words = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert chart.title in words and chart.categories[0] in words and "72.94" in words
    assert all("font-family: 'Sarabun'" in tag for tag in re.findall(r"<text[^>]*>", svg))
    assert 'id="DejaVu' not in svg and "<path" in svg  # no glyph outlines, only the bars and lines
    assert svg.rstrip().endswith("</svg>")
    assert chart_svg(indicators(), 15) == svg


def test_hbar_colours_bars_under_the_pass_mark() -> None:
    chart = indicators()
    _, ax = drawn(chart)
    rectangles = bars(ax)
    assert len(rectangles) == len(INDICATORS)
    colours = [to_rgb(r.get_facecolor()) for r in rectangles]
    failing = {i for i, (_, score) in enumerate(INDICATORS) if score < 85}
    assert failing == {6, 7}
    fail_colour, pass_colour = colours[7], colours[0]
    assert fail_colour != pass_colour
    assert fail_colour[0] > fail_colour[2] and pass_colour[2] > pass_colour[0]  # red-ish against blue-ish
    assert all(colours[i] == (fail_colour if i in failing else pass_colour) for i in range(len(colours)))
    # bar lengths are the scores, the first indicator at the top
    assert [r.get_width() for r in rectangles] == [score for _, score in INDICATORS]
    assert ax.yaxis_inverted()
    assert ax.get_yticklabels()[0].get_text() == chart.categories[0]


def test_threshold_line_and_label() -> None:
    chart = indicators()
    fig, ax = drawn(chart)
    dashed = [line for line in ax.lines if line.get_linestyle() != "-"]
    assert len(dashed) == 1
    assert list(dashed[0].get_xdata()) == [85.0, 85.0]  # vertical line at the pass mark
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [chart.threshold_label]
    assert ax.get_title() == chart.title
    assert ax.get_xlabel() == chart.value_label


def test_arabic_digits_by_default() -> None:
    _, ax = drawn(indicators())
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks == ["0", "20", "40", "60", "80", "100"]
    assert "72.94" in texts(ax) and "100.00" in texts(ax)


def test_thai_digits_on_ticks_and_value_labels() -> None:
    _, ax = drawn(replace(indicators(), thai_digits=True))
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks == ["๐", "๒๐", "๔๐", "๖๐", "๘๐", "๑๐๐"]
    values = texts(ax)
    assert "๗๒.๙๔" in values and "๑๐๐.๐๐" in values
    assert not any(ARABIC.search(v) for v in [*ticks, *values])


def test_grouped_bars_thai_digits_on_the_value_axis() -> None:
    chart = tools(thai_digits=True)
    fig, ax = drawn(chart)
    rectangles = bars(ax)
    assert len(rectangles) == 8  # two series of four
    assert [t.get_text() for t in ax.get_xticklabels()] == list(chart.categories)
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks and all(THAI.search(t) and not ARABIC.search(t) for t in ticks)
    # the EIT bars (79.5 and 84.4) fall under 85, every other bar passes
    heights = [r.get_height() for r in rectangles]
    colours = [to_rgb(r.get_facecolor()) for r in rectangles]
    first, second = colours[:4], colours[4:]
    assert first[1] != first[0] and second[1] != second[0]
    assert heights[1] == 79.5 and heights[5] == 84.4
    # one digit style in the whole chart: the series' years too
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["๒๕๖๗", "๒๕๖๘", "เกณฑ์ผ่าน"]


def test_line_chart_skips_missing_years() -> None:
    chart = trend()
    fig, ax = drawn(chart)
    lines = [line for line in ax.lines if isinstance(line, Line2D) and line.get_marker() == "o"]
    assert len(lines) == 2
    assert list(lines[0].get_xdata()) == [0, 2, 3]
    assert list(lines[0].get_ydata()) == [80.1, 86.3, 90.52]
    assert list(lines[1].get_xdata()) == [0, 1]
    assert sorted(texts(ax)) == sorted(["80.10", "86.30", "90.52", "75.00", "78.20"])
    assert [t.get_text() for t in ax.get_xticklabels()] == list(chart.categories)
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["ภาพรวม", "EIT"]


def test_value_axis_runs_from_zero_to_a_hundred() -> None:
    _, ax = drawn(tools())
    low, high = ax.get_ylim()
    assert low == 0 and 100 <= high <= 115
    assert [t.get_text() for t in ax.get_yticklabels()][-1] == "100"


def test_every_text_is_set_in_the_vendored_sarabun() -> None:
    fig, ax = drawn(indicators())
    artists = [*ax.get_xticklabels(), *ax.get_yticklabels(), *ax.texts, ax.title, ax.xaxis.label]
    artists += fig.legends[0].get_texts()
    vendored = {str(path) for path in font_files().values()}
    for artist in artists:
        assert str(findfont(artist.get_fontproperties(), fallback_to_default=False)) in vendored
    assert str(findfont(ax.title.get_fontproperties())).endswith("Sarabun-Bold.ttf")


def test_every_text_lies_inside_the_picture_and_the_legend_overlaps_no_label() -> None:
    long_names = replace(
        tools(),
        categories=("การใช้ทรัพย์สินของราชการ", "การแก้ไขปัญหาการทุจริต", "คุณภาพการดำเนินงาน", "ภาพรวม"),
    )
    charts = (
        indicators(),
        replace(indicators(), thai_digits=True),
        tools(True),
        trend(),
        trend_of_four_series(),
    )
    for chart in (*charts, long_names):
        fig, ax = drawn(chart)
        renderer = fig.canvas.get_renderer()
        picture = fig.bbox
        labels = [*ax.get_xticklabels(), *ax.get_yticklabels(), ax.title, ax.xaxis.label, ax.yaxis.label]
        labels += [t for t in ax.texts]
        for artist in labels:
            if not artist.get_text():
                continue
            box = artist.get_window_extent(renderer)
            inside = box.x0 >= picture.x0 - 1 and box.x1 <= picture.x1 + 1
            inside = inside and box.y0 >= picture.y0 - 1 and box.y1 <= picture.y1 + 1
            assert inside, (chart.key, artist.get_text(), box, picture)
        legend = fig.legends[0].get_window_extent(renderer)
        assert legend.y0 >= picture.y0 - 1
        for artist in labels:
            if artist.get_text():
                assert not legend.overlaps(artist.get_window_extent(renderer)), (chart.key, artist.get_text())


def _pixels(png: bytes) -> list[tuple[int, ...]]:
    return list(Image.open(io.BytesIO(png)).convert("RGB").get_flattened_data())


def test_png_drawn_over_a_kept_frame_matches_drawing_the_whole_figure() -> None:
    for chart in (indicators(), tools(True), trend()):
        fig = build_figure(chart, 15)
        whole = io.BytesIO()
        fig.savefig(whole, format="png", dpi=100, facecolor="white")
        ours, reference = _pixels(chart_png(chart, 15, dpi=100)), _pixels(whole.getvalue())
        assert len(ours) == len(reference)
        differing = sum(
            1
            for a, b in zip(ours, reference, strict=True)
            if max(abs(x - y) for x, y in zip(a, b, strict=True)) > 8
        )
        assert differing < len(ours) * 0.001, (chart.key, differing)


def test_charts_sharing_a_frame_leave_nothing_behind_for_each_other() -> None:
    weak = indicators()
    strong = replace(
        weak, series=(Series("คะแนน", tuple(min(100.0, v + 12) for v in weak.series[0].values)),)
    )
    first = chart_png(weak, 15, dpi=60)
    other = chart_png(strong, 15, dpi=60)
    assert other != first
    assert chart_png(weak, 15, dpi=60) == first  # the bars and labels of `strong` are gone
    renamed = replace(weak, title="คะแนนรายตัวชี้วัด ปี 2567")
    assert chart_png(renamed, 15, dpi=60) != first  # another frame, drawn on its own


def test_svg_from_a_kept_frame_is_the_svg_of_a_fresh_figure() -> None:
    from matplotlib import rc_context

    weak = indicators()
    strong = replace(
        weak, series=(Series("คะแนน", tuple(min(100.0, v + 12) for v in weak.series[0].values)),)
    )
    for chart in (weak, strong, weak, tools(True), trend()):
        fresh = io.StringIO()
        with rc_context({"svg.fonttype": "none", "svg.hashsalt": "prongsai"}):
            build_figure(chart, 15).savefig(fresh, format="svg", facecolor="white", metadata={"Date": None})
        expected = fresh.getvalue()
        assert chart_svg(chart, 15) == expected[expected.index("<svg") :], chart.key
