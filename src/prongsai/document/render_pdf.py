"""PDF renderer: the HTML page of ``render_html.py`` printed by Chromium through Playwright.

Chromium is the one HTML-to-PDF engine that shapes Thai, breaks Thai lines at word boundaries and
writes a correct text layer (STACK.md §3). It is the system Chromium (``apt-get install chromium``);
Playwright never downloads a browser here. Page size, margins, landscape pages and page numbers
all come from the page's CSS (``prefer_css_page_size``), so this module only drives the browser.

Use :class:`PdfRenderer` for batches: it starts Playwright and Chromium once (about 0.7 s on the
2-vCPU development machine) and then prints each document in a fraction of that. :func:`render_pdf`
is the one-shot form. Chromium runs offline, with its own temporary HOME and profile.

Chromium writes only the title into the PDF's document information; :func:`set_pdf_info` adds the
agency as Author with a standard incremental update, so no PDF library is needed.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from prongsai.document.model import Document
from prongsai.document.render_html import render_html
from prongsai.errors import InputError
from prongsai.problems import Location, error

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Playwright

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome-stable", "google-chrome")
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)
_FONTS_READY = "() => document.fonts.ready.then(() => document.fonts.status)"


class PdfEngineMissing(InputError):
    """PDF output needs Playwright and a Chromium; one of them is missing or does not start.

    Reported like a user mistake (exit code 2, Thai and English): the fix is to install Chromium.
    """

    def __init__(self, detail: str) -> None:
        self.detail = detail
        problem = error("pdf_engine_missing", Location(), detail=detail)
        self.message_th, self.message_en = problem.describe("th"), problem.describe("en")
        super().__init__([problem])


def find_chromium() -> str | None:
    """The first Chromium or Chrome on PATH, or None."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


class PdfRenderer:
    """One Chromium that prints many documents: ``with PdfRenderer() as r: r.render(doc)``.

    The browser runs with its own temporary HOME (Chromium writes ``~/.config/chromium`` even with
    a user-data directory) and Playwright's temporary profile; both go when the renderer closes.
    Like every Playwright sync object, a renderer belongs to the thread that started it, and it
    cannot start inside a running asyncio event loop (run it in a worker thread there).
    """

    def __init__(self, executable_path: str | os.PathLike[str] | None = None) -> None:
        self._executable = str(executable_path) if executable_path is not None else None
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self._context: BrowserContext | None = None
        self._tab: Page | None = None
        self._count = 0

    def __enter__(self) -> PdfRenderer:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @property
    def started(self) -> bool:
        return self._context is not None

    def start(self) -> None:
        """Start Playwright and Chromium; raises :class:`PdfEngineMissing` if either is missing."""
        if self.started:
            return
        executable = self._executable or find_chromium()
        if executable is None or not Path(executable).exists():
            raise PdfEngineMissing(f"no Chromium found ({executable or ', '.join(CHROMIUM_NAMES)})")
        try:
            from playwright.sync_api import Error, sync_playwright
        except ImportError as exc:
            raise PdfEngineMissing(f"the Python package playwright is not installed ({exc})") from exc
        self._tmp = tempfile.TemporaryDirectory(prefix="prongsai-pdf-")
        try:
            self._playwright = sync_playwright().start()
            try:
                self._browser = self._playwright.chromium.launch(
                    executable_path=executable,
                    args=list(CHROMIUM_ARGS),
                    env=self._browser_env(),
                    headless=True,
                )
            except Error as exc:
                raise PdfEngineMissing(f"{executable} did not start: {exc.message.splitlines()[0]}") from exc
            self._context = self._browser.new_context(offline=True)
        except BaseException:
            self.close()
            raise

    def _browser_env(self) -> dict[str, str | float | bool]:
        assert self._tmp is not None
        home = Path(self._tmp.name) / "home"
        home.mkdir()
        env: dict[str, str | float | bool] = dict(os.environ)
        env.update(
            HOME=str(home),
            XDG_CONFIG_HOME=str(home / ".config"),
            XDG_CACHE_HOME=str(home / ".cache"),
            XDG_DATA_HOME=str(home / ".local" / "share"),
        )
        return env

    def render(self, document: Document, *, tagged: bool = True) -> bytes:
        """The document as PDF bytes; ``tagged=False`` leaves out the structure tree (as many
        published PDFs do: used to test reading such PDFs back)."""
        self.start()
        assert self._tmp is not None
        self._count += 1
        # page.pdf() needs the page loaded from a file or http URL: set_content() leaves the page at
        # about:blank, where @font-face fonts silently fall back to system fonts (STACK.md §7).
        path = Path(self._tmp.name) / f"document-{self._count}.html"
        path.write_text(render_html(document), encoding="utf-8")
        try:
            page = self._page()
            page.goto(path.as_uri(), wait_until="load")
            page.evaluate(_FONTS_READY)
            pdf = page.pdf(prefer_css_page_size=True, print_background=True, tagged=tagged, outline=True)
        except Exception:
            if self._browser is not None and not self._browser.is_connected():
                self.close()  # Chromium died: the next render starts a new one
            raise
        finally:
            path.unlink(missing_ok=True)
        return set_pdf_info(pdf, {"Title": document.title, "Author": document.agency, "Creator": "prongsai"})

    def _page(self) -> Page:
        """One tab serves every document (a new tab per document costs about 0.1 s)."""
        assert self._context is not None
        if self._tab is None or self._tab.is_closed():
            self._tab = self._context.new_page()
            # Lay pages out for print as they load: page.pdf() then reuses that layout instead of
            # laying the whole document out a second time (about 0.1 s of an 18-page report). Only
            # @media screen rules differ, and a PDF never shows those anyway.
            self._tab.emulate_media(media="print")
        return self._tab

    def close(self) -> None:
        """Stop Chromium and Playwright and remove the temporary files; safe to call twice."""
        context, browser, playwright, tmp = self._context, self._browser, self._playwright, self._tmp
        self._context = self._browser = self._playwright = self._tmp = self._tab = None
        try:
            # best effort: a Chromium that crashed cannot be closed, and there is nothing left to do
            with contextlib.suppress(Exception):
                if context is not None:
                    context.close()
            with contextlib.suppress(Exception):
                if browser is not None:
                    browser.close()
        finally:
            if playwright is not None:
                playwright.stop()
            if tmp is not None:
                tmp.cleanup()


