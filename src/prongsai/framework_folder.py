"""A person's own framework files (``--frameworks DIR`` or ``PRONGSAI_FRAMEWORKS``), used beside the
bundled years and winning over them for the same year.

The files are user input: they are read through the hardened loader, and every problem names the
file and line, in Thai and English. A folder with any wrong file is refused whole, so that no
command runs on half of what a person meant.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from prongsai.errors import InputError
from prongsai.framework import Framework, FrameworkSet, build_framework
from prongsai.framework_schema import Path as SpecPath
from prongsai.framework_schema import SpecProblem, check_definition, same_as_unknown
from prongsai.ingest.located import read_yaml_file
from prongsai.loader.tree import Located
from prongsai.problems import Location, Problem, error, warning, with_location

FILE_NAME_RE = re.compile(r"ita-(\d{4})\.ya?ml")


def read_framework_folder(folder: Path, bundled: Mapping[int, Framework]) -> FrameworkSet:
    """The bundled frameworks with every ``ita-YEAR.yaml`` of ``folder`` over them."""
    location = Location(option="--frameworks", file=str(folder))
    if not folder.is_dir():
        raise InputError([error("frameworks_folder_missing", location)])
    problems: list[Problem] = []
    notes: list[Problem] = []
    found: dict[int, Framework] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in (".yaml", ".yml"):
            continue
        match = FILE_NAME_RE.fullmatch(path.name)
        if not match:
            notes.append(warning("frameworks_file_skipped", Location(file=str(path))))
            continue
        try:
            framework = read_framework_file(path)
        except InputError as exc:
            problems += exc.problems
            continue
        if framework.ita_year != int(match.group(1)):
            problems.append(
                error(
                    "frameworks_file_year",
                    Location(file=str(path)),
                    named=match.group(1),
                    found=framework.ita_year,
                )
            )
            continue
        if framework.ita_year in found:
            problems.append(error("frameworks_year_twice", Location(file=str(path)), year=framework.ita_year))
            continue
        found[framework.ita_year] = framework
        if framework.ita_year in bundled:
            notes.append(warning("frameworks_override", Location(file=str(path)), year=framework.ita_year))
    frameworks = {**bundled, **found}
    problems += _same_as_problems(found.values(), frameworks)
    if problems:
        raise InputError(problems)
    return FrameworkSet(dict(sorted(frameworks.items())), tuple(notes), folder)


def read_framework_file(path: Path) -> Framework:
    """One framework file a person wrote; InputError with every problem at its line."""
    documents = read_yaml_file(path)
    file_location = Location(file=str(path))
    if len(documents) != 1 or not isinstance(documents[0].value, dict):
        raise InputError([error("frameworks_file_not_mapping", file_location)])
    tree = documents[0]
    spec, found = check_definition(tree.plain())
    if spec is None:
        raise InputError(
            [problem.located(file_location.with_(line=line_of(tree, problem.path))) for problem in found]
        )
    return build_framework(spec, str(path))


def line_of(tree: Located, path: SpecPath) -> int:
    """The line of the value at ``path``, or of the nearest enclosing value the file has."""
    node = tree
    line = tree.line
    for part in path:
        value = node.value
        if isinstance(value, dict) and isinstance(part, str) and part in value:
            child = value[part]
            line = child.key_line or child.line
        elif isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
            child = value[part]
            line = child.line
        else:
            break
        node = child
    return line


def _same_as_problems(own: Iterable[Framework], frameworks: Mapping[int, Framework]) -> list[Problem]:
    """Every ``same_as`` of a person's file names an item that exists in that year."""

    def has_item(year: int, code: str) -> bool:
        return year in frameworks and code in frameworks[year].items_by_code

    problems: list[Problem] = []
    for framework in own:
        items = [(item.code, item.same_as) for item in framework.items]
        for index, problem in same_as_unknown(items, has_item):
            location = Location(file=framework.origin, field=f"{items[index][0]} same_as")
            problems.append(with_location(problem, location))
    return problems


__all__ = ["SpecProblem", "line_of", "read_framework_file", "read_framework_folder"]
