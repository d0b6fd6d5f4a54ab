"""The Jinja environment an agency's DOCX template is rendered in: it can read the documented fields
and nothing else, and it cannot run long or grow large.

A template is untrusted input: in the web application it is uploaded by whoever has an account, and
a plain Jinja environment lets ``{{ cycler.__init__.__globals__ }}`` reach Python itself. Here:

- **Sandbox**: Jinja's :class:`ImmutableSandboxedEnvironment` (no ``_`` attributes, no methods that
  change a list or dict), and further: attributes only of plain values (text, numbers, lists,
  dicts) and of Jinja's own loop and macro objects, and of those only the harmless methods below;
  the pictures of ``charts`` can be printed but not opened. No global but ``range``; only the
  filters in :data:`FILTERS_ALLOWED`. A forbidden name is the error ``template_forbidden``; a name the data
  does not have is ``template_unknown_name``. Printing a method or function is refused too.
- **Size**: every number used as a width, count, ``range()`` bound or made by ``**`` is at most
  :attr:`TemplateLimits.number`; every text or list the template makes by ``*``, ``+``, ``~``,
  ``join``, ``replace`` or ``format`` at most :attr:`TemplateLimits.text`, checked before it is
  made, and so is every list a filter is given, counting the texts inside it (``[big] * 1000`` is
  a short list until ``map('upper')`` copies each item); all the text a template outputs (loop
  bodies and printed values) at most :attr:`TemplateLimits.chars`; all loop iterations together
  at most :attr:`TemplateLimits.loops`. A real template (ten indicators, thirty measures of a few
  steps) uses well under a thousandth of each. Going over one is the usual ``limit_exceeded`` error
  naming the limit.
- **Time**: the caller renders inside ``loader.limits.time_limit``; loops also check the deadline.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

from jinja2 import StrictUndefined, nodes
from jinja2.exceptions import TemplateRuntimeError, UndefinedError
from jinja2.filters import FILTERS
from jinja2.runtime import Context, Undefined, markup_join, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import missing
from markupsafe import Markup

from prongsai.errors import InputError
from prongsai.loader.limits import check_time
from prongsai.problems import Location, error, label


@dataclass(frozen=True)
class TemplateLimits:
    """What one rendering of a template may cost (see the module docstring)."""

    loops: int = 100_000  # loop iterations, all loops together
    chars: int = 20_000_000  # characters of text output, all parts of the document together
    number: int = 100_000  # a width, count, range() bound or ** result (Jinja's own range limit)
    text: int = 1_000_000  # characters (or items) of one text or list the template makes


TEMPLATE_LIMITS = TemplateLimits()

# Filters a template may use: formatting and selecting the documented fields. Left out: those that
# pad or repeat text by a width (center, indent, wordwrap), random (a signed document must come out
# the same every time), safe (the fields are text; raw XML from the data would break the document)
# and those a document has no use for (pprint, tojson, urlize, urlencode, xmlattr, filesizeformat).
FILTERS_ALLOWED = frozenset(
    {
        *("abs", "attr", "batch", "capitalize", "count", "d", "default", "dictsort", "e", "escape"),
        *("first", "float", "format", "groupby", "int", "items", "join", "last", "length", "list"),
        *("lower", "map", "max", "min", "reject", "rejectattr", "replace", "reverse", "round"),
        *("select", "selectattr", "slice", "sort", "string", "striptags", "sum", "title", "trim"),
        *("truncate", "unique", "upper", "wordcount"),
    }
)

# Methods of the plain values a template may call (everything else on them is refused).
_METHODS: dict[type, frozenset[str]] = {
    str: frozenset(
        {
            *("capitalize", "count", "endswith", "find", "format", "index", "isalpha", "isdigit"),
            *("isnumeric", "isspace", "lower", "lstrip", "replace", "rfind", "rsplit", "rstrip"),
            *("split", "splitlines", "startswith", "strip", "title", "upper"),
        }
    ),
    dict: frozenset({"items", "keys", "values", "get"}),
    list: frozenset({"count", "index"}),
    tuple: frozenset({"count", "index"}),
}
_JINJA_MODULES = ("jinja2.runtime",)  # loop.index, loop.cycle(), caller(): Jinja's own objects
_PLAIN = (int, float, bool, type(None), range)
_SEQUENCES = (str, list, tuple)
_OTHER_TEMPLATES: dict[type[nodes.Node], str] = {
    nodes.Include: "include",
    nodes.Import: "import",
    nodes.FromImport: "import",
    nodes.Extends: "extends",
}
# The width and precision of a printf-style conversion ("%05.2f", "%*d") and the format spec of a
# str.format field ("{:>10}", "{0:.2f}"); a nested field ("{:>{w}}") takes its width from the arguments.
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\d+|\*)?(?:\.(\d+|\*))?")
_BRACE_SPEC = re.compile(r"\{[^{}]*?:([^{}]*)\}")
_NESTED_FIELD = re.compile(r"\{[^{}]*:[^{}]*\{")
_DIGITS = re.compile(r"\d+")


class UnknownName(UndefinedError):
    """A name the template's data does not have; ``name`` is that name."""

    def __init__(self, name: str, message: str) -> None:
        self.name = name
        super().__init__(message)


