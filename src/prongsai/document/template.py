"""An agency's own DOCX template (its letterhead, its wording) filled by docxtpl.

The template is a Word file with Jinja placeholders; docs/document.md lists every variable it
receives. Numbers arrive formatted ('92.13', or '๙๒.๑๓' with Thai digits); charts arrive as
pictures (``{{ charts.indicators }}``). A placeholder the data does not have is reported as an
error in Thai and English, never left blank in a signed document. A template is untrusted input:
it renders in a sandbox that sees only those variables (prongsai.document.sandbox).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import TemplateError

from prongsai.document import frame
from prongsai.document.build import build_document, report_words
from prongsai.document.layouts import DEFAULT_LAYOUT
from prongsai.document.model import Figure, chart_with_thai_digits
from prongsai.document.parts import (
    FigureNumbers,
    ReportInput,
    closing_note,
    figure_notes,
    groups,
    indicator_text,
    indicators_figure,
    item_line,
    item_score,
    level_name,
    measure_budget,
    measure_details,
    measure_legal_basis,
    measure_owner,
    measure_steps,
    provisional_note,
    score_status,
    score_text,
    status_word,
    summary_text,
    tools_figure,
    trend_figure,
)
from prongsai.document.sandbox import TEMPLATE_LIMITS, TemplateLimits, TemplateSandbox, UnknownName
from prongsai.document.texts import agency_words, text
from prongsai.errors import InputError
from prongsai.loader.archive import check_zip
from prongsai.loader.limits import LIMITS, Limits, time_limit
from prongsai.loader.source import read_input
from prongsai.problems import Location, error
from prongsai.thai import format_score, to_digits
from prongsai.timeframe import thai_date


def _digits(value: Any, thai: bool) -> Any:
    """Every string inside the context in one digit style (pictures and numbers untouched)."""
    if isinstance(value, str):
        return to_digits(value, thai=thai)
    if isinstance(value, list):
        return [_digits(v, thai) for v in value]
    if isinstance(value, dict):
        return {k: _digits(v, thai) for k, v in value.items()}
    return value


def _scores(report: ReportInput) -> dict[str, Any]:
    framework, results = report.framework, report.results
    level = results.level
    return {
        "overall": {
            "score": score_text(results.overall),
            "status": status_word(score_status(report, results.overall.value)),
            "level": level_name(report) or "",
            # the level was derived by cut-offs no official document confirms (closing_note says so)
            "level_estimated": level.given is None and level.estimated,
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
                "analysis": indicator_text(report, i.number),
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
            "output": m.output,
            "target": m.target or "",
            "budget": measure_budget(m),
            "legal_basis": measure_legal_basis(m) or "",
            "details": list(measure_details(m)),
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
        "summary": summary_text(report),
        "signers": {role: signers.get(role, {"name": "", "position": ""}) for role in _ROLES},
        "estimated": report.estimated,
        # figures are printed plainly; these notes say what was computed, to print after the
        # official text: closing_note is the one the built-in layouts print after the signatures
        "estimate_note": _estimate_note(report),
        "provisional_note": provisional_note(report),
        "closing_note": closing_note(report),
        **_scores(report),
        **_measures(report),
        **_frame(report),
    }
    converted: dict[str, Any] = _digits(data, thai_digits)
    return converted


_ROLES = ("prepared_by", "endorsed_by", "approved_by", "announced_by")


def _frame(report: ReportInput) -> dict[str, Any]:
    """The frame's texts (document/frame.py) in the agency's words: the ประกาศ, the cover
    บันทึกข้อความ, หลักการและเหตุผล, วัตถุประสงค์, the earlier years, the reports and the website."""
    with agency_words(*report_words(report)):
        intro, rounds, after = frame.monitoring_paragraphs(report)
        announcer = frame.announcer(report)
        return {
            "principles": frame.principles_paragraphs(report),
            "objectives": frame.objective_lines(report),
            "past_results": frame.history_sentence(report) or "",
            "monitoring": {
                "heading": text("frame.monitoring.heading"),
                "intro": intro,
                "reports": rounds,
                "after": after,
            },
            "reports": [
                {
                    "round": r.name,
                    "start": thai_date(r.start),
                    "end": thai_date(r.end),
                    "due": thai_date(r.due),
                }
                for r in frame.report_rounds(report.plan_year)
            ],
            "website": frame.website(report) or "",
            "announcement": {
                "heading": text("frame.announcement.heading", agency=report.agency),
                "subject": text("frame.announcement.subject", plan_year=report.plan_year),
                "paragraphs": frame.announcement_paragraphs(report),
                "given": frame.given_line(report),
                "signer": {
                    "name": (announcer.name if announcer else None) or "",
                    "position": (announcer.position if announcer else None) or "",
                },
            },
            "memo": {
                "office": frame.memo_unit(report),
                "reference": report.settings.reference or "",
                "subject": text("frame.memo.subject", plan_year=report.plan_year).strip(),
                "to": frame.memo_addressee(report),
                "paragraphs": frame.memo_paragraphs(report),
            },
        }


def _estimate_note(report: ReportInput) -> str:
    """'หมายเหตุ: ...' on the figures the results did not state ('' when there are none)."""
    sentences = figure_notes(report)
    return text("common.note", text=" ".join(sentences)) if sentences else ""


class _Charts(dict[str, Any]):
    """The chart pictures, each drawn the first time the template asks for it: a template without
    charts does not pay for drawing three of them."""

    def __init__(self, draw: dict[str, Callable[[], Any]]) -> None:
        super().__init__()
        self._draw = draw

    def __missing__(self, key: str) -> Any:
        if key not in self._draw:
            raise KeyError(key)
        value = self[key] = self._draw[key]()
        return value


def _charts(report: ReportInput, template: Any, thai_digits: bool) -> _Charts:
    from docx.shared import Cm
    from docxtpl.inline_image import InlineImage

    from prongsai.document.charts import chart_png

    numbers = FigureNumbers()
    figures: dict[str, Figure | None] = {
        "tools": tools_figure(report, numbers),
        "indicators": indicators_figure(report, numbers),
        "trend": trend_figure(report, numbers),
    }

    def picture(figure: Figure | None) -> Callable[[], Any]:
        def draw() -> Any:
            if figure is None:
                return ""
            chart = chart_with_thai_digits(figure.chart) if thai_digits else figure.chart
            png = io.BytesIO(chart_png(chart, figure.width_cm))
            return InlineImage(template, image_descriptor=png, width=Cm(figure.width_cm))  # type: ignore[no-untyped-call]

        return draw

    return _Charts({key: picture(figure) for key, figure in figures.items()})


def render_template(
    path: Path,
    report: ReportInput,
    *,
    thai_digits: bool = False,
    limits: Limits = LIMITS,
    template_limits: TemplateLimits = TEMPLATE_LIMITS,
) -> bytes:
    """The agency's template filled with this report; InputError if the template is unusable.

    The template is untrusted: it is read within the file-size limit, its zip container is checked
    before anything unpacks it (``loader.archive.check_zip``), and it is rendered in the sandbox of
    ``document.sandbox`` with only the documented fields, within ``limits.seconds``."""
    from docxtpl.template import DocxTemplate

    where = Location(file=path.name)
    data = read_input(path, where, limits)
    check_zip(data, where, limits, kind="docx")
    values = context(report, thai_digits=thai_digits)
    with time_limit(where, limits.seconds):
        try:
            template = DocxTemplate(io.BytesIO(data))
            template.init_docx()
        except InputError:
            raise
        except Exception as exc:  # not a Word document after all: python-docx and lxml raise many kinds
            raise _template_error(path, where, exc) from None
        values["charts"] = _charts(report, template, thai_digits)
        try:
            template.render(values, jinja_env=TemplateSandbox(where, path.name, template_limits))
            buffer = io.BytesIO()
            template.save(buffer)
        except InputError:
            raise
        except UnknownName as exc:
            raise InputError([error("template_unknown_name", where, path=path.name, name=exc.name)]) from None
        except Exception as exc:  # whatever the template's own code fails with is the template's error
            raise _template_error(path, where, exc) from None
    return buffer.getvalue()


def _template_error(path: Path, where: Location, exc: Exception) -> InputError:
    detail = str(exc) if isinstance(exc, TemplateError) else f"{type(exc).__name__}: {exc}"
    return InputError([error("template_error", where, path=path.name, detail=detail)])
