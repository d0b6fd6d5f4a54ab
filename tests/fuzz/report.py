"""``python -m tests.fuzz.report [-k TEXT] [--failures]``: run the fuzz cases without pytest and
print the per-class table (and, with --failures, each failing case's first lines). Set
PRONGSAI_FUZZ=long for the long run."""

from __future__ import annotations

import argparse
import sys
import time

from tests.fuzz.cases import CLASSES, all_cases
from tests.fuzz.harness import fuzz_root, run_case, warm_up
from tests.fuzz.properties import explore_agency_names, explore_number_forms
from tests.fuzz.tally import failures, record, table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-k", "--keyword", default="", help="run only cases whose id contains this text")
    parser.add_argument("--failures", action="store_true", help="print every failing case")
    parser.add_argument("--no-properties", action="store_true", help="leave out the hypothesis parts")
    options = parser.parse_args(argv)
    warm_up()
    start = time.monotonic()
    with fuzz_root() as root:
        for case in all_cases():
            if options.keyword in case.id:
                result = run_case(case, root)
                record(case.cls, case.name, result.passed, result.explain(), result.outcome.seconds)
                print("." if result.passed else "F", end="", file=sys.stderr, flush=True)
        if not options.no_properties and not options.keyword:
            for explore in (explore_number_forms, explore_agency_names):
                for result in explore(root):
                    record(
                        result.case.cls,
                        result.case.name,
                        result.passed,
                        result.explain(),
                        result.outcome.seconds,
                    )
    print(file=sys.stderr)
    print(table(list(CLASSES)))
    print(f"wall time {time.monotonic() - start:.0f} s")
    if options.failures:
        print("\n\n".join(failures()))
    return 0 if not failures() else 1


if __name__ == "__main__":
    sys.exit(main())
