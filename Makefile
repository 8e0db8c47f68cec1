# Hromada — the two commands of the quick start are `make demo` and `make test`.
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/postgres
export DJANGO_SETTINGS_MODULE := config.settings

.PHONY: demo test install system-deps lint messages test-sqlite test-postgres test-e2e bench serve worker chromium clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	@command -v $(PY) >/dev/null || { echo "Python 3.11+ is needed ($(PY) not found)"; exit 1; }
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed (Debian: apt-get install nodejs npm)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian packages the application needs at run time (a font for the signer-list PDF).
system-deps:
	@scripts/install-system-deps

install: system-deps $(BIN)/.installed node_modules/.installed

# Serve the demo hromada: migrate, load demo data (idempotent), gunicorn + worker.
demo: install
	mkdir -p var
	DEMO=1 $(BIN)/python manage.py migrate --noinput
	DEMO=1 $(BIN)/python manage.py collectstatic --noinput -v0
	DEMO=1 $(BIN)/python manage.py demo_seed
	DEMO=1 PORT=$(PORT) scripts/serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Refresh the translation catalogues (locale/ and every hromada/<app>/locale/) from the code and
# compile them; the .mo files are committed. `scripts/messages --compile` only compiles.
messages: install
	scripts/messages

test: install lint chromium test-sqlite test-postgres

test-sqlite: install
	mkdir -p var
	DEMO=1 $(BIN)/python manage.py makemigrations --check --dry-run >/dev/null || { echo "Models changed without a migration"; exit 1; }
	$(BIN)/pytest -q -n 2 --dist loadfile
	@# The kernel stands without its modules: its suite again, petitions not installed.
	TEST_WITHOUT=petitions $(BIN)/pytest -q -n 2 --dist loadfile hromada --ignore=hromada/petitions

test-postgres: install
	@if scripts/ensure-postgres "$(PG_TEST_URL)"; then \
	  DATABASE_URL="$(PG_TEST_URL)" TEST_DB_NAME=$${TEST_DB_NAME:-test_hromada} $(BIN)/pytest -q -n 2 --dist loadfile -m "not e2e"; \
	elif [ "$$CI" = "true" ]; then echo "PostgreSQL is required when CI=true"; exit 1; \
	else echo "PostgreSQL not reachable: PostgreSQL run skipped (set CI=true to make this fail)"; fi

test-e2e: install chromium
	$(BIN)/pytest -q e2e

chromium:
	@test -x /usr/bin/chromium || scripts/install-chromium

bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules staticfiles var/db.sqlite3*
