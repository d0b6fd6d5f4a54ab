"""Every generated case, by class. The default run holds a few hundred; PRONGSAI_FUZZ=long adds many
random mutations (and a real Chromium PDF to mutate). Each class is one row of the summary and one
line of the closing note of issue 11; CLASSES says which part of the issue it covers."""

from __future__ import annotations

import os
from collections.abc import Iterator

from tests.fuzz.cases_inputs import input_cases
from tests.fuzz.cases_limits import limit_cases
from tests.fuzz.cases_messages import message_cases
from tests.fuzz.cases_numbers import control_cases, number_cases
from tests.fuzz.cases_outputs import output_cases
from tests.fuzz.cases_plans import plan_cases
from tests.fuzz.harness import Case
from tests.fuzz.mutate import damaged_cases, mutation_cases

LONG = os.environ.get("PRONGSAI_FUZZ", "").lower() == "long"
MUTATIONS_PER_KIND = int(os.environ.get("PRONGSAI_FUZZ_MUTATIONS", "40" if LONG else "3"))

# class -> what it covers (the heading where it comes from)
CLASSES: dict[str, str] = {
    "controls": "the examples in every results form read as exactly their scores (valid input)",
    "numbers": "numbers silently changed: YAML 1.1 forms, thousands, percentages, duplicates, broken CSV",
    "tracebacks": "tracebacks: unicode JSON, encodings, nesting, anchors, huge numbers/fields, DOCX text",
    "output-paths": "tracebacks: output is a folder, parent is a file, name too long, in every writer",
    "resources": "hangs and memory: billion laughs, 512 GB sheets, gridSpan, zip and Flate bombs, sizes",
    "overwriting": "overwriting: an output that is an input (also ./, ../, symlink, hard link, options)",
    "partial-output": "partial output: multi-file outputs all or nothing",
    "security": "security: template code, formula injection, broken files in a resumed batch",
    "plan-nonsense": "accepted nonsense in plans, units, settings; empty files; --plan-year",
    "valid-refused": "valid input refused: 9.067e1, DECIMAL, Thai digits and dates, encodings, layouts",
    "messages": "messages: click usage errors and help bilingual, YAML error line, empty zip, folders",
    "history": "history silently dropped: same agency under another spelling, another agency",
    "processes": "--jobs starts no more workers than documents",
    "mutations": "truncated and bit-flipped containers; random byte mutations of every input kind (seeded)",
    "number-forms": "hypothesis: a score written in any text form reads as its value or is refused",
    "agency-names": "hypothesis: any agency name reaches every output without a traceback or a formula",
}


def all_cases() -> list[Case]:
    cases = [*_generated()]
    ids = [c.id for c in cases]
    duplicated = {i for i in ids if ids.count(i) > 1}
    if duplicated:
        raise ValueError(f"case names used twice: {sorted(duplicated)}")
    unknown = {c.cls for c in cases} - set(CLASSES)
    if unknown:
        raise ValueError(f"cases of undescribed classes: {sorted(unknown)}")
    return cases


def _generated() -> Iterator[Case]:
    yield from control_cases()
    yield from number_cases()
    yield from input_cases()
    yield from limit_cases()
    yield from message_cases()
    yield from output_cases()
    yield from plan_cases()
    yield from damaged_cases(real_pdf=LONG)
    yield from mutation_cases(MUTATIONS_PER_KIND, real_pdf=LONG)
