"""Write one benchmark's figures into its own section of BENCHMARKS.md.

Each benchmark owns the text between `<!-- begin NAME -->` and `<!-- end NAME -->`, so
benchmarks can be run one at a time without losing the others' figures.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
from pathlib import Path

BENCHMARKS_MD = Path(__file__).resolve().parent.parent / "BENCHMARKS.md"
_HEADER = (
    "# Benchmarks\n\n"
    "Every figure compares our code with a baseline measured in the same run on the same data;\n"
    "ratios matter, absolute times depend on the machine. Regenerate with `make bench`.\n"
)


def machine() -> str:
    """Describe the machine the figures were measured on."""
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def today() -> str:
    return dt.date.today().isoformat()


def table(rows: list[dict[str, object]]) -> str:
    """Render rows (dicts with the same keys) as a Markdown table."""
    if not rows:
        return ""
    keys = list(rows[0])
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    lines += ["| " + " | ".join(str(row[key]) for key in keys) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def write_section(name: str, markdown: str, path: Path = BENCHMARKS_MD) -> None:
    """Replace (or append) the section NAME of BENCHMARKS.md with the given Markdown."""
    text = path.read_text() if path.exists() else _HEADER
    block = f"<!-- begin {name} -->\n{markdown.rstrip()}\n<!-- end {name} -->"
    pattern = re.compile(
        rf"<!-- begin {re.escape(name)} -->.*?<!-- end {re.escape(name)} -->", re.DOTALL
    )
    if pattern.search(text):
        text = pattern.sub(lambda _match: block, text)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text)
