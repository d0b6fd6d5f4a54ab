"""Tracking on other pages: the summary card of an agency-year (``{% tracking_card %}``), and the
figures of the tracking pages (baht, shares) with Thai digits where the agency writes them."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from prongsai.catalog.progress import status_words
from prongsai.thai import to_thai_digits
from prongsai_web.directory.models import Agency
from prongsai_web.tracking.summary import tracking_summary

register = template.Library()


def _digits(text: str, thai: bool) -> str:
    return to_thai_digits(text) if thai else text


@register.filter
def baht(value: int | None, digits: bool = False) -> str:
    """'12,500' (a whole number of baht); '-' when none was given."""
    if value is None:
        return "-"
    return _digits(f"{value:,}", bool(digits))


@register.filter
def share(value: float | None, digits: bool = False) -> str:
    """A share of 0 to 1 as a percent with one decimal ('75.0'); '-' when there is none."""
    if value is None:
        return "-"
    return _digits(f"{value * 100:.1f}", bool(digits))


@register.filter
def one_decimal(value: float | None, digits: bool = False) -> str:
    if value is None:
        return "-"
    return _digits(f"{value:.1f}", bool(digits))


@register.inclusion_tag("tracking/_summary.html")
def tracking_card(agency: Agency, ita_year: int, td: bool = False) -> dict[str, Any]:
    """The summary of the agency-year's plan as of today (``tracking/_summary.html``)."""
    return {
        "summary": tracking_summary(agency, ita_year, timezone.localdate()),
        "agency": agency,
        "ita_year": ita_year,
        "td": td,
    }


@register.filter
def status_th(status: str) -> str:
    """The Thai word of a status key (catalog/progress.yaml)."""
    return next((w.th for key, w in status_words().items() if key == status), status)


@register.filter
def size(value: int | None, digits: bool = False) -> str:
    """A file size as people read it: '820 KB', '2.4 MB'."""
    if value is None:
        return "-"
    shown = (
        f"{value / (1024 * 1024):,.1f} MB" if value >= 1024 * 1024 else f"{max(1, round(value / 1024)):,} KB"
    )
    return _digits(shown, bool(digits))
