#!/usr/bin/env bash
# Benchmarks survkit against R on the same generated data, in the same run, and prints
# the speed ratios and survkit's peak memory against the size of the numeric data; for
# every job also wall, user and system seconds, peak memory and minor page faults of
# survkit and of the whole R process (bench/measure.sh), at full size and on the first
# 1e3 rows of the same data.
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

[[ -f "$data/cox_days.csv" ]] || Rscript bench/generate_cox_days.R "$data" "$cox_rows"

source bench/measure.sh
# The 1e3-row versions of the same data (first rows), to show small inputs do not slow down.
small="$data/small"
if [[ ! -f "$small/cox_days.csv" || "$small/cox.csv" -ot "$data/cox.csv" ]]; then
  mkdir -p "$small"
  head -n 1001 "$data/cox.csv" > "$small/cox.csv"; head -n 1001 "$data/km.csv" > "$small/km.csv"
  head -n 1001 "$data/cox_days.csv" > "$small/cox_days.csv"
fi

# time_r JOB DIR: best of 2 runs of the R job: "<R job seconds> <wall> <user> <sys> <peak KiB> <faults>"
time_r() {
  local best="" line=""
  for _ in 1 2; do
    local out s
    out=$( { /usr/bin/time -f "%e %U %S %M %R" Rscript bench/r_jobs.R "$1" "$2" > /tmp/survkit-bench-r.$$; } 2>&1 | tail -n 1)
    s=$(awk '/^seconds/{print $2}' /tmp/survkit-bench-r.$$)
    if [[ -z "$best" ]] || awk "BEGIN{exit !($s < $best)}"; then best=$s; line="$s $out"; fi
  done
  rm -f /tmp/survkit-bench-r.$$
  echo "$line"
}
report() {  # name rows cols "survkit figures" "R figures"
  local sk_s sk_m r_s
  sk_s=$(awk '{print $1}' <<< "$4"); sk_m=$(awk '{print $4}' <<< "$4"); r_s=${5%% *}
  awk -v name="$1" -v rows="$2" -v cols="$3" -v sk="$sk_s" -v mem="$sk_m" -v r="$r_s" 'BEGIN{
    num = rows * cols * 8 / 1048576
    # /usr/bin/time counts in hundredths: a run under 0.01 s prints as 0.
    sk_text = sk > 0 ? sprintf("%7.3f s", sk) : " < 0.01 s"
    ratio = sk > 0 ? sprintf("%6.1fx", r / sk) : sprintf("> %.1fx", r / 0.01)
    printf "%-28s rows=%-9d survkit %s   R %7.3f s   R/survkit = %s   peak %6.0f MiB (numeric data %.1f MiB, ratio %.2f)\n",
           name, rows, sk_text, r, ratio, mem / 1024, num, (mem / 1024) / num }'
  describe survkit "$4"
  describe "R (all)" "${5#* }"
}
# add "<figures>" "<figures>": wall, user, sys and faults add up, the peak is the larger.
add() {
  awk -v a="$1" -v b="$2" 'BEGIN{ split(a, x, " "); split(b, y, " ");
    printf "%s %s %s %s %s\n", x[1] + y[1], x[2] + y[2], x[3] + y[3], (x[4] > y[4] ? x[4] : y[4]), x[5] + y[5] }'
}

cols="--covariates x1,x2,x3,x4,x5,x6,x7,x8,x9,x10"
for set in big small; do
  dir=$data; [[ $set == small ]] && dir=$small
  rows_cox=$(( $(wc -l < "$dir/cox.csv") - 1 )); rows_km=$(( $(wc -l < "$dir/km.csv") - 1 ))
  sk=$(measure 3 "$survkit" cox "$dir/cox.csv" --time time --event status $cols)
  report "cox efron, 10 covariates" "$rows_cox" 12 "$sk" "$(time_r cox "$dir")"
  sk=$(measure 3 "$survkit" cox "$dir/cox_days.csv" --time time --event status $cols)
  report "cox efron, integer days" "$rows_cox" 12 "$sk" "$(time_r cox_days "$dir")"
  sk=$(add "$(measure 3 "$survkit" km "$dir/km.csv" --time time --event status --group group --times 365,730)" \
           "$(measure 3 "$survkit" logrank "$dir/km.csv" --time time --event status --group group)")
  report "km + logrank, 3 groups" "$rows_km" 3 "$sk" "$(time_r km "$dir")"
done
