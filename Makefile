# Gagecast: `make run` (the whole product) and `make test` (the whole suite) on a
# fresh machine with only Python 3.11. Both create .venv and install when needed.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
export PATH := $(BIN):$(PATH)

.PHONY: install run test e2e lint format migrate bench docs-gallery clean messages

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

run: migrate
	@$(BIN)/python manage.py seed_demo
	@$(BIN)/python manage.py seed_demo_history
	@echo "Gagecast: http://$(HOST):$(PORT)/   (admin: http://$(HOST):$(PORT)/admin/)   Ctrl-C stops web, worker and beat."
	WEB_HOST=$(HOST) WEB_PORT=$(PORT) $(BIN)/honcho -f Procfile.dev start

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The owner's flow in a real browser (Debian's chromium: apt-get install chromium
# fonts-noto-cjk fonts-noto-color-emoji) against a live stack; screenshots in var/e2e/.
E2E_STAMP := $(VENV)/.e2e-stamp
$(E2E_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,e2e]'
	@touch $(E2E_STAMP)

e2e: $(E2E_STAMP)
	$(BIN)/python -m pytest e2e -p no:django -p no:cacheprovider -W ignore::pytest.PytestConfigWarning $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Benchmarks, side by side in one run: `make bench` or `make bench BENCH=generation`;
# the learning loop takes an audience file and a first seed: `make bench BENCH=loop
# AUDIENCE=bench/audiences/lunch_office.json SEED=3` (docs/analytics.md).
bench: install
	AUDIENCE="$(AUDIENCE)" SEED="$(SEED)" $(BIN)/python -m bench $(BENCH)

# Every image template at every size, from the sample business, into docs/gallery/.
docs-gallery: install
	$(BIN)/python -m content.creative.gallery docs/gallery

# Rebuild the translation catalogues after changing user-facing text (needs gettext).
messages: install
	$(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=var
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache
