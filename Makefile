# Newcomer commands: `make run` serves the tracker, `make test` runs every check.
VENV := .venv
PYTHON := $(VENV)/bin/python
DEV_SERVER := DJANGO_DEBUG=true $(PYTHON) manage.py
PRODUCTION := DJANGO_DEBUG=false $(PYTHON) manage.py
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/tracker
# `make run PORT=8001` when 8000 is taken.
PORT ?= 8000

.PHONY: install install-dev run serve load replica replica-stop test test-postgres test-browser lint format clean bench

$(PYTHON):
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(PYTHON)
	$(PYTHON) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PYTHON)
	$(PYTHON) -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

run: install
	$(DEV_SERVER) migrate --noinput
	$(DEV_SERVER) load_reference_studies
	$(DEV_SERVER) ensure_local_admin
	$(DEV_SERVER) runserver 127.0.0.1:$(PORT)

# Production mode on loopback: DEBUG off, gunicorn (gunicorn.conf.py), hashed compressed static
# files. DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and TRACKER_PUBLIC_URL must be set; see "Deploying" in the README.
serve: install
	$(PRODUCTION) collectstatic --noinput --verbosity 0
	$(PRODUCTION) migrate --noinput
	DJANGO_DEBUG=false $(VENV)/bin/gunicorn tracker.wsgi

# Two production servers sharing Redis and PostgreSQL with one streaming replica, 10,000 synthetic
# studies, 50 simulated visitors for 60 s: once without the page cache, once with it.
load: install-dev
	bash load/run

# A streaming replica of the local PostgreSQL server on 127.0.0.1:5433 (bin/replica; needs root).
replica:
	bash bin/replica start

replica-stop:
	bash bin/replica stop

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# One test process per CPU core (pytest-xdist); each has its own test database.
PYTEST := $(VENV)/bin/pytest -n auto

test: lint
	$(PYTEST)

# The same suite against the PostgreSQL server (CI runs this after `make test`), with reads from
# the replica `make replica` starts when REPLICA_URL names it.
REPLICA_URL ?=
test-postgres: install-dev
	DATABASE_URL=$(POSTGRES_URL) DATABASE_REPLICA_URLS=$(REPLICA_URL) $(PYTEST)

# Only the browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium).
test-browser: install-dev
	$(PYTEST) -m browser

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis staticfiles load/results*

# Speed and memory at 1,000 and 100,000 synthetic studies; databases are cached in .bench/.
bench: install-dev
	$(PYTHON) bench/run.py
