# The two commands of the README: `make run` and `make test`. Both set up .venv/ first.
# `make bench` times the deadline sweep on PostgreSQL (README "Benchmarks").
# `make backup` and `make restore ARCHIVE=path [FORCE=1]` (README "Backup and restore").
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# The stamp names the pyproject.toml it installed, so a changed pin reinstalls.
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run serve demo test bench backup restore lint format messages migrations-check clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip==26.3
	$(BIN)/python -m pip install --quiet --disable-pip-version-check '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

## Set up, migrate, load the demo data, print the demo logins, start a Celery worker with beat
## (log: var/worker.log) and serve http://$(HOST):$(PORT). Ctrl-C (or a TERM to make) stops both:
## each runs in the background and the shell's traps stop them, so none is left behind.
run: install demo
	@echo "Celery worker with beat: log in var/worker.log"
	@trap 'kill $$web $$worker 2>/dev/null; wait' EXIT; trap 'exit 130' HUP INT TERM; \
	$(BIN)/celery -A casetracker worker --beat --schedule var/celerybeat-schedule \
		--concurrency=1 --loglevel=INFO >>var/worker.log 2>&1 & worker=$$!; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT) & web=$$!; \
	wait $$web

demo: install
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo

## Install Debian's chromium and chromium-driver for the browser tests (tests/e2e/) when no
## `chromium` is on PATH (as root, or through sudo); Playwright never downloads a browser
.PHONY: chromium
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "chromium is not on PATH: installing Debian's chromium and chromium-driver"; \
		if [ "$$(id -u)" -eq 0 ]; then sudo=; \
		elif command -v sudo >/dev/null 2>&1; then sudo=sudo; \
		else echo "make: cannot install chromium: not root and no sudo. As root, run:" \
			"apt-get install -y --no-install-recommends chromium chromium-driver" >&2; exit 1; fi; \
		command -v apt-get >/dev/null 2>&1 || { echo "make: cannot install chromium: no" \
			"apt-get (not Debian?). Install Chromium so that \`chromium\` is on PATH." >&2; exit 1; }; \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q \
		&& $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
			chromium chromium-driver \
		&& command -v chromium >/dev/null 2>&1 \
		|| { echo "make: installing chromium failed (see above); the browser tests need" \
			"\`chromium\` on PATH: apt-get install -y --no-install-recommends chromium" \
			"chromium-driver" >&2; exit 1; }; }

## Run the whole suite (SQLite, or PostgreSQL when DATABASE_URL is set), on a fresh database
test: install chromium
	$(BIN)/python -m pytest --create-db $(PYTEST_ARGS)

## Time the deadline sweep over 1,000,000 and 10,000,000 synthetic deadlines, 1,000 of them due,
## then the API's case list, people search and timeline over 100,000 cases beside raw SQL, each
## in a database it creates and drops (needs DATABASE_URL pointing at PostgreSQL)
bench: install
	$(BIN)/python manage.py bench_sweep $(BENCH_ARGS)
	$(BIN)/python manage.py bench_api $(BENCH_API_ARGS)

## Write one archive of the database and every document to BACKUP_DIR (default var/backups),
## encrypted when BACKUP_KEY is set; OUTPUT=folder-or-new-file writes it there instead
backup: install
	$(BIN)/python manage.py backup $(if $(OUTPUT),--output "$(OUTPUT)")

## Restore an archive: make restore ARCHIVE=path [FORCE=1]. It checks every hash before it
## writes anything, and refuses a database that holds data unless FORCE=1 (which replaces it)
restore: install
	@test -n "$(ARCHIVE)" || { echo "make restore needs ARCHIVE=path/to/archive" >&2; exit 2; }
	$(BIN)/python manage.py restore "$(ARCHIVE)" $(if $(FORCE),--force)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Refresh the Russian catalogue (locale/ru/) from the source, then compile its .mo (needs gettext)
messages: install
	$(BIN)/python manage.py makemessages -l ru --no-location --no-obsolete \
		--ignore=.venv --ignore=var --ignore=tests --ignore=docs
	$(BIN)/python manage.py compilemessages -l ru --ignore=.venv

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .hypothesis
