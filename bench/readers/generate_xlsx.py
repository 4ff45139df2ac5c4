#!/usr/bin/python3
"""Writes the .xlsx of the reader benchmark with openpyxl (write-only mode): ROWS rows x
20 columns (16 numbers, 2 texts, 2 dates formatted as dates), seeded.
    /usr/bin/python3 generate_xlsx.py OUT.xlsx ROWS"""
import datetime as dt
import random
import sys

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

out, n = sys.argv[1], int(sys.argv[2])
random.seed(20261129)
wb = Workbook(write_only=True)
ws = wb.create_sheet("Data")
ws.append([f"x{k:02d}" for k in range(1, 17)] + ["site", "arm", "start", "stop"])
base = dt.date(2000, 1, 1)
sites = ["north", "south", "east", "west"]
for _ in range(n):
    row = [round(random.gauss(50, 10), 3) for _ in range(16)]
    row += [random.choice(sites), random.choice(["A", "B"])]
    start = base + dt.timedelta(days=random.randint(0, 7000))
    for d in (start, start + dt.timedelta(days=random.randint(1, 3000))):
        c = WriteOnlyCell(ws, value=d)
        c.number_format = "yyyy-mm-dd"
        row.append(c)
    ws.append(row)
wb.save(out)
