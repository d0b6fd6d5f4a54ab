"""The command line's own words in Thai and English: help pages and the usage errors click words.

The help of every command and parameter lives in one data file, catalog/cli.yaml, validated when
loaded and checked against the commands themselves: every command and parameter has an entry and
no entry is left over (:func:`apply_text`). :class:`ProngsaiCommand` and :class:`ProngsaiGroup`
write the help pages through click's ``format_*`` methods: bilingual headings and click's own
phrases from the message table, Thai above English, wrapped by display width (Thai vowel and tone
marks take no column, and Thai breaks only at spaces, so click's ``len()``-based wrapping would cut
it badly). They also name what click leaves in English text only: the values a command did not
expect and a missing command, as located problems (:class:`ProblemUsageError`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal, cast

import click
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from prongsai.cli.types import WholeNumber, param_name
from prongsai.errors import DataFileError
from prongsai.problems import Location, Problem, error, ui
from prongsai.thai import display_width

Lang = Literal["th", "en"]
GROUP_KEY = "prongsai"  # the entry of the main group in catalog/cli.yaml
ORIGIN = "catalog/cli.yaml"
TERM_MAX = 30  # widest first column of an option list, as click's own (longer terms get a line alone)
NBSP = "\u00a0"
TEXT_MIN = 24  # the help column never gets narrower than this, however deep the indentation


# --------------------------------------------------------------------------------------------------
# catalog/cli.yaml
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    th: str
    en: str

    def __iter__(self) -> Iterator[str]:
        return iter((self.th, self.en))


@dataclass(frozen=True)
class CommandText:
    summary: Text
    details: Text | None
    params: Mapping[str, Text]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _has_thai(text: str) -> bool:
    return any("\u0e00" <= ch <= "\u0e7f" for ch in text)


class _TextSpec(_Strict):
    th: str
    en: str

    @field_validator("th")
    @classmethod
    def _thai(cls, value: str) -> str:
        if not _has_thai(value):
            raise ValueError("the Thai text has no Thai in it")
        return value.strip()

    @field_validator("en")
    @classmethod
    def _english(cls, value: str) -> str:
        if not value.strip() or _has_thai(value):
            raise ValueError("the English text is empty or has Thai in it")
        return value.strip()


class _CommandSpec(_Strict):
    summary: _TextSpec
    details: _TextSpec | None = None
    params: dict[str, _TextSpec] = {}


class _FileSpec(_Strict):
    schema_version: Literal[1]
    commands: dict[str, _CommandSpec]


def _text(spec: _TextSpec) -> Text:
    return Text(spec.th, spec.en)


@cache
def load_cli_text() -> Mapping[str, CommandText]:
    """Every command's help, by command name (the main group under ``prongsai``)."""
    text = (resources.files("prongsai") / "catalog" / "cli.yaml").read_text(encoding="utf-8")
    return parse_cli_text(yaml.safe_load(text))


def parse_cli_text(raw: object) -> Mapping[str, CommandText]:
    """catalog/cli.yaml's content, validated: exactly th and en everywhere, Thai in th, none in en."""
    try:
        spec = _FileSpec.model_validate(raw)
    except ValidationError as exc:
        found = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        raise DataFileError(ORIGIN, found) from exc
    return {
        name: CommandText(
            _text(entry.summary),
            _text(entry.details) if entry.details else None,
            {key: _text(help) for key, help in entry.params.items()},
        )
        for name, entry in spec.commands.items()
    }


def all_commands(group: click.Group) -> dict[str, click.Command]:
    """Every command by its name in catalog/cli.yaml: the group's own, and those of groups under
    it as 'framework export' (the main group itself is not included)."""
    found: dict[str, click.Command] = {}
    for name, command in group.commands.items():
        found[name] = command
        if isinstance(command, click.Group):
            found |= {f"{name} {sub}": c for sub, c in all_commands(command).items()}
    return found


def coverage_problems(group: click.Group, texts: Mapping[str, CommandText]) -> list[str]:
    """What catalog/cli.yaml lacks or has too many of, compared with the commands themselves."""
    commands: dict[str, click.Command] = {GROUP_KEY: group, **all_commands(group)}
    found = [f"no entry for the command '{name}'" for name in commands if name not in texts]
    found += [f"'{name}' is not a command" for name in texts if name not in commands]
    for name, command in commands.items():
        if name not in texts:
            continue
        keys = [param_name(p) or "" for p in command.params]
        found += [f"{name}: no help for {key}" for key in keys if key not in texts[name].params]
        found += [
            f"{name}: {key} is not one of its parameters" for key in texts[name].params if key not in keys
        ]
    return found


