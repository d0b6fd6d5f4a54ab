"""Reading a published progress report back: รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและ
ความโปร่งใสภายในหน่วยงาน ... รอบ 6 / 12 เดือน. See docs/import.md ("Progress reports").

A report is told from a measures document by its table: a measure column beside a status column
(or columns of ticks headed by status words), or, under a report title, beside a column of what was
done or of percents. From the same stream of paragraphs and rows the other readers get (model.Source)
it recovers the agency, the plan year, the round and, per measure, the status where the document
states it, the percent, the responsible unit and what was done. A measure's own section
('มาตรการที่ ๑ ...' followed by 'สถานะ: ...', 'ผลการดำเนินการ: ...', as ``prongsai progress report``
writes it) adds to its row, or stands alone when there is no table. Every reading that is not
certain is an Uncertain entry with its paragraph or row; nothing is guessed silently.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from prongsai.agency import Agency
from prongsai.catalog.progress import status_th, status_words
from prongsai.errors import InputError
from prongsai.importing.header import read_heading
from prongsai.importing.model import Block, Cell, Para, Row, Source, Uncertain
from prongsai.importing.normalise import clean, squash, strip_marker
from prongsai.importing.settle import Notes
from prongsai.importing.vocabulary import alternatives, vocabulary
from prongsai.problems import Location, error
from prongsai.progress import Period, Status, quarter_end
from prongsai.thai import to_arabic_digits

_WORDS = vocabulary().progress
_HEADINGS = tuple((h.role, re.compile(h.pattern)) for h in _WORDS.headings)
_YEAR_PIECES = vocabulary().header
_YEAR = re.compile(
    rf"(?:{'|'.join(_YEAR_PIECES.year_prefixes)})\s*(?:{_YEAR_PIECES.be_era})?\s*([25๒][5๕][0-9๐-๙]{{2}})"
)
_ROUND = re.compile(rf"{re.escape(_WORDS.round)}\s*([0-9๐-๙]{{1,2}})\s*{re.escape(_WORDS.months)}")
_NUMBER = re.compile(r"[0-9]{1,3}(?:\.[0-9]+)?")
_SECTION = re.compile(rf"^{re.escape(_WORDS.measure_heading)}\s*([0-9๐-๙]{{1,3}})\s*[.:)]?\s*(.+)$")
_LABELS = tuple(
    (name, re.compile(rf"^(?:{alternatives(tuple(sorted(words, key=len, reverse=True)))})\s*:\s*(.*)$"))
    for name, words in _WORDS.labels.items()
)
_MONTHS = vocabulary().timeframe.months  # October first: March is [5], September [11]
_TITLE_LIMIT = 250  # a title paragraph is short

StatusFrom = Literal["stated", "tick", "percent"]


@dataclass(frozen=True)
class ReadProgress:
    """One measure of a progress report as printed."""

    number: int | None  # its printed sequence number
    title: str
    status: Status | None
    status_from: StatusFrom | None  # how the status was read: stated, from a tick or from a percent
    percent: int | None
    owner: str
    done: str
    outputs: str
    problems: str
    suggestions: str
    note: str
    line: int

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "title": self.title,
            "status": self.status,
            "status_th": status_th(self.status) if self.status else None,
            "status_from": self.status_from,
            "percent": self.percent,
            "owner": self.owner,
            "done": self.done,
            "outputs": self.outputs,
            "problems": self.problems,
            "suggestions": self.suggestions,
            "note": self.note,
            "line": self.line,
        }


@dataclass(frozen=True)
class ProgressReport:
    source: Source
    agency: Agency
    plan_year: int
    round: Period
    measures: tuple[ReadProgress, ...]
    uncertain: tuple[Uncertain, ...]

    @property
    def ita_year(self) -> int:
        """The plan is drawn from the previous year's ITA."""
        return self.plan_year - 1

    @property
    def quarter(self) -> int:
        """The last fiscal quarter the round covers."""
        return 2 if self.round == 6 else 4


