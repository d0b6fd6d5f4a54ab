"""A synthetic national answer set: agency types and sizes like the real mix (catalog/synth.yaml).

Written as ``answers.parquet`` (dictionary-encoded columns) and ``oit.csv``. Answers are drawn per
agency from a quality with a long weak tail, so scores average near 90 nationally. Only the
framework's own answer words and codes are used, so every answer is valid for the year.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import yaml

from prongsai.errors import DataFileError
from prongsai.files import write_all_atomically
from prongsai.framework import Framework
from prongsai.scoring.rules import answer_keys

Array = np.ndarray[Any, Any]


@cache
def national_mix() -> dict[str, Any]:
    raw: dict[str, Any] = yaml.safe_load(
        (resources.files("prongsai") / "catalog" / "synth.yaml").read_text("utf-8")
    )
    if raw.get("schema_version") != 1 or not raw.get("types"):
        raise DataFileError("catalog/synth.yaml", ["schema_version 1 and a list of types are required"])
    return raw


@dataclass(frozen=True)
class Agencies:
    names: list[str]
    iit: Array  # respondents per agency
    eit: Array
    quality: Array


def _counts(total: int, shares: Array) -> Array:
    """Split total by shares, largest remainder first, each at least 0."""
    exact = shares / shares.sum() * total
    counts = np.floor(exact).astype(np.int64)
    rest = total - int(counts.sum())
    counts[np.argsort(exact - counts)[::-1][:rest]] += 1
    result: Array = counts
    return result


def agencies(n: int, rng: np.random.Generator) -> Agencies:
    mix = national_mix()
    types = mix["types"]
    per_type = _counts(n, np.array([t["count"] for t in types], dtype=float))
    names: list[str] = []
    size_iit: list[float] = []
    size_eit: list[float] = []
    for spec, count in zip(types, per_type, strict=True):
        names += [f"{spec['name']}สังเคราะห์ {i + 1:04d}" for i in range(count)]
        size_iit += [spec["size_iit"]] * int(count)
        size_eit += [spec["size_eit"]] * int(count)
    national = mix["national"]
    scale = n / national["agencies"]
    spread = rng.lognormal(0.0, 0.5, size=(2, n))
    iit = np.array(size_iit) * spread[0]
    eit = np.array(size_eit) * spread[1]
    iit = np.maximum(1, np.rint(iit / iit.sum() * national["respondents_iit"] * scale)).astype(np.int64)
    eit = np.maximum(1, np.rint(eit / eit.sum() * national["respondents_eit"] * scale)).astype(np.int64)
    small = rng.random(n) < mix["small_agency_share"]
    iit[small] = rng.integers(2, 5, size=int(small.sum()))
    quality = mix["quality"]
    z = rng.beta(quality["a"], quality["b"], size=n)
    return Agencies(names, iit, eit, z)


def _answers_for(
    framework: Framework, tool: str, counts: Array, quality: Array, codes: Array, rng: np.random.Generator
) -> pl.DataFrame:
    """Every respondent of every agency answers every item of the tool's questions."""
    mix = national_mix()
    keys = [k for k in answer_keys(framework).values() if k.tool == tool[:3]]
    agency = np.repeat(np.arange(len(counts), dtype=np.uint32), counts)
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    respondent = (np.arange(len(agency)) - starts + 1).astype(np.uint32)
    q = np.clip(quality[agency] + rng.normal(0, mix["quality"]["spread"], len(agency)), 0, 1)
    frames = []
    scoring = framework.scoring
    assert scoring is not None
    for key in keys:
        question = scoring.questions[key.item]
        answers = scoring.scales[question.scale].answers
        order = np.argsort([a.value for a in answers])[::-1]  # best value first
        if question.reverse:
            order = order[::-1]
        best = rng.random(len(agency)) < q
        others = np.array(mix["other_answers"][: len(answers) - 1], dtype=float)
        pick = rng.choice(np.arange(1, len(answers)), size=len(agency), p=others / others.sum())
        rank = np.where(best, 0, pick)
        index = order[rank]
        words = [a.words[0] for a in answers]
        code = [a.codes[0] if a.codes else a.words[0] for a in answers]
        text = np.where(
            codes[agency], np.array(code, dtype=object)[index], np.array(words, dtype=object)[index]
        )
        frames.append(
            pl.DataFrame(
                {"agency": agency, "respondent": respondent, "item": key.key, "answer": text.astype(str)}
            )
        )
    return pl.concat(frames)