def apply_text(group: click.Group, texts: Mapping[str, CommandText]) -> None:
    """Give the group and every command its bilingual help (the decorators' help= strings are
    replaced by the English of the catalog, which click's own tools read)."""
    found = coverage_problems(group, texts)
    if found:
        raise DataFileError(ORIGIN, found)
    for name, command in {GROUP_KEY: group, **all_commands(group)}.items():
        text = texts[name]
        bilingual = adopt(command)
        bilingual.text = text
        bilingual.help = text.summary.en + (f"\n\n{text.details.en}" if text.details else "")
        bilingual.short_help = text.summary.en
        for param in bilingual.params:
            param.help = text.params[param_name(param) or ""].en


def adopt(command: click.Command) -> ProngsaiCommand:
    """The command as a :class:`ProngsaiCommand`, which only adds methods: the commands are made
    with ``@click.command`` in their own modules until their decorators name ``cls=ProngsaiCommand``,
    and tests run them on their own, so the object itself changes class, once, here."""
    if not isinstance(command, ProngsaiCommand):
        if type(command) is not click.Command:
            raise TypeError(f"{command.name}: make it with cls=ProngsaiCommand or cls=ProngsaiGroup")
        command.__class__ = ProngsaiCommand
    return cast(ProngsaiCommand, command)


# --------------------------------------------------------------------------------------------------
# Wrapping by display width
# --------------------------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    """Space-separated words; Thai's repetition mark stays with the word it repeats ("ก่อน ๆ")."""
    words: list[str] = []
    for word in filter(None, text.split(" ")):  # not at a no-break space (U+00A0)
        if words and word.startswith("ๆ"):
            words[-1] += " " + word
        else:
            words.append(word)
    return words


