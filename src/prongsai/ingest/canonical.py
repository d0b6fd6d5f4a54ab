"""The canonical results file, YAML or JSON: one agency-year per document (or a list of them).

```yaml
agency: {name: เทศบาลตำบลโคกม่วง, type: เทศบาลตำบล, district: คลองหอยโข่ง, province: สงขลา}
ita_year: 2567
scores:
  overall: 92.13
  level: ผ่าน
  tools: {IIT: 91.64}
  indicators: {1: 91.78, 4: 82.00}
  items: {i1: 84.67, e9: 30.49, o12: 100}
```
See docs/results-format.md.
"""

from __future__ import annotations

from prongsai.ingest.record import Entry, EntrySection, build_agency, build_record, parse_year
from prongsai.loader.jsontree import load_json
from prongsai.loader.tree import Located
from prongsai.loader.yamltree import load_yaml
from prongsai.problems import Location, Problem, error, label, suggestion_params
from prongsai.results import ResultsInput

TOP_FIELDS = ("agency", "ita_year", "scores")
AGENCY_FIELDS = ("name", "type", "district", "province")
SCORE_SECTIONS = ("overall", "level", "tools", "indicators", "items")
_SECTION: dict[str, EntrySection] = {
    "overall": "overall",
    "level": "level",
    "tools": "tools",
    "indicators": "indicators",
    "items": "items",
}


def read_yaml(text: str, location: Location) -> tuple[list[ResultsInput], list[Problem]]:
    documents, problems = load_yaml(text, location)
    return _records(documents, location, problems)


def read_json(text: str, location: Location) -> tuple[list[ResultsInput], list[Problem]]:
    documents, problems = load_json(text, location)
    return _records(documents, location, problems)


def _records(
    documents: list[Located], location: Location, problems: list[Problem]
) -> tuple[list[ResultsInput], list[Problem]]:
    records: list[ResultsInput] = []
    if not documents and not problems:
        problems.append(error("empty_file", location))
    bodies: list[Located] = []
    for document in documents:
        if isinstance(document.value, list):
            bodies.extend(document.value)
        elif document.value is not None:
            bodies.append(document)
    for body in bodies:
        record, found = _record(body, location)
        problems.extend(found)
        if record is not None:
            records.append(record)
    return records, problems


def _mapping(
    node: Located, field: str, location: Location, allowed: tuple[str, ...], problems: list[Problem]
) -> dict[str, Located] | None:
    where = location.with_(line=node.line, field=field)
    if not isinstance(node.value, dict):
        problems.append(error("not_a_mapping", where, field=field))
        return None
    for key, child in node.value.items():
        if key not in allowed:
            problems.append(
                error(
                    "unknown_field",
                    location.with_(line=child.key_line, field=f"{field}.{key}" if field else key),
                    field=key,
                    **suggestion_params(key, allowed),
                )
            )
    return node.value


def _record(body: Located, location: Location) -> tuple[ResultsInput | None, list[Problem]]:
    problems: list[Problem] = []
    if not isinstance(body.value, dict):
        return None, [error("record_not_a_mapping", location.with_(line=body.line))]
    top = _mapping(body, "", location, TOP_FIELDS, problems)
    if top is None:
        return None, problems
    record_location = location.with_(line=body.line)
    for name in TOP_FIELDS:
        if name not in top:
            problems.append(error("missing_field", record_location, field=name))

    agency = None
    agency_problems: list[Problem] = []
    if "agency" in top:
        node = top["agency"]
        if isinstance(node.value, str):  # a bare name is accepted: agency: เทศบาลตำบลโคกม่วง
            fields: dict[str, Located] | None = {"name": node}
        else:
            fields = _mapping(node, "agency", location, AGENCY_FIELDS, problems)
        if fields is not None:
            for name in AGENCY_FIELDS:
                child = fields.get(name)
                if child is not None and child.value is not None and not isinstance(child.value, str | int):
                    problems.append(
                        error(
                            "wrong_type",
                            location.with_(line=child.line, field=f"agency.{name}"),
                            field=f"agency.{name}",
                            expected_th=label("a_text", "th"),
                            expected_en=label("a_text", "en"),
                        )
                    )
            type_node = fields.get("type")
            values = {name: fields[name].value if name in fields else None for name in AGENCY_FIELDS}
            agency, agency_problems = build_agency(
                values["name"],
                values["type"],
                values["district"],
                values["province"],
                location.with_(line=node.line, field="agency.name"),
                type_location=location.with_(line=type_node.line, field="agency.type") if type_node else None,
            )

    year = None
    if "ita_year" in top:
        node = top["ita_year"]
        year, found = parse_year(node.value, location.with_(line=node.line, field="ita_year"))
        problems.extend(found)

    entries: list[Entry] = []
    if "scores" in top:
        sections = _mapping(top["scores"], "scores", location, SCORE_SECTIONS, problems)
        for name, node in (sections or {}).items():
            if name in ("overall", "level"):
                where = location.with_(line=node.line, field=f"scores.{name}")
                entries.append(Entry(_SECTION[name], name, node.value, where))
            elif name in _SECTION:
                if not isinstance(node.value, dict):
                    where = location.with_(line=node.line, field=f"scores.{name}")
                    problems.append(error("not_a_mapping", where, field=f"scores.{name}"))
                    continue
                for key, child in node.value.items():
                    where = location.with_(line=child.key_line, field=f"scores.{name}.{key}")
                    entries.append(Entry(_SECTION[name], key, child.value, where))

    problems.extend(agency_problems)
    record, found = build_record(agency, year, entries, record_location, carried=agency_problems)
    if any(p.severity == "error" for p in problems):  # "no scores" is noise next to a real error
        found = [p for p in found if p.code != "no_scores"]
    problems.extend(found)
    if any(p.severity == "error" for p in problems):
        return None, problems
    return record, problems
