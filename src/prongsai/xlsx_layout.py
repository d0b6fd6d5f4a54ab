"""Writing readable workbooks with openpyxl: fonts, wrapped text, column widths, row heights that
hold their wrapped Thai text, A4 printing and the instructions sheet (the results form of
:mod:`prongsai.results_template` and the framework workbook of :mod:`prongsai.framework_export`).

openpyxl writes no row heights, and neither Excel nor LibreOffice reliably grows a row to the
wrapped text it holds, so text spilled over the next row or was cut off. :func:`fit_row_heights`
sets each row's height from its text instead, estimated from the column widths and font sizes.

The estimate was calibrated by rendering real texts of the workbooks (every item question,
indicator and instruction line, at 11 to 18 pt, in columns 30, 60 and 100 wide) with LibreOffice
and counting the lines each cell took, and checked on every wrapped cell of the two workbooks of
2568 and 2569 (about 2,000) the same way. Lines are 1.3 times the font size apart; a character (as
:func:`prongsai.thai.display_width` counts them: Thai marks above and below take none) takes
:data:`WIDTH_PER_POINT` column width units per point of font size (see that constant for the two
fonts measured). Column width units are Excel's: the width of a '0' of the default Calibri 11.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import column_index_from_string
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from prongsai.formulas import as_text_cell
from prongsai.thai import display_width

FONT = "TH Sarabun New"  # the Thai government's standard font
GREY = "595959"  # the English lines under the Thai ones
LINE_HEIGHT = 1.3  # points per line per point of font size (Thai fonts leave room for stacked marks)
ROW_PADDING = 3.0  # points above and below the lines of a row
# Column width units one character takes per point of font size. Measured with LibreOffice as the
# least that leaves no cell of the texts measured needing more lines than estimated: 0.07 with
# Sarabun scaled to TH Sarabun New's widths (2/3 of Sarabun's, by TH Sarabun New's width table), 0.11
# with Sarabun itself (the OFL release of TH Sarabun New in prongsai/document/fonts, which draws 1.5
# times as large). The workbooks name TH Sarabun New, which Thai government PCs have: its measure and
# a fifth more, for Excel measuring text its own way. Where the font is missing Excel shows a wider
# one, and a long wrapped text may need a line more than its row has (sizing for Sarabun, 0.11, would
# make every short row of the form two lines tall on the PCs that have the font).
WIDTH_PER_POINT = 0.085
BOLD = 1.05  # bold text is this much wider (Sarabun Bold: 1.04 on the texts measured)
CELL_MARGIN = 2.0  # column width units a cell keeps free at its sides
DEFAULT_WIDTH = 8.43  # Excel's width of a column not given one
DEFAULT_SIZE = 11.0  # the size of a cell without a font of its own


def font(size: float, *, bold: bool = False, italic: bool = False, color: str = "000000") -> Font:
    """TH Sarabun New at ``size`` points."""
    return Font(name=FONT, size=size, bold=bold, italic=italic, color=color)


def wrapped(vertical: str = "top", horizontal: str = "left") -> Alignment:
    """Text wrapped onto as many lines as the column's width needs."""
    return Alignment(wrap_text=True, vertical=vertical, horizontal=horizontal)


def character_width(size: float, *, bold: bool = False) -> float:
    """Column width units one character of text takes at ``size`` points."""
    return WIDTH_PER_POINT * size * (BOLD if bold else 1.0)


def fit_width(
    texts: Iterable[str], size: float, *, widest: float, narrowest: float = 0, bold: bool = False
) -> float:
    """A column as wide as its widest line of text at ``size`` points, within the limits: wrapped
    text wider than ``widest`` goes onto more lines."""
    longest = max((display_width(line) for text in texts for line in text.splitlines()), default=0)
    needed = math.ceil(longest * character_width(size, bold=bold) + CELL_MARGIN)
    return max(narrowest, min(widest, needed))


def lines_needed(text: str, width: float, size: float, *, bold: bool = False) -> int:
    """The lines ``text`` takes wrapped in a column ``width`` units wide at ``size`` points: each of
    its own lines takes as many as its characters fill."""
    per_line = max(1.0, (width - CELL_MARGIN) / character_width(size, bold=bold))
    return sum(max(1, math.ceil(display_width(line) / per_line)) for line in text.split("\n"))


def row_height(lines: int, size: float) -> float:
    """The height in points of a row that shows ``lines`` lines at ``size`` points."""
    return lines * LINE_HEIGHT * size + ROW_PADDING


