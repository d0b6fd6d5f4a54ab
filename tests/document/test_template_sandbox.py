"""An agency's DOCX template is untrusted: it renders in a sandbox that sees only the documented
fields, cannot reach Python, cannot run long or grow large, and is refused unopened if it is a zip
bomb. Every refusal is a located problem in Thai and English, and comes fast."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import docx
import pytest

from prongsai.cli import cli, run
from prongsai.document.sandbox import TemplateLimits
from prongsai.document.template import render_template
from prongsai.errors import InputError
from prongsai.loader.limits import Limits
from tests.document.reports import example, seed_report

FAST = 3.0  # seconds a refusal may take, the three charts included (about 0.2 s on an idle machine)


@pytest.fixture(scope="module", autouse=True)
def warm(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Import docxtpl and matplotlib and build the seed report once, so that the timed refusals
    measure the template and not the first import."""
    render_template(_template(tmp_path_factory.mktemp("warm"), "{{ agency.name }}"), seed_report("001"))


def _template(tmp_path: Path, *paragraphs: str, name: str = "letter.docx") -> Path:
    page = docx.Document()
    for text in paragraphs:
        page.add_paragraph(text)
    path = tmp_path / name
    page.save(str(path))
    return path


def _refused(path: Path, seconds: float = 10.0) -> InputError:
    """The InputError rendering ``path`` gives, which must come within FAST seconds (or, for a
    time limit under that, within the limit and FAST)."""
    start = time.perf_counter()
    with pytest.raises(InputError) as caught:
        render_template(path, seed_report("001"), limits=Limits(seconds=seconds))
    assert time.perf_counter() - start < FAST + min(seconds, FAST)
    for problem in caught.value.problems:
        assert problem.location.file == path.name
        assert problem.message_th != problem.message_en and path.name in problem.describe("en")
    return caught.value


def test_the_documented_fields_and_filters_still_work(tmp_path: Path) -> None:
    path = _template(
        tmp_path,
        "{{ agency.name|upper }} ปี {{ ita_year }} มาตรการ {{ measures|length }} รายการ",
        "{% for m in measures %}{% if loop.first %}{{ loop.index }}. {{ m.title|truncate(40) }}{% endif %}"
        "{% endfor %}",
        "{{ indicators|map(attribute='score')|join(', ') }} {{ '%.1f'|format(3.14159) }}",
        "{{ '{} / {}'.format(plan_year, date) }} {{ overall.score.split('.')[0] }}",
        "{{ 'ยอด 1500000 บาท ปี %s'|format(ita_year) }} {{ 'งบ 2500000 บาท {:>6}'.format(plan_year) }}",
        "{{ '-' * 20 }} {{ agency.province ~ ' ' ~ agency.district }}",
        "{% for s in signers.values() %}{{ s.name|default('-', true) }}{% endfor %}",
    )
    out = docx.Document(io.BytesIO(render_template(path, seed_report("001"))))
    text = "\n".join(p.text for p in out.paragraphs)
    report = seed_report("001")
    assert report.results.agency.name in text and "3.1" in text and "-" * 20 in text
    assert "ยอด 1500000 บาท ปี 2567" in text and "งบ 2500000 บาท   2568" in text
    assert f"1. {report.plan.measures[0].title[:10]}" in text or "1. " in text
    assert "{{" not in text and "{%" not in text


@pytest.mark.parametrize(
    ("source", "name"),
    [
        ("{{ cycler.__init__.__globals__.os.system('touch /tmp/prongsai-pwned') }}", "__init__"),
        ("{{ cycler.next() }}", "cycler"),
        ("{{ agency.__class__ }}", "__class__"),
        ("{{ agency['__class__'] }}", "__class__"),
        ("{{ measures.__class__.__mro__[1].__subclasses__() }}", "__class__"),
        ("{{ ().__class__.__base__.__subclasses__() }}", "__class__"),
        ("{{ agency|attr('__mro__') }}", "__mro__"),
        ("{{ '{0.__class__.__mro__}'.format(agency) }}", "__class__"),
        ("{{ charts.indicators.tpl.save('/tmp/prongsai-pwned.docx') }}", "tpl"),
        ("{{ charts.indicators.image_descriptor.read() }}", "image_descriptor"),
        ("{{ measures.append(1) }}", "append"),
        ("{{ agency.name.ljust(10) }}", "ljust"),
        ("{{ agency.name|safe }}", "safe"),
        ("{{ agency.name|center(80) }}", "center"),
        ("{{ measures|random }}", "random"),
        ("{{ lipsum(3) }}", "lipsum"),
        ("{{ namespace(x=1) }}", "namespace"),
        ("{% for m in measures recursive %}{{ loop(m.steps) }}{% endfor %}", "recursive"),
        ("{{ [[1], [2]]|sum(start=[]) }}", "sum"),
        ("{% include 'other.docx' %}", "include"),
        ("{% extends 'other.docx' %}", "extends"),
        ("{% import 'other.docx' as other %}", "import"),
        ("{{ range }}", "_range"),
        ("{{ agency.items }}", "items"),
    ],
)
def test_a_template_reaches_only_the_documented_fields(tmp_path: Path, source: str, name: str) -> None:
    problems = _refused(_template(tmp_path, source)).problems
    assert [(p.code, p.params["name"]) for p in problems] in (
        [("template_forbidden", name)],
        [("template_unknown_name", name)],
    )
    assert not Path("/tmp/prongsai-pwned").exists() and not Path("/tmp/prongsai-pwned.docx").exists()


