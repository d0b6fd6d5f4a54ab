"""The agency's own unit names (``--units FILE``): role -> the unit that carries out that role's
measures, e.g. ``finance: กองคลัง (งานพัสดุ)``.

Every role must be one the catalog knows (catalog/units.yaml; a misspelt role would otherwise be
ignored without a word and the catalog's generic name printed instead), and every name must be a
one-line text a document can hold. The file is read through the hardened YAML loader, which also
decodes files that are not UTF-8.
"""

from __future__ import annotations

from pathlib import Path

from prongsai.catalog import agency_units
from prongsai.errors import InputError
from prongsai.onedocument import one_mapping
from prongsai.problems import Location, Problem, error, label, suggestion_params
from prongsai.textcheck import text_problems


def known_roles() -> list[str]:
    """The roles the measure templates use, as catalog/units.yaml names them."""
    return list(agency_units(None, {}))


def read_units_file(path: Path | None) -> dict[str, str]:
    """The agency's own unit names (role -> name) from a ``--units`` YAML file; none without a file.
    Every problem of the file is reported at once, each at its line."""
    if path is None:
        return {}
    _, data, location = one_mapping(
        path, empty=error("units_empty", Location(file=path.name)), what="file_units", field="units"
    )
    roles = known_roles()
    problems: list[Problem] = []
    units: dict[str, str] = {}
    for role, entry in data.items():
        where = location.with_(line=entry.key_line or entry.line, field=role)
        if role not in roles:
            problems.append(
                error(
                    "units_role_unknown",
                    where,
                    role=role,
                    known=", ".join(roles),
                    **suggestion_params(role, roles),
                )
            )
            continue
        name = entry.value
        if name is not None and not isinstance(name, str):
            problems.append(
                error(
                    "wrong_type",
                    where,
                    field=role,
                    expected_th=label("a_unit_name", "th"),
                    expected_en=label("a_unit_name", "en"),
                )
            )
            continue
        found = text_problems(name, where, "name", required=True)
        problems += found
        if not found and name is not None:
            units[role] = name
    if problems:
        raise InputError(problems)
    return units
