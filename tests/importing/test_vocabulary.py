"""catalog/import.yaml: the Thai words `prongsai import` recognises load, validate and compile, a broken
copy is rejected naming the key, and no such word is left in the importer's code."""

from __future__ import annotations

import ast
import re
from importlib import resources
from pathlib import Path

import pytest

import prongsai.importing
from prongsai.errors import DataFileError
from prongsai.importing.columns import heading_role
from prongsai.importing.vocabulary import ORIGIN, ImportVocabulary, parse_vocabulary, vocabulary

BUNDLED = (resources.files("prongsai") / "catalog" / "import.yaml").read_text(encoding="utf-8")


def test_the_bundled_file_loads_and_validates() -> None:
    words = vocabulary()
    assert isinstance(words, ImportVocabulary)
    assert parse_vocabulary(BUNDLED) == words
    assert words.timeframe.months[0] == "ตุลาคม"  # the fiscal year starts in October
    assert words.scores.unit in words.scores.figure_words


def test_every_pattern_compiles_and_year_pieces_do_not_capture() -> None:
    words = vocabulary()
    for heading in words.headings:
        re.compile(heading.pattern)
    for piece in (*words.header.year_prefixes, words.header.be_era):
        assert re.compile(piece).groups == 0, piece
    year = re.compile(rf"(?:{'|'.join(words.header.year_prefixes)})\s*([0-9]{{4}})")
    assert (m := year.search("ปีงบประมาณ พ.ศ. 2568")) is not None and m.group(1) == "2568"


@pytest.mark.parametrize(
    ("printed", "role"),
    [
        ("ข้อความ ITA", "question"),
        ("ข้อคำถาม ITA", "question"),
        ("คะแนนที่ได้รับ", "score"),
        ("ประเด็น", "issue"),
        ("หน่วยงาน / ผู้รับผิดชอบ", "owner"),
        ("ระยะเวลาดำเนินการ", "timeframe"),
        ("วิธีการดำเนินการ", "steps"),
        ("การติดตามผล", "follow_up"),
        ("ตัวชี้วัดที่", "indicator_no"),
    ],
)
def test_heading_words_give_their_column_role(printed: str, role: str) -> None:
    assert heading_role(printed) == role


def test_the_headings_cover_every_layout_family() -> None:
    """Each family is told apart by heading roles; the file must name a heading for each of them."""
    roles = frozenset(h.role for h in vocabulary().headings if h.role)
    needed = {"question", "score", "measure", "analysis", "steps", "issue", "tool", "seq"}
    needed |= {"indicator_no", "indicator_list", "follow_up", "timeframe", "owner"}
    assert needed <= roles


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        # an unknown key, in a section and at the top
        ("  part: ส่วนที่", "  part: ส่วนที่\n  parts: ส่วนที่", "scores.parts: Extra inputs"),
        ("schema_version: 1", "schema_version: 1\nwords: []", "words: Extra inputs"),
        # a missing key, and a missing section
        ("  province: จังหวัด\n", "", "header.province: Field required"),
        ("\nscores:", "\nscores_old:", "scores: Field required"),
        # a pattern that does not compile, or that captures where it may not
        (
            'pattern: "^(ประเด็น|หัวข้อ)$"',
            'pattern: "^(ประเด็น|หัวข้อ$"',
            "headings.3.pattern: Value error, pattern",
        ),
        ('"ปีงบประมาณ", ', '"ปีงบ[ประมาณ", ', "header.year_prefixes.1: Value error, pattern"),
        ('"ปีงบประมาณ", ', '"(ปีงบประมาณ)", ', "header.year_prefixes.1: Value error, pattern"),
        # wrong values
        ("role: seq,", "role: sequence,", "headings.4.role"),
        (", กันยายน]", "]", "timeframe.months"),
        ("  unit: คะแนน", '  unit: ""', "scores.unit"),
        ("  unit: คะแนน", '  unit: "คะแนน "', "scores.unit: Value error, word"),
        ("{IIT: ภายนอก", "{ITT: ภายนอก", "scores.tool_garbled.ITT"),
        ("schema_version: 1", "schema_version: 2", "schema_version"),
        ("schema_version: 1", "schema_version: [1", "not valid YAML"),
    ],
)
def test_a_broken_copy_is_rejected_naming_the_key(old: str, new: str, key: str) -> None:
    assert BUNDLED.count(old) == 1, old
    with pytest.raises(DataFileError) as info:
        parse_vocabulary(BUNDLED.replace(old, new))
    assert info.value.origin == ORIGIN
    assert any(key in problem for problem in info.value.problems), info.value.problems


def test_every_problem_is_listed_at_once() -> None:
    broken = BUNDLED.replace("  province: จังหวัด\n", "").replace("role: seq,", "role: sequence,")
    with pytest.raises(DataFileError) as info:
        parse_vocabulary(broken)
    assert len(info.value.problems) == 2
    assert str(info.value).startswith(f"{ORIGIN}: ")


# Thai characters the importer's code may still hold: digits, the bounds of the Thai block
# (unassigned) and of the ranges [ก-ฮ] and [ก-๙], and sara aa / sara am of the OCR fix (orthography).
_ALLOWED = set("๐๑๒๓๔๕๖๗๘๙กฮาำ\u0e00\u0e7f")
_THAI = re.compile(r"[\u0e00-\u0e7f]")


def _docstrings(tree: ast.Module) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def test_no_thai_word_is_left_in_the_importer_code() -> None:
    """Strings in code (not docstrings, not comments) hold no Thai letters beyond _ALLOWED."""
    folder = Path(prongsai.importing.__file__).parent
    left = []
    for path in sorted(folder.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
                thai = set(_THAI.findall(node.value)) - _ALLOWED
                if thai:
                    left.append(f"{path.name}:{node.lineno}: {node.value!r}")
    assert not left, left


def test_the_longer_level_phrase_wins_so_the_level_itself_is_read() -> None:
    from prongsai.importing.scores import _LEVEL

    for text, level in (
        ("ซึ่งอยู่ในระดับที่ A", "A"),
        ("ซึ่งอยู่ในระดับ ผ่านดีเยี่ยม", "ผ่านดีเยี่ยม"),
        ("ระดับผลการประเมินอยู่ที่ ผ่านดี", "ผ่านดี"),
    ):
        found = _LEVEL.search(text)
        assert found is not None and found.group(1) == level, text
