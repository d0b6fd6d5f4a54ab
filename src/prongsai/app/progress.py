"""Use cases of the progress file (application layer: the bytes and what to tell the person):

- the 6- or 12-month progress report on a plan's measures, from the plan file and its progress
  file, in one format;
- the progress file as a store keeps it (the web application): read from its text or from an upload,
  an update appended in place with every earlier byte kept, and an uploaded file held to the updates
  already recorded (a progress file is only ever added to).
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from prongsai.catalog.progress import status_named, status_th
from prongsai.document.settings import ReportSettings
from prongsai.errors import InputError
from prongsai.loader.text import decode
from prongsai.planfile import read_plan
from prongsai.planning import Measure, Plan
from prongsai.problems import Location, Problem, label, warning
from prongsai.progress import Period, Progress, Update, be_iso, quarter_end
from prongsai.progressfile import progress_template, read_progress
from prongsai.thai import to_arabic_digits
from prongsai.thaidate import read_date
from prongsai.timeframe import thai_date, timeframe_text

REPORT_FORMATS = ("docx", "pdf", "html", "xlsx")


@dataclass(frozen=True)
class ProgressReportFile:
    data: bytes
    notes: tuple[Problem, ...]  # the progress file's warnings, a day outside the round
    item_notes: tuple[str, ...]  # what the closing note says of the OIT item (Thai, as printed)


def as_of_notes(day: dt.date, plan_year: int, period: Period, where: Location) -> list[Problem]:
    """A warning when the day reported as of lies outside the round."""
    from prongsai.document.progress_report import round_of

    found = round_of(plan_year, period)
    if found.start <= day <= found.end:
        return []
    dates = {"as_of": day, "start": found.start, "end": found.end}
    return [
        warning(
            "progress_as_of_outside_round",
            where,
            plan_year=plan_year,
            period=period,
            **{f"{k}_th": thai_date(v) for k, v in dates.items()},
            **{f"{k}_en": v.isoformat() for k, v in dates.items()},
        )
    ]


def progress_report_file(
    plan_file: Path,
    progress_file: Path,
    period: Period,
    fmt: str,
    *,
    as_of: dt.date | None = None,
    as_of_from: Location | None = None,
    settings: ReportSettings | None = None,
    thai_digits: bool | None = None,
) -> ProgressReportFile:
    """The report in ``fmt`` (one of REPORT_FORMATS) as of ``as_of`` (the round's last day when
    None; ``as_of_from`` says where the day was given, for the warning of a day outside the round)."""
    from prongsai.document import progress_export
    from prongsai.document.output import DOCUMENT_FORMATS
    from prongsai.document.progress_report import build_progress_report, item_notes, oit_item

    plan = read_plan(plan_file)
    progress, warnings = read_progress(progress_file, plan)
    notes = list(warnings)
    if as_of is not None:
        notes += as_of_notes(as_of, plan.plan_year, period, as_of_from or Location(field="as_of"))
    chosen = settings or ReportSettings()
    if fmt == "xlsx":
        data = progress_export.to_xlsx(plan, progress, chosen, period, as_of, thai_digits=thai_digits)
        return ProgressReportFile(data, tuple(notes), ())
    document = build_progress_report(plan, progress, chosen, period, as_of, thai_digits=thai_digits)
    return ProgressReportFile(
        DOCUMENT_FORMATS[fmt](document), tuple(notes), tuple(item_notes(oit_item(plan.plan_year)))
    )


# --------------------------------------------------------------------------------------------------
# The progress file as a store of progress files keeps it (the web application): read from its text,
# an update appended in place (every earlier byte kept), an uploaded file held to the updates already
# recorded. Every rule is read_progress's: the text is read as the file would be.
# --------------------------------------------------------------------------------------------------

PROGRESS_NAME = "progress.yaml"
EVIDENCE_MISSING = "progress_evidence_missing"  # the core's warning of an evidence file not found


def _unheld(problems: Sequence[Problem], held: Collection[str]) -> list[Problem]:
    """The problems without the missing-file warnings of evidence files the store holds."""
    return [p for p in problems if not (p.code == EVIDENCE_MISSING and p.params.get("path") in held)]


def progress_from_text(
    text: str, plan: Plan, name: str = PROGRESS_NAME, held: Collection[str] = ()
) -> tuple[Progress, list[Problem]]:
    """A progress file's text read against ``plan`` as the file would be, every problem located under
    ``name``; the evidence files named in ``held`` exist (no warning that they are missing). Errors
    raise InputError (its problems without those warnings too)."""
    with tempfile.TemporaryDirectory(prefix="prongsai-progress-") as folder:
        path = Path(folder) / (Path(name).name or PROGRESS_NAME)
        path.write_text(text, encoding="utf-8")
        try:
            progress, warnings = read_progress(path, plan)
        except InputError as exc:
            raise InputError(_unheld(exc.problems, held)) from None
    return progress, _unheld(warnings, held)


def progress_from_upload(
    data: bytes, name: str, plan: Plan, held: Collection[str] = ()
) -> tuple[str, Progress, list[Problem]]:
    """An uploaded progress file read against ``plan`` (as ``progress_from_text``), and its text as a
    store keeps it: decoded as the reader decodes it, lines ending in a line feed."""
    location = Location(file=Path(name).name or PROGRESS_NAME)
    text, problems = decode(data, location)
    if text is None:
        raise InputError(problems)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    progress, warnings = progress_from_text(text, plan, name, held)
    return text, progress, [*problems, *warnings]


def same_update(first: Update, second: Update) -> bool:
    """The same update wherever it is written (its line aside)."""
    return replace(first, line=None) == replace(second, line=None)


@dataclass(frozen=True)
class Rewrite:
    """An update already recorded that a new version of the file changes or leaves out."""

    measure_id: str
    recorded: Update  # as it was recorded
    found: Update | None  # what the new file has in its place (None: nothing)


def rewrites(old: Progress, new: Progress) -> list[Rewrite]:
    """Where ``new`` does not keep the updates of ``old`` as they were, in order (the first per
    measure): a progress file is only ever added to."""
    found = []
    for measure in old.measures:
        now = new.of(measure.id).updates
        for index, update in enumerate(measure.updates):
            there = now[index] if index < len(now) else None
            if there is None or not same_update(update, there):
                found.append(Rewrite(measure.id, update, there))
                break
    return found


def only_appended(old: Progress, new: Progress, measure_id: str) -> bool:
    """``new`` is ``old`` with exactly one update added at the end of ``measure_id``'s."""
    ids = {m.id for m in old.measures} | {m.id for m in new.measures} | {measure_id}
    for name in ids:
        before, after = old.of(name).updates, new.of(name).updates
        if len(after) != len(before) + (1 if name == measure_id else 0):
            return False
        if not all(same_update(a, b) for a, b in zip(before, after, strict=False)):
            return False
    return True


