"""Messages a person reads (issue 11): click's usage errors and help in Thai and English, a YAML
syntax error named at its own line, empty or mislabelled containers, folders given as files."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from tests.fuzz import sources as s
from tests.fuzz.cases_limits import folder
from tests.fuzz.harness import THAI, Case, Outcome, error_lines

SEED = "001"
RESULTS = {"r.yaml": s.example_text(SEED)}

# --------------------------------------------------------------------------------------------------


def _says(text: str) -> Callable[[Outcome], list[str]]:
    def check(outcome: Outcome) -> list[str]:
        return [] if text in outcome.stderr else [f"does not suggest {text!r}"]

    return check


def _never_says(text: str) -> Callable[[Outcome], list[str]]:
    def check(outcome: Outcome) -> list[str]:
        english = " ".join(line.en or "" for line in error_lines(outcome.stderr)).lower()
        return [f"says {text!r}"] if text in english else []

    return check


def usage_errors() -> Iterator[Case]:
    usage = [
        ("no-such-command", ("chek", "r.yaml"), "check"),
        ("missing-argument", ("check",), None),
        ("missing-required-option", ("plan", "r.yaml"), None),
        ("no-such-option", ("plan", "r.yaml", "--outptu", "p.yaml"), "--output"),
        ("unexpected-extra-argument", ("check", "r.yaml", "extra.yaml"), None),
        ("option-needs-a-value", ("plan", "r.yaml", "-o"), None),
        ("invalid-choice", ("report", "r.yaml", "--layout", "nope", "-o", "d.docx"), None),
        ("int-range", ("synth", "--agencies", "0", "-o", "syn"), None),
        ("not-an-integer", ("report", "--batch", "r.yaml", "--jobs", "many", "-o", "out"), None),
        ("plan-year-words", ("plan", "r.yaml", "--plan-year", "abc", "-o", "p.yaml"), None),
        ("timeframes-choice", ("plan", "r.yaml", "--timeframes", "weeks", "-o", "p.yaml"), None),
        ("whatif-without-set", ("whatif", "r.yaml"), None),
        ("framework-without-year", ("framework",), None),
        ("frameworks-extra-argument", ("frameworks", "extra"), None),
        ("no-command-option", ("--jsn",), None),
        ("format-choice", ("report", "r.yaml", "--format", "odt", "-o", "d.odt"), None),
    ]
    for name, args, suggestion in usage:
        checks = (_says(suggestion),) if suggestion else ()
        yield Case(
            "messages", f"usage-{name}", args, RESULTS, expect="refuse", checks=checks, forbid=("Error: ",)
        )


def help_texts() -> Iterator[Case]:
    for command in (
        "",
        "check",
        "analyze",
        "whatif",
        "plan",
        "report",
        "score",
        "synth",
        "import",
        "framework",
    ):
        args = (command, "--help") if command else ("--help",)
        yield Case(
            "messages", f"help-{command or 'prongsai'}", args, {}, expect="accept", checks=(_help_bilingual,)
        )


def _help_bilingual(outcome: Outcome) -> list[str]:
    """Help in Thai and English: the usage line, the description, every heading and every option's
    or command's entry has Thai words (beside its English)."""
    if outcome.status != 0:
        return []
    lines = outcome.stdout.splitlines()
    found = []
    usage = next((i for i, line in enumerate(lines) if "Usage:" in line), None)
    if usage is not None and not any(THAI.search(line) for line in lines[max(0, usage - 1) : usage + 2]):
        found.append("'Usage:' has no Thai")
    heads = [
        i for i, line in enumerate(lines) if line and not line[0].isspace() and line.rstrip().endswith(":")
    ]
    heads = [i for i in heads if i != usage]
    start = (usage or 0) + 1
    description = [line for line in lines[start : heads[0] if heads else len(lines)] if line.strip()]
    if description and not any(THAI.search(line) for line in description):
        found.append("the description is English only")
    english: list[str] = []
    for h in heads:
        if not (THAI.search(lines[h]) or (h > 0 and THAI.search(lines[h - 1]))):
            found.append(f"heading {lines[h].strip()!r} has no Thai")
        entries: list[list[str]] = []
        for line in lines[h + 1 :]:
            if line and not line[0].isspace():
                break
            if not line.strip():
                continue
            if len(line) - len(line.lstrip()) <= 2:
                entries.append([line])
            elif entries:
                entries[-1].append(line)
        english += [e[0].split()[0] for e in entries if not any(THAI.search(x) for x in e)]
    if english:
        found.append("English only: " + ", ".join(english[:6]))
    return found


