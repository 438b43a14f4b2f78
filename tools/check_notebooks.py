"""Check that committed notebooks are as `make refresh` writes them, and private.

nbval (in `make test`) compares each code cell's stored outputs with a fresh run, so the
outputs must stay in git; what must not is what a person's session adds. nbstripout (the
pre-commit hook before this one) removes the noisy metadata; this script checks the rest:

* the notebook asks for the project's kernel (``rupak``), so it runs in the project's
  environment wherever it is opened;
* its stored outputs come from one top-to-bottom run (execution counts 1, 2, 3, ...), as
  `make refresh` makes them, not from cells run out of order while exploring;
* it has stored outputs at all (a cleared notebook would make nbval pass vacuously);
* nothing in it names a folder of somebody's machine (home folders, temporary folders).

Standard library only, so it runs before the environment exists. Usage:
``python tools/check_notebooks.py notebooks/*.ipynb`` (exit status 1 and one line per problem).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

KERNEL = {"name": "rupak", "display_name": "Python (rupak)", "language": "python"}

# Folders that belong to one machine or one person; a committed notebook never needs them.
MACHINE_PATH = re.compile(
    r"(?<![\w.])("
    r"/(?:home|Users|root|work|tmp|private/var|var/folders|mnt|media)/[^\s\"'<>]*"
    r"|[A-Za-z]:\\\\?(?:Users|Documents and Settings)\\[^\s\"'<>]*"
    r"|file:///[^\s\"'<>]*"
    r")"
)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _strings(value: object, where: str):
    """Every string inside a JSON value, with where it is."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{where}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            # Embedded images are base64: they cannot hold a readable path, and are large.
            if key.startswith("image/"):
                continue
            yield from _strings(item, f"{where}.{key}")


def problems(path: Path) -> list[str]:
    """Every problem of one notebook, as ``file: where: message`` lines."""
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        return [f"{path}: cannot be read as a notebook: {_short(str(error))}"]
    found = []
    kernelspec = notebook.get("metadata", {}).get("kernelspec")
    if kernelspec != KERNEL:
        found.append(
            f"{path}: metadata.kernelspec: {_short(json.dumps(kernelspec))}: "
            f"expected {json.dumps(KERNEL)} (the environment's kernel, see README)"
        )
    code = [
        (i, cell)
        for i, cell in enumerate(notebook.get("cells", []))
        if cell.get("cell_type") == "code" and "".join(cell.get("source", "")).strip()
    ]
    counts = [cell.get("execution_count") for _, cell in code]
    if counts != list(range(1, len(code) + 1)):
        found.append(
            f"{path}: execution counts {_short(str(counts))}: the stored outputs are not from "
            "one top-to-bottom run; run `make refresh`"
        )
    if code and not any(cell.get("outputs") for _, cell in code):
        found.append(f"{path}: no stored outputs: nbval would compare nothing; run `make refresh`")
    seen = set()
    for where, text in _strings(notebook, "notebook"):
        for match in MACHINE_PATH.finditer(text):
            if (where, match.group(1)) not in seen:
                seen.add((where, match.group(1)))
                found.append(
                    f"{path}: {_short(where)}: {_short(match.group(1))}: "
                    "names a folder of one machine; use a path relative to the repository"
                )
    return found


def main(argv: list[str] | None = None) -> int:
    paths = [Path(arg) for arg in (sys.argv[1:] if argv is None else argv)]
    found = [line for path in paths for line in problems(path)]
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
