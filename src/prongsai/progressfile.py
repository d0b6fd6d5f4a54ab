"""The progress file: YAML a clerk adds dated updates to, measure by measure, through the plan year.
Read against its plan with every problem located (errors raised together, warnings returned); the
empty file ``progress init`` writes is made here too.

See docs/progress-format.md for the format and a full example; what the updates mean on a given day
is progress.py's.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Strict, ValidationError

from prongsai.catalog.progress import status_named, status_th, status_words
from prongsai.errors import InputError
from prongsai.ingest.located import Located
from prongsai.onedocument import one_mapping
from prongsai.planning import Measure, Plan
from prongsai.problems import Location, Problem, error, label, suggestion_params, warning
from prongsai.progress import (
    NEEDS_REASON,
    Evidence,
    MeasureProgress,
    Progress,
    Status,
    Update,
    be_iso,
    plan_year_days,
    quarter_end,
)
from prongsai.thai import to_arabic_digits
from prongsai.thaidate import read_date
from prongsai.timeframe import thai_date, timeframe_text
from prongsai.yamlspec import KeyPath, SchemaWords, dotted, line_of, schema_problem

_SHORT_LIST = 30  # the plan's ids are listed in a message when it has at most this many measures


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _whole_number(value: object) -> object:
    """A whole number as people type it, also in Thai digits ('๒๕๖๗')."""
    if isinstance(value, str) and re.fullmatch(r"\s*[0-9๐-๙]+\s*", value):
        return int(to_arabic_digits(value.strip()))
    return value


def _baht(value: object) -> object:
    """Baht as people type them: 5000, '5,000' or '๕,๐๐๐' (a negative number is judged later)."""
    if isinstance(value, str) and re.fullmatch(r"\s*-?[0-9๐-๙][0-9๐-๙,]*\s*", value):
        return int(to_arabic_digits(value.strip()).replace(",", ""))
    return value


Whole = Annotated[int, BeforeValidator(_whole_number), Strict()]
Baht = Annotated[int, BeforeValidator(_baht), Strict()]


class _EvidenceSpec(_Strict):
    file: str | None = None
    url: str | None = None
    description: str | None = None


class _UpdateSpec(_Strict):
    date: Any  # read by thaidate.read_date, which names what it cannot read
    status: str
    percent: Any = None  # judged here: one message for anything but a whole number 0-100
    done: str = ""
    outputs: str = ""
    budget_used: Baht | None = None
    evidence: list[_EvidenceSpec] | None = None
    problems: str = ""
    suggestions: str = ""
    reason: str = ""
    note: str = ""
    until: Any = None


class _MeasureSpec(_Strict):
    id: str
    title: str = ""
    updates: list[_UpdateSpec] | None = None  # 'updates:' left empty is no update yet


class _ProgressSpec(_Strict):
    schema_version: Literal[1]
    agency: str
    ita_year: Whole
    plan_year: Whole
    measures: list[_MeasureSpec] | None = None


# --------------------------------------------------------------------------------------------------
# Shape: the schema's problems, each at the line of its key
# --------------------------------------------------------------------------------------------------


def _fields_at(path: KeyPath) -> list[str]:
    """The keys allowed where ``path`` points (for close-match suggestions of an unknown key)."""
    spec: type[BaseModel] = _ProgressSpec
    shapes: dict[int, type[BaseModel]] = {2: _MeasureSpec, 4: _UpdateSpec, 6: _EvidenceSpec}
    if path:
        if len(path) not in shapes:
            return []
        spec = shapes[len(path)]
    return list(spec.model_fields)


_WORDS = SchemaWords(
    not_allowed="progress_value_not_allowed",
    invalid="progress_invalid",
    fields_at=_fields_at,
    choices={"schema_version": (1,)},
)


# --------------------------------------------------------------------------------------------------
# Meaning: each update against the plan
# --------------------------------------------------------------------------------------------------


def _english_date(day: dt.date) -> str:
    return be_iso(day)


def _percent(value: object) -> int | str | None:
    """A whole number 0-100 ('40', '๔๐', '40%'); None when not given; the text as written when it
    is anything else."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        number: int | None = value
    elif isinstance(value, str):
        text = to_arabic_digits(unicodedata.normalize("NFKC", value)).strip().removesuffix("%").strip()
        number = int(text) if re.fullmatch(r"[0-9]{1,3}", text) else None
    else:
        number = None
    if number is None or not 0 <= number <= 100:
        return str(value)
    return number


