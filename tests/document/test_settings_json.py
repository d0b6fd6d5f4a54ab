"""The document settings as JSON and back (a batch run on the job engine sends them to workers)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from prongsai.document.settings import ReportSettings, read_settings, settings_from_json
from prongsai.problems import Location

SETTINGS = """\
prepared_by: {name: นางสาวสมศรี ใจดี, position: นิติกรชำนาญการ}
approved_by: {name: นายสมปอง มั่นคง, position: นายกเทศมนตรีตำบลบึงไผ่}
unit: งานนิติการ สำนักปลัดเทศบาล
date: 15 ธันวาคม 2568
website: www.buengphai.go.th
reference: บก ๗๓๖๐๑/๑๒๓
"""


def test_a_settings_file_survives_json(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text(SETTINGS, encoding="utf-8")
    settings = read_settings(path)
    back = settings_from_json(json.loads(json.dumps(settings.to_json(), ensure_ascii=False)))
    assert back == settings
    assert back.date == dt.date(2025, 12, 15) and back.date_from is not None
    assert back.signers["approved_by"].position == "นายกเทศมนตรีตำบลบึงไผ่"
    # the season warning of a given date names the same place after the trip
    assert [p.location for p in back.for_plan_year(2570)[1]] == [
        p.location for p in settings.for_plan_year(2570)[1]
    ]


def test_defaults_survive_json_and_a_date_nobody_gave_is_still_chosen_later() -> None:
    settings = ReportSettings(date=dt.date(2026, 1, 2))
    back = settings_from_json(settings.to_json())
    assert back == settings and back.date_from is None
    given = ReportSettings(date=dt.date(2026, 1, 2), date_from=Location(option="--date"))
    assert settings_from_json(given.to_json()).date_from == Location(option="--date")
