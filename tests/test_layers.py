"""The layers of docs/architecture.md, enforced: the core and the application layer (prongsai.app)
never import an interface (click, the command line, the web framework), a database driver or the
network; the core never imports the application layer; the command line is the only place that
imports click."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "prongsai"

# What no module of the core or of prongsai.app may import (a module or anything under it)
INTERFACES = ("click", "prongsai.cli", "prongsai_web", "prongsai.web", "django", "ninja", "rest_framework")
STORAGE_AND_NETWORK = (
    "sqlite3",
    "psycopg",
    "psycopg2",
    "socket",
    "http",
    "urllib.request",
    "requests",
    "httpx",
    "smtplib",
)
FORBIDDEN = INTERFACES + STORAGE_AND_NETWORK


def imported(source: str) -> set[str]:
    """Every module a source imports, absolute names (relative imports are not used here)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def breaks(modules: set[str], forbidden: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == f or m.startswith(f + ".") for f in forbidden))


def _modules(*, where: str | None = None) -> list[Path]:
    """The modules of the core (``where`` None: everything but cli/ and the ``python -m`` entry) or
    of one sub-package."""
    if where is not None:
        return sorted((PACKAGE / where).rglob("*.py"))
    interface = {PACKAGE / "cli", PACKAGE / "app"}
    return sorted(
        p
        for p in PACKAGE.rglob("*.py")
        if not any(folder in p.parents for folder in interface) and p.name != "__main__.py"
    )


def test_the_scanner_sees_every_form_of_import() -> None:
    source = "import click\nfrom django.db import models\nfrom prongsai.cli import text\nimport os.path\n"
    assert breaks(imported(source), FORBIDDEN) == [
        "click",
        "django.db",
        "django.db.models",
        "prongsai.cli",
        "prongsai.cli.text",
    ]
    assert breaks(imported("from http.client import HTTPConnection"), FORBIDDEN) == [
        "http.client",
        "http.client.HTTPConnection",
    ]
    assert (
        breaks(imported("from urllib.parse import urlsplit"), FORBIDDEN) == []
    )  # parsing is not the network


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_the_core_imports_no_interface_no_database_no_network_and_not_the_application_layer(
    path: Path,
) -> None:
    modules = imported(path.read_text(encoding="utf-8"))
    assert breaks(modules, (*FORBIDDEN, "prongsai.app")) == []


@pytest.mark.parametrize("path", _modules(where="app"), ids=lambda p: p.name)
def test_the_application_layer_imports_no_interface_no_database_no_network(path: Path) -> None:
    assert breaks(imported(path.read_text(encoding="utf-8")), FORBIDDEN) == []


def test_the_layers_exist_as_folders() -> None:
    assert (PACKAGE / "app" / "__init__.py").is_file()
    assert (PACKAGE / "cli" / "__init__.py").is_file()
    assert not list(PACKAGE.glob("cli_*.py"))  # every command lives in cli/
    assert len(_modules()) > 80 and len(_modules(where="app")) >= 3
