#!/usr/bin/env bash
# Installs what is missing (apt), then configures and builds survkit in ./build
# (the CLI at build/survkit, the core library, the tests).
#   scripts/build.sh            Release build
#   BUILD_DIR=dir scripts/build.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
build="${BUILD_DIR:-build}"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j "$(nproc)"
