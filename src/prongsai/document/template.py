"""An agency's own DOCX template (its letterhead, its wording) filled by docxtpl.

The template is a Word file with Jinja placeholders; docs/document.md lists every variable it
receives. Numbers arrive formatted ('92.13', or '๙๒.๑๓' with Thai digits); charts arrive as
pictures (``{{ charts.indicators }}``). A placeholder the data does not have is reported as an
error in Thai and English, never left blank in a signed document.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from jinja2 import Environment, StrictUndefined, TemplateError

from prongsai.document.build import build_document
from prongsai.document.layouts import DEFAULT_LAYOUT
from prongsai.document.model import Figure, chart_with_thai_digits
from prongsai.document.parts import (
    FigureNumbers,
    ReportInput,
    groups,
    indicators_figure,
    item_line,
    item_score,
    level_text,
    measure_owner,
    measure_steps,
    score_status,
    score_text,
    status_word,
    tools_figure,
    trend_figure,
)
from prongsai.document.texts import text
from prongsai.errors import InputError
from prongsai.narrative import indicator_paragraph, summary_paragraph
from prongsai.problems import Location, error
from prongsai.thai import format_score, to_thai_digits
from prongsai.timeframe import thai_date


def _thai(value: Any) -> Any:
    """Every string inside the context with Thai digits (pictures and numbers untouched)."""
    if isinstance(value, str):
        return to_thai_digits(value)
    if isinstance(value, list):
        return [_thai(v) for v in value]
    if isinstance(value, dict):
        return {k: _thai(v) for k, v in value.items()}
    return value


def _scores(report: ReportInput) -> dict[str, Any]:
    framework, results = report.framework, report.results
    level, estimated = level_text(report)
    return {
        "overall": {
            "score": score_text(results.overall),
            "status": status_word(score_status(report, results.overall.value)),
            "level": level or "",
            "level_estimated": estimated,
        },
        "tools": [
            {
                "code": t.code,
                "name": t.name_th,
                "score": score_text(s),
                "status": status_word(score_status(report, s.value if s else None)),
            }
            for t in framework.tools
            for s in [results.tools.get(t.code)]
        ],
        "indicators": [
            {
                "number": str(i.number),
                "name": i.name_th,
                "tool": i.tool,
                "score": score_text(s),
                "status": status_word(score_status(report, s.value if s else None)),
                "analysis": indicator_paragraph(framework, results, report.analysis, i.number).text,
            }
            for i in framework.indicators
            for s in [results.indicators.get(i.number)]
        ],
        "weak_items": [
            {
                "code": e.key,
                "question": item_line(report, e.key),
                "score": item_score(report, e),
                "gap": format_score(e.gap_to_pass),
            }
            for e in report.analysis.weak_items
        ],
    }


def _measures(report: ReportInput) -> dict[str, Any]:
    def measure(m: Any, group: str) -> dict[str, Any]:
        return {
            "id": m.id,
            "group": group,
            "title": m.title,
            "steps": list(measure_steps(m)),
            "steps_text": "\n".join(measure_steps(m)),
            "timeframe": m.timeframe,
            "owner": "\n".join(measure_owner(m)),
            "follow_up": m.follow_up,
        }

    listed = [(g.heading, [measure(m, g.heading) for m in g.measures]) for g in groups(report)]
    return {
        "groups": [{"heading": h, "measures": ms} for h, ms in listed if ms],
        "measures": [m for _, ms in listed for m in ms],
        "limitations": list(report.plan.limitations),
        "suggestions": list(report.plan.suggestions),
    }


def context(report: ReportInput, *, thai_digits: bool = False) -> dict[str, Any]:
    """Every variable a template receives, as plain strings, lists and dicts (charts excepted)."""
    agency = report.results.agency
    signers = {
        role: {"name": person.name or "", "position": person.position or ""}
        for role, person in report.settings.signers.items()
    }
    data: dict[str, Any] = {
        "agency": {
            "name": agency.name,
            "type": agency.type or "",
            "district": agency.district or "",
            "province": agency.province or "",
        },
        "ita_year": str(report.ita_year),
        "plan_year": str(report.plan_year),
        "date": thai_date(report.settings.date),
        "title": build_document(report, DEFAULT_LAYOUT).title,
        "unit": report.settings.unit or "",
        "summary": summary_paragraph(
            report.framework, report.results, report.analysis, report.plan_year
        ).text,
        "signers": {role: signers.get(role, {"name": "", "position": ""}) for role in _ROLES},
        "estimated": report.estimated,
        "estimate_note": text("common.estimate_note") if report.estimated else "",
        **_scores(report),
        **_measures(report),
    }
    return _thai(data) if thai_digits else data


_ROLES = ("prepared_by", "endorsed_by", "approved_by")


def _charts(report: ReportInput, template: Any, thai_digits: bool) -> dict[str, Any]:
    from docx.shared import Cm
    from docxtpl.inline_image import InlineImage

    from prongsai.document.charts import chart_png

    numbers = FigureNumbers()
    figures: dict[str, Figure | None] = {
        "tools": tools_figure(report, numbers),
        "indicators": indicators_figure(report, numbers),
        "trend": trend_figure(report, numbers),
    }
    out: dict[str, Any] = {}
    for key, figure in figures.items():
        if figure is None:
            out[key] = ""
            continue
        chart = chart_with_thai_digits(figure.chart) if thai_digits else figure.chart
        picture = io.BytesIO(chart_png(chart, figure.width_cm))
        out[key] = InlineImage(template, image_descriptor=picture, width=Cm(figure.width_cm))  # type: ignore[no-untyped-call]
    return out


def render_template(path: Path, report: ReportInput, *, thai_digits: bool = False) -> bytes:
    """The agency's template filled with this report; InputError if the template is unusable."""
    from docx.opc.exceptions import PackageNotFoundError
    from docxtpl.template import DocxTemplate

    where = Location(file=path.name)
    if not path.is_file():
        raise InputError([error("file_not_found", where, path=str(path))])
    try:
        template = DocxTemplate(str(path))
        data = context(report, thai_digits=thai_digits)
        data["charts"] = _charts(report, template, thai_digits)
        template.render(data, jinja_env=Environment(undefined=StrictUndefined, autoescape=True))
        buffer = io.BytesIO()
        template.save(buffer)
    except TemplateError as exc:
        raise InputError([error("template_error", where, path=path.name, detail=str(exc))]) from exc
    except (KeyError, ValueError, OSError, BadZipFile, PackageNotFoundError) as exc:  # not a Word file
        raise InputError([error("template_error", where, path=path.name, detail=repr(exc))]) from exc
    return buffer.getvalue()
