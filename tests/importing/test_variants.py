"""Documents never seen before, built from the seeds: other agencies, other numbers, rows
reordered, OCR noise. Each variant is generated here and read back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from prongsai.importing import read_document
from prongsai.thai import to_arabic_digits, to_thai_digits
from tests.importing.helpers import seed_path

_SCORE = re.compile(r"(?<![0-9๐-๙.])([0-9๐-๙]{2,3}[.][0-9๐-๙]{2})(?![0-9๐-๙])")


def _shift(match: re.Match[str]) -> str:
    """Another number, deterministic: the same digits family (Thai stays Thai)."""
    printed = match.group(1)
    value = float(to_arabic_digits(printed))
    new = f"{min(100.0, value * 0.93 + 4.11):.2f}"
    return to_thai_digits(new) if printed[0] in "๐๑๒๓๔๕๖๗๘๙" else new


def _write(tmp_path: Path, text: str, name: str = "variant.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("seed", "old", "new"),
    [
        ("000", "บึงไผ่", "หนองบัวแดง"),
        ("001", "โคกม่วง", "ท่าช้าง"),
        ("002", "เทศบาลเมืองบึงกาฬ", "เทศบาลเมืองศรีราชา"),
        ("003", "บางจะเกร็ง", "ลาดใหญ่"),
        ("004", "เหมืองจี้", "ป่าแดด"),
    ],
)
def test_other_agency_and_other_numbers(tmp_path: Path, seed: str, old: str, new: str) -> None:
    original = read_document(seed_path(seed))
    text = seed_path(seed).read_text(encoding="utf-8").replace(old, new)
    text = _SCORE.sub(_shift, text)
    got = read_document(_write(tmp_path, text))
    assert new in got.results.agency.name
    assert got.family == original.family
    assert got.results.ita_year == original.results.ita_year
    for code, printed in original.printed.items.items():
        if "." in printed:
            expected = min(100.0, float(printed) * 0.93 + 4.11)
            assert float(got.printed.items[code]) == pytest.approx(expected, abs=0.006), code
        else:
            assert got.printed.items[code] == printed
    for number, printed in original.printed.indicators.items():
        expected = min(100.0, float(printed) * 0.93 + 4.11)
        assert float(got.printed.indicators[number]) == pytest.approx(expected, abs=0.006)
    assert len(got.measures) == len(original.measures)
    assert [m.owner.replace(new, old) for m in got.measures] == [m.owner for m in original.measures]


def test_rows_reordered(tmp_path: Path) -> None:
    """Item rows of 001's analysis tables in reverse order inside each table, and the issue
    blocks of 000 in another order: every score still lands on its code."""
    for seed in ("000", "001"):
        original = read_document(seed_path(seed))
        lines = seed_path(seed).read_text(encoding="utf-8").splitlines()
        out: list[str] = []
        run: list[str] = []
        for line in [*lines, ""]:
            continuation = line.startswith("\t") and re.search(r"\t(?:ข้อ )?[ieo๐][0-9๐-๙]", line)
            if continuation:
                run.append(line)
                continue
            out.extend(reversed(run))
            run = []
            out.append(line)
        got = read_document(_write(tmp_path, "\n".join(out), f"{seed}.txt"))
        assert got.printed.items == original.printed.items
        assert len(got.measures) == len(original.measures)


def test_ocr_noise(tmp_path: Path) -> None:
    """001 with its o codes printed as ๐ (zero), Thai digits in the scores, broken Thai spacing
    in the responsible units and sara am split into a space and sara aa."""
    original = read_document(seed_path("001"))
    text = seed_path("001").read_text(encoding="utf-8")
    text = re.sub(r"ข้อ o([0-9]+)", lambda m: "ข้อ ๐" + to_thai_digits(m.group(1)), text)
    text = re.sub(r"\t([0-9]{2,3}\.[0-9]{2})\t", lambda m: "\t" + to_thai_digits(m.group(1)) + "\t", text)
    text = text.replace("สำนักปลัด", "ส านัก ปลัด")
    got = read_document(_write(tmp_path, text))
    assert got.printed.items == original.printed.items
    assert [m.owner.replace(" ", "") for m in got.measures] == [
        m.owner.replace(" ", "") for m in original.measures
    ]


def test_untagged_header_rows_of_other_spelling(tmp_path: Path) -> None:
    """Headings spelt as other agencies print them (ข้อความ ITA / ข้อคำถาม ITA, extra spaces)."""
    text = seed_path("000").read_text(encoding="utf-8")
    text = text.replace("ข้อความ ITA", "ข้อคำถาม  ITA").replace("คะแนนที่ได้รับ", "คะแนน ที่ได้รับ")
    got = read_document(_write(tmp_path, text))
    assert got.printed.items == read_document(seed_path("000")).printed.items