def yaml_error_lines() -> Iterator[Case]:
    """A YAML syntax error must name the line where the mistake is, not where the parser gave up."""
    lines = s.example_text(SEED).splitlines()
    for code in ("i10", "e5", "o12"):
        n = s.item_line(SEED, code)
        for label, broken in (
            ("unclosed-double-quote", f'    {code}: "75.33'),
            ("unclosed-single-quote", f"    {code}: '75.33"),
            ("unclosed-bracket", f"    {code}: [75.33"),
        ):
            text = "\n".join([*lines[: n - 1], broken, *lines[n:]]) + "\n"
            yield Case(
                "messages",
                f"yaml-{label}-line-{n}",
                ("check", "r.yaml"),
                {"r.yaml": text},
                expect="refuse",
                where=(f"line {n}",),
            )

    def plan_unclosed() -> bytes:
        plan = s.plan_text().splitlines()
        n = next(i for i, line in enumerate(plan) if i >= 55 and line.strip().startswith("title:"))
        plan[n] = plan[n].replace("title: ", 'title: "', 1)
        return ("\n".join(plan) + "\n").encode()

    def plan_line() -> str:
        plan = s.plan_text().splitlines()
        return f"line {next(i for i, line in enumerate(plan) if i >= 55 and line.strip().startswith('title:')) + 1}"

    yield Case(
        "messages",
        "yaml-plan-unclosed-quote",
        ("report", "r.yaml", "--plan", "p.yaml", "-o", "m.json"),
        {**RESULTS, "p.yaml": plan_unclosed},
        expect="refuse",
        checks=(_names_line(plan_line),),
    )


def _names_line(where: Callable[[], str]) -> Callable[[Outcome], list[str]]:
    def check(outcome: Outcome) -> list[str]:
        if outcome.status != 2:
            return []
        text = where()
        found = any(text in (line.en or "") for line in error_lines(outcome.stderr))
        return [] if found else [f"does not name {text}"]

    return check


def empty_and_folders() -> Iterator[Case]:
    zip_words = ("EOCD", "ZipError")
    yield Case(
        "messages", "empty-xlsx", ("check", "r.xlsx"), {"r.xlsx": b""}, expect="refuse", forbid=zip_words
    )
    yield Case(
        "messages",
        "empty-docx-import",
        ("import", "d.docx"),
        {"d.docx": b""},
        expect="refuse",
        forbid=zip_words,
    )
    yield Case("messages", "empty-pdf-import", ("import", "d.pdf"), {"d.pdf": b""}, expect="refuse")
    yield Case(
        "messages",
        "empty-template",
        ("report", "r.yaml", "--template", "t.docx", "-o", "d.docx"),
        {**RESULTS, "t.docx": b""},
        expect="refuse",
        forbid=zip_words,
    )
    yield Case(
        "messages",
        "empty-answers-xlsx",
        ("score", "a.xlsx", "-o", "x.csv"),
        {"a.xlsx": b""},
        expect="refuse",
        forbid=zip_words,
    )
    yield Case("messages", "empty-parquet", ("check", "w.parquet"), {"w.parquet": b""}, expect="refuse")
    yield Case(
        "messages",
        "text-named-xlsx",
        ("check", "r.xlsx"),
        {"r.xlsx": s.long_csv(s.example(SEED))},
        expect="refuse",
        forbid=zip_words,
    )
    folder_cases: list[tuple[str, tuple[str, ...], str]] = [
        ("check", ("check", "dir.yaml"), "dir.yaml"),
        ("plan-option", ("report", "r.yaml", "--plan", "dir.yaml", "-o", "m.json"), "dir.yaml"),
        ("settings", ("report", "r.yaml", "--settings", "dir.yaml", "-o", "m.json"), "dir.yaml"),
        ("units", ("plan", "r.yaml", "--units", "dir.yaml", "-o", "p.yaml"), "dir.yaml"),
        ("template", ("report", "r.yaml", "--template", "dir.docx", "-o", "d.docx"), "dir.docx"),
        ("history", ("analyze", "r.yaml", "--history", "dir.yaml"), "dir.yaml"),
        ("update", ("plan", "r.yaml", "--update", "dir.yaml", "-o", "p.yaml"), "dir.yaml"),
        ("score", ("score", "dir.csv", "-o", "x.csv"), "dir.csv"),
        ("oit", ("score", "a.csv", "--oit", "dir.csv", "-o", "x.csv"), "dir.csv"),
        ("import", ("import", "dir.docx"), "dir.docx"),
        ("batch", ("report", "--batch", "dir.csv", "-o", "out"), "dir.csv"),
    ]
    for name, args, target in folder_cases:
        files = {**RESULTS, "a.csv": s.answers_csv()}
        yield Case(
            "messages",
            f"folder-as-file-{name}",
            args,
            files,
            setup=folder(target),
            expect="refuse",
            checks=(_never_says("not found"),),
        )


def message_cases() -> Iterator[Case]:
    yield from usage_errors()
    yield from help_texts()
    yield from yaml_error_lines()
    yield from empty_and_folders()
