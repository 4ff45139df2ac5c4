#!/usr/bin/env bash
# Matching benchmark (issue 3): survkit match on 1e6 rows (and 1e5) against MatchIt 4.5.1
# on 1e5 rows, same generated data (bench/match/generate.R: ~10% treated, 10 covariates).
#   bench/match/run.sh [BIG_ROWS] [SMALL_ROWS]     defaults: 1000000 100000
#   SURVKIT=path/to/survkit overrides the binary (default build/survkit).
# survkit's time is the whole process (CSV read, score fit, matching, balance, output);
# MatchIt's is matchit() only (reading the CSV excluded), so the ratio favours R.
# Also prints wall, user and system seconds, peak memory and minor page faults of every
# run (bench/measure.sh), and a 1e3-row run (the first rows of the small data).
# Not a test: timings depend on the machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
big="${1:-1000000}"; small="${2:-100000}"
data="${BENCH_DATA:-/tmp/survkit-bench-match}"
survkit="${SURVKIT:-build/survkit}"
[[ -x "$survkit" ]] || { echo "build survkit first (or set SURVKIT=...)" >&2; exit 1; }
mkdir -p "$data"
for n in "$big" "$small"; do
  [[ -f "$data/match_$n.csv" ]] || Rscript bench/match/generate.R "$data/match_$n.csv" "$n"
done

source bench/measure.sh
covs="--covariates x1,x2,x3,x4,x5,x6,x7,x8,x9,x10"
tiny="$data/match_1000.csv"
[[ -f "$tiny" ]] || head -n 1001 "$data/match_$small.csv" > "$tiny"
f_big=$(measure 3 "$survkit" match "$data/match_$big.csv" --treat treat $covs --caliper 0.2 --json)
f_small=$(measure 3 "$survkit" match "$data/match_$small.csv" --treat treat $covs --caliper 0.2 --json)
f_tiny=$(measure 3 "$survkit" match "$tiny" --treat treat $covs --caliper 0.2 --json)
r_out=$( { /usr/bin/time -f "%e %U %S %M %R" Rscript bench/match/matchit_job.R "$data/match_$small.csv" > /tmp/survkit-bench-r.$$; } 2>&1 | tail -n 1)
r_small=$(awk '/^seconds/{print $2}' /tmp/survkit-bench-r.$$); rm -f /tmp/survkit-bench-r.$$
s_big=${f_big%% *}; s_small=${f_small%% *}
for row in "$big:$f_big" "$small:$f_small" "1000:$f_tiny"; do
  n=${row%%:*}; f=${row#*:}; m=$(awk '{print $4}' <<< "$f")
  printf "survkit match --caliper 0.2  rows=%-8d %8.3f s  (peak %.0f MiB; numeric data %.1f MiB)\n" "$n" "${f%% *}" \
    "$(awk "BEGIN{print $m/1024}")" "$(awk "BEGIN{print $n*12*8/1048576}")"
  describe survkit "$f"
done
printf "MatchIt 4.5.1 caliper = 0.2  rows=%-8d %8.3f s (matchit() only)\n" "$small" "$r_small"
describe "R (all)" "$r_out"
awk -v a="$r_small" -v b="$s_small" -v c="$s_big" 'BEGIN{
  printf "ratio MatchIt(%s rows) / survkit(same rows)   = %.1fx\n", "small", a / b;
  printf "ratio MatchIt(small rows) / survkit(big rows)  = %.1fx  (> 1: survkit on 10x the data is faster)\n", a / c }'