# --- One update as the file writes it -------------------------------------------------------------

UPDATE_KEYS = (
    "date",
    "status",
    "percent",
    "done",
    "outputs",
    "budget_used",
    "evidence",
    "problems",
    "suggestions",
    "reason",
    "until",
    "note",
)
_WHOLE = re.compile(r"[0-9]{1,12}")
_QUOTE = re.compile(r"[-+.]?[0-9].*|~|(?i:null|true|false|yes|no|on|off|y|n)|[-?:,\[\]{}#&*!|>'\"%@`].*")


class _BeDate(str):
    """A date written 'YYYY-MM-DD' with the Buddhist-era year: written plain, as the format shows."""


class _Dumper(yaml.SafeDumper):
    """Text on one line plain when the reader reads it back as the same text (else quoted), text of
    several lines as a literal block, B.E. dates plain, lists indented under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


_YAML_BREAKS = "\r\x85\u2028\u2029"  # what YAML also reads as the end of a line
_UNSAFE_IN_BLOCK = re.compile(f"[{_YAML_BREAKS}\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff]")


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if _UNSAFE_IN_BLOCK.search(value):  # escaped in double quotes: the value stays on its lines
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    style = "'" if _QUOTE.fullmatch(value) or value != value.strip() else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _be_date(dumper: yaml.SafeDumper, value: _BeDate) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", str(value))


_Dumper.add_representer(str, _text)
_Dumper.add_representer(_BeDate, _be_date)


_LINE_ENDS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")  # Word's manual line break is \x0b


def _typed_text(value: str) -> str:
    """What a person typed (or pasted) into a form, as one value: every kind of line end a line
    feed, lines without trailing spaces, no blank edges."""
    lines = [line.rstrip() for line in _LINE_ENDS.sub("\n", value).split("\n")]
    return "\n".join(lines).strip()


def _date_value(value: str) -> str:
    """A date as typed: written B.E. 'YYYY-MM-DD' when it reads as a date, else as typed (reading
    the file then says why at its field)."""
    day, problems = read_date(value, Location())
    if day is None or problems:
        return value
    return _BeDate(be_iso(day))


def _number_value(value: str) -> int | str:
    """A whole number as people type it ('๔๐', '5,000', '40%'): a number; else as typed."""
    plain = to_arabic_digits(value).replace(",", "").removesuffix("%").strip()
    return int(plain) if _WHOLE.fullmatch(plain) else value


def update_entry(fields: Mapping[str, str], evidence: Sequence[Mapping[str, str]] = ()) -> dict[str, object]:
    """One update as a person filled in a form (``fields`` by the keys of UPDATE_KEYS, ``evidence``
    each ``file`` or ``url`` with ``description``), as the progress file writes it: empty fields left
    out, a date that reads written B.E. 'YYYY-MM-DD', a whole number as a number, a status by its
    Thai word; anything else as typed, so that reading the file names the problem at its field."""
    entry: dict[str, object] = {}
    for key in UPDATE_KEYS:
        if key == "evidence":
            items = [{k: _typed_text(v) for k, v in item.items() if _typed_text(v)} for item in evidence]
            if any(items):
                entry["evidence"] = [item for item in items if item]
            continue
        value = _typed_text(fields.get(key, ""))
        if not value:
            continue
        if key in ("date", "until"):
            entry[key] = _date_value(value)
        elif key in ("percent", "budget_used"):
            entry[key] = _number_value(value)
        elif key == "status":
            known = status_named(value)
            entry[key] = status_th(known) if known is not None else value
        else:
            entry[key] = value
    return entry


def entry_of(update: Update) -> dict[str, object]:
    """An update read from a file, written back as the file writes it (the same update when read)."""
    evidence = [
        {"url": e.url, "description": e.description}
        if e.url
        else {"file": e.path or "", "description": e.description}
        for e in update.evidence
    ]
    values: dict[str, object] = {
        "date": _BeDate(be_iso(update.date)),
        "status": status_th(update.status),
        "percent": update.percent,
        "done": update.done,
        "outputs": update.outputs,
        "budget_used": update.budget_used,
        "evidence": evidence,
        "problems": update.problems,
        "suggestions": update.suggestions,
        "reason": update.reason,
        "until": _BeDate(be_iso(update.until)) if update.until else None,
        "note": update.note,
    }
    return {k: v for k in UPDATE_KEYS if (v := values[k]) not in ("", None, [])}


def _yaml_lines(data: object) -> list[str]:
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000)
    return text.rstrip("\n").split("\n")


def _item_lines(data: Mapping[str, object], indent: int) -> list[str]:
    """A mapping as one item of a block sequence whose dashes are at column ``indent``."""
    lines = _yaml_lines(dict(data))
    pad = " " * indent
    return [f"{pad}- {lines[0]}", *(f"{pad}  {line}" if line else line for line in lines[1:])]


def _measure_lines(measure: Measure, plan: Plan, entry: Mapping[str, object], indent: int) -> list[str]:
    """A measure not yet in the file, with its first update: as ``progress_template`` writes it."""
    timeframe = measure.timeframe or timeframe_text(measure.quarters, plan.plan_year, plan.timeframe_style)
    due = thai_date(quarter_end(plan.plan_year, measure.quarters[1]))
    about = label("progress_measure_comment", "th", timeframe=timeframe, due=due)
    head = _item_lines({"id": measure.id, "title": measure.title}, indent)
    pad = " " * (indent + 2)
    return [f"{' ' * indent}# {about}", *head, f"{pad}updates:", *_item_lines(entry, indent + 4)]


# --- Appending in place ---------------------------------------------------------------------------


_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the same marks, libyaml's speed


class _NotInPlace(Exception):
    """The file is laid out in a way an update cannot be appended to without rewriting it."""


@dataclass(frozen=True)
class Appended:
    text: str
    at: str  # the dotted key path of the new update: 'measures.3.updates.2'
    lines: tuple[int, int]  # the first and last line written (from 1)


def _get(node: yaml.MappingNode, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    return next(((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)


def _block_end(lines: Sequence[str], first: int, column: int) -> int:
    """The last line of the block that starts on line ``first`` (0-based) with its dash or key at
    ``column``: the lines after it indented deeper (blank lines between them included)."""
    last = first
    for number in range(first + 1, len(lines)):
        line = lines[number]
        if not line.strip():
            continue
        if len(line) - len(line.lstrip(" ")) <= column:
            break
        last = number
    return last


def _is_block(node: yaml.Node) -> bool:
    return isinstance(node, yaml.SequenceNode | yaml.MappingNode) and not node.flow_style


def _is_empty(node: yaml.Node) -> bool:
    """``[]``, ``{}``, ``~``, ``null`` or nothing at all, written on one line."""
    if isinstance(node, yaml.ScalarNode):
        return node.tag == "tag:yaml.org,2002:null" and node.start_mark.line == node.end_mark.line
    return (
        isinstance(node, yaml.SequenceNode | yaml.MappingNode)
        and bool(node.flow_style)
        and not node.value
        and node.start_mark.line == node.end_mark.line
    )


def _emptied(lines: list[str], key: yaml.Node, value: yaml.Node) -> None:
    """Take an empty value (``[]``, ``~``) off its key's line, keeping a comment after it."""
    if value.start_mark.index == value.end_mark.index:
        return  # nothing written
    if value.start_mark.line != key.start_mark.line:
        raise _NotInPlace
    line = lines[key.start_mark.line]
    rest = line[value.end_mark.column :].strip()
    if rest and not rest.startswith("#"):
        raise _NotInPlace
    kept = line[: value.start_mark.column].rstrip()
    lines[key.start_mark.line] = f"{kept}  {rest}" if rest else kept


