"""Every problem the code can raise has Thai and English wording with matching placeholders."""

from __future__ import annotations

import re
from pathlib import Path

from prongsai.problems import messages

SRC = Path(__file__).resolve().parent.parent / "src" / "prongsai"


def test_every_problem_kind_used_in_code_has_a_message() -> None:
    used = set()
    for path in SRC.rglob("*.py"):
        used |= set(
            re.findall(
                # raised directly, or named for a schema's refusals (yamlspec.SchemaWords)
                r"""(?:\b(?:error|warning)\(\s*|\b(?:not_allowed|invalid)=)["']([a-z_]+)["']""",
                path.read_text(encoding="utf-8"),
            )
        )
    table = messages()
    assert used, "no problem kinds found"
    assert used <= set(table.problems), used - set(table.problems)
    unused = set(table.problems) - used
    assert not unused, f"messages nobody raises: {unused}"


def test_messages_are_thai_and_english() -> None:
    for code, entry in messages().problems.items():
        assert re.search(r"[\u0e00-\u0e7f]", entry["th"]), code
        assert not re.search(r"[\u0e00-\u0e7f]", entry["en"].replace("'", "")), code