def fit_row_heights(sheet: Worksheet) -> None:
    """Set the height of every row that holds text to what its tallest cell needs: a wrapped cell
    the lines its text takes in its column (a merged cell: in its columns together), any other cell
    one line of its font. Rows with nothing in them keep the default height. Call it last, when the
    columns have their widths and the cells their fonts."""
    spans: dict[str, tuple[int, int, int]] = {}  # a merged range's first cell: its columns and rows
    for merged in sheet.merged_cells.ranges:
        spans[merged.start_cell.coordinate] = (
            merged.min_col,
            merged.max_col,
            merged.max_row - merged.min_row + 1,
        )
    widths = _widths(sheet)
    heights: dict[int, float] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is None or not isinstance(cell.column, int):
                continue
            first, last, rows = spans.get(cell.coordinate, (cell.column, cell.column, 1))
            width = sum(widths.get(column, DEFAULT_WIDTH) for column in range(first, last + 1))
            if width == 0:  # hidden
                continue
            size = float(cell.font.sz or DEFAULT_SIZE)
            bold = bool(cell.font.b)
            lines = lines_needed(str(cell.value), width, size, bold=bold) if cell.alignment.wrap_text else 1
            heights[cell.row] = max(heights.get(cell.row, 0.0), row_height(lines, size) / rows)
    for number, height in heights.items():
        sheet.row_dimensions[number].height = round(height, 1)


def _widths(sheet: Worksheet) -> dict[int, float]:
    """The width of each column given one, by its number: 0 if hidden (openpyxl may hold one
    dimension for several columns)."""
    widths: dict[int, float] = {}
    for dimension in sheet.column_dimensions.values():
        low = dimension.min or column_index_from_string(dimension.index)
        high = dimension.max or low
        for column in range(low, high + 1):
            widths[column] = 0.0 if dimension.hidden else float(dimension.width or DEFAULT_WIDTH)
    return widths


def print_on_a4(sheet: Worksheet, last_column: str, last_row: int) -> None:
    """Print ``A1`` to ``last_column last_row`` on A4 portrait, one page wide, numbered at the foot."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.print_options.horizontalCentered = True
    sheet.print_area = f"A1:{last_column}{last_row}"
    footer = sheet.oddFooter
    assert footer is not None and footer.center is not None  # openpyxl makes them with the sheet
    footer.center.text = "&P / &N"  # page numbers


@dataclass(frozen=True)
class Instructions:
    """What an instructions sheet says: each line in Thai with its English under it."""

    title: str
    title_en: str
    steps: Sequence[tuple[str, str]]  # numbered
    notice: tuple[str, str] | None = None  # said first, in bold
    note: tuple[str, str] | None = None  # said last, in bold


def write_instructions(sheet: Worksheet, words: Instructions, *, size: int, width: float = 100) -> int:
    """Write ``words`` on ``sheet``: the title across columns A and B, the notice, the steps
    numbered in column A and the note, the English in grey under each Thai line. Every cell is text
    (never a formula), the rows are as tall as their text and the sheet prints on A4 portrait.
    Returns the last row written."""
    small = size - 2
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = width
    for row, (text, title_font) in enumerate(
        ((words.title, font(size + 2, bold=True)), (words.title_en, font(small, italic=True, color=GREY))),
        start=1,
    ):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        cell = sheet.cell(row, 1, text)
        cell.font = title_font
        cell.alignment = wrapped("center", "center")

    def pair(row: int, thai: str, english: str, *, bold: bool = False) -> None:
        sheet.cell(row, 2, thai).font = font(size, bold=bold)
        sheet.cell(row + 1, 2, english).font = font(small, italic=True, color=GREY)
        sheet.cell(row, 2).alignment = sheet.cell(row + 1, 2).alignment = wrapped()

    row = 4
    if words.notice is not None:
        pair(row, *words.notice, bold=True)
        row += 3
    for number, (thai, english) in enumerate(words.steps, start=1):
        sheet.cell(row, 1, f"{number}.").font = font(size)
        sheet.cell(row, 1).alignment = Alignment(vertical="top", horizontal="right")
        pair(row, thai, english)
        row += 2
    if words.note is not None:
        pair(row + 1, *words.note, bold=True)
        row += 3
    last = row - 1
    for cells in sheet.iter_rows(max_col=2):
        for written in cells:
            as_text_cell(written)
    fit_row_heights(sheet)
    print_on_a4(sheet, "B", last)
    return last


def new_workbook(title: str) -> Workbook:
    """An empty workbook (no default sheet) with its title, made by prongsai."""
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    book.properties.title = title
    book.properties.creator = "prongsai"
    return book