def _insert(lines: list[str], after: int, new: Sequence[str], at: str) -> Appended:
    """``new`` inserted after line ``after`` (from 0): the file and where the update is."""
    lines[after + 1 : after + 1] = new
    return Appended("\n".join(lines), at, (after + 2, after + 1 + len(new)))


def _measure_of(plan: Plan, measure_id: str) -> Measure:
    found = next((m for m in plan.measures if m.id == measure_id), None)
    if found is None:
        raise KeyError(measure_id)
    return found


def _append_in_place(text: str, plan: Plan, measure_id: str, entry: Mapping[str, object]) -> Appended:
    """``text`` with ``entry`` added at the end of the measure's updates, every other line as it
    was; _NotInPlace when the file's layout does not allow it."""
    if any(c in text for c in _YAML_BREAKS):
        raise _NotInPlace  # YAML would count lines otherwise than the line feeds here
    try:
        root = yaml.compose(text, Loader=_COMPOSER)
    except yaml.YAMLError:
        raise _NotInPlace from None
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        raise _NotInPlace
    lines = text.split("\n")
    measure = _measure_of(plan, measure_id)
    found = _get(root, "measures")
    if found is None:
        last = max((i for i, line in enumerate(lines) if line.strip()), default=-1)
        return _insert(
            lines, last, ["measures:", *_measure_lines(measure, plan, entry, 2)], "measures.0.updates.0"
        )
    key, measures = found
    if _is_empty(measures):
        _emptied(lines, key, measures)
        column = key.start_mark.column + 2
        return _insert(
            lines, key.start_mark.line, _measure_lines(measure, plan, entry, column), "measures.0.updates.0"
        )
    if not (isinstance(measures, yaml.SequenceNode) and _is_block(measures)):
        raise _NotInPlace
    items = measures.value
    if not all(isinstance(i, yaml.MappingNode) and _is_block(i) for i in items):
        raise _NotInPlace
    index = next((n for n, i in enumerate(items) if (f := _get(i, "id")) and f[1].value == measure_id), None)
    if index is None:
        column = measures.start_mark.column
        end = _block_end(lines, items[-1].start_mark.line, column)
        return _insert(
            lines, end, _measure_lines(measure, plan, entry, column), f"measures.{len(items)}.updates.0"
        )
    return _append_to_measure(lines, items[index], measures.start_mark.column, index, entry)