# --------------------------------------------------------------------------------------------------
# Columns
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Columns:
    roles: dict[int, str]
    ticks: dict[int, Status]  # a column headed by a status word: a tick in it states that status

    @property
    def progress(self) -> bool:
        """Whether the columns are those of a progress table rather than of a measures table."""
        kinds = set(self.roles.values())
        return "measure" in kinds and bool(self.ticks or "status" in kinds or {"done", "percent"} & kinds)

    @property
    def stated(self) -> bool:
        """A status column or tick columns: a progress table even without a report's title."""
        return "measure" in self.roles.values() and bool(self.ticks or "status" in self.roles.values())


def _status_word(text: str) -> Status | None:
    """The status a heading names exactly (spaces ignored): a tick column."""
    key = squash(text)
    for words in status_words().values():
        if any(squash(w) == key for w in (words.th, *words.also)):
            return words.key
    return None


def columns_of(row: Row) -> Columns | None:
    """The columns of a heading row of a progress table, or None: two known headings at least, no
    figure, no long unknown text."""
    roles: dict[int, str] = {}
    ticks: dict[int, Status] = {}
    known = 0
    for index, cell in enumerate(row.cells):
        if cell.empty:
            continue
        text = cell.text
        if _NUMBER.fullmatch(to_arabic_digits(text.strip())):
            return None
        status = _status_word(text)
        if status is not None:
            ticks[index] = status
            known += 1
            continue
        key = squash(text)
        role = next(((r, True) for r, pattern in _HEADINGS if pattern.search(key)), (None, False))
        if role[1]:
            known += 1
            if role[0] is not None:
                roles[index] = role[0]
        elif len(key) > 40:
            return None
    return Columns(roles, ticks) if known >= 2 and (roles or ticks) else None


def _merged(upper: Columns, lower: Columns) -> Columns:
    """Two heading rows (a spanning 'สถานะการดำเนินการ' over its tick columns): the lower row wins."""
    roles = {i: r for i, r in upper.roles.items() if i not in lower.ticks}
    roles.update(lower.roles)
    return Columns(roles, {**upper.ticks, **lower.ticks})


def is_progress_report(source: Source) -> bool:
    """A progress table (a measure column with a status or tick columns), or a report's title above
    a measure column with what was done or percents, or a title above measures' own sections."""
    titled = False
    sections = False
    for block in source.blocks:
        if isinstance(block, Para):
            titled = titled or _is_title(block.text)
            sections = sections or (titled and _SECTION.match(block.text) is not None)
            continue
        columns = columns_of(block)
        if columns is not None and (columns.stated or (titled and columns.progress)):
            return True
    labels = (_label_of(b.text) for b in source.blocks if isinstance(b, Para))
    return sections and any(found is not None and found[0] == "status" for found in labels)


def _is_title(text: str) -> bool:
    return len(text) <= _TITLE_LIMIT and any(word in text for word in _WORDS.titles)


def _label_of(text: str) -> tuple[str, str] | None:
    for name, pattern in _LABELS:
        match = pattern.match(text)
        if match:
            return name, match.group(1).strip()
    return None


# --------------------------------------------------------------------------------------------------
# Cells: status, percent, ticks
# --------------------------------------------------------------------------------------------------


def _spellings() -> list[tuple[str, Status]]:
    found = [
        (squash(s), words.key)
        for words in status_words().values()
        for s in (words.th, *words.also, words.en, words.key)
    ]
    return sorted(found, key=lambda pair: len(pair[0]), reverse=True)


_SPELLINGS = _spellings()


def status_in(text: str) -> tuple[Status | None, str]:
    """The status a cell states, and what is left of the cell besides status words and a percent.
    Several different statuses in one cell state none."""
    rest = squash(text)
    found: set[Status] = set()
    for spelling, status in _SPELLINGS:
        if spelling in rest:
            found.add(status)
            rest = rest.replace(spelling, " ")
    rest = re.sub(rf"{re.escape(_WORDS.percent_word)}|%|[0-9.]+|[\s()\-–:,]", "", rest)
    return (found.pop() if len(found) == 1 else None), ("" if len(found) == 1 else rest)


