"""The OIT checklist -> OIT item scores (rule S6): pass, fail, a partial score, or ไม่มี (not published)."""

from __future__ import annotations

import polars as pl

from prongsai.errors import InputError
from prongsai.framework import load_frameworks
from prongsai.ingest.record import parse_score, parse_year
from prongsai.loader.source import library_errors
from prongsai.problems import Location, Problem, error
from prongsai.scoring.rules import fold, item_key, scored_years
from prongsai.scoring.source import CHECKLIST_COLUMNS, Opened

USED = [c for c in CHECKLIST_COLUMNS if c != "url"]  # the url is for people; only its column is required
HAS = {"มี": True, "ไม่มี": False}
VERDICTS = {"pass": True, "ผ่าน": True, "fail": False, "ไม่ผ่าน": False}


def _row_value(
    row: dict[str, object], location: Location
) -> tuple[tuple[str, int, str, float | None] | None, list[Problem]]:
    """One checklist row -> (agency, year, item, score or None when not yet assessed), or its problems."""
    problems: list[Problem] = []
    for column in ("agency", "ita_year", "item", "has"):
        if row[column] is None:
            problems.append(
                error("answers_empty_cell", location.with_(column=column), column=column, count="1")
            )
    if problems:
        return None, problems
    year, problems = parse_year(row["ita_year"], location.with_(column="ita_year"))
    framework = load_frameworks().get(year) if year is not None else None
    if year is not None and (framework is None or framework.scoring is None):
        shown = ", ".join(str(y) for y in scored_years())
        problems.append(
            error("year_no_scoring_rules", location.with_(column="ita_year"), year=year, years=shown)
        )
    code = item_key(row["item"])
    if framework is not None and (code is None or code not in framework.items_by_code or code[0] != "o"):
        problems.append(
            error(
                "oit_item_unknown", location.with_(column="item"), value=row["item"], year=framework.ita_year
            )
        )
    has = HAS.get(fold(row["has"]))
    if has is None:
        problems.append(error("oit_has_unknown", location.with_(column="has"), value=row["has"]))
    verdict = row["assessor_verdict"]
    score: float | None = None
    if verdict is not None and framework is not None and framework.scoring is not None:
        passed = VERDICTS.get(fold(verdict))
        if passed is not None:
            score = framework.scoring.oit_pass if passed else framework.scoring.oit_fail
        else:
            score, found = parse_score(verdict, location.with_(column="assessor_verdict"))
            if found:
                where = location.with_(column="assessor_verdict")
                problems.append(error("oit_verdict_unknown", where, value=verdict))
        if has is False and score is not None and score > framework.scoring.oit_fail:
            problems.append(
                error("oit_verdict_conflict", location.with_(column="assessor_verdict"), value=verdict)
            )
    if has is False and framework is not None and framework.scoring is not None:
        score = framework.scoring.oit_fail
    if problems or year is None or code is None:
        return None, problems
    return (str(row["agency"]).strip(), year, code, score), []


def oit_items(opened: Opened) -> pl.DataFrame:
    """OIT item scores: agency, year, item, score. Each distinct (year, item, has, verdict) is judged once."""
    with library_errors(opened.location):
        table = opened.frame.select(pl.col(c).cast(pl.String) for c in USED).collect()
    table = table.with_row_index("_row").with_columns(pl.col("agency").str.strip_chars())
    combos = ["ita_year", "item", "has", "assessor_verdict"]
    judged: list[tuple[object, ...]] = []
    problems: list[Problem] = [
        error(
            "answers_empty_cell",
            opened.location.with_(row=row + opened.header_rows, column="agency"),
            column="agency",
            count="1",
        )
        for row in table.filter(pl.col("agency").is_null()).get_column("_row").to_list()
    ]
    firsts = table.group_by(combos).agg(pl.col("_row").min(), pl.col("agency").first())
    for row in firsts.iter_rows(named=True):
        location = opened.location.with_(row=row["_row"] + opened.header_rows)
        value, found = _row_value(row, location)
        problems += found
        if value is not None:
            judged.append((row["ita_year"], row["item"], row["has"], row["assessor_verdict"], *value[1:]))
    if problems:
        raise InputError(problems)
    schema = {
        "ita_year": pl.String,
        "item": pl.String,
        "has": pl.String,
        "assessor_verdict": pl.String,
        "year": pl.Int64,
        "code": pl.String,
        "score": pl.Float64,
    }
    scored = table.join(pl.DataFrame(judged, schema=schema, orient="row"), on=combos, nulls_equal=True)
    twice = scored.filter(pl.struct("agency", "year", "code").is_duplicated())
    for row in twice.filter(pl.struct("agency", "year", "code").is_first_distinct().not_()).iter_rows(
        named=True
    ):
        first = twice.filter(
            (pl.col("agency") == row["agency"])
            & (pl.col("year") == row["year"])
            & (pl.col("code") == row["code"])
        ).get_column("_row")[0]
        where = opened.location.with_(row=first + opened.header_rows)
        problems.append(
            error(
                "duplicate_code",
                opened.location.with_(row=row["_row"] + opened.header_rows, column="item"),
                code=row["code"],
                first_th=where.describe("th"),
                first_en=where.describe("en"),
            )
        )
    if problems:
        raise InputError(problems)
    return scored.filter(pl.col("score").is_not_null()).select(
        "agency", "year", pl.col("code").alias("item"), "score"
    )
