"""CSV read strictly: no silently merged or shifted rows (loader.csvtable, through read_results)."""

from __future__ import annotations

from pathlib import Path

import pytest

from prongsai.errors import InputError
from prongsai.ingest import read_results
from prongsai.loader.csvtable import read_csv_rows
from prongsai.problems import Location

HEADER = "agency,ita_year,code,score\n"
HERE = Location(file="r.csv")


def problems_of(tmp_path: Path, body: str | bytes, name: str = "r.csv") -> list[tuple[str, int | None]]:
    path = tmp_path / name
    data = body if isinstance(body, bytes) else (HEADER + body).encode("utf-8")
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        read_results(path)
    return [(p.code, p.location.row) for p in info.value.problems if p.severity == "error"]


def test_a_comma_in_an_unquoted_name_shifts_no_score(tmp_path: Path) -> None:
    body = "เทศบาลตำบลโคกม่วง,2567,i1,84.67\nเทศบาลตำบลโคกม่วง, สงขลา,2567,i2,90\n"
    assert problems_of(tmp_path, body) == [("csv_extra_fields", 3)]


def test_an_unbalanced_quote_is_found_where_it_opens(tmp_path: Path) -> None:
    body = 'เทศบาลตำบลโคกม่วง,2567,i1,84.67\n"เทศบาลตำบลโคกม่วง,2567,i2,90\nเทศบาลตำบลโคกม่วง,2567,i3,70\n'
    assert problems_of(tmp_path, body) == [("csv_unclosed_quote", 3)]


def test_a_quote_inside_a_quoted_field(tmp_path: Path) -> None:
    assert problems_of(tmp_path, '"ทต."โคกม่วง",2567,i1,90\n') == [("csv_quote_inside", 2)]


def test_a_field_over_the_cell_limit(tmp_path: Path) -> None:
    assert problems_of(tmp_path, "ทต.ก,2567,i1," + "9" * 200_000 + "\n") == [("limit_exceeded", 2)]


def test_thousands_and_decimal_commas_in_quoted_scores(tmp_path: Path) -> None:
    body = 'ทต.ก,2567,i1,"1,519"\nทต.ก,2567,i2,"92,13"\nทต.ก,2567,i3,"๑,๕๑๙"\n'
    assert problems_of(tmp_path, body) == [
        ("score_out_of_range", 2),
        ("score_not_a_number", 3),
        ("score_out_of_range", 4),
    ]


def test_nul_bytes_mean_not_a_text_file(tmp_path: Path) -> None:
    assert problems_of(tmp_path, (HEADER + "ทต.ก,2567,i1,90\n").encode("utf-16-le")) == [
        ("text_is_binary", None)
    ]


def test_utf16_with_a_bom_and_windows_874_are_read(tmp_path: Path) -> None:
    for encoding in ("utf-16", "cp874"):
        path = tmp_path / f"{encoding}.csv"
        path.write_bytes((HEADER + "เทศบาลตำบลโคกม่วง,2567,i1,84.67\n").encode(encoding))
        (record,), warnings = read_results(path)
        assert record.agency.name == "เทศบาลตำบลโคกม่วง" and record.scores.items["i1"].value == 84.67
        assert [w.code for w in warnings] == (["encoding_fallback"] if encoding == "cp874" else [])


def test_the_formula_guard_apostrophe_is_removed_on_reading() -> None:
    rows, _ = read_csv_rows("agency,code\n'=cmd,'+1\n'plain,i1\nก'=x,''=y\n".encode(), HERE)
    assert rows == [["agency", "code"], ["=cmd", "+1"], ["'plain", "i1"], ["ก'=x", "'=y"]]


def test_multi_line_quoted_cells_keep_the_record_number() -> None:
    rows, problems = read_csv_rows(b'a,b\n"line 1\nline 2",x\ny,"\x07"\n', HERE)
    assert rows is not None and rows[1] == ["line 1\nline 2", "x"]
    assert [(p.code, p.location.row, p.location.column) for p in problems] == [("text_bad_character", 3, "b")]