def synth_answers(framework: Framework, people: Agencies, rng: np.random.Generator) -> pl.DataFrame:
    mix = national_mix()
    codes = rng.random(len(people.names)) < mix["codes_share"]
    lift = mix["quality"]["eit_lift"]
    parts = [p.code for t in framework.tools for p in t.parts]
    tools: list[tuple[str, Array, Array]] = [("IIT", people.iit, people.quality)]
    if parts:
        shares = mix["eit_part_shares"]
        first = np.rint(people.eit * shares[parts[0]]).astype(np.int64)
        tools += [
            (parts[0], first, people.quality + lift),
            (parts[1], people.eit - first, people.quality + lift),
        ]
    else:
        tools.append(("EIT", people.eit, people.quality + lift))
    frames = [
        _answers_for(framework, tool, counts, quality, codes, rng).with_columns(pl.lit(tool).alias("tool"))
        for tool, counts, quality in tools
    ]
    answers = pl.concat(frames)
    names = pl.Enum(people.names)
    items = pl.Enum(sorted(answers.get_column("item").unique().to_list()))
    words = pl.Enum(sorted(answers.get_column("answer").unique().to_list()))
    agency = pl.Series("agency", people.names, dtype=names).gather(answers.get_column("agency"))
    return answers.select(
        agency,
        pl.lit(framework.ita_year, dtype=pl.Int16).alias("ita_year"),
        pl.col("tool").cast(pl.Enum(["IIT", "EIT", *parts])),
        pl.col("respondent"),
        pl.col("item").cast(items),
        pl.col("answer").cast(words),
    )


def synth_checklist(framework: Framework, people: Agencies, rng: np.random.Generator) -> pl.DataFrame:
    mix = national_mix()
    items = [i.code for i in framework.items if i.tool == "OIT"]
    n = len(people.names)
    p = np.clip(people.quality + mix["quality"]["oit_lift"], 0, 1)
    passed = rng.random((n, len(items))) < p[:, None]
    missing = ~passed & (rng.random((n, len(items))) < 0.5)
    partial = ~passed & ~missing & (rng.random((n, len(items))) < 0.3)
    verdict = np.where(passed, "pass", np.where(partial, "50", "fail"))
    agency = np.repeat(np.array(people.names, dtype=object), len(items))
    return pl.DataFrame(
        {
            "agency": agency.astype(str),
            "ita_year": str(framework.ita_year),
            "item": np.tile(np.array(items), n),
            "has": np.where(missing, "ไม่มี", "มี").ravel(),
            "url": np.where(missing, "", "https://example.go.th/ita").ravel(),
            "assessor_verdict": verdict.ravel(),
        }
    )


def write_synthetic(framework: Framework, n: int, seed: int, folder: Path) -> tuple[int, int]:
    """Write DIR/answers.parquet and DIR/oit.csv; return (answer rows, respondents)."""
    rng = np.random.default_rng(seed)
    people = agencies(n, rng)
    answers = synth_answers(framework, people, rng)
    checklist = synth_checklist(framework, people, rng)
    buffer = io.BytesIO()
    answers.write_parquet(buffer, row_group_size=1 << 20)
    write_all_atomically(
        {
            folder / "answers.parquet": buffer.getvalue(),
            folder / "oit.csv": checklist.write_csv().encode("utf-8"),
        }
    )
    return answers.height, int(people.iit.sum() + people.eit.sum())