def render_pdf(document: Document) -> bytes:
    """The document as PDF bytes, starting and stopping a Chromium for this one document.

    A fresh renderer every call, not a module-level one kept alive: Playwright's sync objects are
    bound to the thread that made them, a hidden browser would outlive its use (a CLI exits right
    after), and nothing needs cleaning up at exit. The start costs about a second; for several
    documents use :class:`PdfRenderer`, which keeps one Chromium running.
    """
    with PdfRenderer() as renderer:
        return renderer.render(document)


# --------------------------------------------------------------------------------------------------
# Document information: Chromium writes only the title; the agency goes in as Author
# --------------------------------------------------------------------------------------------------

_TRAILER = re.compile(rb"trailer\s*<<(?P<dict>.*?)>>\s*startxref\s*(?P<xref>\d+)\s*%%EOF\s*$", re.DOTALL)
_KEPT = re.compile(rb"/(Producer|CreationDate|ModDate)\s*(\([^()\\]*\))")


def set_pdf_info(pdf: bytes, info: Mapping[str, str]) -> bytes:
    """``pdf`` with a new document information dictionary, appended as an incremental update.

    ``info`` replaces Title, Author and the like; Producer and the dates Chromium wrote are kept.
    Only classic cross-reference tables (what Chromium's Skia writes) are handled; any other PDF
    comes back unchanged.
    """
    trailer = _TRAILER.search(pdf[-4096:])
    if trailer is None:
        return pdf
    size = re.search(rb"/Size\s+(\d+)", trailer["dict"])
    root = re.search(rb"/Root\s+(\d+\s+\d+\s+R)", trailer["dict"])
    if size is None or root is None:
        return pdf
    old_info = re.search(rb"/Info\s+(\d+)\s+(\d+)\s+R", trailer["dict"])
    kept = b""
    if old_info is not None:
        start = pdf.find(b"\n%s %s obj" % (old_info[1], old_info[2]))
        end = pdf.find(b"endobj", start)
        if start >= 0 and end > start:
            kept = b"".join(b"/%s %s\n" % (m[1], m[2]) for m in _KEPT.finditer(pdf[start:end]))
    number = int(size[1])
    entries = b"".join(b"/%s %s\n" % (key.encode("ascii"), _pdf_text(value)) for key, value in info.items())
    body = b"%d 0 obj\n<<\n%s%s>>\nendobj\n" % (number, entries, kept)
    offset = len(pdf) + 1  # after the newline that starts the update
    ident = re.search(rb"/ID\s*\[[^\]]*\]", trailer["dict"])
    new_trailer = b"<< /Size %d /Root %s /Info %d 0 R /Prev %s %s>>" % (
        number + 1,
        root[1],
        number,
        trailer["xref"],
        ident[0] if ident else b"",
    )
    xref = b"xref\n%d 1\n%010d 00000 n \ntrailer\n%s\n" % (number, offset, new_trailer)
    return pdf + b"\n" + body + xref + b"startxref\n%d\n%%%%EOF\n" % (offset + len(body))


def _pdf_text(value: str) -> bytes:
    """A PDF text string: UTF-16BE with a byte-order mark, written in hex."""
    return b"<FEFF" + value.encode("utf-16-be").hex().upper().encode("ascii") + b">"
