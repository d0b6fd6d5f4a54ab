"""What each audit event means, in Thai and English (texts/staff.yaml ``event_*``), and the choices of
the audit page's action filter. An action written by code that is not listed here is shown as its
name."""

from __future__ import annotations

from dataclasses import dataclass

from prongsai_web.messages import text, texts

GROUPS = ("auth", "user", "membership", "agency", "results", "plan", "document")


@dataclass(frozen=True)
class Choice:
    value: str  # 'plan.saved', or 'plan.*' for the group
    th: str
    en: str


def event_words(action: str) -> tuple[str, str]:
    """'user.added' -> ('เพิ่มผู้ใช้', 'user added'); an unknown action as itself."""
    key = f"event_{action}"
    return text(key) if key in texts() else (action, action)


def known_actions() -> list[str]:
    """Every action with words, in the order texts/staff.yaml lists them."""
    prefix = "event_"
    return [key[len(prefix) :] for key in texts() if key.startswith(prefix) and "." in key]


def action_choices() -> list[Choice]:
    """Each group ('every plan event'), followed by its actions."""
    actions = known_actions()
    choices = []
    for group in GROUPS:
        th, en = text(f"event_group_{group}")
        choices.append(Choice(f"{group}.*", th, en))
        choices += [Choice(a, *event_words(a)) for a in actions if a.startswith(f"{group}.")]
    grouped = {c.value for c in choices}
    choices += [Choice(a, *event_words(a)) for a in actions if a not in grouped]
    return choices