def percent_in(text: str, bare: bool) -> int | None:
    """'๕๕', '55%', 'ร้อยละ 55' -> 55; a bare number counts only where ``bare`` (a percent column)."""
    plain = to_arabic_digits(text)
    word = re.search(rf"{re.escape(_WORDS.percent_word)}\s*({_NUMBER.pattern})", plain)
    sign = re.search(rf"({_NUMBER.pattern})\s*%", plain)
    match = word or sign or (re.fullmatch(rf"\s*({_NUMBER.pattern})\s*", plain) if bare else None)
    if match is None:
        return None
    value = round(float(match.group(1)))
    return value if 0 <= value <= 100 else None


_TICKS = frozenset("".join(_WORDS.ticks))


def _ticked(cell: Cell) -> bool:
    """A cell holding only tick marks (a variation selector after ✔ aside)."""
    text = "".join(cell.text.split()).replace("\ufe0f", "")
    return bool(text) and all(ch in _TICKS for ch in text)


def _empty_text(text: str) -> str:
    """A cell's text, or '' when it only says nothing was done ('-', 'ยังไม่มีการรายงาน...')."""
    stripped = text.strip()
    if not stripped.strip("-–— ") or any(squash(w) == squash(stripped) for w in _WORDS.nothing_done):
        return ""
    return stripped


# --------------------------------------------------------------------------------------------------
# Rows and sections
# --------------------------------------------------------------------------------------------------


@dataclass
class _Draft:
    number: int | None
    titles: list[str]
    line: int
    status_text: str = ""
    percent_text: str = ""
    ticks: list[Status] = field(default_factory=list)
    fields: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, text: str) -> None:
        text = _empty_text(text)
        if text:
            self.fields.setdefault(name, []).append(text)

    def text(self, name: str) -> str:
        return " ".join(self.fields.get(name, []))

    @property
    def title(self) -> str:
        return clean(" ".join(self.titles))


def _number(text: str) -> int | None:
    digits = to_arabic_digits(text.strip()).rstrip(".)")
    return int(digits) if digits.isdigit() and len(digits) <= 3 else None


_FIELDS = ("done", "owner", "outputs", "problems", "suggestions", "note")  # texts read from their columns


