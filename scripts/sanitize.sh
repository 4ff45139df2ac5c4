#!/usr/bin/env bash
# scripts/test.sh --sanitize: the whole test suite, built with AddressSanitizer and
# UndefinedBehaviorSanitizer, in its own folder (./build-asan, or SANITIZE_BUILD_DIR), so the
# Release build in ./build is untouched.  Every test program and the survkit binary the
# command-line tests run are instrumented: an out-of-bounds access, a use after free,
# undefined behaviour (signed overflow, a bad shift or cast, ...) or a memory leak fails
# the test that caused it.
#   -O1 -g, assertions on (no NDEBUG), libstdc++ bounds checks (_GLIBCXX_ASSERTIONS).
#   A sanitizer report makes the process exit with 86, a code no test expects (survkit's
#   own codes are 0-4 and 70), so a command-line test expecting, say, exit 1 cannot
#   mistake a sanitizer failure for its answer; the fuzz test also fails on the report text.
#   Leaks in third-party libraries, not ours, are suppressed in scripts/sanitize/lsan.supp
#   (each entry says why).  Nothing else is suppressed.
# Slow: the instrumented build takes several times the Release one (ccache helps when
# installed), and the suite runs 2-3 times slower.  Not part of CI's scripts/test.sh.
#   SANITIZE_JOBS=N      parallel compile jobs and ctest jobs (default: nproc); on a shared
#                        machine run e.g. `SANITIZE_JOBS=1 nice -n 19 scripts/test.sh --sanitize`
#   SANITIZE_TIMEOUT=S   per-test ctest timeout in seconds (default 3000): instrumented tests
#                        run several times slower than the Release suite's timeouts assume
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
build="${SANITIZE_BUILD_DIR:-build-asan}"
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
# With -g ccache hashes the build folder too; without that (and with paths relative to the
# checkout), objects compiled in one checkout or git worktree are hits in another.  The
# only cost: debug info names the folder of the checkout that compiled the object first.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"
cmake -S . -B "$build" "${launcher[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" \
  -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -D_GLIBCXX_ASSERTIONS" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
jobs="${SANITIZE_JOBS:-$(nproc)}"
cmake --build "$build" -j "$jobs"
export ASAN_OPTIONS="detect_leaks=1:exitcode=86"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=86"
export LSAN_OPTIONS="suppressions=$PWD/scripts/sanitize/lsan.supp:print_suppressions=0"
ctest --test-dir "$build" --output-on-failure -j "$jobs" --timeout "${SANITIZE_TIMEOUT:-3000}"
