"""Turning read values into one agency-year's given scores; shared by every input format.

Each reader (YAML/JSON, CSV/XLSX) only finds values and their locations; the rules about what a
valid year, score or code is live here, once.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from prongsai.agency import Agency, infer_type, known_type_names, normalise_type
from prongsai.codes import Key, parse_indicator, parse_item_code, parse_key, parse_tool
from prongsai.framework import Framework, load_frameworks
from prongsai.loader.limits import LIMITS
from prongsai.loader.numbers import plain, read_number, shown_value
from prongsai.loader.text import max_length_problem, value_problem
from prongsai.problems import Location, Problem, error, label, warning
from prongsai.results import Given, GivenLevel, GivenScores, ResultsInput
from prongsai.thai import BE_OFFSET, to_arabic_digits

EntrySection = Literal["any", "items", "indicators", "tools", "overall", "level"]


@dataclass(frozen=True)
class Entry:
    """One score as written: which part of the file it came from, its key, its value, where."""

    section: EntrySection
    key: object
    value: object
    location: Location
    key_location: Location | None = None

    @property
    def where_key(self) -> Location:
        return self.key_location or self.location


def parse_score(value: object, location: Location) -> tuple[float | None, list[Problem]]:
    """92.13, '92.13', '๙๒.๑๓', '92%' -> 92.13 or 92; anything else, or outside 0-100, is an error that
    says why (prongsai.loader.numbers: one meaning or none)."""
    reading = read_number(value)
    if reading.value is None:
        why = f"number_why_{reading.reason}"
        return None, [
            error(
                "score_not_a_number",
                location,
                value=shown_value(value),
                why_th=label(why, "th"),
                why_en=label(why, "en"),
            )
        ]
    number = reading.value
    if not 0 <= number <= 100:
        written = shown_value(value)
        read_as = plain(number)
        return None, [
            error(
                "score_out_of_range",
                location,
                value=written if written == read_as else f"{written} (= {read_as})",
            )
        ]
    return float(number), []


def parse_year(value: object, location: Location) -> tuple[int | None, list[Problem]]:
    """2567, '2567', '๒๕๖๗', 'พ.ศ. 2567' -> 2567; a Common Era year gets its own message; no framework
    is an error."""
    year: int | None = None
    if isinstance(value, str):
        text = re.sub(r"^(?:พ\.ศ\.|ปี)\s*", "", to_arabic_digits(value).strip())
        if re.fullmatch(r"\d{4}(\.0*)?", text):
            year = int(text.split(".")[0])
    elif not isinstance(value, bool):
        reading = read_number(value)
        if reading.value is not None and reading.value == reading.value.to_integral_value():
            year = int(reading.value) if abs(reading.value) < 10**6 else None
    if year is None or not 1000 <= year <= 9999:
        return None, [error("year_not_a_number", location, value=shown_value(value))]
    frameworks = load_frameworks()
    if year not in frameworks:
        if year + BE_OFFSET in frameworks or 1900 <= year <= 2200:
            return None, [error("year_in_ce", location, value=year, be=year + BE_OFFSET)]
        years = ", ".join(str(y) for y in sorted(frameworks))
        return None, [error("year_no_framework", location, year=year, years=years)]
    return year, []


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        cleaned = " ".join(unicodedata.normalize("NFC", value).split())
        return cleaned or None
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)
    return None


def _name_problems(values: dict[str, str | None], location: Location) -> list[Problem]:
    """Names longer than any real one, or holding characters no document can: refused, not cut."""
    problems: list[Problem] = []
    for what, text in values.items():
        if text is None:
            continue
        found = max_length_problem(text, location, LIMITS.name_chars, what) or value_problem(text, location)
        if found is not None:
            problems.append(found)
    return problems


def build_agency(
    name: object,
    type_: object,
    district: object,
    province: object,
    location: Location,
    type_location: Location | None = None,
) -> tuple[Agency | None, list[Problem]]:
    clean_name = _text(name)
    if clean_name is None:
        return None, [error("agency_name_missing", location)]
    clean_type = _text(type_)
    texts = {
        "field_agency_name": clean_name,
        "field_agency_type": clean_type,
        "field_district": _text(district),
        "field_province": _text(province),
    }
    problems = _name_problems(texts, location)
    if problems:
        return None, problems
    if clean_type is not None:
        normal = normalise_type(clean_type)
        if normal is None:
            problems.append(
                warning(
                    "agency_type_unknown",
                    type_location or location,
                    value=clean_type,
                    known=", ".join(known_type_names()),
                )
            )
        else:
            clean_type = normal
    else:
        clean_type = infer_type(clean_name)
    return Agency(clean_name, clean_type, _text(district), _text(province)), problems


FRACTIONS_SEEN = 3  # this many scores, all between 0 and 1, are fractions (0.92), not points (92)


def _fractions_problem(scores: GivenScores, location: Location) -> Problem | None:
    """Scores written as fractions of one (Excel shows 0.92 as 92%): no real agency-year has every
    score at or below 1 point, so such a file has no one meaning and is refused."""
    values = [
        given.value
        for group in (scores.tools, scores.parts, scores.indicators, scores.items)
        for given in group.values()
    ]
    if scores.overall is not None:
        values.append(scores.overall.value)
    if len(values) < FRACTIONS_SEEN or max(values) > 1 or max(values) == 0:
        return None
    return error(
        "scores_look_like_fractions", location, count=len(values), highest=plain(Decimal(repr(max(values))))
    )


def _resolve_key(section: str, raw: object) -> Key | None:
    """The key a written code stands for; a large table writes the same few codes on every row,
    so each (section, code) is read once."""
    try:
        return _cached_key(section, raw)
    except TypeError:  # an unhashable value: read it without the cache
        return _read_key(section, raw)


def _read_key(section: str, raw: object) -> Key | None:
    if section == "overall":
        return Key("overall")
    if section == "level":
        return Key("level")
    if isinstance(raw, bool) or raw is None:
        return None
    text = str(raw)
    if section == "items":
        code = parse_item_code(text)
        return Key("item", code) if code else None
    if section == "indicators":
        number = parse_indicator(raw if isinstance(raw, int) else text)
        return Key("indicator", number) if number is not None else None
    if section == "tools":
        tool = parse_tool(text)
        if tool:
            return Key("tool", tool)
        key = parse_key(text)
        return key if key is not None and key.kind == "part" else None
    return parse_key(text)


_cached_key = functools.lru_cache(maxsize=4096, typed=True)(_read_key)


def _years_with_item(code: str) -> list[int]:
    return [year for year, fw in sorted(load_frameworks().items()) if code in fw.items_by_code]


def _check_key(key: Key, raw: object, framework: Framework, location: Location) -> Problem | None:
    if key.kind == "item":
        code = str(key.value)
        if code in framework.items_by_code:
            return None
        years = [y for y in _years_with_item(code) if y != framework.ita_year]
        listed = ", ".join(str(y) for y in years)
        return error(
            "code_unknown_for_year",
            location,
            code=code,
            year=framework.ita_year,
            other_years_th=label("exists_in_years", "th", years=listed) if years else "",
            other_years_en=label("exists_in_years", "en", years=listed) if years else "",
        )
    if key.kind == "indicator" and not (isinstance(key.value, int) and 1 <= key.value <= 10):
        return error("indicator_unknown", location, value=raw)
    if key.kind == "part" and key.value not in framework.part_codes:
        known = ", ".join(["IIT", "EIT", "OIT", *framework.part_codes])
        return error("tool_unknown", location, value=raw, known=known)
    return None


def _unreadable(section: str, raw: object, framework: Framework | None, location: Location) -> Problem:
    if section == "indicators":
        return error("indicator_unknown", location, value=raw)
    if section == "tools":
        parts = list(framework.part_codes) if framework else []
        return error("tool_unknown", location, value=raw, known=", ".join(["IIT", "EIT", "OIT", *parts]))
    return error("code_unreadable", location, value=raw)


def build_record(
    agency: Agency | None,
    ita_year: int | None,
    entries: list[Entry],
    record_location: Location,
    carried: list[Problem] | None = None,
) -> tuple[ResultsInput | None, list[Problem]]:
    """Check every entry against the year's framework; all problems are returned together."""
    problems: list[Problem] = []
    framework = load_frameworks().get(ita_year) if ita_year is not None else None
    overall: Given | None = None
    level: GivenLevel | None = None
    tools: dict[str, Given] = {}
    parts: dict[str, Given] = {}
    indicators: dict[int, Given] = {}
    items: dict[str, Given] = {}
    first_seen: dict[str, Location] = {}

    for entry in entries:
        key = _resolve_key(entry.section, entry.key)
        if key is None:
            problems.append(_unreadable(entry.section, entry.key, framework, entry.where_key))
            continue
        if framework is not None:
            problem = _check_key(key, entry.key, framework, entry.where_key)
            if problem:
                problems.append(problem)
                continue
        if key.label in first_seen:
            first = first_seen[key.label]
            problems.append(
                error(
                    "duplicate_code",
                    entry.where_key,
                    code=key.label,
                    first_th=first.describe("th"),
                    first_en=first.describe("en"),
                )
            )
            continue
        first_seen[key.label] = entry.where_key
        if key.kind == "level":
            level_name = _text(entry.value)
            if framework is not None:
                names = framework.level_names()
                matched = next(
                    (n for n in names if level_name and n.casefold() == level_name.casefold()), None
                )
                if matched is None:
                    problems.append(
                        error(
                            "level_unknown",
                            entry.location,
                            value=level_name or "",
                            year=framework.ita_year,
                            levels=", ".join(names),
                        )
                    )
                    continue
                level_name = matched
            if level_name is None:
                continue
            level = GivenLevel(level_name, entry.location)
            continue
        score, score_problems = parse_score(entry.value, entry.location)
        problems.extend(score_problems)
        if score is None:
            continue
        given = Given(score, entry.location)
        if key.kind == "overall":
            overall = given
        elif key.kind == "tool":
            tools[str(key.value)] = given
        elif key.kind == "part":
            parts[str(key.value)] = given
        elif key.kind == "indicator":
            indicators[int(str(key.value))] = given
        else:
            items[str(key.value)] = given

    scores = GivenScores(overall, level, tools, parts, indicators, items)
    if not problems and scores.is_empty():
        problems.append(warning("no_scores", record_location))
    fraction = _fractions_problem(scores, record_location)
    if fraction is not None:
        problems.append(fraction)
    if agency is None or framework is None or any(p.severity == "error" for p in problems):
        return None, problems
    warnings = [*(carried or []), *problems]
    return ResultsInput(agency, framework.ita_year, scores, record_location, tuple(warnings)), problems