class _Reader:
    def __init__(self, notes: Notes) -> None:
        self.notes = notes
        self.drafts: list[_Draft] = []
        self.columns: Columns | None = None
        self.table = -1
        self.after_heading = False
        self.sections: dict[int, _Draft] = {}
        self.section: _Draft | None = None
        self.first_table_line: int | None = None

    def block(self, block: Block) -> None:
        if isinstance(block, Para):
            self.paragraph(block)
        else:
            self.row(block)

    def paragraph(self, para: Para) -> None:
        match = _SECTION.match(para.text)
        if match:
            number = int(to_arabic_digits(match.group(1)))
            self.section = _Draft(number, [match.group(2).strip()], para.line)
            self.sections.setdefault(number, self.section)
            return
        labelled = _label_of(para.text) if self.section is not None else None
        if labelled is None or self.section is None:
            return
        name, value = labelled
        if name == "status":
            self.section.status_text = value
        else:
            self.section.add(name, value)

    def row(self, row: Row) -> None:
        columns = columns_of(row)
        if columns is not None:
            if self.after_heading and row.table == self.table and self.columns is not None:
                columns = _merged(self.columns, columns)
            self.columns = columns
            self.table = row.table
            self.after_heading = True
            if columns.progress and self.first_table_line is None:
                self.first_table_line = row.line
            return
        self.after_heading = False
        if row.table != self.table:
            self.columns = None
            self.table = row.table
        if self.columns is not None and self.columns.progress:
            self.progress_row(row, self.columns)

    def progress_row(self, row: Row, columns: Columns) -> None:
        cells = {role: row.cells[i] for i, role in columns.roles.items() if i < len(row.cells)}
        empty = Cell(())

        def text(role: str) -> str:
            return cells.get(role, empty).text.strip()

        ticked = [(columns.ticks[i], row.cells[i]) for i in columns.ticks if i < len(row.cells)]
        ticks = [status for status, cell in ticked if _ticked(cell)]
        title = strip_marker(text("measure"))
        number = _number(text("seq")) if "seq" in cells else None
        first = squash(" ".join(c.text for c in row.cells[:2]))
        if number is None and any(first.startswith(squash(w)) for w in _WORDS.total_rows):
            return
        stated = bool(text("status") or text("percent") or ticks)
        previous = self.drafts[-1] if self.drafts else None
        # a row continuing the cells of the measure above across a page break: no number, no status
        if previous is not None and number is None and not stated and (not title or previous.number):
            if title:
                previous.titles.append(title)
            for name in _FIELDS:
                previous.add(name, text(name))
            return
        if not title:
            if stated or any(text(name) for name in _FIELDS):
                shown = " | ".join(c.text for c in row.cells if not c.empty)
                self.notes.warning("import_progress_no_title", row.line, shown[:120], text=shown[:60])
            return  # otherwise a section row ('ประเด็นที่ ๑ ...'), or an empty one
        draft = _Draft(number, [title], row.line, text("status"), text("percent"), ticks)
        for name in _FIELDS:
            draft.add(name, text(name))
        self.drafts.append(draft)


def _with_section(draft: _Draft, section: _Draft | None) -> _Draft:
    if section is None:
        return draft
    if not draft.status_text and not draft.ticks and not draft.percent_text:
        draft.status_text = section.status_text
    for name, texts in section.fields.items():
        if name not in draft.fields:
            draft.fields[name] = list(texts)
    return draft


def _settled(draft: _Draft, notes: Notes) -> ReadProgress:
    """The status of a measure: stated in words, else from its ticks, else from its percent."""
    title = draft.title
    short = title[:50]
    status, rest = status_in(draft.status_text) if draft.status_text else (None, "")
    percent = percent_in(draft.percent_text, bare=True) if draft.percent_text else None
    if percent is None and draft.status_text:
        percent = percent_in(draft.status_text, bare=False)
    how: StatusFrom | None = "stated" if status is not None else None
    if status is None and rest:
        notes.warning(
            "import_progress_status_unknown",
            draft.line,
            draft.status_text,
            title=short,
            text=draft.status_text,
        )
    if status is None and draft.ticks:
        distinct = sorted(set(draft.ticks), key=draft.ticks.index)
        if len(distinct) == 1:
            status, how = distinct[0], "tick"
            words = status_words()[status]
            notes.warning(
                "import_progress_status_from_tick",
                draft.line,
                title[:80],
                title=short,
                status_th=words.th,
                status_en=words.en,
            )
        else:
            words_th = ", ".join(status_th(s) for s in distinct)
            notes.warning(
                "import_progress_ticks_ambiguous", draft.line, title[:80], title=short, columns=words_th
            )
    if status is None and percent is not None and not (len(set(draft.ticks)) > 1):
        status = "done" if percent == 100 else "not_started" if percent == 0 else "in_progress"
        how = "percent"
        words = status_words()[status]
        notes.warning(
            "import_progress_status_from_percent",
            draft.line,
            title[:80],
            title=short,
            percent=percent,
            status_th=words.th,
            status_en=words.en,
        )
    if status is None and not rest and len(set(draft.ticks)) <= 1:
        notes.warning("import_progress_no_status", draft.line, title[:80], title=short)
    return ReadProgress(
        number=draft.number,
        title=title,
        status=status,
        status_from=how,
        percent=percent,
        owner=draft.text("owner"),
        done=draft.text("done"),
        outputs=draft.text("outputs"),
        problems=draft.text("problems"),
        suggestions=draft.text("suggestions"),
        note=draft.text("note"),
        line=draft.line,
    )


