#!/usr/bin/python3
"""Writes the Excel fixtures of the .xlsx reader (issue 9 §1) with openpyxl.

Run from the repository root with Debian's Python (openpyxl):
    /usr/bin/python3 tests/data/formats/make_xlsx.py
The LibreOffice fixture is made by make_xlsx_libreoffice.sh.

  patients_openpyxl.xlsx  patients.csv as a workbook: sheet "Data" first (numbers as
                          numbers, dates as date cells formatted yyyy-mm-dd, texts as
                          shared strings, empty cells absent), then a sheet "Other".
  edge.xlsx               the cell kinds and layouts the reader must handle, in the
                          1900 date system: a header merged over two columns, error cells,
                          booleans, a number stored as text, dates with a time of day,
                          styled but empty trailing rows and columns, a blank middle row.
  edge1904.xlsx           the same dates in the 1904 date system.
  bad_header.xlsx         a column with values but no header name (cell C1).
  mixed_dates.xlsx        a plain number (cell B3) in a column of dates.
"""
import csv
import datetime as dt
import os

from openpyxl import Workbook
from openpyxl.styles import Font

OUT = "tests/data/formats"
DATE_COLS = {"birth_date", "crc_diagnosis_date", "pm_diagnosis_date", "progression_date", "death_date",
             "last_followup_date"}


def number(text):
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return None


def patients():
    with open(os.path.join(OUT, "patients.csv"), newline="") as f:
        rows = list(csv.reader(f))
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(rows[0])
    for r, row in enumerate(rows[1:], start=2):
        for c, (name, text) in enumerate(zip(rows[0], row), start=1):
            if text == "":
                continue
            cell = ws.cell(row=r, column=c)
            if name in DATE_COLS:
                cell.value = dt.date.fromisoformat(text)
                cell.number_format = "yyyy-mm-dd"
            else:
                x = number(text)
                cell.value = text if x is None else x
    other = wb.create_sheet("Other")
    other.append(["x", "y"])
    other.append([1, "a"])
    wb.save(os.path.join(OUT, "patients_openpyxl.xlsx"))


def edge(path, epoch1904):
    wb = Workbook()
    if epoch1904:
        wb.epoch = dt.datetime(1904, 1, 1)  # openpyxl.utils.datetime.CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "Edge"
    ws.append(["id", "blood pressure", None, "when", "flag", "lab", "coded"])
    ws.merge_cells("B1:C1")
    data = [
        [1, 120, 80, dt.datetime(2020, 2, 29, 13, 45), True, "#N/A", "7"],
        [2, 130, 85, dt.date(1999, 12, 31), False, 4.5, "8"],
        [3, None, 90, dt.date(1970, 1, 1), True, "#DIV/0!", "9"],
    ]
    for r, row in enumerate(data, start=2):
        for c, v in enumerate(row, start=1):
            if v is None:
                continue
            cell = ws.cell(row=r, column=c)
            if isinstance(v, str) and v.startswith("#"):
                cell.value = v
                cell.data_type = "e"  # an error cell, as Excel writes #N/A
            else:
                cell.value = v
                if isinstance(v, (dt.date, dt.datetime)):
                    cell.number_format = "dd/mm/yyyy hh:mm" if isinstance(v, dt.datetime) else "d mmm yyyy"
    # Row 5 blank (kept as a row of missing values), row 6 holds data again.
    ws.cell(row=6, column=1, value=4)
    ws.cell(row=6, column=4, value=dt.date(2001, 1, 1)).number_format = "yyyy-mm-dd"
    # Styled but empty trailing rows and columns (a spreadsheet's usual debris).
    for r in range(7, 12):
        for c in range(1, 11):
            ws.cell(row=r, column=c).font = Font(bold=True)
    ws.cell(row=1, column=10).font = Font(italic=True)
    wb.save(path)


def bad_header():
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["a", "b", None])
    ws.append([1, 2, 3])
    wb.save(os.path.join(OUT, "bad_header.xlsx"))


def mixed_dates():
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["id", "visit"])
    ws.append([1, dt.date(2020, 1, 1)])
    ws.cell(row=2, column=2).number_format = "yyyy-mm-dd"
    ws.append([2, 43831])
    wb.save(os.path.join(OUT, "mixed_dates.xlsx"))


if __name__ == "__main__":
    patients()
    edge(os.path.join(OUT, "edge.xlsx"), False)
    edge(os.path.join(OUT, "edge1904.xlsx"), True)
    bad_header()
    mixed_dates()
