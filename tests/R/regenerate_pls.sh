#!/usr/bin/env bash
# Regenerate the PLS-SEM reference fixtures from seminr's own code (see tests/R/README.md, "PLS-SEM").
# Needs SEMINR_SRC (the R/ folder of a seminr 2.3.x source checkout, with its DESCRIPTION one level up),
# Rscript with jsonlite, and the project's Python for the two extra CSVs (tests/R/make_pls_data.py).
set -euo pipefail
cd "$(dirname "$0")/../.."

PY=.venv/bin/python
[ -x "$PY" ] || PY=python3

mkdir -p tests/fixtures/pls
"$PY" tests/R/make_pls_data.py
Rscript tests/R/pls_reference.R tests/fixtures/parity/survey_a.csv tests/fixtures/pls/survey_a.json
Rscript tests/R/pls_reference.R tests/fixtures/parity/survey_b.csv tests/fixtures/pls/survey_b.json
Rscript tests/R/pls_reference.R tests/fixtures/pls/reference_cohort.csv tests/fixtures/pls/reference_cohort.json
Rscript tests/R/pls_reference.R tests/fixtures/pls/skewed.csv tests/fixtures/pls/skewed.json
