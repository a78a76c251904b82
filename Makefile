# One command to set up and run, one to set up and test (README). Everything installs into .venv.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup system run test replicate bench clean i18n

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/cbec serve

# What the tests use from Debian: chromium for the browser tests (driven by Playwright, no browser download),
# gettext's msgfmt to check the catalogs, poppler's pdffonts/pdftoppm to read the PDF reports, and Chinese
# fonts so that screenshots show characters.
SYSTEM_PACKAGES := chromium gettext poppler-utils fonts-noto-cjk
system:
	@command -v chromium >/dev/null 2>&1 && command -v msgfmt >/dev/null 2>&1 && command -v pdffonts >/dev/null 2>&1 \
		&& fc-list 2>/dev/null | grep -qi "noto.*cjk" \
		|| (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES))

# One worker per core, a test file per worker (its served dashboard and browser stay with it).
test: setup system
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
	$(BIN)/python bench/report_size.py

clean:
	rm -rf $(VENV) build *.egg-info
