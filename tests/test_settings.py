import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "crs_site.settings.production",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
}


def test_production_settings_pass_the_deploy_checks():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={**PRODUCTION, "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "crs.example"},
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without_required_settings(missing):
    env = {**PRODUCTION, "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "crs.example"}
    del env[missing]
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert missing in result.stderr


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_production_with_a_read_replica_passes_the_deploy_checks():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            **PRODUCTION,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "crs.example",
            "DATABASE_REPLICA_URL": "postgres://postgres@127.0.0.1:5432/postgres",
        },
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_production_logs_one_redacted_json_object_per_line():
    result = _manage(
        "shell",
        "-c",
        "import logging; logging.getLogger('crs').warning("
        "'call with Authorization: Api-Key AbCd.s3cret for /s/t0ken/')",
        env={**PRODUCTION, "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "crs.example"},
    )

    assert result.returncode == 0, result.stderr
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["level"] == "WARNING"
    assert line["logger"] == "crs"
    assert line["request_id"] == "-"
    assert "s3cret" not in line["message"]
    assert "t0ken" not in line["message"]


def test_compose_passes_the_proxy_site_and_error_settings_to_every_app_container():
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())

    for service in ("migrate", "web", "worker", "beat"):
        environment = compose["services"][service]["environment"]
        assert environment["AXES_PROXY_COUNT"] == "${AXES_PROXY_COUNT:-1}"
        assert environment["CRS_SITE_URL"].startswith("${CRS_SITE_URL:?")
        assert environment["CSRF_TRUSTED_ORIGINS"] == "${CSRF_TRUSTED_ORIGINS:-}"
        assert environment["SENTRY_DSN"] == "${SENTRY_DSN:-}"
