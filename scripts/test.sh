#!/usr/bin/env bash
# Installs what is missing, builds everything (the CLI, the libraries and every test
# program), and runs every test (GoogleTest suites via ctest).
#   scripts/test.sh              Release build in ./build: the README's test command, and CI's
#   scripts/test.sh --sanitize   the same suite built with AddressSanitizer and
#                                UndefinedBehaviorSanitizer in ./build-asan (scripts/sanitize.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  "") ;;
  --sanitize) exec scripts/sanitize.sh ;;
  *) echo "usage: scripts/test.sh [--sanitize]" >&2; exit 2 ;;
esac
scripts/install-deps.sh --test
build="${BUILD_DIR:-build}"
scripts/build.sh
cmake --build "$build" -j "$(nproc)"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)"