class _Reader:
    """Reads one progress file against its plan, collecting problems."""

    def __init__(self, path: Path, plan: Plan, tree: Located, location: Location) -> None:
        self.path = path
        self.plan = plan
        self.tree = tree
        self.location = location
        self.problems: list[Problem] = []
        self.first_day, self.last_day = plan_year_days(plan.plan_year)

    def where(self, at: KeyPath) -> Location:
        return self.location.with_(line=line_of(self.tree, at), field=dotted(at))

    def identity(self, spec: _ProgressSpec) -> None:
        plan = self.plan
        if " ".join(spec.agency.split()) != " ".join(plan.agency.name.split()):
            self.problems.append(
                error(
                    "progress_agency_mismatch",
                    self.where(("agency",)),
                    value=spec.agency,
                    expected=plan.agency.name,
                )
            )
        if spec.ita_year != plan.ita_year:
            self.problems.append(
                error(
                    "progress_ita_year_mismatch",
                    self.where(("ita_year",)),
                    value=spec.ita_year,
                    expected=plan.ita_year,
                )
            )
        if spec.plan_year != plan.plan_year:
            self.problems.append(
                error(
                    "progress_plan_year_mismatch",
                    self.where(("plan_year",)),
                    value=spec.plan_year,
                    expected=plan.plan_year,
                )
            )

    def measures(self, specs: Sequence[_MeasureSpec]) -> tuple[MeasureProgress, ...]:
        by_id = {m.id: m for m in self.plan.measures}
        ids = list(by_id)
        first_lines: dict[str, int] = {}
        found: list[MeasureProgress] = []
        for index, spec in enumerate(specs):
            at: KeyPath = ("measures", index)
            measure = by_id.get(spec.id)
            if measure is None:
                known = ", ".join(ids) if len(ids) <= _SHORT_LIST else ""
                self.problems.append(
                    error(
                        "progress_measure_unknown",
                        self.where((*at, "id")),
                        id=spec.id,
                        **suggestion_params(spec.id, ids),
                        known_th=label("progress_plan_ids", "th", ids=known) if known else "",
                        known_en=label("progress_plan_ids", "en", ids=known) if known else "",
                    )
                )
                continue
            line = line_of(self.tree, (*at, "id"))
            if spec.id in first_lines:
                self.problems.append(
                    error(
                        "progress_measure_twice",
                        self.where((*at, "id")),
                        id=spec.id,
                        first_line=first_lines[spec.id],
                    )
                )
                continue
            first_lines[spec.id] = line
            if spec.title and " ".join(spec.title.split()) != " ".join(measure.title.split()):
                self.problems.append(
                    warning(
                        "progress_title_differs",
                        self.where((*at, "title")),
                        title=spec.title,
                        plan_title=measure.title,
                    )
                )
            updates = [
                (i, self.update(u, measure, (*at, "updates", i))) for i, u in enumerate(spec.updates or [])
            ]
            read = [(i, u) for i, u in updates if u is not None]
            self.history(read, (*at, "updates"))
            found.append(MeasureProgress(spec.id, tuple(u for _, u in read)))
        return tuple(found)

    def date(self, value: object, at: KeyPath) -> dt.date | None:
        day, problems = read_date(value, self.where(at))
        self.problems += problems
        return day

    def update(self, spec: _UpdateSpec, measure: Measure, at: KeyPath) -> Update | None:
        """One update, or None when it cannot be read (its problems are recorded)."""
        count = len(self.problems)
        day = self.date(spec.date, (*at, "date"))
        if day is not None and not self.first_day <= day <= self.last_day:
            self.problems.append(
                error(
                    "progress_date_outside_year",
                    self.where((*at, "date")),
                    value=spec.date,
                    plan_year=self.plan.plan_year,
                    first_th=thai_date(self.first_day),
                    last_th=thai_date(self.last_day),
                    first_en=_english_date(self.first_day),
                    last_en=_english_date(self.last_day),
                )
            )
        status = self.status(spec.status, (*at, "status"))
        percent = _percent(spec.percent)
        if isinstance(percent, str):
            self.problems.append(
                error("progress_percent_invalid", self.where((*at, "percent")), value=percent)
            )
        if status in NEEDS_REASON and not spec.reason.strip():
            self.problems.append(
                error(
                    "progress_reason_missing",
                    self.where((*at, "status")),
                    status_th=status_th(status),
                    status_en=status_words()[status].en,
                )
            )
        until = self.until(spec, status, day, at)
        evidence = self.evidence(spec.evidence or [], (*at, "evidence"))
        self.budget(spec.budget_used, measure, (*at, "budget_used"))
        if status == "done" and isinstance(percent, int) and percent < 100:
            self.problems.append(
                warning(
                    "progress_done_not_full",
                    self.where((*at, "percent")),
                    percent=percent,
                    done_th=status_th("done"),
                    done_en=status_words()["done"].en,
                )
            )
        failed = any(p.severity == "error" for p in self.problems[count:])
        if failed or day is None or status is None or isinstance(percent, str):
            return None
        return Update(
            date=day,
            status=status,
            percent=percent,
            done=spec.done.strip(),
            outputs=spec.outputs.strip(),
            budget_used=spec.budget_used,
            evidence=evidence,
            problems=spec.problems.strip(),
            suggestions=spec.suggestions.strip(),
            reason=spec.reason.strip(),
            note=spec.note.strip(),
            until=until,
            line=line_of(self.tree, at),
        )

    def status(self, text: str, at: KeyPath) -> Status | None:
        status = status_named(text)
        if status is None:
            words = status_words().values()
            self.problems.append(
                error(
                    "progress_status_unknown",
                    self.where(at),
                    value=text,
                    **suggestion_params(text, [w.th for w in words]),
                    words=", ".join(w.th for w in words),
                    keys=", ".join(w.key for w in words),
                )
            )
        return status

    def until(
        self, spec: _UpdateSpec, status: Status | None, day: dt.date | None, at: KeyPath
    ) -> dt.date | None:
        if spec.until is None:
            return None
        until = self.date(spec.until, (*at, "until"))
        if until is None or status is None:
            return None
        here = self.where((*at, "until"))
        if status != "postponed":
            words = status_words()
            self.problems.append(
                error(
                    "progress_until_not_postponed",
                    here,
                    status_th=words[status].th,
                    status_en=words[status].en,
                    postponed_th=words["postponed"].th,
                    postponed_en=words["postponed"].en,
                )
            )
        elif day is not None and until < day:
            self.problems.append(
                error(
                    "progress_until_before_date",
                    here,
                    until_th=thai_date(until),
                    until_en=_english_date(until),
                    date_th=thai_date(day),
                    date_en=_english_date(day),
                )
            )
        return until

    def evidence(self, specs: Sequence[_EvidenceSpec], at: KeyPath) -> tuple[Evidence, ...]:
        found = []
        for index, spec in enumerate(specs):
            here = self.where((*at, index))
            description = (spec.description or "").strip()
            if not description:
                self.problems.append(error("progress_evidence_description", here))
            file, url = (spec.file or "").strip(), (spec.url or "").strip()
            if bool(file) == bool(url):
                both = bool(file)
                self.problems.append(
                    error(
                        "progress_evidence_where",
                        here,
                        found_th=label("progress_evidence_both", "th") if both else "",
                        found_en=label("progress_evidence_both", "en") if both else "",
                    )
                )
                continue
            if url:
                parts = urlsplit(url)
                if parts.scheme.lower() not in ("http", "https") or not parts.netloc or re.search(r"\s", url):
                    self.problems.append(
                        error("progress_evidence_url", self.where((*at, index, "url")), value=url)
                    )
                    continue
            elif not (self.path.parent / file).exists():
                folder = self.path.parent.absolute()
                self.problems.append(
                    warning(
                        "progress_evidence_missing",
                        self.where((*at, index, "file")),
                        path=file,
                        folder=folder,
                    )
                )
            found.append(Evidence(description, path=file or None, url=url or None))
        return tuple(found)

    def budget(self, used: int | None, measure: Measure, at: KeyPath) -> None:
        if used is None:
            return
        here = self.where(at)
        if used < 0:
            self.problems.append(error("progress_budget_negative", here, value=f"{used:,}"))
        elif used > 0 and measure.budget.none:
            self.problems.append(warning("progress_budget_not_planned", here, used=f"{used:,}"))
        elif measure.budget.amount is not None and used > measure.budget.amount:
            self.problems.append(
                warning("progress_budget_over", here, used=f"{used:,}", amount=f"{measure.budget.amount:,}")
            )

    def history(self, updates: Sequence[tuple[int, Update]], at: KeyPath) -> None:
        """Updates in date order (append-only), and a measure done not reopened without a note."""
        done: Update | None = None
        previous: Update | None = None
        for index, update in updates:
            if previous is not None and update.date < previous.date:
                self.problems.append(
                    error(
                        "progress_updates_out_of_order",
                        self.where((*at, index, "date")),
                        date_th=thai_date(update.date),
                        date_en=_english_date(update.date),
                        previous_th=thai_date(previous.date),
                        previous_en=_english_date(previous.date),
                        previous_line=previous.line,
                    )
                )
            if done is not None and update.status in ("not_started", "in_progress") and not update.note:
                words = status_words()
                self.problems.append(
                    error(
                        "progress_reopened_without_note",
                        self.where((*at, index, "status")),
                        done_th=words["done"].th,
                        done_en=words["done"].en,
                        done_date_th=thai_date(done.date),
                        done_date_en=_english_date(done.date),
                        done_line=done.line,
                        status_th=words[update.status].th,
                        status_en=words[update.status].en,
                    )
                )
            if update.status == "done":
                done = update
            elif update.status in ("not_started", "in_progress"):
                done = None
            previous = update


