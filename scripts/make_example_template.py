"""Write examples/templates/letterhead.docx: an example agency template for ``report --template``.

It is built with prongsai's own DOCX renderer, so it carries the same Thai font settings (TH Sarabun
New on the complex-script attributes), then edited in Word by an agency as it likes. The wording is
example content for agencies to replace; docs/document.md lists the variables.
Run: .venv/bin/python scripts/make_example_template.py
"""

from __future__ import annotations

from pathlib import Path

from prongsai.document.model import (
    Column,
    Document,
    Row,
    Section,
    Signatures,
    Signer,
    Table,
    cell,
    paragraph,
)
from prongsai.document.render_docx import render_docx

OUT = Path(__file__).resolve().parents[1] / "examples" / "templates" / "letterhead.docx"


def _signer(role: str, label: str) -> Signer:
    return Signer(
        label,
        (
            f"ลงชื่อ ....................................... {label}",
            f"({{{{ signers.{role}.name }}}})",
            f"{{{{ signers.{role}.position }}}}",
        ),
    )


def template() -> Document:
    indicators = Table(
        "indicators",
        (Column(5), Column(1.5, "center"), Column(1.5, "center")),
        (Row((cell("ตัวชี้วัด"), cell("คะแนน"), cell("ผลการประเมิน"))),),
        (
            Row((cell("{%tr for i in indicators %}", colspan=3),)),
            Row((cell("{{ i.number }}. {{ i.name }}"), cell("{{ i.score }}"), cell("{{ i.status }}"))),
            Row((cell("{%tr endfor %}", colspan=3),)),
        ),
    )
    measures = Table(
        "measures",
        (Column(3), Column(5), Column(2), Column(2)),
        (Row((cell("มาตรการ"), cell("ขั้นตอน/วิธีการปฏิบัติ"), cell("ระยะเวลา"), cell("ผู้รับผิดชอบ"))),),
        (
            Row((cell("{%tr for m in measures %}", colspan=4),)),
            Row(
                (
                    cell("{{ m.title }}"),
                    cell("{%p for s in m.steps %}", "{{ s }}", "{%p endfor %}"),
                    cell("{{ m.timeframe }}"),
                    cell("{{ m.owner }}"),
                )
            ),
            Row((cell("{%tr endfor %}", colspan=4),)),
        ),
    )
    body = (
        paragraph("{{ agency.name }}", "title", bold=True),
        paragraph("อำเภอ{{ agency.district }} จังหวัด{{ agency.province }}", "subtitle"),
        paragraph(
            "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. {{ plan_year }}",
            "subtitle",
            bold=True,
        ),
        paragraph("1. ผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. {{ ita_year }}", "heading1", bold=True),
        paragraph("{{ summary }}", indent=True),
        paragraph("{{ charts.indicators }}", align="center"),
        indicators,
        paragraph("2. มาตรการ ประจำปีงบประมาณ พ.ศ. {{ plan_year }}", "heading1", bold=True),
        measures,
        Signatures(
            (
                _signer("prepared_by", "ผู้จัดทำ"),
                _signer("endorsed_by", "ผู้เห็นชอบ"),
                _signer("approved_by", "ผู้อนุมัติ"),
            )
        ),
        paragraph("วันที่ {{ date }}", align="center"),
        # what prongsai computed or assumed: after the signatures, outside what the official signs
        paragraph("{%p if closing_note %}", "note"),
        paragraph("{{ closing_note }}", "note"),
        paragraph("{%p endif %}", "note"),
    )
    return Document(
        layout="template",
        title="แม่แบบมาตรการส่งเสริมคุณธรรมและความโปร่งใส",
        agency="",
        ita_year=0,
        plan_year=0,
        date_text="",
        sections=(Section(body),),
        page_label="หน้า",
    )


if __name__ == "__main__":
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(render_docx(template()))
    print(OUT)
