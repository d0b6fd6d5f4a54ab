"""Docs kept honest: the CLI reference is generated from --help; the scoring rules name their tests."""

from __future__ import annotations

import re
from pathlib import Path

import click

from prongsai.cli import cli
from prongsai.cli.text import all_commands

DOCS = Path(__file__).resolve().parent.parent / "docs"


def cli_reference() -> str:
    parts = [
        "# Command line reference",
        "",
        "Generated from `prongsai --help`; `python -m tests.test_docs` rewrites it.",
        "",
    ]
    for name, command in [
        ("prongsai", cli),
        *((f"prongsai {n}", c) for n, c in sorted(all_commands(cli).items())),
    ]:
        settings = {"terminal_width": 100, "max_content_width": 100, "help_option_names": ["-h", "--help"]}
        with click.Context(command, info_name=name, **settings) as ctx:  # type: ignore[arg-type]
            parts += [f"## {name}", "", "```text", command.get_help(ctx), "```", ""]
    return "\n".join(parts)


def test_cli_reference_is_up_to_date() -> None:
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == cli_reference(), "run: python -m tests.test_docs"


def test_every_scoring_rule_has_a_test() -> None:
    rules = re.findall(
        r"^\*\*([A-Z]\d+)\*\*", (DOCS / "scoring.md").read_text(encoding="utf-8"), re.MULTILINE
    )
    assert len(rules) >= 8
    tests = " ".join(p.read_text(encoding="utf-8") for p in Path(__file__).parent.rglob("test_*.py"))
    for rule in rules:
        assert f"test_rule_{rule.lower()}_" in tests, (
            f"rule {rule} has no test named test_rule_{rule.lower()}_..."
        )


if __name__ == "__main__":
    (DOCS / "cli.md").write_text(cli_reference(), encoding="utf-8")


def test_the_plan_format_example_is_a_valid_plan(tmp_path: Path) -> None:
    from prongsai.planfile import read_plan

    text = (DOCS / "plan-format.md").read_text(encoding="utf-8")
    example = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "plan.yaml"
    path.write_text(example, encoding="utf-8")
    plan = read_plan(path)
    assert plan.plan_year == 2566 and len(plan.measures) >= 5
