# Mortar: `make run` serves the portal, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORTAL_HOST ?= 127.0.0.1
PORTAL_PORT ?= 5000
PYTEST_WORKERS ?= auto

.PHONY: run test lint fmt bench clean

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

run: $(VENV)/.stamp-run
	$(BIN)/flask --app portal db upgrade
	@echo "Mortar on http://$(PORTAL_HOST):$(PORTAL_PORT)/"
	$(BIN)/waitress-serve --listen=$(PORTAL_HOST):$(PORTAL_PORT) --threads=8 wsgi:app

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
