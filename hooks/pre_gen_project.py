"""Refuse answers that would bake a broken project, with one sentence saying what to change."""

import json
import sys

# Every answer arrives as JSON data, so quotes or newlines in it cannot run as code.
ANSWERS = json.loads({{ cookiecutter | tojson | tojson }})
sys.path.insert(0, {{ template_dir() | tojson }})

from hooks.manifest import validate  # noqa: E402


def main() -> int:
    problems = validate(ANSWERS)
    for problem in problems:
        print(f"ERROR: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
