#!/usr/bin/env bash
# Regenerate the PLS-SEM reference fixtures from seminr's own code (see tests/R/README.md, "PLS-SEM").
# Needs SEMINR_SRC (the R/ folder of a seminr 2.3.x source checkout, with its DESCRIPTION one level up),
# Rscript with jsonlite, and the project's Python for the reference cohort's CSV.
set -euo pipefail
cd "$(dirname "$0")/../.."

PY=.venv/bin/python
[ -x "$PY" ] || PY=python3

mkdir -p tests/fixtures/pls
"$PY" -c "from cbec_core.reference import reference_cohort; reference_cohort().to_csv('tests/fixtures/pls/reference_cohort.csv', index=False)"
Rscript tests/R/pls_reference.R tests/fixtures/parity/survey_a.csv tests/fixtures/pls/survey_a.json
Rscript tests/R/pls_reference.R tests/fixtures/parity/survey_b.csv tests/fixtures/pls/survey_b.json
Rscript tests/R/pls_reference.R tests/fixtures/pls/reference_cohort.csv tests/fixtures/pls/reference_cohort.json
