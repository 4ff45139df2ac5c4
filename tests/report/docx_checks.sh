#!/usr/bin/env bash
# report.docx, tables.docx and tables.xlsx checked from outside, on real study runs (the demo and
# examples/colon):
#   docx_checks.sh tables SURVKIT EXAMPLES_DIR   python-docx re-reads the tables of
#                                                report.docx and tables.docx and compares
#                                                them with the CSV tables
#   docx_checks.sh xlsx SURVKIT EXAMPLES_DIR     openpyxl re-reads tables.xlsx: a sheet per
#                                                table in report order, the CSV tables' cells
#   docx_checks.sh pages  SURVKIT EXAMPLES_DIR   LibreOffice lays report.docx and
#                                                tables.docx out as PDF; no blank page, no
#                                                table cut off, figures present (report.docx)
# The Python checks run under /usr/bin/python3 (Debian's python3-docx loads there).  The
# page check is skipped (exit 77, with a message) only when LibreOffice is not installed;
# every other missing tool is a failure.  Install them with scripts/install-deps.sh --test.
set -euo pipefail
mode=$1 survkit=$2 examples=$3
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
work=$(mktemp -d "${TMPDIR:-/tmp}/survkit-docx.XXXXXX")
trap 'rm -rf "$work"' EXIT

if [[ $mode == pages ]] && ! command -v soffice >/dev/null; then
  echo "SKIPPED: soffice (LibreOffice) is not installed, so report.docx cannot be laid out;" \
       "install it with scripts/install-deps.sh --test"
  exit 77
fi
for tool in "$py" pdftoppm pdftotext pdfimages; do
  [[ $mode != pages && $tool != "$py" ]] && continue
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is missing (scripts/install-deps.sh --test)"; exit 1; }
done

"$survkit" demo --out "$work/demo" >/dev/null
"$survkit" study "$examples/colon/study.toml" --out "$work/colon" >/dev/null

status=0
for run in demo colon; do
  echo "== $run"
  if [[ $mode == tables ]]; then
    "$py" "$here/check_docx_tables.py" "$work/$run" report.docx || status=1
    "$py" "$here/check_docx_tables.py" "$work/$run" tables.docx || status=1
  elif [[ $mode == xlsx ]]; then
    "$py" "$here/check_xlsx_tables.py" "$work/$run" || status=1
  else
    # A private LibreOffice profile: no clash with a running instance or another test.
    soffice --headless "-env:UserInstallation=file://$work/lo-profile" --convert-to pdf \
      --outdir "$work/$run-pdf" "$work/$run/report.docx" >"$work/soffice.log" 2>&1 ||
      { cat "$work/soffice.log"; status=1; continue; }
    [[ -s $work/$run-pdf/report.pdf ]] || { echo "FAIL: soffice wrote no PDF"; cat "$work/soffice.log"; status=1; continue; }
    "$py" "$here/check_docx_pages.py" "$work/$run-pdf/report.pdf" "$work/$run" || status=1
    echo "-- tables.docx"
    soffice --headless "-env:UserInstallation=file://$work/lo-profile" --convert-to pdf \
      --outdir "$work/$run-pdf" "$work/$run/tables.docx" >"$work/soffice.log" 2>&1 ||
      { cat "$work/soffice.log"; status=1; continue; }
    [[ -s $work/$run-pdf/tables.pdf ]] || { echo "FAIL: soffice wrote no PDF of tables.docx"; status=1; continue; }
    "$py" "$here/check_docx_pages.py" "$work/$run-pdf/tables.pdf" "$work/$run" --tables-only || status=1
  fi
done
exit $status
