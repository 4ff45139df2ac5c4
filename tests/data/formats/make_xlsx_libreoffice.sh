#!/bin/sh
# Writes patients_libreoffice.xlsx: patients.csv opened and saved by LibreOffice Calc
# (headless), as a clinician's spreadsheet program would.  The CSV import detects the ISO
# dates as dates ("detect special numbers"), so the date columns are date cells in
# LibreOffice's own styles; texts go to the shared-strings table.
# Run from the repository root:  sh tests/data/formats/make_xlsx_libreoffice.sh
set -eu
out=tests/data/formats
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$out/patients.csv" "$tmp/patients_libreoffice.csv"
# CSV filter options: comma, double quote, UTF-8, from line 1, no column formats,
# en-US, quoted fields not forced to text, detect special numbers (dates).
soffice --headless -env:UserInstallation=file://$tmp/profile \
  --infilter="CSV:44,34,76,1,,1033,false,true" \
  --convert-to xlsx --outdir "$tmp" "$tmp/patients_libreoffice.csv" >/dev/null
cp "$tmp/patients_libreoffice.xlsx" "$out/patients_libreoffice.xlsx"
