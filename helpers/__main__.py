"""Command line: ``python -m helpers <command> ...``.

Commands:
  run        execute notebooks top to bottom, in place (what ``make run`` does)
  validate   validate every data table against its descriptor and print row counts
  datadoc    regenerate ``data/README.md`` from the descriptors
  bench      print the model benchmarks (``helpers.bench``)
  report     render the "your municipality" report for a config file (``helpers.report``)
  site       build the static site of the notebooks (``helpers.site``)
  currency   list legal rows whose newest source is older than --months N (``helpers.states``)
  balance    print the balance report and check its standards (``helpers.balance``)
  student-copies  write a zip of the exercise notebooks, outputs cleared, no answer keys (``helpers.student_copies``)
"""

from __future__ import annotations

import importlib
import sys

COMMANDS = {
    "run": "helpers.runner",
    "validate": "helpers.datadoc",
    "datadoc": "helpers.datadoc",
    "bench": "helpers.bench",
    "report": "helpers.report",
    "site": "helpers.site",
    "currency": "helpers.states",
    "balance": "helpers.balance",
    "student-copies": "helpers.student_copies",
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help") or argv[0] not in COMMANDS:
        print(__doc__.strip())
        if argv and argv[0] not in ("-h", "--help"):
            print(f"\nerror: unknown command {argv[0]!r}; choose one of: {', '.join(COMMANDS)}", file=sys.stderr)
            return 2
        return 0
    command, rest = argv[0], argv[1:]
    module = importlib.import_module(COMMANDS[command])
    if command == "validate":
        return module.validate_main(rest)
    return int(module.main(rest) or 0)


if __name__ == "__main__":
    sys.exit(main())
