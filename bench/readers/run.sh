#!/usr/bin/env bash
# Reader benchmark (issue 9 §1): reading a ROWS x 20 .sav and .xlsx with survkit against
# R's haven::read_sav and readxl::read_xlsx on the same files, in the same run.
#   bench/readers/run.sh [ROWS] [XLSX_ROWS]     defaults 1000000 and ROWS
# (openpyxl writes about 10^5 cells a second: a 10^6-row workbook takes minutes to make.)
# survkit's time is the whole process reading the file and cross-tabulating two of its
# columns (a negligible analysis: every column is read and typed, as for any command);
# R's is read_sav / read_xlsx alone inside a running session (start-up not counted).
# readxl is optional: without it (Debian r-cran-readxl) the .xlsx is timed for survkit only.
set -euo pipefail
cd "$(dirname "$0")/../.."
rows="${1:-1000000}"
xrows="${2:-$rows}"
data="${BENCH_DATA:-/tmp/survkit-bench-readers}"
survkit="${SURVKIT:-build/survkit}"
[[ -x "$survkit" ]] || { echo "build survkit first" >&2; exit 1; }
mkdir -p "$data"
[[ -f "$data/big-$rows.sav" ]] || Rscript bench/readers/generate_sav.R "$data/big-$rows.sav" "$rows"
[[ -f "$data/big-$xrows.xlsx" ]] || /usr/bin/python3 bench/readers/generate_xlsx.py "$data/big-$xrows.xlsx" "$xrows"

best_of_3() {  # prints "<seconds> <peak KiB>"
  local best="" mem=""
  for _ in 1 2 3; do
    local out; out=$( { /usr/bin/time -f "%e %M" "$@" >/dev/null; } 2>&1 | tail -n 1)
    local s=${out% *} m=${out#* }
    if [[ -z "$best" ]] || awk "BEGIN{exit !($s < $best)}"; then best=$s; mem=$m; fi
  done
  echo "$best $mem"
}
read -r sav_s sav_kib < <(best_of_3 "$survkit" crosstab "$data/big-$rows.sav" --rows g1 --cols site)
r_sav=$(Rscript bench/readers/r_read.R sav "$data/big-$rows.sav" | awk '/^seconds/{print $2}')
read -r xlsx_s xlsx_kib < <(best_of_3 "$survkit" crosstab "$data/big-$xrows.xlsx" --rows arm --cols site)
if Rscript -e 'quit(status = !requireNamespace("readxl", quietly = TRUE))' >/dev/null 2>&1; then
  r_xlsx=$(Rscript bench/readers/r_read.R xlsx "$data/big-$xrows.xlsx" | awk '/^seconds/{print $2}')
else
  r_xlsx="n/a (readxl not installed)"
fi
printf '%-8s %10s %12s %22s\n' format survkit_s survkit_MiB R_s
printf '%-8s %10s %12s %22s\n' .sav "$sav_s" "$((sav_kib / 1024))" "$r_sav"
printf '%-8s %10s %12s %22s\n' ".xlsx($xrows)" "$xlsx_s" "$((xlsx_kib / 1024))" "$r_xlsx"
