"""Keep the translation catalogues in step with the source: extract, update in place, check.

`python -m crs_site.catalogs update` (`make messages-update`) runs makemessages in place;
`python -m crs_site.catalogs check` (`make messages-check`, and a test) runs it on a temporary
copy of the repository and lists what is missing, untranslated or fuzzy. The workflow is in
docs/CONTRIBUTING.md: update, translate, compile (`make messages`).
"""

import io
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ["en", "ru", "lv", "lt"]
# English is the source language: its catalogue lists the msgids and leaves msgstr empty.
TRANSLATED_LANGUAGES = ["ru", "lv", "lt"]
# Folders makemessages skips: installed packages, benchmarks and tests show no user text.
IGNORED = [".venv", "node_modules", "bench", "tests", "var", "artifacts", "staticfiles"]
# The committed catalogues are written by Babel (76 columns), so a run only shows real changes.
WIDTH = 76


def po_path(root: Path, language: str) -> Path:
    return root / "locale" / language / "LC_MESSAGES" / "django.po"


def catalog_read(path: Path, language: str) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def catalog_write(path: Path, catalog: Catalog) -> None:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=WIDTH)
    path.write_bytes(buffer.getvalue())


def catalogs_extract(root: Path) -> None:
    """Run makemessages in `root` for every language, then rewrite each catalogue with Babel."""
    command = [sys.executable, "manage.py", "makemessages", "--no-obsolete"]
    command += [f"--locale={language}" for language in LANGUAGES]
    command += [f"--ignore={folder}" for folder in IGNORED]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "crs_site.settings.local"}
    subprocess.run(command, cwd=root, env=env, check=True, capture_output=True, text=True)
    for language in LANGUAGES:
        path = po_path(root, language)
        catalog_write(path, catalog_read(path, language))


def _key(message: Message) -> tuple[str | None, str]:
    msgid = message.id[0] if isinstance(message.id, (tuple, list)) else message.id
    return message.context, msgid


def _is_translated(message: Message) -> bool:
    forms = message.string if isinstance(message.string, (tuple, list)) else [message.string]
    return all(form and form.strip() for form in forms)


def catalogs_problems(root: Path = ROOT) -> list[str]:
    """What a fresh extraction finds wrong with the committed catalogues (empty: all current)."""
    problems = []
    with tempfile.TemporaryDirectory(prefix="crs-catalogs-") as copy:
        shutil.copytree(
            root,
            copy,
            dirs_exist_ok=True,
            symlinks=True,
            ignore=shutil.ignore_patterns(".git", *IGNORED, "__pycache__", ".*_cache"),
        )
        catalogs_extract(Path(copy))
        for language in LANGUAGES:
            committed = catalog_read(po_path(root, language), language)
            fresh = catalog_read(po_path(Path(copy), language), language)
            known = {_key(message) for message in committed if message.id}
            source = {_key(message) for message in fresh if message.id}
            problems += [f"{language}: missing msgid {msgid!r}" for _, msgid in source - known]
            problems += [
                f"{language}: msgid not in the source {msgid!r}" for _, msgid in known - source
            ]
            if language not in TRANSLATED_LANGUAGES:
                continue
            for message in fresh:
                if message.id and (message.fuzzy or not _is_translated(message)):
                    state = "fuzzy" if message.fuzzy else "untranslated"
                    problems.append(f"{language}: {state} {_key(message)[1]!r}")
    return sorted(set(problems))


def main(argv: list[str]) -> int:
    if argv == ["update"]:
        catalogs_extract(ROOT)
        print("Catalogues updated: translate the new entries, then `make messages`.")
        return 0
    if argv == ["check"]:
        problems = catalogs_problems()
        for problem in problems:
            print(problem)
        if problems:
            print("Run `make messages-update`, translate, then `make messages`.", file=sys.stderr)
            return 1
        print("Catalogues are current.")
        return 0
    print("usage: python -m crs_site.catalogs {update|check}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
