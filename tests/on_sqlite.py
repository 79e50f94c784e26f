"""Run a scenario on SQLite, the embedded database of `make run`, to hold it against PostgreSQL.

A scenario module builds some data and returns what it reads, on whichever database Django is
set up with; run as a module (`scenario_main`) it migrates a fresh SQLite file first and prints
the result as JSON, which a test reads back with `run_on_sqlite`.
"""

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings


def run_on_sqlite(module: str, directory: Path) -> Any:
    """Run `python -m <module>` on a fresh SQLite file in `directory`; return what it printed."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{directory / 'scenario.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "crs_site.settings.test",
    }
    env.pop("DATABASE_REPLICA_URL", None)
    completed = subprocess.run(
        [sys.executable, "-m", module],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(completed.stdout)


def scenario_main(scenario: Callable[[], Any]) -> None:
    """A scenario module's entry point: set Django up, migrate, print the scenario's result."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    json.dump(scenario(), sys.stdout)
