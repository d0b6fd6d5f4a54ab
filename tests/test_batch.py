"""`prongsai report --batch`: one document per agency-year, parallel, resumable, failures contained."""

from __future__ import annotations

import csv
import ctypes
import io
import os
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest

from prongsai import batch
from prongsai.ingest import read_results
from prongsai.results import ResultsInput
from tests.conftest import Run
from tests.document.reports import example

# (agency, district, province, which example's scores): two municipalities share a name in two
# provinces, and โคกม่วง has two years, so its 2568 document has a history.
AGENCIES = (
    ("เทศบาลตำบลบ้านใหม่", "เมืองนครราชสีมา", "นครราชสีมา", "001"),
    ("เทศบาลตำบลบ้านใหม่", "บางใหญ่", "นนทบุรี", "003"),
    ("เทศบาลตำบลโคกม่วง", "คลองหอยโข่ง", "สงขลา", "001"),
    ("เทศบาลตำบลโคกม่วง", "คลองหอยโข่ง", "สงขลา", "002"),
    ("องค์การบริหารส่วนตำบลหนองบัว", "", "อุดรธานี", "002"),
)


def _rows(record: ResultsInput, agency: tuple[str, str, str, str]) -> list[list[str]]:
    name, district, province, _ = agency
    scores = record.scores
    codes: list[tuple[str, float]] = []
    if scores.overall is not None:
        codes.append(("overall", scores.overall.value))
    codes += [(tool, given.value) for tool, given in scores.tools.items()]
    codes += [(f"ind{number}", given.value) for number, given in scores.indicators.items()]
    codes += [(code, given.value) for code, given in scores.items.items()]
    first = [name, str(record.ita_year), *codes[0][:1], f"{codes[0][1]:.2f}", district, province]
    rest = [[name, str(record.ita_year), code, f"{value:.2f}", "", ""] for code, value in codes[1:]]
    return [first, *rest]


