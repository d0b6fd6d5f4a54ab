"""The frameworks page (docs/web-staff.md): the ITA years the core holds, each year as the workbook
``prongsai framework export`` writes, and a year's edited workbook stored in the frameworks folder
(``PRONGSAI_FRAMEWORKS``) once the core's framework import finds nothing wrong with it.

The server reads its frameworks once per process (``prongsai.framework.load_frameworks`` is cached),
so a stored year is used by every worker after the server restarts; the page says which files of the
folder are in use and which wait for the restart.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from prongsai.errors import InputError
from prongsai.files import write_atomically
from prongsai.framework import Framework, bundled_frameworks, framework_folder, load_frameworks
from prongsai.framework_export import framework_workbook
from prongsai.framework_folder import FILE_NAME_RE, read_framework_file, read_framework_folder
from prongsai.framework_import import Imported, read_workbook
from prongsai.framework_notes import parts_text
from prongsai.framework_yaml import definition_yaml
from prongsai.problems import Location, Problem
from prongsai_web.accounts.services import FieldProblem, Refused, field_problem, require_admin
from prongsai_web.audit.services import record

BUNDLED_ORIGIN = "frameworks/"  # the origin of a year that comes with prongsai


@dataclass(frozen=True)
class ToolSummary:
    code: str
    name_th: str
    weight: int  # percent
    indicators: int


@dataclass(frozen=True)
class YearSummary:
    """One ITA year as the frameworks page lists it."""

    year: int
    name_th: str
    provisional: bool
    bundled: bool  # comes with prongsai (else read from the frameworks folder)
    origin: str
    tools: tuple[ToolSummary, ...]
    indicators: int
    items: int
    pass_mark: float
    pass_mark_confirmed: bool
    levels: tuple[str, ...]
    unconfirmed_th: str  # the parts no source confirms, in words ('' when every part is confirmed)
    unconfirmed_en: str


def _summary(framework: Framework) -> YearSummary:
    tools = tuple(
        ToolSummary(t.code, t.name_th, round(t.weight * 100), len(framework.indicators_of(t.code)))
        for t in framework.tools
    )
    return YearSummary(
        year=framework.ita_year,
        name_th=framework.name_th,
        provisional=framework.provisional,
        bundled=framework.origin.startswith(BUNDLED_ORIGIN),
        origin=framework.origin,
        tools=tools,
        indicators=len(framework.indicators),
        items=len(framework.items),
        pass_mark=framework.pass_mark,
        pass_mark_confirmed=framework.pass_mark_rule.confirmed,
        levels=framework.level_names(),
        unconfirmed_th=parts_text(framework, "th"),
        unconfirmed_en=parts_text(framework, "en"),
    )


def year_summaries() -> list[YearSummary]:
    """Every year in use, the newest first."""
    return [_summary(f) for _, f in sorted(load_frameworks().items(), reverse=True)]


def workbook_of(year: int) -> bytes:
    """The year's editable workbook (KeyError: no such year; InputError: a value cannot be written)."""
    return framework_workbook(load_frameworks()[year])


@dataclass(frozen=True)
class FolderFile:
    """A file of the frameworks folder and whether this server uses it."""

    name: str
    year: int | None
    in_use: bool
    problems: tuple[str, ...] = ()  # Thai, each with its location: the file cannot be read


def _folder_file(path: Path, in_use: dict[int, Framework]) -> FolderFile:
    try:
        framework = read_framework_file(path)
    except InputError as refused:
        return FolderFile(path.name, None, False, tuple(p.describe("th") for p in refused.problems))
    loaded = in_use.get(framework.ita_year)
    same = loaded is not None and loaded.origin == str(path) and loaded.definition == framework.definition
    return FolderFile(path.name, framework.ita_year, same)


def folder_files() -> list[FolderFile]:
    """The year files of the frameworks folder (none when no folder is set)."""
    folder = framework_folder()
    if folder is None or not folder.is_dir():
        return []
    in_use = dict(load_frameworks())
    paths = sorted(p for p in folder.iterdir() if FILE_NAME_RE.fullmatch(p.name))
    return [_folder_file(p, in_use) for p in paths]


# --- storing a year ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stored:
    year: int
    path: Path
    replaced: bool  # the folder had a file for the year


def _at_file(problems: list[Problem]) -> list[FieldProblem]:
    return [FieldProblem("file", p.describe("th"), p.describe("en")) for p in problems]


def _upload_problems(upload: UploadedFile | None) -> list[FieldProblem]:
    if upload is None:
        return [field_problem("file", "staff_framework_no_file")]
    if (upload.size or 0) > settings.UPLOAD_LIMIT:
        return [field_problem("file", "too_large", size=upload.size, limit=settings.UPLOAD_LIMIT)]
    if not (upload.name or "").lower().endswith(".xlsx"):
        return [field_problem("file", "staff_framework_not_xlsx", name=upload.name)]
    return []


def _years_to_link(folder: Path) -> dict[int, Framework]:
    """The years a ``same_as`` of the workbook may name: those in use and those the folder holds."""
    years = dict(load_frameworks())
    for path in sorted(folder.glob("ita-*.yaml")) if folder.is_dir() else []:
        try:
            framework = read_framework_file(path)
        except InputError:
            continue  # a wrong file there is shown on the page, and refused when the folder is read
        years.setdefault(framework.ita_year, framework)
    return years


def _checked(upload: UploadedFile, folder: Path) -> Imported:
    name = upload.name or "framework.xlsx"
    try:
        return read_workbook(upload.read(), Location(file=name), _years_to_link(folder))
    except InputError as refused:
        raise Refused(_at_file(refused.problems)) from None


def _write_checked(target: Path, text: str, folder: Path) -> None:
    """Write the year's file, then read the whole folder as the server will; put back what was
    there when the folder does not read."""
    before = target.read_bytes() if target.exists() else None
    try:
        write_atomically(target, text)
    except InputError as refused:  # the folder cannot be written: the core names the path and why
        raise Refused(_at_file(refused.problems)) from None
    try:
        read_framework_folder(folder, bundled_frameworks())
    except InputError as refused:
        if before is None:
            target.unlink()
        else:
            write_atomically(target, before)
        raise Refused(_at_file(refused.problems)) from None


def _make(folder: Path) -> None:
    """The folder exists before the frameworks are read (the core refuses a named folder that does not)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise Refused(
            [field_problem("file", "staff_framework_folder_unwritable", folder=folder, reason=exc.strerror)]
        ) from None


@transaction.atomic
def store_framework(actor: User | AnonymousUser | None, upload: UploadedFile | None) -> Stored:
    """Check an edited framework workbook with the core's framework import and store it as
    ``ita-YEAR.yaml`` in the frameworks folder; ``framework.stored``. Refused, with every problem at
    its sheet, row and column, and nothing written, when the workbook has a problem."""
    admin = require_admin(actor)
    folder = framework_folder()
    if folder is None:
        raise Refused([field_problem("file", "staff_framework_no_folder")])
    problems = _upload_problems(upload)
    if problems or upload is None:
        raise Refused(problems)
    _make(folder)
    imported = _checked(upload, folder)
    year = imported.spec.ita_year
    target = folder / f"ita-{year}.yaml"
    replaced = target.exists()
    record(
        admin,
        "framework.stored",
        ita_year=year,
        file=upload.name,
        stored_as=target.name,
        replaced=replaced,
        instead_of_bundled=year in bundled_frameworks(),
        status=imported.spec.status,
        items=len(imported.spec.items),
    )
    _write_checked(target, definition_yaml(imported.definition, upload.name or target.name), folder)
    return Stored(year, target, replaced)
