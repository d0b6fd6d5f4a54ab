"""Parameter types of the command line: numbers, years and choices as people type them.

click's own types answer in English only, and its integer type reads ``1_000`` as a thousand
(Python's ``int()`` does). These read Arabic or Thai digits (``--jobs ๔``, ``--plan-year ๒๕๖๘``)
and nothing else, and refuse a value with a located problem in Thai and English, raised as
:class:`InputError` so that the command line reports it like any other bad input (exit status 2).

The decorators of the commands name these types; :func:`apply_types` turns any click
Choice/IntRange/INT/Path left on a command into its bilingual form, as a safety net.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import click

from prongsai.errors import InputError
from prongsai.framework import load_frameworks
from prongsai.ingest.record import parse_year
from prongsai.problems import Location, error, label, suggestion_params
from prongsai.thai import BE_OFFSET, to_arabic_digits

# More digits than any count or year needs: such a value is refused, never handed to int()
_WHOLE = re.compile(r"[+-]?[0-9]{1,18}")
_YEAR_PREFIX = re.compile(r"^(?:พ\.ศ\.|ปี)\s*")


def param_name(param: click.Parameter | None) -> str | None:
    """How people name a parameter: its longest option (``--plan-year``) or its argument (``YEAR``)."""
    if param is None:
        return None
    if isinstance(param, click.Option) and param.opts:
        return max(param.opts, key=len)
    return param.human_readable_name.strip("[].")


def _where(param: click.Parameter | None) -> Location:
    return Location(option=param_name(param))


def whole_number(value: object) -> int | None:
    """12, '12', '๑๒', ' +12 ' -> 12; '1_000', '1.0', '1e3', '0x10', '١٢' and a bool -> None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if not isinstance(value, str):
        return None
    text = to_arabic_digits(unicodedata.normalize("NFKC", value)).strip()
    return int(text) if _WHOLE.fullmatch(text) else None


class WholeNumber(click.ParamType[int]):
    """A whole number, optionally bounded: ``--jobs``, ``--agencies``, ``--seed``."""

    name = "integer"

    def __init__(self, low: int | None = None, high: int | None = None) -> None:
        self.low = low
        self.high = high

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        number = whole_number(value)
        where = _where(param)
        if number is None:
            raise InputError([error("cli_not_a_whole_number", where, value=value)])
        too_small = self.low is not None and number < self.low
        if self.high is not None and (too_small or number > self.high):
            raise InputError(
                [
                    error(
                        "cli_number_out_of_range",
                        where,
                        value=number,
                        low=f"{self.low:,}",
                        high=f"{self.high:,}",
                    )
                ]
            )
        if too_small:
            raise InputError([error("cli_number_too_small", where, value=number, low=f"{self.low:,}")])
        return number

    def describe(self, lang: Literal["th", "en"]) -> str | None:
        """The allowed range as the help page shows it, or None for any whole number."""
        if self.low is not None and self.high is not None:
            return label("cli_range", lang, low=f"{self.low:,}", high=f"{self.high:,}")
        if self.low is not None:
            return label("cli_at_least", lang, low=f"{self.low:,}")
        return None

    def __repr__(self) -> str:
        return f"WholeNumber({self.low}, {self.high})"


def _year_number(value: object) -> int | None:
    if isinstance(value, str):
        value = _YEAR_PREFIX.sub("", to_arabic_digits(value).strip())
    return whole_number(value)


class ItaYear(click.ParamType[int]):
    """An ITA year prongsai has a framework for (``framework ๒๕๖๘``, ``synth --year``).

    The rules and wording are :func:`prongsai.ingest.record.parse_year`'s: a Common Era year is
    refused with the Buddhist-era year suggested."""

    name = "year"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        number = _year_number(value)
        year, problems = parse_year(value if number is None else number, _where(param))
        if year is None:
            raise InputError(problems)
        return year


class PlanYear(click.ParamType[int]):
    """The fiscal year of a plan's measures: a Buddhist-era year from the first ITA framework year to
    one after the newest (a plan is drafted for the year after the assessment, so no framework of its
    own is needed). 0, -1, 25 or a Common Era year such as 2025 are refused."""

    name = "year"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        where = _where(param)
        year = _year_number(value)
        if year is None or not 1000 <= year <= 9999:
            raise InputError([error("cli_plan_year_not_a_year", where, value=value)])
        known = load_frameworks()
        first, last = min(known), max(known) + 1
        if first <= year <= last:
            return year
        if first <= year + BE_OFFSET <= last or 1900 <= year <= 2200:
            raise InputError([error("cli_plan_year_in_ce", where, value=year, be=year + BE_OFFSET)])
        raise InputError([error("cli_plan_year_out_of_range", where, value=year, first=first, last=last)])


class Choice(click.Choice[str]):
    """click's Choice, refusing a value in Thai and English with the closest choice suggested."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            choices = [str(c) for c in self.choices]
            raise InputError(
                [
                    error(
                        "cli_not_a_choice",
                        _where(param),
                        value=value,
                        choices=", ".join(choices),
                        **suggestion_params(str(value), choices),
                    )
                ]
            ) from None


ITA_YEAR = ItaYear()
PLAN_YEAR = PlanYear()


def bilingual(param_type: click.ParamType[Any]) -> click.ParamType[Any]:
    """The bilingual type for a click type that can refuse a value; any other type as it is."""
    if isinstance(param_type, click.Choice) and not isinstance(param_type, Choice):
        return Choice([str(c) for c in param_type.choices], case_sensitive=param_type.case_sensitive)
    if isinstance(param_type, click.IntRange) and not (
        param_type.min_open or param_type.max_open or param_type.clamp
    ):
        low, high = param_type.min, param_type.max
        return WholeNumber(None if low is None else int(low), None if high is None else int(high))
    if param_type is click.INT:
        return WholeNumber()
    if isinstance(param_type, click.Path) and param_type.readable and _path_cannot_fail(param_type, True):
        # click would refuse an unreadable file in English; the readers report it in both languages
        return click.Path(
            readable=False,
            resolve_path=param_type.resolve_path,
            allow_dash=param_type.allow_dash,
            path_type=param_type.type,
        )
    return param_type


def _path_cannot_fail(path: click.Path, readable: bool = False) -> bool:
    checks = (path.exists, not path.file_okay, not path.dir_okay, path.writable, path.executable)
    return not any(checks) and path.readable == readable


def apply_types(commands: Mapping[str, click.Command]) -> None:
    """Give every parameter the bilingual form of the type its decorator names (a safety net: the
    decorators name prongsai's types, and a test keeps any that could refuse in English out)."""
    for command in commands.values():
        for param in command.params:
            param.type = bilingual(param.type)


def refusing_types(commands: Mapping[str, click.Command]) -> Sequence[str]:
    """Parameters whose type could still refuse a value in English only (none once applied)."""
    safe = (WholeNumber, ItaYear, PlanYear, Choice, click.types.StringParamType)
    found = []
    for name, command in commands.items():
        for param in command.params:
            if isinstance(param, click.Option) and param.is_flag:
                continue
            if isinstance(param.type, click.Path) and _path_cannot_fail(param.type):
                continue
            if not isinstance(param.type, safe):
                found.append(f"{name} {param_name(param)}: {param.type!r}")
    return found