def write_scores(path: Path) -> Path:
    """A long-form scores file of five agency-years made from the seed examples' real figures."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["agency", "ita_year", "code", "score", "district", "province"])
    for agency in AGENCIES:
        records, _ = read_results(example(agency[3]))
        for row in _rows(records[0], agency):
            writer.writerow(row)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def test_jobs_name_every_agency_year_once_and_find_its_history(tmp_path: Path) -> None:
    records, _ = read_results(write_scores(tmp_path / "scores.csv"))
    jobs = batch.jobs(records, tmp_path / "out", "docx")
    names = [job.path.name for job in jobs]
    assert len(set(names)) == len(AGENCIES) == len(names)
    assert "2567-เทศบาลตำบลบ้านใหม่-เมืองนครราชสีมา-นครราชสีมา.docx" in names
    assert "2565-เทศบาลตำบลบ้านใหม่-บางใหญ่-นนทบุรี.docx" in names
    assert "2568-องค์การบริหารส่วนตำบลหนองบัว-อุดรธานี.docx" in names
    later = next(
        job for job in jobs if job.results.agency.name == "เทศบาลตำบลโคกม่วง" and job.results.ita_year == 2568
    )
    assert [h.ita_year for h in later.history] == [2567]
    assert all(not job.history for job in jobs if job is not later)


def test_names_two_agencies_would_share_get_a_number(tmp_path: Path) -> None:
    records, _ = read_results(write_scores(tmp_path / "scores.csv"))
    twin = records[0]
    jobs = batch.jobs([twin, twin], tmp_path, "pdf")
    assert [j.path.name for j in jobs] == [
        "2567-เทศบาลตำบลบ้านใหม่-เมืองนครราชสีมา-นครราชสีมา.pdf",
        "2567-เทศบาลตำบลบ้านใหม่-เมืองนครราชสีมา-นครราชสีมา-2.pdf",
    ]


def test_batch_writes_a_document_per_agency_year_with_its_own_scores(prongsai: Run, tmp_path: Path) -> None:
    scores = write_scores(tmp_path / "scores.csv")
    out = tmp_path / "out"
    code, printed = prongsai("report", "--batch", str(scores), "-o", str(out), "--jobs", "1")
    assert code == 0, printed
    files = sorted(out.iterdir())
    assert len(files) == len(AGENCIES)
    assert "written: 5" in printed and "documents per second" in printed
    nong_bua = _docx_text(out / "2568-องค์การบริหารส่วนตำบลหนองบัว-อุดรธานี.docx")
    # seed 002's overall, in Thai digits: the default of local government (--digits changes it)
    assert "องค์การบริหารส่วนตำบลหนองบัว" in nong_bua and "๙๙.๔๗" in nong_bua
    ban_mai = _docx_text(out / "2565-เทศบาลตำบลบ้านใหม่-บางใหญ่-นนทบุรี.docx")
    assert "เทศบาลตำบลบ้านใหม่" in ban_mai and "๘๙.๙๕" in ban_mai  # seed 003's overall
    # the 2568 document of an agency with a 2567 record shows the trend of both years
    with_history = docx.Document(str(out / "2568-เทศบาลตำบลโคกม่วง-คลองหอยโข่ง-สงขลา.docx"))
    without = docx.Document(str(out / "2568-องค์การบริหารส่วนตำบลหนองบัว-อุดรธานี.docx"))
    assert len(with_history.inline_shapes) == len(without.inline_shapes) + 1


def test_parallel_and_serial_runs_write_the_same_bytes(prongsai: Run, tmp_path: Path) -> None:
    scores = write_scores(tmp_path / "scores.csv")
    assert prongsai("report", "--batch", str(scores), "-o", str(tmp_path / "one"), "--jobs", "1")[0] == 0
    code, printed = prongsai("report", "--batch", str(scores), "-o", str(tmp_path / "two"), "--jobs", "2")
    assert code == 0, printed
    for path in (tmp_path / "one").iterdir():
        assert (tmp_path / "two" / path.name).read_bytes() == path.read_bytes(), path.name


def test_an_interrupted_batch_continues_where_it_stopped(
    prongsai: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scores = write_scores(tmp_path / "scores.csv")
    out = tmp_path / "out"
    real = batch.render_one
    calls: list[str] = []

    def interrupted_at_the_third(job: batch.Job, options: batch.BatchOptions) -> batch.Outcome:
        calls.append(job.path.name)
        if len(calls) == 3:  # the user presses Ctrl-C while the third document is being written
            (job.path.parent / f".{job.path.name}.abc123").write_bytes(b"half a document")
            raise KeyboardInterrupt
        return real(job, options)

    monkeypatch.setattr(batch, "render_one", interrupted_at_the_third)
    code, printed = prongsai("report", "--batch", str(scores), "-o", str(out), "--jobs", "1")
    assert code == 1
    assert "run the same command again" in printed and "ทำต่อ" in printed
    finished = {p.name: p.stat().st_mtime_ns for p in out.iterdir() if not p.name.startswith(".")}
    assert len(finished) == 2

    monkeypatch.setattr(batch, "render_one", real)
    code, printed = prongsai("report", "--batch", str(scores), "-o", str(out), "--jobs", "1")
    assert code == 0, printed
    assert "skipped): 2" in printed and "written: 3" in printed
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == len(AGENCIES) and not any(n.startswith(".") for n in names)  # leftover removed
    assert all((out / n).stat().st_mtime_ns == t for n, t in finished.items())  # not made again


def test_force_makes_every_document_again(prongsai: Run, tmp_path: Path) -> None:
    scores = write_scores(tmp_path / "scores.csv")
    out = tmp_path / "out"
    assert (
        prongsai("report", "--batch", str(scores), "-o", str(out), "--jobs", "1", "--format", "json")[0] == 0
    )
    stale = out / "2568-องค์การบริหารส่วนตำบลหนองบัว-อุดรธานี.json"
    stale.write_text("[]", encoding="utf-8")
    code, printed = prongsai(
        "report", "--batch", str(scores), "-o", str(out), "--jobs", "1", "--format", "json", "--force"
    )
    assert code == 0 and "written: 5" in printed
    assert stale.read_text(encoding="utf-8") != "[]"


def test_one_failing_document_does_not_stop_the_others(
    prongsai: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scores = write_scores(tmp_path / "scores.csv")
    out = tmp_path / "out"
    real = batch._render

    def broken_for_nong_bua(job: batch.Job, options: batch.BatchOptions) -> bool:
        if "หนองบัว" in job.results.agency.name:
            raise RuntimeError("disk full")
        return real(job, options)

    monkeypatch.setattr(batch, "_render", broken_for_nong_bua)
    code, printed = prongsai("report", "--batch", str(scores), "-o", str(out), "--jobs", "1")
    assert code == 2
    assert "failed: 1" in printed and "written: 4" in printed
    assert "2568-องค์การบริหารส่วนตำบลหนองบัว-อุดรธานี.docx" in printed and "disk full" in printed
    assert "สร้างเอกสาร" in printed and "could not make the document" in printed
    assert len(list(out.iterdir())) == 4


@pytest.mark.parametrize(
    ("args", "expected_en"),
    [
        ((), "give either one agency's results file or --batch"),
        (("RESULTS",), "cannot be used together"),
        (("--plan", "plan.yaml"), "--plan cannot be used with --batch"),
        (("--agency", "x"), "--agency cannot be used with --batch"),
        (("--jobs", "0"), "--jobs must be a whole number of 1 or more"),
        (("--template", "t.docx", "--format", "pdf"), "can only produce .docx"),
        (("OUT_IS_A_FILE",), "is a file, not a folder"),
    ],
)
def test_batch_misuse_is_a_clear_error_and_writes_nothing(
    prongsai: Run, tmp_path: Path, args: tuple[str, ...], expected_en: str
) -> None:
    scores = write_scores(tmp_path / "scores.csv")
    out = tmp_path / "out"
    argv = ["report", "--batch", str(scores), "-o", str(out)]
    if args == ():
        argv = ["report", "-o", str(out)]
    elif args == ("RESULTS",):
        argv = ["report", str(example("001")), "--batch", str(scores), "-o", str(out)]
    elif args == ("OUT_IS_A_FILE",):
        out.write_text("not a folder", encoding="utf-8")
    else:
        argv += list(args)
    before = sorted(os.listdir(tmp_path))
    code, printed = prongsai(*argv)
    assert code == 2, printed
    assert expected_en in printed
    assert "Traceback" not in printed
    assert sorted(os.listdir(tmp_path)) == before


def _descendants(root: int) -> set[int]:
    """The processes below ``root`` (its children, theirs, ...), from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found: set[int] = set()
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _our_browsers() -> int:
    """Chromium processes this test process started through a PdfRenderer (their profile lives in a
    prongsai-pdf- folder); another test run on the same machine has its own."""
    count = 0
    for pid in _descendants(os.getpid()):
        try:
            count += b"prongsai-pdf-" in Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
    return count


