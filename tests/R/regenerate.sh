#!/usr/bin/env bash
# Regenerate the parity survey CSVs and the lavaan/lm reference fixtures (see tests/R/README.md).
# Needs Python with numpy (the project's .venv) and R with lavaan 0.6-14, semTools and jsonlite.
set -euo pipefail
cd "$(dirname "$0")/../.."

PY=.venv/bin/python
[ -x "$PY" ] || PY=python3

"$PY" tests/R/make_parity_data.py

mkdir -p tests/fixtures/lavaan
Rscript tests/R/lavaan_reference.R tests/fixtures/parity/survey_a.csv tests/fixtures/lavaan/survey_a.json
Rscript tests/R/lavaan_reference.R tests/fixtures/parity/survey_a.csv tests/fixtures/lavaan/survey_a_controls.json --controls
Rscript tests/R/lavaan_reference.R tests/fixtures/parity/survey_b.csv tests/fixtures/lavaan/survey_b.json
for s in a b c d; do
  Rscript tests/R/lavaan_robustness.R tests/fixtures/parity/survey_$s.csv tests/fixtures/lavaan/robustness_$s.json
done