@pytest.mark.parametrize(
    ("source", "limit"),
    [
        ("{% for i in range(10**6) %}{% for j in range(10**6) %}x{% endfor %}{% endfor %}", "number"),
        ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "loops"),
        ("{{ 'x' * 10**9 }}", "number"),
        ("{{ 'x' * 1000000000 }}", "text"),
        ("{{ [1, 2] * 900000 }}", "text"),
        ("{{ 9 ** 9 ** 9 }}", "number"),
        ("{% set a = 'x' * 1000000 %}{% set b = a ~ a %}{{ b }}", "text"),
        ("{% set a = 'x' * 600000 %}{{ a + a }}", "text"),
        ("{{ (['x' * 100000] * 100000)|join }}", "text"),
        ("{{ ('x' * 1000)|replace('x', 'y' * 10000) }}", "text"),
        ("{{ ('x' * 1000).replace('x', 'y' * 10000) }}", "text"),
        ("{{ '%0999999999d' % 1 }}", "number"),
        ("{{ '%*d' % (999999999, 1) }}", "number"),
        ("{{ '%0999999999d'|format(1) }}", "number"),
        ("{{ '{:>999999999}'.format(1) }}", "number"),
        ("{{ '{:>{w}}'.format(1, w=999999999) }}", "number"),
        ("{{ agency.name|truncate(999999999) }}", "number"),
        ("{{ range(100001)|length }}", "number"),
        ("{% set big = 'x' * 1000000 %}{{ ([big] * 1000)|map('upper')|list|length }}", "text"),
        ("{% set big = 'x' * 900000 %}{{ [big, big, big]|map('upper')|list|length }}", "text"),
        ("{% set big = 'x' * 900000 %}{{ ([big] + [big])|join }}", "text"),
        ("{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}", "chars"),
        ("{% for i in range(50000) %}" + "x" * 1000 + "{% endfor %}", "chars"),
    ],
)
def test_a_template_cannot_grow_without_bound(tmp_path: Path, source: str, limit: str) -> None:
    problems = _refused(_template(tmp_path, source)).problems
    assert [p.code for p in problems] == ["limit_exceeded"]
    limits = TemplateLimits()
    assert f"{getattr(limits, limit):,}" in problems[0].message_en, problems[0].message_en


def test_a_template_that_runs_too_long_is_stopped_at_the_time_limit(tmp_path: Path) -> None:
    path = _template(tmp_path, "{% for i in range(90000) %}{{ range(100000)|list|length }}{% endfor %}")
    problems = _refused(path, seconds=0.5).problems
    assert [p.code for p in problems] == ["limit_exceeded"]
    assert "time" in problems[0].message_en and "0.5" in problems[0].message_en


@pytest.mark.parametrize(
    ("source", "detail"),
    [
        ("{{ 1 / 0 }}", "ZeroDivisionError"),
        ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "RecursionError"),
        ("{{ agency.name }", "unexpected"),
    ],
)
def test_errors_of_the_template_itself_are_its_own(tmp_path: Path, source: str, detail: str) -> None:
    (problem,) = _refused(_template(tmp_path, source)).problems
    assert problem.code == "template_error" and detail in problem.message_en, problem.message_en


def test_a_name_the_data_does_not_have_is_named(tmp_path: Path) -> None:
    (problem,) = _refused(_template(tmp_path, "{{ agency.nmae }}")).problems
    assert problem.code == "template_unknown_name" and problem.params["name"] == "nmae"
    assert "'nmae'" in problem.message_th and "docs/document.md" in problem.message_en


def _zip_bomb(path: Path) -> Path:
    """A Word file in appearance: a real document plus one member of 20 MB of zeros (about 20 KB
    packed, a ratio of 1,000 where real pictures and text stay far below 200)."""
    page = io.BytesIO()
    docx.Document().save(page)
    with (
        zipfile.ZipFile(page, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/media/zeros.bin", "w") as member,
    ):
        block = bytes(1 << 20)
        for _ in range(20):
            member.write(block)
    path.write_bytes(page.getvalue())
    return path


def test_a_zip_bomb_template_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    path = _zip_bomb(tmp_path / "bomb.docx")
    assert path.stat().st_size < 1_000_000
    start = time.perf_counter()
    problems = _refused(path).problems
    assert time.perf_counter() - start < 0.5  # refused from the zip's table of contents
    assert [p.code for p in problems] == ["limit_exceeded"]


def test_the_report_command_refuses_a_hostile_template_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _template(tmp_path, "{{ charts.indicators.tpl.save('" + str(tmp_path / "pwned.docx") + "') }}")
    out = tmp_path / "out.docx"
    code = run(cli, ["report", str(example("001")), "--template", str(path), "-o", str(out)])
    printed = capsys.readouterr().err
    assert code == 2 and "Traceback" not in printed
    assert "แม่แบบเอกสาร letter.docx" in printed and "the document template letter.docx" in printed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["letter.docx"]


def test_a_template_gets_each_measures_output_budget_follow_up_and_legal_basis(tmp_path: Path) -> None:
    report = seed_report("000")
    path = _template(
        tmp_path,
        "{% for m in measures %}[{{ m.id }}|{{ m.output }}|{{ m.budget }}|{{ m.legal_basis }}|"
        "{{ m.details|length }}]{% endfor %}",
    )
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(render_template(path, report))).paragraphs)
    for measure in report.plan.measures:
        assert f"[{measure.id}|{measure.output}|" in text
    assert "ไม่ใช้งบประมาณ" in text  # most drafted measures cost nothing of their own
    assert "ดำเนินการตามพระราชบัญญัติ" in text  # and some rest on a law
