# One command to set up and run, one to set up and test (README). Everything installs into .venv.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup browser run test replicate bench clean i18n

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/cbec serve

# End-to-end tests drive Debian's chromium with Playwright (no browser download at run time).
browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

# One worker per core, a test file per worker (its served dashboard and browser stay with it).
test: setup browser
	$(BIN)/python -m pytest -q -n auto --dist loadfile

# The labels' catalogs (docs/i18n.md): extract the keys marked in app/ (t("key", lang), N_("key")) into the template,
# add new keys to / drop removed keys from each language's .po (the single source), compile the .mo the app reads.
LOCALE := app/locale
i18n: setup
	PYTHONPATH=. $(BIN)/pybabel extract -F babel.cfg -k t -k N_ --no-location --sort-output --project cbec-benchmark \
		-o $(LOCALE)/messages.pot app
	$(BIN)/pybabel update -i $(LOCALE)/messages.pot -d $(LOCALE) -D messages --no-fuzzy-matching --ignore-obsolete --no-wrap
	$(BIN)/pybabel compile -d $(LOCALE) -D messages --statistics

bench: setup
	$(BIN)/python bench/bootstrap_speed.py
	$(BIN)/python bench/large_fit.py
	$(BIN)/python bench/store_queries.py
	$(BIN)/python bench/lab_fit.py
	$(BIN)/python bench/workshop_live.py
	$(BIN)/python bench/room_load.py

clean:
	rm -rf $(VENV) build *.egg-info
