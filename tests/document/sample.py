"""A small but realistic document model, written by hand, for the renderers' own tests.

The layouts build documents from real analyses (tests/document/test_layouts.py); renderer tests use
this one so that each renderer is tested on every kind of block without depending on the layouts.
"""

from __future__ import annotations

from prongsai.document.model import (
    Chart,
    Column,
    Document,
    Figure,
    PageBreak,
    Row,
    Section,
    Series,
    Signatures,
    Signer,
    Table,
    cell,
    paragraph,
)

INDICATORS = (
    ("การปฏิบัติหน้าที่", 96.50),
    ("การใช้งบประมาณ", 91.20),
    ("การใช้อำนาจ", 93.75),
    ("การใช้ทรัพย์สินของราชการ", 88.10),
    ("การแก้ไขปัญหาการทุจริต", 94.00),
    ("คุณภาพการดำเนินงาน", 86.40),
    ("ประสิทธิภาพการสื่อสาร", 84.20),
    ("การปรับปรุงการทำงาน", 72.94),
    ("การเปิดเผยข้อมูล", 97.50),
    ("การป้องกันการทุจริต", 100.00),
)

MEASURES = (
    (
        "เพิ่มช่องทางรับฟังความคิดเห็นของผู้รับบริการ",
        ("๑. จัดทำแบบสำรวจความพึงพอใจทั้งแบบกระดาษและออนไลน์", "๒. สรุปผลและแจ้งการปรับปรุงให้ประชาชนทราบทุกไตรมาส"),
        "ตุลาคม 2568 – กันยายน 2569",
        "สำนักปลัดเทศบาล",
    ),
    (
        "เผยแพร่ข้อมูลข่าวสารน้ำประปาและการบริการทั่วถึงทุกหมู่บ้าน",
        ("๑. ปรับปรุงเว็บไซต์ให้เป็นปัจจุบัน", "๒. ประชาสัมพันธ์ผ่านหอกระจายข่าวและสื่อสังคมออนไลน์"),
        "มกราคม – มีนาคม 2569",
        "กองการประปา",
    ),
)


def sample_document(rows: int = 2) -> Document:
    """Portrait overview with a chart and a score table, a landscape measures table of ``rows`` rows
    (repeated from MEASURES), then a portrait closing with signatures."""
    chart = Chart(
        key="indicators",
        kind="hbar",
        title="คะแนนรายตัวชี้วัด ปี 2568",
        categories=tuple(f"{n}. {name}" for n, (name, _) in enumerate(INDICATORS, 1)),
        series=(Series("คะแนน", tuple(score for _, score in INDICATORS)),),
        value_label="คะแนน",
        threshold=85.0,
        threshold_label="เกณฑ์ผ่าน 85 คะแนน",
    )
    scores = Table(
        key="indicator_scores",
        columns=(Column(1, "center"), Column(5), Column(1.5, "right"), Column(1.5, "center")),
        header=(Row((cell("ตัวชี้วัดที่"), cell("รายละเอียดตัวชี้วัด"), cell("คะแนน"), cell("ผลการประเมิน"))),),
        rows=(
            *tuple(
                Row((cell(str(n)), cell(name), cell(f"{score:.2f}"), cell("ผ่าน" if score >= 85 else "ไม่ผ่าน")))
                for n, (name, score) in enumerate(INDICATORS, 1)
            ),
            Row((cell("คะแนนเฉลี่ย", colspan=2, bold=True), cell("90.52", bold=True), cell("ผ่าน")), "total"),
        ),
    )
    measures = Table(
        key="measures",
        columns=(Column(3), Column(5), Column(2), Column(2)),
        header=(
            Row((cell("มาตรการ", rowspan=2), cell("การนำไปสู่การปฏิบัติ", colspan=3))),
            Row((cell("ขั้นตอน/วิธีการปฏิบัติ"), cell("ระยะเวลาดำเนินการ"), cell("ผู้รับผิดชอบ"))),
        ),
        rows=(
            Row((cell("ประเด็นที่ 1 การปรับปรุงการทำงาน", colspan=4, bold=True),), "group"),
            *tuple(
                Row((cell(title), cell(*steps), cell(time), cell(owner)))
                for title, steps, time, owner in (MEASURES[i % len(MEASURES)] for i in range(rows))
            ),
        ),
    )
    return Document(
        layout="sample",
        title="มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. 2569",
        agency="สำนักงานเทศบาลตำบลน้ำทั่ว",
        ita_year=2568,
        plan_year=2569,
        date_text="15 ธันวาคม 2568",
        page_label="หน้า",
        sections=(
            Section(
                (
                    paragraph("มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน", "title", bold=True),
                    paragraph("สำนักงานเทศบาลตำบลน้ำทั่ว อำเภอเมือง จังหวัดตัวอย่าง", "subtitle"),
                    paragraph("๑. ผลการประเมินในภาพรวม", "heading1", bold=True),
                    paragraph(
                        "ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ ประจำปีงบประมาณ "
                        "พ.ศ. 2568 ของสำนักงานเทศบาลตำบลน้ำทั่ว ได้คะแนนภาพรวม 90.52 คะแนน ผ่านเกณฑ์ 85 คะแนน "
                        "ตัวชี้วัดที่ได้คะแนนต่ำที่สุด คือ ตัวชี้วัดที่ 8 การปรับปรุงการทำงาน ได้ 72.94 คะแนน",
                        indent=True,
                    ),
                    Figure(chart, "แผนภูมิที่ 1 คะแนนรายตัวชี้วัด เทียบกับเกณฑ์ผ่าน 85 คะแนน"),
                    scores,
                )
            ),
            Section((paragraph("๒. มาตรการ", "heading1", bold=True), measures), "landscape"),
            Section(
                (
                    paragraph("ข้อจำกัด", "heading2", bold=True),
                    paragraph("ปั้น ปี่ ผู้ใหญ่ ฝั่ง ฟื้นฟู น้ำค้าง ต่ำ คำสั่ง กตัญญู ปฏิบัติ ฎีกา ฐานข้อมูล ฤๅษี ๐๑๒๓๔๕๖๗๘๙"),
                    PageBreak(),
                    Signatures(
                        (
                            Signer(
                                "ผู้จัดทำ",
                                (
                                    "ลงชื่อ ................................ ผู้จัดทำ",
                                    "(นางสาวสมศรี ใจดี)",
                                    "นิติกรชำนาญการ",
                                ),
                            ),
                            Signer(
                                "ผู้เห็นชอบ",
                                (
                                    "ลงชื่อ ................................ ผู้เห็นชอบ",
                                    "(นายสมชาย รักดี)",
                                    "ปลัดเทศบาล",
                                ),
                            ),
                            Signer(
                                "ผู้อนุมัติ",
                                (
                                    "ลงชื่อ ................................ ผู้อนุมัติ",
                                    "(นายสมปอง มั่นคง)",
                                    "นายกเทศมนตรีตำบลน้ำทั่ว",
                                ),
                            ),
                        )
                    ),
                )
            ),
        ),
    )
