#!/usr/bin/env bash
# Reader benchmark (issue 9 §1): reading a ROWS x 20 .sav and .xlsx with survkit against
# R's haven::read_sav and readxl::read_xlsx on the same files, in the same run.
#   bench/readers/run.sh [ROWS] [XLSX_ROWS]     defaults 1000000 and ROWS
# Data go to $BENCH_DATA (default /tmp/survkit-bench-readers) and are reused when present.
# (openpyxl writes about 10^5 cells a second: the 10^6-row workbook took 20 minutes on the
# shared 2-core machine; its sheet is 820 MB of XML, 119 MB zipped.)
#
# What is timed (bench/measure.sh: wall, user and system seconds, peak memory, minor faults):
#  * survkit: the whole process, best of 3: start-up, reading and typing every column of
#    the file, and a small cross table of two of its columns (a 2x2 or 3x4 table, whose
#    chi-square and Fisher's test take a few milliseconds);
#  * R, whole process: Rscript starting, loading haven or readxl, and one read_sav /
#    read_xlsx with the default options (every column, types guessed), best of 2 runs;
#  * R, read alone: system.time() of that read_sav / read_xlsx inside the session (no
#    start-up, no package loading), from the same run.
# The ratio R / survkit compares R's read alone with survkit's whole process, so it
# understates survkit's lead; the whole-process ratio is printed next to it.
# Not a test: timings depend on the machine (and on its other jobs: see `uptime`).
# readxl at 10^6 rows x 20 needs several GB of memory: check `free -g` first.
set -euo pipefail
cd "$(dirname "$0")/../.."
rows="${1:-1000000}"
xrows="${2:-$rows}"
data="${BENCH_DATA:-/tmp/survkit-bench-readers}"
survkit="${SURVKIT:-build/survkit}"
[[ -x "$survkit" ]] || { echo "build survkit first" >&2; exit 1; }
source bench/measure.sh
mkdir -p "$data"
sav="$data/big-$rows.sav" xlsx="$data/big-$xrows.xlsx"
[[ -f "$sav" ]] || { Rscript bench/readers/generate_sav.R "$sav.tmp" "$rows" && mv "$sav.tmp" "$sav"; }
[[ -f "$xlsx" ]] || { /usr/bin/python3 bench/readers/generate_xlsx.py "$xlsx.tmp" "$xrows" && mv "$xlsx.tmp" "$xlsx"; }

# time_r sav|xlsx FILE: best of 2 whole Rscript runs (by the read's wall time), as
# "<read wall> <read user> <read sys>|<wall> <user> <sys> <peak KiB> <minor faults>"
time_r() {
  local best="" line="" out read
  for _ in 1 2; do
    out=$( { /usr/bin/time -f "%e %U %S %M %R" Rscript bench/readers/r_read.R "$1" "$2" > /tmp/survkit-bench-rr.$$; } 2>&1 | tail -n 1)
    read=$(awk '/^read/{print $2, $3, $4}' /tmp/survkit-bench-rr.$$)
    if [[ -z "$best" ]] || awk "BEGIN{exit !(${read%% *} < $best)}"; then best=${read%% *}; line="$read|$out"; fi
  done
  rm -f /tmp/survkit-bench-rr.$$
  echo "$line"
}
# compare NAME FILE "<survkit figures>" "<time_r line>" WHAT_R_READ
compare() {
  local rread=${4%%|*} rall=${4#*|}
  echo "$1: $(basename "$2") ($(du -m "$2" | cut -f1) MB)"
  describe survkit "$3"
  describe "R (all)" "$rall"
  awk -v l="$5" -v r="$rread" 'BEGIN{ split(r, x, " ");
    printf "  %-8s wall %7.2f s  user %6.2f s  sys %5.2f s  (%s alone, inside the R session)\n", "R (read)", x[1], x[2], x[3], l }'
  awk -v s="$3" -v r="$rread" -v a="$rall" 'BEGIN{ split(s, k, " "); split(r, x, " "); split(a, w, " ");
    printf "  R / survkit: wall %.1fx, CPU (user + sys) %.1fx (R read alone vs survkit whole process); whole processes: wall %.1fx, peak memory %.1fx\n",
           x[1] / k[1], (x[2] + x[3]) / (k[2] + k[3]), w[1] / k[1], w[4] / k[4] }'
}

echo "machine: $(nproc) cores; load average before: $(uptime | sed 's/.*load average: //')"
compare .sav "$sav" "$(measure 3 "$survkit" crosstab "$sav" --rows g1 --cols site)" "$(time_r sav "$sav")" read_sav
if Rscript -e 'quit(status = !requireNamespace("readxl", quietly = TRUE))' >/dev/null 2>&1; then
  compare .xlsx "$xlsx" "$(measure 3 "$survkit" crosstab "$xlsx" --rows arm --cols arm)" "$(time_r xlsx "$xlsx")" read_xlsx
else
  echo ".xlsx: readxl is not installed (Debian r-cran-readxl; scripts/install-deps.sh --with-r): survkit only"
  describe survkit "$(measure 3 "$survkit" crosstab "$xlsx" --rows arm --cols arm)"
fi
echo "load average after: $(uptime | sed 's/.*load average: //')"
