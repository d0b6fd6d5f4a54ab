"""The document's heading facts: agency (name, type, district, province) and the two years."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from prongsai.agency import agency_types, infer_type
from prongsai.importing.model import Para
from prongsai.importing.vocabulary import vocabulary
from prongsai.thai import to_arabic_digits

_WORDS = vocabulary().header
_YEAR = re.compile(rf"(?:{'|'.join(_WORDS.year_prefixes)})\s*(?:{_WORDS.be_era})?\s*([25๒][5๕][0-9๐-๙]{{2}})")
_PLAN_WORDS = _WORDS.plan_words
_ITA_WORDS = _WORDS.ita_words
_DISTRICT = re.compile(rf"{re.escape(_WORDS.district)}\s*([^\s,]+)")
_PROVINCE = re.compile(rf"{re.escape(_WORDS.province)}\s*([^\s,]+)")


@dataclass(frozen=True)
class Heading:
    name: str | None
    name_variants: tuple[str, ...]
    type: str | None
    district: str | None
    province: str | None
    ita_years: tuple[tuple[int, str, int], ...]  # (year, text span, line)
    plan_years: tuple[tuple[int, str, int], ...]


def _name_pattern() -> re.Pattern[str]:
    """Full type names ('เทศบาลตำบล') and dotted abbreviations ('ทต.') followed by a name."""
    full = set(agency_types().values())
    spellings = sorted(full | {s for s in agency_types() if s.endswith(".")}, key=len, reverse=True)
    alternatives = "|".join(re.escape(s) for s in spellings)
    after = "".join(f"|(?<={re.escape(w)})" for w in _WORDS.name_after)  # one fixed-width lookbehind each
    return re.compile(rf"(?:^|(?<=[\s(]){after})((?:{alternatives})\s?[ก-๙]+)")


def _full_name(name: str) -> str:
    """'ทต.บึงไผ่' -> 'เทศบาลตำบลบึงไผ่'."""
    for spelling, full in agency_types().items():
        if spelling.endswith(".") and name.startswith(spelling):
            return full + name[len(spelling) :]
    return name


def _years(paragraphs: list[Para]) -> tuple[list[tuple[int, str, int]], list[tuple[int, str, int]]]:
    ita: list[tuple[int, str, int]] = []
    plan: list[tuple[int, str, int]] = []
    previous = ""
    for para in paragraphs:
        text = para.text
        for match in _YEAR.finditer(text):
            before = (previous + " " + text[: match.start()])[-160:]
            best: tuple[int, str] | None = None
            for role, words in (("plan", _PLAN_WORDS), ("ita", _ITA_WORDS)):
                for word in words:
                    at = before.rfind(word)
                    if at >= 0 and (best is None or at + len(word) > best[0]):
                        best = (at + len(word), role)
            if best is None:
                continue
            year = int(to_arabic_digits(match.group(1)))
            span = text[max(0, match.start() - 60) : match.end()]
            (plan if best[1] == "plan" else ita).append((year, span, para.line))
        previous = text
    return ita, plan


def read_heading(paragraphs: list[Para], cell_texts: list[str]) -> Heading:
    """Agency and years from the paragraphs (and, for the name, the table cells as well)."""
    pattern = _name_pattern()
    name = None
    seen: Counter[str] = Counter()
    for texts in ([p.text for p in paragraphs], cell_texts):
        names: Counter[str] = Counter()
        first: dict[str, int] = {}
        for index, text in enumerate(texts):
            for match in pattern.finditer(text):
                found = _full_name(match.group(1).replace(" ", ""))
                if infer_type(found) is None:
                    continue
                names[found] += 1
                first.setdefault(found, index)
        seen.update(names)
        if names and name is None:
            name = sorted(names, key=lambda n: (-names[n], first[n]))[0]
    variants = tuple(
        n
        for n in seen
        if name is not None
        and n != name
        and not n.startswith(name)
        and not name.startswith(n)
        and len(n) <= len(name) + 3
        and infer_type(n) == infer_type(name)
    )
    district = province = None
    for para in paragraphs[:30]:
        if district is None and (m := _DISTRICT.search(para.text)):
            district = m.group(1)
        if province is None and (m := _PROVINCE.search(para.text)):
            province = m.group(1)
    ita, plan = _years(paragraphs)
    return Heading(
        name=name,
        name_variants=variants,
        type=infer_type(name) if name else None,
        district=district,
        province=province,
        ita_years=tuple(ita),
        plan_years=tuple(plan),
    )