@pytest.fixture
def subreaper() -> Iterator[None]:
    """This process adopts the orphans of its descendants (Linux's child subreaper), so a browser a
    finished worker left behind is still counted as ours rather than handed to init."""
    libc = ctypes.CDLL(None, use_errno=True)
    set_child_subreaper = 36  # PR_SET_CHILD_SUBREAPER
    assert libc.prctl(set_child_subreaper, 1, 0, 0, 0) == 0
    try:
        yield
    finally:
        libc.prctl(set_child_subreaper, 0, 0, 0, 0)


@pytest.mark.usefixtures("subreaper")
def test_pdf_batch_in_two_workers_prints_every_document_and_closes_its_browsers(
    prongsai: Run, tmp_path: Path
) -> None:
    scores = write_scores(tmp_path / "scores.csv")
    out = tmp_path / "out"
    before = _our_browsers()
    code, printed = prongsai(
        "report", "--batch", str(scores), "-o", str(out), "--jobs", "2", "--format", "pdf"
    )
    assert code == 0, printed
    files = sorted(out.iterdir())
    assert len(files) == len(AGENCIES)
    assert all(f.read_bytes().startswith(b"%PDF-") and f.stat().st_size > 20_000 for f in files)
    assert _our_browsers() == before  # each worker closed its Chromium when it ended
