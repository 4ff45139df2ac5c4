#!/usr/bin/env bash
# Matching benchmark (issue 3): survkit match on 1e6 rows (and 1e5) against MatchIt 4.5.1
# on 1e5 rows, same generated data (bench/match/generate.R: ~10% treated, 10 covariates).
#   bench/match/run.sh [BIG_ROWS] [SMALL_ROWS]     defaults: 1000000 100000
#   SURVKIT=path/to/survkit overrides the binary (default build/survkit).
# survkit's time is the whole process (CSV read, score fit, matching, balance, output);
# MatchIt's is matchit() only (reading the CSV excluded), so the ratio favours R.
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

best_of() {  # best of $1 runs of the rest: prints "<seconds> <peak KiB>"
  local k=$1; shift; local best="" mem=""
  for ((i = 0; i < k; i++)); do
    local out; out=$( { /usr/bin/time -f "%e %M" "$@" >/dev/null; } 2>&1 | tail -n 1)
    local s=${out% *} m=${out#* }
    if [[ -z "$best" ]] || awk "BEGIN{exit !($s < $best)}"; then best=$s; mem=$m; fi
  done
  echo "$best $mem"
}
covs="--covariates x1,x2,x3,x4,x5,x6,x7,x8,x9,x10"
read -r s_big m_big < <(best_of 3 "$survkit" match "$data/match_$big.csv" --treat treat $covs --caliper 0.2 --json)
read -r s_small m_small < <(best_of 3 "$survkit" match "$data/match_$small.csv" --treat treat $covs --caliper 0.2 --json)
r_small=$(Rscript bench/match/matchit_job.R "$data/match_$small.csv" | awk '/^seconds/{print $2}')
printf "survkit match --caliper 0.2  rows=%-8d %8.3f s  (peak %.0f MiB)\n" "$big" "$s_big" "$(awk "BEGIN{print $m_big/1024}")"
printf "survkit match --caliper 0.2  rows=%-8d %8.3f s  (peak %.0f MiB)\n" "$small" "$s_small" "$(awk "BEGIN{print $m_small/1024}")"
printf "MatchIt 4.5.1 caliper = 0.2  rows=%-8d %8.3f s\n" "$small" "$r_small"
awk -v a="$r_small" -v b="$s_small" -v c="$s_big" 'BEGIN{
  printf "ratio MatchIt(%s rows) / survkit(same rows)   = %.1fx\n", "small", a / b;
  printf "ratio MatchIt(small rows) / survkit(big rows)  = %.1fx  (> 1: survkit on 10x the data is faster)\n", a / c }'
