"""Plain extracted text (like the seeds): tab-separated table rows, HTML fragments inside cells."""

from __future__ import annotations

from prongsai.importing.model import Block, Cell, Para, Row, Source
from prongsai.importing.normalise import clean, html_parts


def read_text(text: str, name: str) -> Source:
    """Each line with a tab is a table row (cells split at tabs); other non-blank lines are paragraphs.
    Blank lines (page breaks) do not end a table; a paragraph does."""
    blocks: list[Block] = []
    table = 0
    in_table = False
    for number, raw in enumerate(text.splitlines(), start=1):
        if "\t" in raw:
            if not in_table:
                table += 1
                in_table = True
            cells = tuple(Cell(html_parts(cell)) for cell in raw.split("\t"))
            blocks.append(Row(cells, number, table))
            continue
        line = clean(" ".join(html_parts(raw)))
        if line:
            blocks.append(Para(line, number))
            in_table = False
    return Source(name, "text", tuple(blocks))
