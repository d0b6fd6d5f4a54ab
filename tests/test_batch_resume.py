"""A resumed batch trusts only complete files, and a batch never starts more workers than documents."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.context import BaseContext
from pathlib import Path

import docx
import pytest
from openpyxl import Workbook

from prongsai import batch
from tests.conftest import Run
from tests.test_batch import write_scores


def _docx() -> bytes:
    buffer = io.BytesIO()
    page = docx.Document()
    page.add_paragraph("มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน")
    page.save(buffer)
    return buffer.getvalue()


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["รหัส", "มาตรการ"])
    book.save(buffer)
    return buffer.getvalue()


COMPLETE: dict[str, Callable[[], bytes]] = {
    "docx": _docx,
    "xlsx": _xlsx,
    "pdf": lambda: b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",
    "html": lambda: '<!DOCTYPE html>\n<html lang="th"><body>มาตรการ</body></html>\n'.encode(),
    "csv": lambda: "\ufeffรหัส,มาตรการ\r\nM1,อบรม\r\n".encode(),
    "json": lambda: json.dumps([{"id": "M1", "title": "อบรม"}], ensure_ascii=False).encode() + b"\n",
}


@pytest.mark.parametrize("fmt", list(COMPLETE))
def test_a_complete_file_counts_as_done_and_a_cut_one_does_not(tmp_path: Path, fmt: str) -> None:
    data = COMPLETE[fmt]()
    path = tmp_path / f"2568-เทศบาลตำบลโคกม่วง.{fmt}"
    path.write_bytes(data)
    assert batch.incomplete(path) is None
    path.write_bytes(b"")
    assert batch.incomplete(path) == "empty"
    for cut in (len(data) // 2, len(data) - 3, 10):
        path.write_bytes(data[:cut])
        assert batch.incomplete(path) == "incomplete", cut


def test_a_zip_with_its_middle_missing_or_a_comment_is_judged_by_its_directory(tmp_path: Path) -> None:
    data = _docx()
    path = tmp_path / "x.docx"
    end = data.rfind(b"PK\x05\x06")
    path.write_bytes(data[:1000] + data[2000:])  # the end record is there, but points past the start
    assert end > 2000 and batch.incomplete(path) == "incomplete"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        archive.comment = b"written by another program"
    path.write_bytes(buffer.getvalue())
    assert batch.incomplete(path) is None
    path.write_bytes(buffer.getvalue()[:-5])  # the comment cut short
    assert batch.incomplete(path) == "incomplete"


def test_a_json_file_counts_only_if_it_parses(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(b'[{"id": "M1"}, {"id": "M2"')
    assert batch.incomplete(path) == "incomplete"
    path.write_bytes(b"\xff\xfe[]")
    assert batch.incomplete(path) == "incomplete"


def _first_three(scores: Path) -> Path:
    """The scores file cut to its first three agency-years."""
    with scores.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    header, kept, seen = rows[0], [], []
    for row in rows[1:]:
        key = (row[0], row[1])
        if key not in seen:
            seen.append(key)
        if len(seen) > 3:
            break
        kept.append(row)
    with scores.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([header, *kept])
    return scores


def test_a_resumed_batch_makes_empty_and_cut_files_again_and_says_so(prongsai: Run, tmp_path: Path) -> None:
    scores = _first_three(write_scores(tmp_path / "scores.csv"))
    out = tmp_path / "out"
    argv = ("report", "--batch", str(scores), "-o", str(out), "--format", "json", "--jobs", "1")
    assert prongsai(*argv)[0] == 0
    made = sorted(out.iterdir())
    whole = {p.name: p.read_bytes() for p in made}
    made[0].write_bytes(b"")  # a machine that stopped before the disk caught up
    made[1].write_bytes(whole[made[1].name][:100])  # a copy that stopped half-way
    kept = {p.name: p.stat().st_mtime_ns for p in made[2:]}

    code, printed = prongsai(*argv)
    assert code == 0, printed
    assert "already there (skipped): 1" in printed and "written: 2" in printed
    assert "ทำใหม่ เพราะไฟล์เดิมว่างเปล่า / made again: the file there was empty: 1" in printed
    assert "ทำใหม่ เพราะไฟล์เดิมไม่สมบูรณ์ / made again: the file there was incomplete: 1" in printed
    assert {p.name: p.read_bytes() for p in out.iterdir()} == whole  # the same documents as the first run
    assert {n: (out / n).stat().st_mtime_ns for n in kept} == kept  # the complete ones were not made again


def test_forty_jobs_for_three_documents_start_three_workers(
    prongsai: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scores = _first_three(write_scores(tmp_path / "scores.csv"))
    asked: list[int] = []
    real = batch._pool

    def counted(workers: int, context: BaseContext) -> ProcessPoolExecutor:
        asked.append(workers)
        return real(workers, context)

    monkeypatch.setattr(batch, "_pool", counted)
    code, printed = prongsai(
        "report", "--batch", str(scores), "-o", str(tmp_path / "out"), "--format", "json", "--jobs", "40"
    )
    assert code == 0, printed
    assert "documents to make: 3" in printed and "written: 3" in printed
    assert asked == [3]


def test_workers_and_their_shares() -> None:
    assert batch.worker_count(40, 3) == 3
    assert batch.worker_count(2, 8_300) == 2
    assert batch.worker_count(8, 0) == 1
    assert batch.chunk_size(3, 3) == 1  # every worker gets a document
    assert batch.chunk_size(20, 4) == 5
    assert batch.chunk_size(8_300, 2) == batch.CHUNK  # a national batch: eight per task


def test_a_long_thai_agency_name_still_gives_a_file_name(tmp_path: Path) -> None:
    """190 Thai letters are 570 bytes in UTF-8; Linux allows 255 bytes in one file name."""
    scores = write_scores(tmp_path / "scores.csv")
    text = scores.read_text(encoding="utf-8").replace("องค์การบริหารส่วนตำบลหนองบัว", "ก" * 190)
    scores.write_text(text, encoding="utf-8")
    from prongsai.ingest import read_results

    records, _ = read_results(scores)
    names = [job.path.name for job in batch.jobs(records, tmp_path, "docx")]
    assert all(len(name.encode("utf-8")) <= batch.STEM_BYTES + len(".docx") for name in names)
    assert any(name.startswith("2568-กกก") for name in names)
