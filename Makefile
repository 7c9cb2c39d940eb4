# plenary: `make run` serves the seed meeting locally; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
# Mozilla's ical.js, which the feed tests run as Thunderbird would.
NODE_INSTALLED := node_modules/.package-lock.json
HOST ?= 127.0.0.1:8000

.PHONY: install run test pytest lint format messages bench serve-prod

$(INSTALLED): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(INSTALLED)

install: $(INSTALLED)

$(NODE_INSTALLED): package.json package-lock.json
	npm ci --silent --no-audit --no-fund

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_seed
	$(PY) manage.py ensure_secretariat_user
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "Serving on http://$(HOST)/ (admin: http://$(HOST)/admin/); the mail worker runs beside it"
	$(PY) manage.py run_huey --workers 2 & worker=$$!; trap 'kill $$worker' EXIT INT TERM; $(PY) manage.py runserver $(HOST)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

test: lint pytest

# The suite alone, against whatever DATABASE_URL and REDIS_URL say (.ci/run's PostgreSQL pass).
pytest: install $(NODE_INSTALLED)
	$(VENV)/bin/pytest

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Update the message catalogues after changing marked strings; the compiled .mo files are committed.
messages: install
	$(PY) manage.py makemessages --locale es --locale en --locale pt --ignore ".venv/*" --ignore "node_modules/*" --ignore "staticfiles/*" --ignore "bench/*" --no-obsolete
	$(PY) manage.py compilemessages --ignore ".venv/*" --ignore "node_modules/*"

# Figures, not a pass/fail test: requests/s and database hits per endpoint (bench/run.py).
# It loads with wrk where installed (`apt-get install wrk`), else with Python threads.
bench: install
	$(PY) bench/run.py

# Production-style serving: gunicorn, hashed and compressed static files from whitenoise,
# DEBUG off, settings from the environment (see README, "Deploying").
WORKERS ?= 2
serve-prod: install
	DJANGO_STATIC_MANIFEST=1 $(PY) manage.py collectstatic --noinput --verbosity 0
	DJANGO_STATIC_MANIFEST=1 $(PY) manage.py migrate --noinput
	DJANGO_STATIC_MANIFEST=1 $(VENV)/bin/gunicorn plenary.wsgi --workers $(WORKERS) --bind $(HOST) --access-logfile -
