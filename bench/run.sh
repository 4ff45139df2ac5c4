#!/usr/bin/env bash
# Benchmarks survkit against R on the same generated data, in the same run, and prints
# the speed ratios and survkit's peak memory against the size of the numeric data.
#   bench/run.sh [COX_ROWS] [KM_ROWS]      defaults: 1000000 10000000
# Needs R (scripts/install-deps.sh --with-r) and a Release build in ./build (or set
# SURVKIT=path/to/survkit to time another build).
# Not a test: timings depend on the machine.  Results go to stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
cox_rows="${1:-1000000}"; km_rows="${2:-10000000}"
data="${BENCH_DATA:-/tmp/survkit-bench}"
survkit="${SURVKIT:-build/survkit}"
[[ -x "$survkit" ]] || { echo "build survkit first: scripts/build.sh" >&2; exit 1; }

if [[ ! -f "$data/cox.csv" || ! -f "$data/.rows-$cox_rows-$km_rows" ]]; then
  echo "generating data in $data ..."
  rm -rf "$data"; Rscript bench/generate.R "$data" "$cox_rows" "$km_rows"
  touch "$data/.rows-$cox_rows-$km_rows"
fi

# time_survkit CMD... : prints "<seconds> <peak KiB>" of the best of 3 runs.
time_survkit() {
  local best="" mem=""
  for _ in 1 2 3; do
    local out
    out=$( { /usr/bin/time -f "%e %M" "$@" >/dev/null; } 2>&1 | tail -n 1)
    local s=${out% *} m=${out#* }
    if [[ -z "$best" ]] || awk "BEGIN{exit !($s < $best)}"; then best=$s; mem=$m; fi
  done
  echo "$best $mem"
}
time_r() {  # best of 2 runs of the R job
  local best=""
  for _ in 1 2; do
    local s; s=$(Rscript bench/r_jobs.R "$1" "$data" | awk '/^seconds/{print $2}')
    if [[ -z "$best" ]] || awk "BEGIN{exit !($s < $best)}"; then best=$s; fi
  done
  echo "$best"
}
report() {  # name rows cols survkit_s survkit_kib r_s
  local numeric_mib; numeric_mib=$(awk "BEGIN{printf \"%.0f\", $2*$3*8/1048576}")
  awk -v name="$1" -v rows="$2" -v sk="$4" -v mem="$5" -v r="$6" -v num="$numeric_mib" 'BEGIN{
    printf "%-32s rows=%-9d survkit %7.3f s   R %7.3f s   R/survkit = %6.1fx   peak %6.0f MiB (numeric data %d MiB, ratio %.2f)\n",
           name, rows, sk, r, r/sk, mem/1024, num, (mem/1024)/num }'
}

cols="--covariates x1,x2,x3,x4,x5,x6,x7,x8,x9,x10"
read -r s m < <(time_survkit "$survkit" cox "$data/cox.csv" --time time --event status $cols)
r=$(time_r cox)
report "cox efron, 10 covariates" "$cox_rows" 12 "$s" "$m" "$r"

read -r s1 m1 < <(time_survkit "$survkit" km "$data/km.csv" --time time --event status --group group --times 365,730)
read -r s2 m2 < <(time_survkit "$survkit" logrank "$data/km.csv" --time time --event status --group group)
r=$(time_r km)
s=$(awk "BEGIN{print $s1+$s2}"); m=$(( m1 > m2 ? m1 : m2 ))
report "km + logrank, 3 groups" "$km_rows" 3 "$s" "$m" "$r"
