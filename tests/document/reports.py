"""Report inputs built from the bundled seed examples, for the layout and renderer tests."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

from prongsai.app.agency_year import load_agency_year as load
from prongsai.app.plans import drafted_plan
from prongsai.document.parts import ReportInput
from prongsai.document.settings import Person, ReportSettings

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SEEDS = ("000", "001", "002", "003", "004")
DATE = dt.date(2025, 12, 15)  # printed 15 ธันวาคม 2568

SIGNED = ReportSettings(
    signers={
        "prepared_by": Person("นางสาวสมศรี ใจดี", "นิติกรชำนาญการ"),
        "endorsed_by": Person("นายสมชาย รักดี", "ปลัดเทศบาล"),
        "approved_by": Person("นายสมปอง มั่นคง", "นายกเทศมนตรี"),
    },
    unit="งานนิติการ สำนักปลัดเทศบาล",
    date=DATE,
)


def example(seed: str) -> Path:
    return next(EXAMPLES.glob(f"seed-{seed}-*-25[0-9][0-9].yaml"))


@cache
def seed_report(seed: str, history: tuple[Path, ...] = ()) -> ReportInput:
    loaded = load(example(seed), history, None)
    plan = drafted_plan(loaded, None, None)
    return ReportInput(loaded.framework, loaded.results, loaded.analysis, plan, SIGNED)
