"""Results files that used to be accepted with wrong numbers, or refused though valid."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from prongsai.errors import InputError
from prongsai.ingest import read_results

AGENCY = {"name": "เทศบาลตำบลโคกม่วง", "district": "คลองหอยโข่ง", "province": "สงขลา"}


def codes(path: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        read_results(path)
    return [p.code for p in info.value.problems if p.severity == "error"]


def test_the_same_agency_year_twice_is_refused_even_under_a_short_name(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(
        "agency: {name: เทศบาลตำบลโคกม่วง, district: คลองหอยโข่ง}\nita_year: 2567\nscores: {overall: 92.13}\n"
        "---\nagency: {name: ทต.โคกม่วง, district: อ.คลองหอยโข่ง}\nita_year: 2567\nscores: {overall: 88}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        read_results(path)
    (problem,) = info.value.problems
    assert (
        problem.code == "agency_year_twice" and problem.location.line == 5 and "line 1" in problem.message_en
    )


def test_other_years_and_districts_are_not_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text(
        "agency,ita_year,district,overall\nทต.ก,2567,ก,90\nทต.ก,2568,ก,91\nทต.ก,2568,ข,92\n",
        encoding="utf-8",
    )
    assert len(read_results(path)[0]) == 3


def test_fractions_of_one_are_not_points(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    scores = {"items": {"i1": 0.92, "i2": 0.88, "i3": 0.95}}
    path.write_text(json.dumps({"agency": AGENCY, "ita_year": 2568, "scores": scores}), encoding="utf-8")
    assert codes(path) == ["scores_look_like_fractions"]


def test_json_exponents_and_emoji(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    data = {"agency": {**AGENCY, "name": "เทศบาลตำบลโคกม่วง 😀"}, "ita_year": 2568, "scores": {"overall": 1}}
    path.write_text(json.dumps(data).replace('"overall": 1', '"overall": 9.067e1'), encoding="utf-8")
    (record,), _ = read_results(path)
    assert record.scores.overall is not None and record.scores.overall.value == 90.67
    assert record.agency.name.endswith("😀")


def test_parquet_decimal_scores(tmp_path: Path) -> None:
    frame = pl.DataFrame(
        {"agency": [AGENCY["name"]], "ita_year": [2568], "overall": [Decimal("91.25")]},
        schema={"agency": pl.String, "ita_year": pl.Int64, "overall": pl.Decimal(5, 2)},
    )
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    path = tmp_path / "scores.parquet"
    path.write_bytes(buffer.getvalue())
    (record,), _ = read_results(path)
    assert record.scores.overall is not None and record.scores.overall.value == 91.25


@pytest.mark.parametrize("text", ["", "---\n", "null\n", "[]\n", "# only a comment\n"])
def test_a_file_with_no_agency_year_is_an_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    assert codes(path) in (["empty_file"], ["no_agency_years"])


def test_names_no_document_can_hold(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(f"agency: {'ก' * 20_000}\nita_year: 2568\nscores: {{overall: 90}}\n", encoding="utf-8")
    assert codes(path) == ["text_longer_than_field"]
    path.write_text('agency: "ทต.\\x0bก"\nita_year: 2568\nscores: {overall: 90}\n', encoding="utf-8")
    assert codes(path) == ["text_bad_character"]
