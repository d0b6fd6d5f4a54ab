"""``{% load jobs_tags %}{% agency_reminders agency %}``: the agency home's list of measures due soon
or overdue (jobs/reminders.py ``reminders_for``), rendered by ``jobs/_reminders.html``."""

from __future__ import annotations

from typing import Any

from django import template

from prongsai_web.directory.models import Agency
from prongsai_web.jobs.reminders import remind_days, reminders_for

register = template.Library()


@register.inclusion_tag("jobs/_reminders.html")
def agency_reminders(agency: Agency) -> dict[str, Any]:
    return {
        "agency": agency,
        "reminders": reminders_for(agency),
        "remind_days": remind_days(),
        "td": agency.words.thai_digits,
    }