def _append_to_measure(
    lines: list[str], item: yaml.MappingNode, dash: int, index: int, entry: Mapping[str, object]
) -> Appended:
    column = item.start_mark.column  # of the measure's keys
    found = _get(item, "updates")
    if found is None:
        end = _block_end(lines, item.start_mark.line, dash)
        return _insert(
            lines,
            end,
            [f"{' ' * column}updates:", *_item_lines(entry, column + 2)],
            f"measures.{index}.updates.0",
        )
    key, updates = found
    if _is_empty(updates):
        _emptied(lines, key, updates)
        return _insert(
            lines,
            key.start_mark.line,
            _item_lines(entry, key.start_mark.column + 2),
            f"measures.{index}.updates.0",
        )
    if not (isinstance(updates, yaml.SequenceNode) and _is_block(updates) and updates.value):
        raise _NotInPlace
    if not all(_is_block(u) for u in updates.value):
        raise _NotInPlace
    at = updates.start_mark.column
    end = _block_end(lines, updates.value[-1].start_mark.line, at)
    return _insert(lines, end, _item_lines(entry, at), f"measures.{index}.updates.{len(updates.value)}")


def canonical_text(plan: Plan, progress: Progress) -> str:
    """The progress file as ``progress init`` writes it, with every update of ``progress`` written
    in: the layout an update can always be appended to."""
    text = progress_template(plan)
    for measure in plan.measures:
        for update in progress.of(measure.id).updates:
            text = _append_in_place(text, plan, measure.id, entry_of(update)).text
    return text


