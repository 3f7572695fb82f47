"""Strip outputs from notebooks, which are committed without them. Standard library only.

usage: python3 tools/strip_outputs.py [--check] NOTEBOOK...

Clears every code cell's outputs and execution_count and drops per-cell run
metadata (execution timings, collapsed/scrolled state). Tags and the
`nnlib` metadata (exercise solutions) are kept. Files are written the way
Jupyter writes them (1-space indent, sorted keys, UTF-8), and only if their
content changes.
--check: change nothing, exit 1 if any notebook would change.
"""

from __future__ import annotations

import json
import sys

DROP_CELL_METADATA = ("execution", "ExecuteTime", "collapsed", "scrolled")


def strip(nb: dict) -> dict:
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {})
        for key in DROP_CELL_METADATA:
            meta.pop(key, None)
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    return nb


def dumps(nb: dict) -> str:
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    paths = [a for a in argv if a != "--check"]
    dirty = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            before = f.read()
        original = json.loads(before)
        stripped = strip(json.loads(before))
        if stripped == original:  # compare content, not formatting
            continue
        after = dumps(stripped)
        dirty.append(path)
        if not check:
            with open(path, "w", encoding="utf-8") as f:
                f.write(after)
    verb = "would strip" if check else "stripped"
    for path in dirty:
        print(f"{verb}: {path}")
    if not dirty:
        print(f"{len(paths)} notebook(s) already without outputs")
    return 1 if check and dirty else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
