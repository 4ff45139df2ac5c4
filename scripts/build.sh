#!/usr/bin/env bash
# Installs what is missing (apt), then configures and builds the survkit command-line
# tool in ./build (build/survkit and the libraries it links; no test programs, so a first
# build is quick).  scripts/test.sh builds everything else and runs the tests.
#   scripts/build.sh            Release build of build/survkit
#   BUILD_DIR=dir scripts/build.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
build="${BUILD_DIR:-build}"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j "$(nproc)" --target survkit
