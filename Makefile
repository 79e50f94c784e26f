# CRS — two commands do everything: `make run` and `make test`. The other targets are listed in
# docs/CONTRIBUTING.md.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: run test test-fast install assets messages messages-check messages-update lint format \
	lock browser clean bench screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Installs the pinned dependencies only when the lock changed since the last install.
$(VENV)/.installed: requirements/dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet "uv==0.13.9"
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements/dev.lock
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

install: $(VENV)/.installed node_modules/.package-lock.json messages

assets: node_modules/.package-lock.json

messages: $(VENV)/.installed
	$(BIN)/pybabel -q compile --domain=django --directory=locale

# The translation workflow: `make messages-update` (extract into locale/), translate the new
# entries, `make messages` (compile). `make messages-check` fails while a catalogue lags the
# source; the suite runs the same check (tests/test_translations.py).
messages-update: $(VENV)/.installed
	$(BIN)/python -m crs_site.catalogs update

messages-check: $(VENV)/.installed
	@command -v xgettext >/dev/null 2>&1 || (echo "makemessages needs GNU gettext: apt-get install gettext" >&2; exit 1)
	$(BIN)/python -m crs_site.catalogs check

# `make run`: SQLite and a filesystem broker unless DATABASE_URL / CELERY_BROKER_URL say otherwise.
run: install
	DJANGO_SETTINGS_MODULE=crs_site.settings.local $(BIN)/python manage.py migrate --no-input -v 0
	DJANGO_SETTINGS_MODULE=crs_site.settings.local $(BIN)/python manage.py seed_demo --if-empty
	@echo ""
	@echo "  CRS is starting at http://$(HOST):$(PORT)/  (Ctrl-C stops web, worker and beat)"
	@DJANGO_SETTINGS_MODULE=crs_site.settings.local $(BIN)/python manage.py demo_logins
	@echo ""
	PATH="$(abspath $(BIN)):$$PATH" PORT=$(PORT) HOST=$(HOST) DJANGO_SETTINGS_MODULE=crs_site.settings.local $(BIN)/honcho start -f Procfile.local

# Browser tests drive Debian's Chromium; install it when it is missing.
browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

# `make test`: the lint steps, then the whole suite against PostgreSQL and Redis.
# The migration check compares models with migration files; an in-memory database stands in.
# The test database is kept between runs (--reuse-db in pyproject) and made afresh when the
# migrations that built it differ from those on disk (tests/conftest.py, django_db_createdb).
test: install browser lint
	DATABASE_URL=sqlite:// DJANGO_SETTINGS_MODULE=crs_site.settings.test $(BIN)/python manage.py makemigrations --check --dry-run -v 0
	$(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

# `make test-fast`: the inner loop. No browser (tests/e2e), fault (tests/faults) or Celery worker
# tests, TEST_WORKERS processes in parallel (pytest-xdist; each gets its own test database).
TEST_WORKERS ?= auto
test-fast: $(VENV)/.installed
	$(BIN)/pytest -p no:cacheprovider -n $(TEST_WORKERS) --ignore=tests/e2e --ignore=tests/faults \
		-m "not celery_worker and not e2e" $(PYTEST_ARGS)

# ruff, the import contracts between the apps (pyproject [tool.importlinter]) and mypy on the
# typed modules (pyproject [tool.mypy]).
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

format:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Pins with hashes: install refuses a package whose hash differs. uv keeps the versions already
# in a lock and resolves only what pyproject.toml added; UPGRADE=1 moves every pin to the newest.
LOCK := $(BIN)/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes --quiet \
	$(if $(UPGRADE),--upgrade)
lock: | $(BIN)/python
	$(BIN)/pip install --quiet "uv==0.13.9"
	$(LOCK) -o requirements/base.lock
	$(LOCK) --extra dev -o requirements/dev.lock

# `make screenshots`: every page of every role, and the signed-out pages, at 1366x900 and 390x844
# in the four languages, saved under var/screenshots/<language>/<size>/; fails on sideways scroll
# or a serious or critical axe-core finding. SCREENSHOT_LANGUAGES=ru,lt narrows the languages.
SCREENSHOT_LANGUAGES ?= en,ru,lv,lt
screenshots: install browser
	CRS_SCREENSHOTS=1 CRS_SCREENSHOT_LANGUAGES=$(SCREENSHOT_LANGUAGES) \
		$(BIN)/pytest -p no:cacheprovider -n 0 tests/e2e/test_screenshots.py $(PYTEST_ARGS)

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) node_modules staticfiles var .pytest_cache