def read_progress(path: Path, plan: Plan) -> tuple[Progress, list[Problem]]:
    """A progress file read against its plan: the progress and its warnings, sorted by line.
    Errors raise one InputError listing every problem (warnings too), sorted by line."""
    tree, _, location = one_mapping(
        path, empty=error("progress_empty", Location(file=path.name)), what="file_progress", field="progress"
    )
    try:
        spec = _ProgressSpec.model_validate(tree.plain())
    except ValidationError as exc:
        problems = [schema_problem(e, tree, location, _WORDS) for e in exc.errors()]
        raise InputError(_by_line(problems)) from exc
    reader = _Reader(path, plan, tree, location)
    reader.identity(spec)
    measures = reader.measures(spec.measures or [])
    problems = _by_line(reader.problems)
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    return Progress(spec.agency, spec.ita_year, spec.plan_year, measures), problems


def _by_line(problems: Sequence[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: p.location.line or 0)


# --------------------------------------------------------------------------------------------------
# The file `progress init` writes
# --------------------------------------------------------------------------------------------------


def _scalar(value: str | int) -> str:
    """One value as YAML writes it on a line (quoted only when it must be)."""
    text: str = yaml.safe_dump(value, allow_unicode=True, width=10_000, default_flow_style=True)
    return text.removesuffix("\n").removesuffix("\n...").strip()


def _comment(text: str, indent: str = "") -> list[str]:
    return [f"{indent}# {line}".rstrip() for line in text.splitlines()]


def _timeframe(measure: Measure, plan: Plan) -> str:
    return measure.timeframe or timeframe_text(measure.quarters, plan.plan_year, plan.timeframe_style)


def progress_template(plan: Plan) -> str:
    """The progress file ``progress init`` writes: a header saying how to fill it, every measure of
    the plan in its order with no update yet, each with its timeframe and due date as a comment, and
    an example update (commented out) under the first."""
    first_day, last_day = plan_year_days(plan.plan_year)
    example_day = dt.date(first_day.year + 1, 1, 15)  # mid-January, in the second quarter
    lines = [*_comment(label("progress_header", "th")), *_comment(label("progress_header", "en"))]
    lines += [
        "schema_version: 1",
        f"agency: {_scalar(plan.agency.name)}",
        f"ita_year: {plan.ita_year}",
        f"plan_year: {plan.plan_year}",
    ]
    if not plan.measures:
        lines.append("measures: []")
    else:
        lines.append("measures:")
    for index, measure in enumerate(plan.measures):
        due = quarter_end(plan.plan_year, measure.quarters[1])
        about = label(
            "progress_measure_comment", "th", timeframe=_timeframe(measure, plan), due=thai_date(due)
        )
        lines += [
            *_comment(about, "  "),
            f"  - id: {_scalar(measure.id)}",
            f"    title: {_scalar(measure.title)}",
        ]
        lines.append("    updates: []")
        if index == 0:
            example = label(
                "progress_example",
                "th",
                date=be_iso(min(example_day, last_day)),
                until=be_iso(quarter_end(plan.plan_year, 3)),
            )
            lines += _comment(example, "    ")
    return "\n".join(lines) + "\n"
