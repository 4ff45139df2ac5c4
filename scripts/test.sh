#!/usr/bin/env bash
# Installs what is missing, builds everything (the CLI, the libraries and every test
# program), and runs every test (GoogleTest suites via ctest).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
build="${BUILD_DIR:-build}"
scripts/build.sh
cmake --build "$build" -j "$(nproc)"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)"