class _Undefined(StrictUndefined):
    """Like StrictUndefined (nothing is left blank in a signed document), failing with UnknownName."""

    __slots__ = ()

    def __init__(
        self,
        hint: str | None = None,
        obj: Any = missing,
        name: str | None = None,
        exc: type[TemplateRuntimeError] = UndefinedError,
    ) -> None:
        unknown = functools.partial(UnknownName, str(name if name is not None else hint))
        super().__init__(hint, obj, name, unknown)  # type: ignore[arg-type]


class TemplateSandbox(ImmutableSandboxedEnvironment):
    """A fresh one for every rendering: it counts that rendering's loops and output."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, location: Location, path: str, limits: TemplateLimits = TEMPLATE_LIMITS) -> None:
        super().__init__(undefined=_Undefined, autoescape=True, finalize=self._count_output)
        self.location = location
        self.path = path
        self.limits = limits
        self.loops = 0
        self.chars = 0
        self.globals.clear()
        self.globals["range"] = self._range
        self.filters = {
            name: self._guarded(name, function) if name in FILTERS_ALLOWED else self._refused(name)
            for name, function in FILTERS.items()
        }

    # ---------------------------------------------------------------------------------------------
    # What a template may reach
    # ---------------------------------------------------------------------------------------------

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if not super().is_safe_attribute(obj, attr, value):
            return False
        for kind, methods in _METHODS.items():
            if isinstance(obj, kind):
                return attr in methods
        if isinstance(obj, _PLAIN):
            return False
        return type(obj).__module__ in _JINJA_MODULES

    def unsafe_undefined(self, obj: Any, attribute: str) -> NoReturn:
        raise self._forbidden(attribute)

    def _forbidden(self, name: str) -> InputError:
        return InputError([error("template_forbidden", self.location, path=self.path, name=name)])

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        __self._check_numbers(args, kwargs)
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str) and getattr(__obj, "__name__", "") == "replace" and len(args) >= 2:
            __self._check_replace(owner, args[0], args[1], args[2] if len(args) > 2 else -1)
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapper = super().wrap_str_format(value)
        if wrapper is None:
            return None
        pattern: str = value.__self__

        def checked(*args: Any, **kwargs: Any) -> str:
            self._check_format(pattern, [*args, *kwargs.values()], percent=False)
            return wrapper(*args, **kwargs)

        return checked

    # ---------------------------------------------------------------------------------------------
    # How large and how long
    # ---------------------------------------------------------------------------------------------

    def call_binop(self, context: Context, operator_: str, left: Any, right: Any) -> Any:
        if operator_ == "*":
            self._check_repeat(left, right)
        elif operator_ == "**":
            self._check_power(left, right)
        elif operator_ == "+" and isinstance(left, _SEQUENCES) and isinstance(right, _SEQUENCES):
            self._check_text(self._weight(left) + self._weight(right))
        elif operator_ == "%" and isinstance(left, str):
            self._check_format(left, right if isinstance(right, tuple) else [right], percent=True)
        return self.binop_table[operator_](left, right)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """The template's syntax tree with every loop counted and every ``~`` checked."""
        tree = super()._parse(source, name, filename)
        for kind, word in _OTHER_TEMPLATES.items():
            if any(True for _ in tree.find_all(kind)):  # a template names no other file
                raise self._forbidden(word)
        for loop in tree.find_all(nodes.For):
            if loop.recursive:  # a recursive loop calls itself with new items, out of any count
                raise self._forbidden("recursive")
            weight = sum(len(d.data) for d in _own_data(loop.body))
            loop.iter = self._call("prongsai_loop", [loop.iter, nodes.Const(weight)], loop.iter.lineno)
        for concat in list(tree.find_all(nodes.Concat)):
            concat.nodes = [self._call("prongsai_concat", list(concat.nodes), concat.lineno)]
        return tree

    @staticmethod
    def _call(attribute: str, args: Sequence[nodes.Node], lineno: int) -> nodes.Call:
        return nodes.Call(nodes.EnvironmentAttribute(attribute), args, [], None, None, lineno=lineno)

    def prongsai_loop(self, items: Iterable[Any], weight: int) -> Iterator[Any]:
        """The items of one loop, counted against ``loops``; the literal text of its body (``weight``
        characters) against ``chars``."""
        for item in items:
            self.loops += 1
            self.chars += weight
            if self.loops > self.limits.loops:
                raise self._over("loops", self.limits.loops)
            if self.chars > self.limits.chars:
                raise self._over("chars", self.limits.chars)
            if self.loops % 256 == 0:
                check_time()
            yield item

    def prongsai_concat(self, *parts: Any) -> str:
        """``a ~ b``: the parts joined as text, once their length is known to fit."""
        texts = [p if isinstance(p, str) else str(p) for p in parts]
        self._check_text(sum(len(t) for t in texts))
        return markup_join(parts) if self.autoescape else str_join(parts)

    def _count_output(self, value: Any) -> Any:
        """Every printed value (``{{ ... }}``), counted against ``chars``. Pictures and other
        objects that render themselves (``__html__``) pass unchanged."""
        if hasattr(value, "__html__") and not isinstance(value, Markup):
            return value
        # a method or function printed: of no use in a document, and it shows Python's insides
        if callable(value) and not isinstance(value, Undefined):
            raise self._forbidden(getattr(value, "__name__", type(value).__name__))
        text = value if isinstance(value, str) else str(value)
        self.chars += len(text)
        if self.chars > self.limits.chars:
            raise self._over("chars", self.limits.chars)
        return text

    def _range(self, *args: int) -> range:
        self._check_numbers(args, {})
        made = range(*args)
        if len(made) > self.limits.number:
            raise self._over("number", self.limits.number, len(made))
        return made

    def _guarded(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        """A filter that refuses numbers over ``number`` and texts it would make over ``text``."""
        skip = 2 if hasattr(function, "jinja_pass_arg") else 1  # (context,) value, then arguments

        @functools.wraps(function)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            self._check_numbers(args[skip:], kwargs)
            value, rest = (args[skip - 1] if len(args) >= skip else None), args[skip:]
            self._check_text(self._weight(value))  # map('upper') over [big, big, ...] would copy each
            if name == "join":
                self._check_join(value, rest[0] if rest else kwargs.get("d", ""))
            elif name == "replace" and isinstance(value, str) and len(rest) >= 2:
                self._check_replace(value, rest[0], rest[1], rest[2] if len(rest) > 2 else -1)
            elif name == "format" and isinstance(value, str):
                self._check_format(value, [*rest, *kwargs.values()], percent=True)
            elif name == "sum":
                self._check_sum(value)
            return function(*args, **kwargs)

        return guarded

    def _refused(self, name: str) -> Callable[..., NoReturn]:
        """A filter Jinja has but templates may not use: naming it is a clear error, not "no such filter"."""

        def refused(*args: Any, **kwargs: Any) -> NoReturn:
            raise self._forbidden(name)

        return refused

    def _check_numbers(self, args: Sequence[Any], kwargs: dict[str, Any]) -> None:
        for value in [*args, *kwargs.values()]:
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > self.limits.number:
                raise self._over("number", self.limits.number, abs(value))

    def _check_text(self, size: int) -> None:
        if size > self.limits.text:
            raise self._over("text", self.limits.text, size)

    def _check_repeat(self, left: Any, right: Any) -> None:
        for sequence, times in ((left, right), (right, left)):
            if isinstance(sequence, _SEQUENCES) and isinstance(times, int):
                self._check_text(self._weight(sequence) * max(times, 0))

    def _check_power(self, base: Any, exponent: Any) -> None:
        if isinstance(base, int) and isinstance(exponent, int) and exponent > 0:
            bits = max(abs(base).bit_length() - 1, 0) * exponent  # the result has at least this many bits
            if bits > self.limits.number.bit_length() or abs(base) ** min(exponent, 64) > self.limits.number:
                raise self._over("number", self.limits.number)

    def _check_replace(self, value: str, old: Any, new: Any, count: Any) -> None:
        if isinstance(old, str) and isinstance(new, str) and len(new) > len(old):
            hits = value.count(old) if old else len(value) + 1
            if isinstance(count, int) and count >= 0:
                hits = min(hits, count)
            self._check_text(len(value) + hits * (len(new) - len(old)))

    def _check_join(self, items: Any, separator: Any) -> None:
        if isinstance(items, (list, tuple, range, str)):
            self._check_text(len(items) * len(str(separator)) + self._weight(items))

    def _weight(self, value: Any, depth: int = 0) -> int:
        """What ``value`` costs when copied: characters of text, items of lists (and of the lists
        and texts in them: ``[big] * 1000`` is small as a list and large as soon as it is joined or
        mapped). Stops counting once over ``text``."""
        if isinstance(value, str):
            return len(value)
        if depth > 8 or not isinstance(value, (list, tuple, dict)):
            return 1
        total = len(value)
        for item in value.values() if isinstance(value, dict) else value:
            total += self._weight(item, depth + 1)
            if total > self.limits.text:
                break
        return total

    def _check_sum(self, items: Any) -> None:
        if isinstance(items, (list, tuple)) and any(not isinstance(i, (int, float)) for i in items):
            raise self._forbidden("sum")  # only numbers: sum(start=[]) over lists repeats them

    def _check_format(self, pattern: str, args: Iterable[Any], *, percent: bool) -> None:
        """``'%5d' % x``, ``'{:>5}'.format(x)``: widths and precisions written in the pattern's
        conversions, or taken from the arguments (``%*d``, ``{:>{w}}``), are numbers like any other.
        Digits in the pattern's plain text ("ยอด 1500000 บาท %s") are not."""
        if percent:
            specs = [part for match in _PERCENT_SPEC.finditer(pattern) for part in match.groups() if part]
        else:
            specs = _BRACE_SPEC.findall(pattern)
        for spec in specs:
            for digits in _DIGITS.findall(spec):
                if len(digits) > 9 or int(digits) > self.limits.number:
                    raise self._over("number", self.limits.number)
        taken = "*" in "".join(specs) if percent else bool(_NESTED_FIELD.search(pattern))
        if taken:
            self._check_numbers(list(args), {})

    def _over(self, name: str, limit: int, found: int | None = None) -> InputError:
        """The ``limit_exceeded`` error for a template limit (named ``template_<name>``)."""
        found_th = label("limit_found", "th", found=f"{found:,}") if found is not None else ""
        found_en = label("limit_found", "en", found=f"{found:,}") if found is not None else ""
        return InputError(
            [
                error(
                    "limit_exceeded",
                    self.location,
                    what_th=label(f"limit_template_{name}", "th"),
                    what_en=label(f"limit_template_{name}", "en"),
                    limit=f"{limit:,}",
                    found_th=found_th,
                    found_en=found_en,
                )
            ]
        )


def _own_data(body: Sequence[nodes.Node]) -> Iterator[nodes.TemplateData]:
    """The literal text of a loop body, not counting the bodies of loops inside it (they count
    their own)."""
    for node in body:
        if isinstance(node, nodes.TemplateData):
            yield node
        elif isinstance(node, nodes.For):
            yield from _own_data(node.else_)
        else:
            yield from _own_data(list(node.iter_child_nodes()))
