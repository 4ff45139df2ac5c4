# Shared by bench/run.sh and bench/match/run.sh (sourced).  Measures a command with
# /usr/bin/time: wall, user and system CPU seconds, peak resident set and minor page
# faults.  The page-fault count is deterministic for a given binary and data (unlike the
# times on a busy machine): with memory faulted in once it is about peak RSS / 4 KiB,
# less with 2 MiB pages.
#
# The best of N consecutive runs finds most of its memory warm.  These virtual machines
# run free page reporting: memory freed for about two seconds goes back to the host, and
# its next first touch waits for the host (about 1.6 ms per MiB in 2 MiB pages, against
# 0.15 ms when freed a moment before; README "Benchmarks", issue 11's fifth round).  A
# user's single run after a pause pays that for its whole peak: the Cox job's system time
# doubles (0.13-0.18 s -> 0.25-0.29 s).
#
# measure N CMD... : runs CMD N times (stdout discarded) and prints
#   "<wall> <user> <sys> <peak KiB> <minor faults>" of the run with the least wall time.
measure() {
  local k=$1; shift
  local best="" line=""
  for ((i = 0; i < k; i++)); do
    local out
    out=$( { /usr/bin/time -f "%e %U %S %M %R" "$@" >/dev/null; } 2>&1 | tail -n 1)
    local s=${out%% *}
    if [[ -z "$best" ]] || awk "BEGIN{exit !($s < $best)}"; then best=$s; line=$out; fi
  done
  echo "$line"
}

# describe LABEL "<wall> <user> <sys> <peak KiB> <minor faults>" : one line of figures,
# with the faults against the once-only count (peak RSS / 4 KiB).
describe() {
  local label=$1; read -r e u s m f <<< "$2"
  awk -v l="$label" -v e="$e" -v u="$u" -v s="$s" -v m="$m" -v f="$f" 'BEGIN{
    printf "  %-8s wall %7.2f s  user %6.2f s  sys %5.2f s  peak %6.0f MiB  minor faults %8d (%.2f x peak/4KiB)\n",
           l, e, u, s, m / 1024, f, f / (m / 4) }'
}
