#!/usr/bin/env bash
# Installs, with apt, whatever survkit needs to build and test that the machine lacks.
#   scripts/install-deps.sh          build dependencies (libraries, GoogleTest)
#   scripts/install-deps.sh --test   also what the tests use at run time (Chromium for the
#                                    report-rendering test; python-docx, openpyxl, LibreOffice,
#                                    poppler and the Liberation fonts (metric-compatible with
#                                    Times New Roman) for the Word/Excel checks)
#   scripts/install-deps.sh --with-r also R, survival, MatchIt, data.table, haven, readxl and
#                                    jsonlite: needed only to regenerate tests/reference/, to run
#                                    bench/ (readxl: bench/readers) and to run the report's
#                                    reproduce.R (its test is skipped without them)
# Safe to run repeatedly: packages already present are not reinstalled, apt is not
# touched at all when nothing is missing.
set -euo pipefail
pkgs=(cmake make g++ pkg-config
      libeigen3-dev libboost-dev libboost-math-dev libcli11-dev nlohmann-json3-dev
      libfmt-dev libfast-float-dev libtomlplusplus-dev libcairo2-dev libxlsxwriter-dev
      libzip-dev libpugixml-dev libreadstat-dev
      libgtest-dev)
for arg in "$@"; do
  case "$arg" in
    --test) pkgs+=(chromium unzip python3-docx python3-openpyxl poppler-utils
                   libreoffice-calc-nogui libreoffice-writer-nogui fonts-liberation) ;;
    --with-r) pkgs+=(r-base-core r-cran-survival r-cran-matchit r-cran-data.table r-cran-haven r-cran-readxl r-cran-jsonlite) ;;
    *) echo "install-deps.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "survkit: installing ${missing[*]}" >&2
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
