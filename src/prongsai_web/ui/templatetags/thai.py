"""Thai on pages: Buddhist-era dates (never Django's |date, which prints the Christian year), scores
with two decimals, and Thai digits where the agency's kind writes them."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from prongsai.thai import BE_OFFSET, format_score, to_thai_digits
from prongsai.timeframe import month_name, thai_date

register = template.Library()


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


@register.filter
def be_date(value: dt.date | dt.datetime | None, digits: bool = False) -> str:
    """'2 ธันวาคม 2569'."""
    if value is None:
        return "-"
    day = _local(value).date() if isinstance(value, dt.datetime) else value
    text = thai_date(day)
    return to_thai_digits(text) if digits else text


@register.filter
def be_datetime(value: dt.datetime | None, digits: bool = False) -> str:
    """'2 ธันวาคม 2569 เวลา 14:05 น.'."""
    if value is None:
        return "-"
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    text = f"{thai_date(local.date())} เวลา {local:%H:%M} น."
    return to_thai_digits(text) if digits else text


@register.filter
def be_month(value: dt.date) -> str:
    return f"{month_name(value.month)} {value.year + BE_OFFSET}"


@register.filter
def score(value: float | str | None, digits: bool = False) -> str:
    """Two decimals; '-' when there is no figure."""
    if value is None or value == "":
        return "-"
    return format_score(float(value), thai_digits=bool(digits))


@register.filter
def digits(value: object, thai: bool = False) -> str:
    """Any text with Thai digits when ``thai``."""
    text = "" if value is None else str(value)
    return to_thai_digits(text) if thai else text
