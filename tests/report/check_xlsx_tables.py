"""Re-reads a report folder's tables.xlsx with openpyxl and checks that it holds every
table of the report, in report order, with the same cells as the folder's CSV tables.

usage: /usr/bin/python3 check_xlsx_tables.py REPORT_DIR

The report's tables are, in order: the patient flow (tables/patient_flow.csv), the
study's tables (results.json "tables") and the published comparison (results.json
"published" -> "tables", when the study has published values).  tables.xlsx must have
one sheet per table, named by its id, in that order, and in each sheet:
  * A1: the table's title (the flow's: the bold first line of tables/patient_flow.md);
  * the header row (with the header-group row above it, folded into "Group: Header"
    as the CSV folds it) equal to the CSV's first line;
  * one row per CSV body row; a text cell holds the CSV text; a number cell holds the
    cell's value of results.json (the flow's: the count the CSV prints) to 1e-15
    relative: libxlsxwriter writes 16 significant digits ("%.16G"), one short of a
    double's round trip.
Prints what it compared; exit 1 on any mismatch, 2 when openpyxl is missing.
"""
import csv
import json
import os
import sys

try:
    import openpyxl
except ImportError:
    print("openpyxl is missing: install it with scripts/install-deps.sh --test "
          "(Debian package python3-openpyxl, run with /usr/bin/python3)", file=sys.stderr)
    sys.exit(2)


def read_csv(folder, table_id):
    with open(os.path.join(folder, "tables", table_id + ".csv"), encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def flow_table(folder):
    """The flow table as results.json would hold it: title from the .md, values = counts."""
    with open(os.path.join(folder, "tables", "patient_flow.md"), encoding="utf-8") as f:
        title = f.readline().strip().strip("*")
    rows = read_csv(folder, "patient_flow")[1:]
    return {"id": "patient_flow", "title": title, "header_groups": [],
            "rows": [{"cells": [{"text": c, "value": int(c) if c.isdigit() else None} for c in r]}
                     for r in rows]}


def text(v):
    return "" if v is None else str(v)


def check_sheet(ws, t, csv_rows, errors):
    where = t["id"]
    if text(ws.cell(1, 1).value) != t["title"]:
        errors.append(f"{where}: A1 {ws.cell(1, 1).value!r} != title {t['title']!r}")
    row = 3
    ncol = len(csv_rows[0])
    header = [text(ws.cell(row, c + 1).value) for c in range(ncol)]
    if t["header_groups"]:
        # Merged group cells read as the label in their first column only.
        groups, col = [""] * ncol, 0
        for g in t["header_groups"]:
            for k in range(g["span"]):
                if col + k < ncol:
                    groups[col + k] = g["label"]
            col += g["span"]
        row += 1
        header = [text(ws.cell(row, c + 1).value) for c in range(ncol)]
        header = [h if not g else (g if not h else g + ": " + h) for g, h in zip(groups, header)]
    if header != csv_rows[0]:
        errors.append(f"{where}: header {header} != CSV {csv_rows[0]}")
    body = csv_rows[1:]
    if len(t["rows"]) != len(body):
        errors.append(f"{where}: results has {len(t['rows'])} rows, CSV {len(body)}")
    for i, (want, jrow) in enumerate(zip(body, t["rows"])):
        r = row + 1 + i
        for c, csv_text in enumerate(want):
            got = ws.cell(r, c + 1).value
            value = jrow["cells"][c]["value"] if c < len(jrow["cells"]) else None
            if isinstance(got, (int, float)) and not isinstance(got, bool):
                if value is None or abs(float(got) - float(value)) > 1e-15 * abs(float(value)):
                    errors.append(f"{where} row {i + 1} col {c + 1}: number {got!r}, results.json value {value!r} "
                                  f"(CSV {csv_text!r})")
            elif text(got) != csv_text:
                errors.append(f"{where} row {i + 1} col {c + 1}: {got!r} != CSV {csv_text!r}")
    # Nothing after the body but the notes (first column only), one row below it.
    last = row + len(body)
    for r in range(last + 1, ws.max_row + 1):
        for c in range(2, ncol + 1):
            if ws.cell(r, c).value is not None:
                errors.append(f"{where}: unexpected cell at row {r}, column {c}")
    return ncol * len(csv_rows)


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    folder = sys.argv[1]
    with open(os.path.join(folder, "results.json"), encoding="utf-8") as f:
        results = json.load(f)
    errors = []
    tables = results["tables"] + results.get("published", {}).get("tables", [])
    if os.path.exists(os.path.join(folder, "tables", "patient_flow.csv")):
        tables.insert(0, flow_table(folder))
    else:
        errors.append("tables/patient_flow.csv is missing")
    wb = openpyxl.load_workbook(os.path.join(folder, "tables.xlsx"))
    ids = [t["id"] for t in tables]
    if wb.sheetnames != ids:
        errors.append(f"sheets {wb.sheetnames} != the report's tables {ids}")
    compared = 0
    for t in tables:
        if t["id"] not in wb.sheetnames:
            continue
        csv_rows = read_csv(folder, t["id"])
        compared += check_sheet(wb[t["id"]], t, csv_rows, errors)
        print(f"{t['id']}: {len(csv_rows) - 1} rows x {len(csv_rows[0])} columns")
    for e in errors:
        print("MISMATCH", e)
    print(f"{len(tables)} tables, {compared} cells compared, {len(errors)} mismatches")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
