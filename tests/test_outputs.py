"""Every command that writes: never over one of its inputs, never into a path it cannot use without
saying so in Thai and English (exit 2), never half of a file, and several files all or none."""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from prongsai import batch, files
from prongsai.cli import cli, run
from prongsai.errors import InputError
from prongsai.files import check_output_folder, check_outputs, write_all_atomically, write_atomically
from prongsai.ingest import read_results
from tests.conftest import SHARED, Run
from tests.document.reports import EXAMPLES, example
from tests.test_batch import write_scores

TEMPLATE = EXAMPLES / "templates" / "letterhead.docx"
SEED_TEXT = next((SHARED / "seeds").glob("001_*.txt"), None)
IS_INPUT_EN = "is the input"
IS_INPUT_TH = "เป็นไฟล์เดียวกับไฟล์ข้อมูลนำเข้า"


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file and folder under ``folder`` (hidden ones too), with the bytes of each file."""
    return {
        str(p.relative_to(folder)): None if p.is_dir() or p.is_symlink() else p.read_bytes()
        for p in sorted(folder.rglob("*"))
    }


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with one input of every kind, the current folder for the test."""
    shutil.copy(example("001"), tmp_path / "r.yaml")
    shutil.copy(example("000"), tmp_path / "h.yaml")
    shutil.copy(TEMPLATE, tmp_path / "t.docx")
    (tmp_path / "p.yaml").write_text("# a plan\n", encoding="utf-8")
    (tmp_path / "s.yaml").write_text("date: 2568-12-15\n", encoding="utf-8")
    (tmp_path / "u.yaml").write_text("legal: งานกฎหมาย\n", encoding="utf-8")
    (tmp_path / "answers.csv").write_text("agency,ita_year,tool,respondent,item,answer\n", encoding="utf-8")
    (tmp_path / "oit.csv").write_text("agency,ita_year,item,has,verdict\n", encoding="utf-8")
    (tmp_path / "doc.txt").write_text("เทศบาลตำบลโคกม่วง\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _same(name: str, *others: str) -> None:
    """``others`` become other names of the file ``name``: a hard link, or a symbolic link."""
    for other in others:
        Path(other).parent.mkdir(parents=True, exist_ok=True)
        if other.startswith("sym"):
            Path(other).symlink_to(Path(name).absolute())
        else:
            os.link(name, other)


# (command line, names to create as links: {existing input: [new names]})
OVERWRITES: dict[str, tuple[list[str], dict[str, list[str]]]] = {
    "plan RESULTS": (["plan", "r.yaml", "-o", "r.yaml"], {}),
    "plan ./RESULTS": (["plan", "r.yaml", "-o", "./r.yaml"], {}),
    "plan RESULTS by symlink": (["plan", "r.yaml", "-o", "sym-r.yaml"], {"r.yaml": ["sym-r.yaml"]}),
    "plan RESULTS by hard link": (["plan", "r.yaml", "-o", "hard-r.yaml"], {"r.yaml": ["hard-r.yaml"]}),
    "plan through a symlinked input": (["plan", "sym-r.yaml", "-o", "r.yaml"], {"r.yaml": ["sym-r.yaml"]}),
    "plan --history": (["plan", "r.yaml", "--history", "h.yaml", "-o", "h.yaml"], {}),
    "plan --units": (["plan", "r.yaml", "--units", "u.yaml", "-o", "u.yaml"], {}),
    "report --format json over RESULTS": (
        ["report", "r.yaml", "--format", "json", "-o", "hard-r.json"],
        {"r.yaml": ["hard-r.json"]},
    ),
    "report --plan": (["report", "r.yaml", "--plan", "p.csv", "-o", "p.csv"], {"p.yaml": ["p.csv"]}),
    "report --history": (["report", "r.yaml", "--history", "h.html", "-o", "h.html"], {"h.yaml": ["h.html"]}),
    "report --settings": (
        ["report", "r.yaml", "--settings", "s.json", "-o", "s.json"],
        {"s.yaml": ["s.json"]},
    ),
    "report --units": (
        ["report", "r.yaml", "--units", "u.xlsx", "-o", "sym-u.xlsx"],
        {"u.yaml": ["u.xlsx", "sym-u.xlsx"]},
    ),
    "report --template": (["report", "r.yaml", "--template", "t.docx", "-o", "./t.docx"], {}),
    "score ANSWERS": (["score", "answers.csv", "-o", "answers.csv"], {}),
    "score --oit": (
        ["score", "answers.csv", "--oit", "oit.csv", "-o", "sym-oit.csv"],
        {"oit.csv": ["sym-oit.csv"]},
    ),
    "import DOC into its folder": (["import", "doc.txt", "-o", "out"], {"doc.txt": ["out/plan.yaml"]}),
}


@pytest.mark.parametrize("case", list(OVERWRITES))
def test_an_output_that_is_an_input_is_refused_before_any_work(work: Path, prongsai: Run, case: str) -> None:
    argv, links = OVERWRITES[case]
    for name, others in links.items():
        _same(name, *others)
    before = snapshot(work)
    code, printed = prongsai(*argv)
    assert code == 2, printed
    assert IS_INPUT_EN in printed and IS_INPUT_TH in printed
    assert "Traceback" not in printed
    assert snapshot(work) == before  # the input untouched, nothing written


def test_a_batch_document_that_would_replace_its_scores_file_is_refused(work: Path, prongsai: Run) -> None:
    out = work / "out"
    out.mkdir()
    scores = write_scores(out / "scores.csv")
    records, _ = read_results(scores)
    target = batch.jobs(records, out, "csv")[0].path  # the scores file takes the first document's name
    scores.rename(target)
    before = snapshot(work)
    code, printed = prongsai(
        "report", "--batch", str(target), "-o", str(out), "--format", "csv", "--jobs", "1"
    )
    assert code == 2, printed
    assert IS_INPUT_EN in printed and IS_INPUT_TH in printed and "--batch" in printed
    assert snapshot(work) == before


def test_re_drafting_a_plan_in_place_is_still_allowed(work: Path, prongsai: Run) -> None:
    """--update PLAN -o PLAN is the documented way to re-draft (docs/plan-format.md): the plan is
    read whole before the new one replaces it."""
    assert prongsai("plan", "r.yaml", "-o", "p.yaml")[0] == 0
    code, printed = prongsai("plan", "r.yaml", "--update", "p.yaml", "-o", "p.yaml")
    assert code == 0, printed


# --------------------------------------------------------------------------------------------------
# Output paths that cannot be written
# --------------------------------------------------------------------------------------------------

# command -> (arguments before -o, the suffix of a file output or "" for a folder output)
WRITERS: dict[str, tuple[list[str], str]] = {
    "plan": (["plan", "r.yaml"], ".yaml"),
    "report": (["report", "r.yaml", "--format", "json"], ".json"),
    "score": (["score", "answers.parquet"], ".csv"),
    "synth": (["synth", "--agencies", "2"], ""),
    "import": (["import", "doc.txt"], ""),
    "batch": (["report", "--batch", "scores.csv", "--format", "json", "--jobs", "1"], ""),
}


@pytest.fixture
def writer_inputs(work: Path) -> Path:
    write_scores(work / "scores.csv")
    if SEED_TEXT is not None:
        shutil.copy(SEED_TEXT, work / "doc.txt")
    synth = work / "national"
    assert run(cli, ["synth", "--agencies", "2", "-o", str(synth)]) == 0
    shutil.copy(synth / "answers.parquet", work / "answers.parquet")
    shutil.rmtree(synth)
    return work


@pytest.mark.parametrize("command", list(WRITERS))
@pytest.mark.parametrize(
    "problem", ["output is a folder", "parent is a file", "no permission", "name too long"]
)
def test_an_output_path_that_cannot_be_written_is_named_before_the_work(
    writer_inputs: Path, prongsai: Run, monkeypatch: pytest.MonkeyPatch, command: str, problem: str
) -> None:
    argv, suffix = WRITERS[command]
    work = writer_inputs
    if problem == "output is a folder":
        target = work / f"existing{suffix}"
        if suffix:
            target.mkdir()
            expected = ("is an existing folder", "เป็นโฟลเดอร์ที่มีอยู่แล้ว")
        else:
            target.write_text("a file where the folder should be", encoding="utf-8")
            expected = ("is a file, not a folder", "เป็นไฟล์ ไม่ใช่โฟลเดอร์")
    elif problem == "parent is a file":
        (work / "notes.txt").write_text("a file", encoding="utf-8")
        target = work / "notes.txt" / "sub" / f"out{suffix}"
        expected = ("notes.txt is a file, not a folder", "notes.txt เป็นไฟล์ ไม่ใช่โฟลเดอร์")
    elif problem == "name too long":  # 100 Thai letters are 300 bytes; Linux allows 255 in a name
        target = work / ("ก" * 100 + suffix)
        expected = ("File name too long", "เขียนไฟล์")
    else:  # we run as root, who may write anywhere: the check is made to see a folder it may not use
        target = work / "locked" / f"out{suffix}"
        (work / "locked").mkdir()
        real = os.access
        monkeypatch.setattr(os, "access", lambda p, m, **k: False if "locked" in str(p) else real(p, m, **k))
        expected = ("no permission to write", "ไม่มีสิทธิ์เขียนไฟล์")
    before = snapshot(work)
    code, printed = prongsai(*argv, "-o", str(target))
    assert code == 2, printed
    assert expected[0] in printed and expected[1] in printed, printed
    assert "Traceback" not in printed
    assert snapshot(work) == before


def _failing_replace(reason: int, when: Callable[[str], bool] = lambda target: True) -> Callable[..., None]:
    real = os.replace

    def replace(source: str | os.PathLike[str], target: str | os.PathLike[str], **kwargs: object) -> None:
        if when(str(target)):
            raise OSError(reason, os.strerror(reason), str(source), None, str(target))
        real(source, target)

    return replace


@pytest.mark.parametrize("command", list(WRITERS))
@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        (errno.ENOSPC, ("the disk is full", "พื้นที่จัดเก็บเต็ม")),
        (errno.EACCES, ("no permission to write", "ไม่มีสิทธิ์เขียนไฟล์")),
        (errno.EROFS, ("read-only", "อ่านอย่างเดียว")),
    ],
)
def test_a_write_that_fails_leaves_nothing_and_says_why(
    writer_inputs: Path,
    prongsai: Run,
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    reason: int,
    expected: tuple[str, str],
) -> None:
    argv, suffix = WRITERS[command]
    work = writer_inputs
    before = snapshot(work)
    monkeypatch.setattr(os, "replace", _failing_replace(reason))
    code, printed = prongsai(*argv, "-o", str(work / "new" / f"out{suffix}"))
    assert code == 2, printed
    assert expected[0] in printed and expected[1] in printed, printed
    assert "Traceback" not in printed
    assert snapshot(work) == before  # no file, no temporary file, not even the folder made for it


