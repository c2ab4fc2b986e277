"""One golden-file helper for every test: compare a text with ``tests/golden/<name>``.

``KEK_UPDATE_GOLDEN=1 pytest …`` rewrites the files; review them with ``git diff tests/golden``
before committing. The comparison is exact (line ends included, UTF-8, no BOM) and a mismatch
names the first line that differs, so a reader sees at once what changed.
"""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"


def assert_golden(name: str, content: str) -> None:
    """Assert that ``content`` equals the stored file ``tests/golden/<name>`` to the character."""
    path = GOLDEN_DIR / name
    if os.environ.get("KEK_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(content, encoding="utf-8", newline="")
    assert path.exists(), f"{path} fehlt: einmal mit KEK_UPDATE_GOLDEN=1 laufen lassen"
    with path.open(encoding="utf-8", newline="") as fh:
        expected = fh.read()
    if content == expected:
        return
    got, want = content.splitlines(keepends=True), expected.splitlines(keepends=True)
    line = next((i for i, (a, b) in enumerate(zip(got, want, strict=False)) if a != b), None)
    if line is None:
        line = min(len(got), len(want))
    raise AssertionError(
        f"{path.name} weicht ab in Zeile {line + 1}:\n"
        f"  erwartet: {want[line] if line < len(want) else '(Dateiende)'!r}\n"
        f"  erhalten: {got[line] if line < len(got) else '(Dateiende)'!r}\n"
        "(absichtlich geändert? KEK_UPDATE_GOLDEN=1 setzen und git diff tests/golden prüfen)"
    )
