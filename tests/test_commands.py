"""Every management command of the project answers `--help`, in any language."""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command, find_commands
from django.utils import translation


def _project_commands() -> list[str]:
    # Found on disk, so that a command added later is checked without touching this test.
    base = Path(settings.BASE_DIR).resolve()
    return sorted(
        name
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(base)
        for name in find_commands(str(Path(config.path) / "management"))
    )


def test_every_project_command_is_found_on_disk():
    assert {"compute_scores", "seed_demo", "demo_logins", "purge_personal_data"} <= set(
        _project_commands()
    )


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("name", _project_commands())
def test_help_of_every_command_succeeds(name, language, capsys):
    with translation.override(language), pytest.raises(SystemExit) as exit_:
        call_command(name, "--help")
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage:")
    assert name in out.splitlines()[0]


def test_compute_scores_help_is_in_the_users_language(capsys):
    with translation.override("ru"), pytest.raises(SystemExit):
        call_command("compute_scores", "--help")
    assert "Вычислить баллы сотрудников" in capsys.readouterr().out
