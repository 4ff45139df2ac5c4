#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (GoogleTest suites via ctest).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
scripts/build.sh
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j "$(nproc)"