class UpdateRefused(InputError):
    """The progress file with the new update does not read: ``problems`` as read, ``at`` the key
    path of the new update (its problems are those whose field starts with it)."""

    def __init__(self, problems: Sequence[Problem], at: str) -> None:
        super().__init__(problems)
        self.at = at


@dataclass(frozen=True)
class Added:
    text: str  # the progress file with the update
    progress: Progress
    warnings: tuple[Problem, ...]  # of the new update only
    at: str  # the dotted key path of the new update
    lines: tuple[int, int]  # the lines written, from 1 (every other line is as it was)


def _under(problem: Problem, appended: Appended) -> bool:
    """A problem of the new update: at one of its keys, or on one of its lines."""
    field = problem.location.field or ""
    if field:
        return field == appended.at or field.startswith(appended.at + ".")
    first, last = appended.lines
    return problem.location.line is not None and first <= problem.location.line <= last


def add_update(
    text: str,
    plan: Plan,
    measure_id: str,
    entry: Mapping[str, object],
    held: Collection[str] = (),
    old: Progress | None = None,
) -> Added:
    """The progress file ``text`` with ``entry`` (``update_entry``) added at the end of the measure's
    updates, read back against ``plan``: every earlier update kept as it was written, in place when
    the file's layout allows (else the file is first written as ``canonical_text``).

    InputError when ``text`` itself does not read against ``plan`` (the plan changed since);
    UpdateRefused when the file with the update does not (the update's problems at its fields); a
    KeyError for a measure the plan does not have. ``old`` is ``text`` as read, when the caller has
    read it already."""
    _measure_of(plan, measure_id)
    if old is None:
        old, _ = progress_from_text(text, plan, held=held)
    try:
        return _read_back(_append_in_place(text, plan, measure_id, entry), old, plan, measure_id, held)
    except (_NotInPlace, _Broken):
        pass  # a layout the line rules do not follow: write the file in the template's layout first
    try:
        rewritten = canonical_text(plan, old)
        return _read_back(_append_in_place(rewritten, plan, measure_id, entry), old, plan, measure_id, held)
    except (_NotInPlace, _Broken) as exc:
        raise RuntimeError(f"an update of {measure_id} could not be appended to the progress file") from exc


class _Broken(Exception):
    """Appending in place changed more than the one update (a layout the line rules misread)."""


def _read_back(
    appended: Appended, old: Progress, plan: Plan, measure_id: str, held: Collection[str]
) -> Added:
    try:
        new, warnings = progress_from_text(appended.text, plan, held=held)
    except InputError as exc:
        if any(p.severity == "error" and not _under(p, appended) for p in exc.problems):
            raise _Broken from None
        raise UpdateRefused(exc.problems, appended.at) from None
    if not only_appended(old, new, measure_id):
        raise _Broken
    mine = tuple(w for w in warnings if _under(w, appended))
    return Added(appended.text, new, mine, appended.at, appended.lines)