def _cut(word: str, width: int) -> list[str]:
    """A word wider than a line, cut at ``width`` columns but never before a vowel or tone mark, nor
    before the repetition mark and its space (which then overhang the line by two columns)."""
    pieces, current = [], ""
    for ch in word:
        if current and display_width(current + ch) > width and display_width(ch) > 0 and ch not in " ๆ":
            pieces.append(current)
            current = ""
        current += ch
    return [*pieces, current]


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` terminal columns, broken at spaces (see :func:`_cut` for the one
    exception)."""
    lines: list[str] = []
    current = ""
    for word in _words(text):
        candidate = f"{current} {word}" if current else word
        if display_width(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        *full, current = _cut(word, width)
        lines += full
    return [*lines, current] if current else lines


def _shown(line: str) -> str:
    return line.replace(NBSP, " ")


def _write_lines(formatter: click.HelpFormatter, texts: Sequence[str]) -> None:
    indent = formatter.current_indent
    for text in texts:
        for line in wrap(text, max(formatter.width - indent, TEXT_MIN)):
            formatter.write(" " * indent + _shown(line) + "\n")


def _write_rows(formatter: click.HelpFormatter, rows: Sequence[tuple[str, Sequence[str]]]) -> None:
    """A definition list: the term, then each language's text on lines of its own beside it."""
    indent = formatter.current_indent
    first = min(max(display_width(term) for term, _ in rows), TERM_MAX)
    start = indent + first + 2
    width = max(formatter.width - start, TEXT_MIN)
    for term, texts in rows:
        lines = [line for text in texts for line in wrap(text, width)]
        head = " " * indent + term
        if lines and display_width(term) <= first:
            formatter.write(head + " " * (start - display_width(head)) + _shown(lines.pop(0)) + "\n")
        else:
            formatter.write(head + "\n")
        for line in lines:
            formatter.write(" " * start + _shown(line) + "\n")


def both(name: str) -> str:
    """A word of the interface in both languages: 'ตัวเลือก / Options'."""
    return f"{ui(name, 'th')} / {ui(name, 'en')}"


# --------------------------------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------------------------------


class ProblemUsageError(click.UsageError):
    """A usage error that already carries its located, bilingual problems."""

    def __init__(self, problems: Sequence[Problem], ctx: click.Context | None = None) -> None:
        super().__init__("; ".join(p.message_en for p in problems), ctx)
        self.problems = list(problems)


def visible_commands(ctx: click.Context) -> list[str]:
    command = ctx.command
    if not isinstance(command, click.Group):
        return []
    names = command.list_commands(ctx)
    return [n for n in names if (c := command.get_command(ctx, n)) is not None and not c.hidden]


class ProngsaiCommand(click.Command):
    """A command whose help page and usage errors speak Thai and English."""

    text: CommandText | None = None  # set by apply_text from catalog/cli.yaml

    def param_help(self, ctx: click.Context, param: click.Parameter) -> Text:
        """The help of one parameter, in both languages."""
        if param is self.get_help_option(ctx):
            return Text(ui("cli_help_option", "th"), ui("cli_help_option", "en"))
        key = param_name(param) or ""
        if self.text is not None and key in self.text.params:
            return self.text.params[key]
        english = getattr(param, "help", None) or ""
        return Text(english, english)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        allowed = ctx.allow_extra_args
        ctx.allow_extra_args = True  # extra values are reported here, with the values themselves
        try:
            rest = super().parse_args(ctx, args)
        except click.UsageError as exc:
            if exc.ctx is None:  # click's parser raises some without the context
                exc.ctx = ctx
            raise
        finally:
            ctx.allow_extra_args = allowed
        if not ctx.resilient_parsing:
            self.check_rest(ctx, rest, allowed)
        return rest

    def check_rest(self, ctx: click.Context, rest: list[str], allowed: bool) -> None:
        """Values left over after parsing: a command takes none unless it says so."""
        if rest and not allowed:
            usage = " ".join(self.collect_usage_pieces(ctx))
            where = Location(option=ctx.command_path)
            problem = error(
                "cli_extra_arguments", where, args=" ".join(rest), command=ctx.command_path, usage=usage
            )
            raise ProblemUsageError([problem], ctx)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        pieces = self.collect_usage_pieces(ctx)
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=f"{both('cli_usage')}: ")

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if self.text is None:
            super().format_help_text(ctx, formatter)
            return
        paragraphs = [self.text.summary] + ([self.text.details] if self.text.details else [])
        with formatter.indentation():
            for paragraph in paragraphs:
                formatter.write_paragraph()
                _write_lines(formatter, list(paragraph))

    def format_arguments(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [
            (p.make_metavar(ctx), list(self.param_help(ctx, p)))
            for p in self.get_params(ctx)
            if isinstance(p, click.Argument)
        ]
        if rows:
            with formatter.section(both("cli_arguments")):
                _write_rows(formatter, rows)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for param in self.get_params(ctx):
            record = None if isinstance(param, click.Argument) else param.get_help_record(ctx)
            if record is not None and isinstance(param, click.Option):
                help = self.param_help(ctx, param)
                rows.append(
                    (record[0], [help.th + _extra(ctx, param, "th"), help.en + _extra(ctx, param, "en")])
                )
        if rows:
            with formatter.section(both("cli_options")):
                _write_rows(formatter, rows)


def _extra(ctx: click.Context, option: click.Option, lang: Lang) -> str:
    """The bracketed default, range and 'required' after an option's help, in one language."""
    extra: Mapping[str, Any] = option.get_help_extra(ctx)
    items = []
    if "default" in extra:
        items.append(f"{ui('cli_default', lang)}: {extra['default']}")
    if isinstance(option.type, WholeNumber) and (allowed := option.type.describe(lang)):
        items.append(allowed)
    elif "range" in extra:
        items.append(str(extra["range"]))
    if "required" in extra:
        items.append(ui("cli_required", lang))
    # each bracketed item is kept on one line: its spaces are no-break spaces until written
    return " [" + "; ".join(item.replace(" ", NBSP) for item in items) + "]" if items else ""


class ProngsaiGroup(click.Group, ProngsaiCommand):
    """The main group: its command list shows each command's summary in both languages."""

    def check_rest(self, ctx: click.Context, rest: list[str], allowed: bool) -> None:
        """A group needs a command (click's own check has only English text to say so)."""
        if not rest and not self.invoke_without_command:
            known = ", ".join(visible_commands(ctx))
            raise ProblemUsageError(
                [error("cli_missing_command", Location(option="COMMAND"), known=known)], ctx
            )

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in visible_commands(ctx):
            command = self.get_command(ctx, name)
            text = command.text if isinstance(command, ProngsaiCommand) else None
            summary = list(text.summary) if text else [command.get_short_help_str(60) if command else ""]
            rows.append((name, summary))
        if rows:
            with formatter.section(both("cli_commands")):
                _write_rows(formatter, rows)
