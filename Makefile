# Mortar: `make run` serves the portal, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORTAL_HOST ?= 127.0.0.1
PORTAL_PORT ?= 5000
PYTEST_WORKERS ?= auto

.PHONY: run test lint fmt bench clean translations staff-words

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Stamps re-install only when the requirement files change.
$(VENV)/.stamp-run: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.stamp-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.stamp-run

# `serve` (portal/cli.py) is waitress as `mortar serve` runs it: it keeps X-Forwarded-*
# when PORTAL_TRUST_PROXY is on, which waitress-serve alone would drop.
run: $(VENV)/.stamp-run
	$(BIN)/flask --app portal db upgrade
	$(BIN)/flask --app portal serve --host=$(PORTAL_HOST) --port=$(PORTAL_PORT) --threads=8

# The words patients read (babel.cfg): extract them, merge them into each language's
# messages.po, and compile the .mo files the portal reads (committed, so a clean clone and
# the wheel have them; tests/i18n checks each .mo matches its .po). A new language:
# $(BIN)/pybabel init -i translations/messages.pot -d translations -l LANG
#
# The staff screens' words (babel-staff.cfg: every template and portal/**.py) go only into a
# template, translations/staff.pot, kept current for a future staff language (README,
# "Languages"); English is the only one, so nothing is merged or compiled from it.
# `make staff-words` regenerates it alone (after merging branches that mark new words).
EXTRACT = $(BIN)/pybabel extract -k _l -k lazy_gettext -k N_ --no-wrap --sort-by-file \
	--project=Mortar --copyright-holder="Mortar contributors"

translations: $(VENV)/.stamp-run staff-words
	$(EXTRACT) -F babel.cfg -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations -D messages --no-wrap
	$(BIN)/pybabel compile -d translations -D messages --statistics

staff-words: $(VENV)/.stamp-run
	$(EXTRACT) -F babel-staff.cfg -o translations/staff.pot .

lint: $(VENV)/.stamp-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(VENV)/.stamp-dev
	$(BIN)/ruff format portal tests bench migrations
	$(BIN)/ruff check --fix .

# SQLite always; PostgreSQL too when PORTAL_TEST_POSTGRES names a server (browser tests run once).
test: lint
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup
	@if [ -n "$$PORTAL_TEST_POSTGRES" ]; then \
		echo "== again on PostgreSQL ($$PORTAL_TEST_POSTGRES) =="; \
		PORTAL_TEST_DB=postgres $(BIN)/python -m pytest -n $(PYTEST_WORKERS) -m "not e2e"; \
	fi

bench: $(VENV)/.stamp-dev
	$(BIN)/python -m bench all

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