# --------------------------------------------------------------------------------------------------
# Heading facts: plan year and round
# --------------------------------------------------------------------------------------------------


def _title_paragraphs(paragraphs: Sequence[Para], before: int | None) -> list[Para]:
    """The report's title and the few lines under it (the year and round are often on the next)."""
    ahead = [p for p in paragraphs if before is None or p.line < before]
    start = next((i for i, p in enumerate(ahead) if _is_title(p.text)), None)
    return ahead[start : start + 4] if start is not None else ahead[:6]


def _plan_year(title: Sequence[Para], paragraphs: Sequence[Para], notes: Notes) -> int | None:
    for para in title:
        match = _YEAR.search(para.text)
        if match:
            return int(to_arabic_digits(match.group(1)))
    years = [int(to_arabic_digits(m.group(1))) for p in paragraphs for m in _YEAR.finditer(p.text)]
    if not years:
        return None
    chosen = max(set(years), key=lambda y: (years.count(y), -years.index(y)))
    notes.warning("import_progress_year_inferred", None, "", year=chosen)
    return chosen


def _round(title: Sequence[Para], paragraphs: Sequence[Para], notes: Notes) -> Period:
    for para in [*title, *paragraphs]:
        match = _ROUND.search(para.text)
        if match:
            months = int(to_arabic_digits(match.group(1)))
            if months in (6, 12):
                return 6 if months == 6 else 12
    text = " ".join(p.text for p in title)
    ends = [(text.rfind(_MONTHS[i]), months) for i, months in ((5, 6), (11, 12)) if _MONTHS[i] in text]
    found: Period = 12
    if ends:
        found = 6 if max(ends)[1] == 6 else 12
    notes.warning("import_progress_round_inferred", None, text[:120], round=found)
    return found


# --------------------------------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------------------------------


def read_progress_report(source: Source) -> ProgressReport:
    """A progress report's facts and measures; raises InputError when it names no agency, no year or
    no measure."""
    notes = Notes(source.name)
    notes.found.extend(source.notes)
    reader = _Reader(notes)
    for block in source.blocks:
        reader.block(block)
    paragraphs = [b for b in source.blocks if isinstance(b, Para)]
    cells = [c.text for b in source.blocks if isinstance(b, Row) for c in b.cells]
    where = Location(file=source.name)
    heading = read_heading(paragraphs, cells)
    problems = []
    if heading.name is None:
        problems.append(error("import_no_agency", where))
    title = _title_paragraphs(paragraphs, reader.first_table_line)
    plan_year = _plan_year(title, paragraphs, notes)
    if plan_year is None:
        problems.append(error("import_progress_no_year", where))
    drafts = reader.drafts or list(reader.sections.values())
    if not drafts:
        problems.append(error("import_progress_no_measures", where))
    if problems or heading.name is None or plan_year is None:
        raise InputError(problems)
    if heading.name_variants:
        variants = ", ".join(heading.name_variants)
        notes.warning("import_agency_variants", None, variants, variants=variants, name=heading.name)
    round_ = _round(title, paragraphs, notes)
    sections = dict(reader.sections) if reader.drafts else {}
    by_title = {squash(s.title): s for s in sections.values()}
    measures = []
    for draft in drafts:
        section = sections.get(draft.number) if draft.number is not None else None
        if section is None or squash(section.title)[:20] != squash(draft.title)[:20]:
            section = by_title.get(squash(draft.title), section)
        measures.append(_settled(_with_section(draft, section), notes))
    agency = Agency(heading.name, heading.type, heading.district, heading.province)
    return ProgressReport(source, agency, plan_year, round_, tuple(measures), tuple(notes.found))


def round_day(report: ProgressReport) -> dt.date:
    """The day an imported update is dated: the round's last day (31 March or 30 September)."""
    return quarter_end(report.plan_year, report.quarter)
