# CRS — two commands do everything: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: run test install assets messages lint format lock browser clean bench

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

# `make test`: the whole suite against PostgreSQL and Redis (creates the test database itself).
# The migration check compares models with migration files; an in-memory database stands in.
test: install browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DATABASE_URL=sqlite:// DJANGO_SETTINGS_MODULE=crs_site.settings.test $(BIN)/python manage.py makemigrations --check --dry-run -v 0
	$(BIN)/pytest -p no:cacheprovider --create-db $(PYTEST_ARGS)

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

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

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) node_modules staticfiles var .pytest_cache
