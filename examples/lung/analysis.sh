#!/usr/bin/env bash
# The bundled lung-cancer study (NCCTG advanced lung cancer, R's survival::lung):
# Kaplan-Meier by sex with 1- and 2-year survival, log-rank test, and a Cox model.
# Run from anywhere after building: examples/lung/analysis.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
survkit="${SURVKIT:-$here/../../build/survkit}"
data="$here/lung.csv"

echo "== Kaplan-Meier overall survival by sex (days; status 2 = death) =="
"$survkit" km "$data" --time time --event status --group sex --times 365,730
echo
echo "== Log-rank test, men vs women =="
"$survkit" logrank "$data" --time time --event status --group sex
echo
echo "== Cox model: age, sex, ECOG performance status (Efron ties) =="
"$survkit" cox "$data" --time time --event status --covariates age,sex,ph.ecog --factor sex