# --------------------------------------------------------------------------------------------------
# Several files: all or none
# --------------------------------------------------------------------------------------------------


@pytest.mark.skipif(SEED_TEXT is None, reason="needs the seed documents of ../shared")
def test_import_writes_its_three_files_or_none(
    work: Path, prongsai: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert SEED_TEXT is not None
    shutil.copy(SEED_TEXT, work / "doc.txt")
    out = work / "out"
    monkeypatch.setattr(os, "replace", _failing_replace(errno.ENOSPC, lambda t: t.endswith("plan.yaml")))
    code, printed = prongsai("import", "doc.txt", "-o", str(out))
    assert code == 2 and "plan.yaml" in printed and "the disk is full" in printed, printed
    assert not out.exists()  # results.yaml was renamed into place first, then taken back

    monkeypatch.undo()
    monkeypatch.chdir(work)
    assert prongsai("import", "doc.txt", "-o", str(out))[0] == 0
    earlier = snapshot(out)
    assert sorted(earlier) == ["plan.yaml", "results.yaml", "uncertain.yaml"]
    (work / "doc.txt").write_text(
        (work / "doc.txt").read_text(encoding="utf-8").replace("โคกม่วง", "โคกหม่วง"), encoding="utf-8"
    )
    monkeypatch.setattr(os, "replace", _failing_replace(errno.ENOSPC, lambda t: t.endswith("uncertain.yaml")))
    assert prongsai("import", "doc.txt", "-o", str(out))[0] == 2
    assert snapshot(out) == earlier  # the earlier reading is whole again, not half old and half new


def test_write_all_atomically_puts_back_what_it_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b, c = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "new" / "c.txt"
    a.write_text("old a", encoding="utf-8")
    b.write_text("old b", encoding="utf-8")
    os.link(a, tmp_path / "other-name-of-a.txt")
    monkeypatch.setattr(os, "replace", _failing_replace(errno.EIO, lambda t: t.endswith("c.txt")))
    with pytest.raises(InputError) as caught:
        write_all_atomically({a: "new a", b: b"new b", c: "new c"})
    (problem,) = caught.value.problems
    assert problem.code == "output_write_failed" and problem.location.file == "c.txt"
    assert a.read_text(encoding="utf-8") == "old a" and b.read_text(encoding="utf-8") == "old b"
    assert (tmp_path / "other-name-of-a.txt").read_text(encoding="utf-8") == "old a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt", "other-name-of-a.txt"]

    monkeypatch.undo()
    write_all_atomically({a: "new a", b: b"new b", c: "new c"})
    assert [p.read_text(encoding="utf-8") for p in (a, b, c)] == ["new a", "new b", "new c"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt", "new", "other-name-of-a.txt"]


def test_write_atomically_keeps_the_old_file_when_the_disk_fills_while_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "deep" / "er" / "plan.yaml"
    real = os.fdopen

    class Full:
        def __init__(self, handle: int) -> None:
            self.stream = real(handle, "wb")

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *exc: object) -> None:
            self.stream.close()

        def write(self, data: bytes) -> int:
            self.stream.write(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fdopen", lambda handle, mode: Full(handle))
    with pytest.raises(InputError) as caught:
        write_atomically(target, "x" * 10_000)
    assert [p.code for p in caught.value.problems] == ["output_disk_full"]
    assert "plan.yaml" in caught.value.problems[0].message_en
    assert list(tmp_path.iterdir()) == []  # the half-written temporary file and the folders are gone


def test_check_outputs_tells_the_same_file_from_a_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "r.yaml"
    source.write_text("x", encoding="utf-8")
    shutil.copy(source, tmp_path / "copy.yaml")
    (tmp_path / "sub").mkdir()
    check_outputs(
        [Path("copy.yaml"), Path("new.yaml")], {"RESULTS": Path("r.yaml")}
    )  # a copy is not the input
    for same in (Path("r.yaml"), Path("./r.yaml"), Path("sub/../r.yaml"), tmp_path / "r.yaml"):
        with pytest.raises(InputError) as caught:
            check_outputs([same], {"--history": (Path("h.yaml"), Path("r.yaml"))})
        (problem,) = caught.value.problems
        assert problem.code == "output_is_input" and problem.params["option"] == "--history"


def test_every_problem_of_several_outputs_is_reported_at_once(tmp_path: Path) -> None:
    (tmp_path / "a-folder").mkdir()
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    inputs = {"RESULTS": tmp_path / "in.yaml"}
    (tmp_path / "in.yaml").write_text("x", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        check_outputs([tmp_path / "a-folder", tmp_path / "a-file" / "x.yaml", tmp_path / "in.yaml"], inputs)
    assert [p.code for p in caught.value.problems] == [
        "output_parent_not_folder",
        "output_is_folder",
        "output_is_input",
    ]
    with pytest.raises(InputError) as caught:
        check_outputs([Path("/dev/null")])
    assert [p.code for p in caught.value.problems] == ["output_not_regular"]
    with pytest.raises(InputError) as caught:
        check_output_folder(tmp_path / "in.yaml", inputs)
    assert [p.code for p in caught.value.problems] == ["output_is_input"]


def test_a_very_long_output_name_still_gets_a_temporary_file(tmp_path: Path) -> None:
    """The temporary file's name is the target's with a dot before and eight characters after; a
    target name near the system's 255-byte limit must not make the temporary name too long."""
    target = tmp_path / ("ก" * 80 + ".yaml")  # 245 bytes in UTF-8
    write_atomically(target, "x")
    assert target.read_text(encoding="utf-8") == "x" and len(list(tmp_path.iterdir())) == 1


def test_no_temporary_file_is_left_after_a_successful_write(tmp_path: Path) -> None:
    write_all_atomically({tmp_path / "a.yaml": "a", tmp_path / "b" / "b.yaml": "b"})
    write_atomically(tmp_path / "a.yaml", "again")
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")) == ["a.yaml", "b", "b/b.yaml"]
    assert (tmp_path / "a.yaml").stat().st_mode & 0o777 == 0o666 & ~files._umask()  # not mkstemp's 0600


def test_two_writers_making_the_same_folder_at_once_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch's workers write into one folder; the one that comes second must not fail."""
    target = tmp_path / "out"
    real = Path.mkdir

    def racing(self: Path, *args: object, **kwargs: object) -> None:
        if self == target and not target.exists():
            real(self)  # the other worker was a moment faster
        real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "mkdir", racing)
    write_atomically(target / "2568-a.json", "[]")
    assert (target / "2568-a.json").read_text(encoding="utf-8") == "[]"
