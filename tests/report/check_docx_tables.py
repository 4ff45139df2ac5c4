"""Re-reads a report folder's report.docx (or tables.docx) with python-docx and checks
that its tables hold the same cells as the folder's CSV tables (tables/<id>.csv).

usage: /usr/bin/python3 check_docx_tables.py REPORT_DIR [report.docx|tables.docx]

For every table of results.json -- the study's ("tables") and the published comparison
("published" -> "tables") -- the document must have a table whose caption -- the
paragraph right above it -- is the table's title, and:
  * header: the rows marked as repeating header rows (w:tblHeader), folded into one
    line the way the CSV folds them ("Group: Header", see render_table_csv);
  * body: every row's cell texts, exactly as in the CSV (line breaks included).
The no-break spaces that keep "(N = 39)" together in a Word header are compared as
spaces.  The patient flow table (above all others) must list n read, every criterion
and n analysed as results.json does, and hold the cells of tables/patient_flow.csv.  Prints what it compared; exit 1 on any mismatch,
2 when python-docx is missing.
"""
import csv
import json
import os
import sys

try:
    import docx
    from docx.oxml.ns import qn
except ImportError:
    print("python-docx is missing: install it with scripts/install-deps.sh --test "
          "(Debian package python3-docx, run with /usr/bin/python3)", file=sys.stderr)
    sys.exit(2)


def text_of(element):
    """Text of a paragraph or cell element: w:t texts, w:br as a line break, w:tab as tab."""
    out = []
    for node in element.iter():
        if node.tag == qn("w:t"):
            out.append(node.text or "")
        elif node.tag == qn("w:br"):
            out.append("\n")
        elif node.tag == qn("w:tab"):
            out.append("\t")
    return "".join(out)


def cell_texts(row):
    """python-docx's cell texts of a row: one per grid column (a cell spanning k columns
    appears k times), paragraphs joined by line breaks, w:br read as a line break."""
    return [c.text for c in row.cells]


def is_header(row):
    return row._tr.find(qn("w:trPr") + "/" + qn("w:tblHeader")) is not None


def captioned_tables(document):
    """(caption, table) for every table of python-docx's document.tables, the caption
    being the text of the paragraph right above the table."""
    out = []
    for table in document.tables:
        previous = table._tbl.getprevious()
        caption = text_of(previous) if previous is not None and previous.tag == qn("w:p") else None
        out.append((caption, table))
    return out


def flatten_header(rows):
    if len(rows) == 1:
        return rows[0]
    groups, header = rows
    return [h if not g else (g if not h else g + ": " + h) for g, h in zip(groups, header)]


def nbsp(s):
    return s.replace("\u00a0", " ")


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    folder = sys.argv[1]
    name = sys.argv[2] if len(sys.argv) == 3 else "report.docx"
    with open(os.path.join(folder, "results.json"), encoding="utf-8") as f:
        results = json.load(f)
    document = docx.Document(os.path.join(folder, name))
    tables = captioned_tables(document)
    expected_tables = results["tables"] + results.get("published", {}).get("tables", [])
    if len(tables) != len(expected_tables) + 1:
        print(f"{name} has {len(tables)} tables; expected the flow table and {len(expected_tables)} more "
              f"({', '.join(t['id'] for t in expected_tables)})")
        return 1
    errors = []
    compared = 0

    # The flow table comes first.
    flow = results["flow"]
    _, tbl = tables[0]
    body = [cell_texts(row) for row in tbl.rows if not is_header(row)]
    expected = [["Records read", "", str(flow["n_read"])]]
    for step in flow["steps"]:
        expected.append([step["criterion"], str(step["excluded"]), str(step["remaining"])])
    expected.append(["Analysed", "", str(flow["n_analysed"])])
    for step in flow.get("matching_steps", []):
        expected.append([step["criterion"], str(step["excluded"]), str(step["remaining"])])
    if flow.get("matching_steps"):
        expected.append(["Eligible for matching", "", str(flow["matching_steps"][-1]["remaining"])])
    if body != expected:
        errors.append(f"flow table: {body} != {expected}")
    flow_csv = os.path.join(folder, "tables", "patient_flow.csv")
    if not os.path.exists(flow_csv):
        errors.append("tables/patient_flow.csv is missing")
    else:
        with open(flow_csv, encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        if body != rows[1:]:
            errors.append(f"flow table: {body} != CSV {rows[1:]}")
    compared += sum(len(r) for r in expected)

    by_caption = {}
    for caption, tbl in tables[1:]:
        by_caption.setdefault(caption, []).append(tbl)
    for t in expected_tables:
        found = by_caption.get(t["title"], [])
        if len(found) != 1:
            errors.append(f"{t['id']}: {len(found)} tables captioned '{t['title']}'")
            continue
        with open(os.path.join(folder, "tables", t["id"] + ".csv"), encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        trs = found[0].rows
        header = flatten_header([[nbsp(c) for c in cell_texts(tr)] for tr in trs if is_header(tr)])
        body = [cell_texts(tr) for tr in trs if not is_header(tr)]
        if header != rows[0]:
            errors.append(f"{t['id']}: header {header} != CSV {rows[0]}")
        if len(body) != len(rows) - 1:
            errors.append(f"{t['id']}: {len(body)} body rows, CSV has {len(rows) - 1}")
        for i, (got, want) in enumerate(zip(body, rows[1:])):
            if got != want:
                errors.append(f"{t['id']} row {i + 1}: {got} != CSV {want}")
        compared += sum(len(r) for r in rows)
        print(f"{t['id']}: {len(rows) - 1} rows x {len(rows[0])} columns")
    for e in errors:
        print("MISMATCH", e)
    print(f"{len(expected_tables)} tables + the flow table, {compared} cells compared, {len(errors)} mismatches")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
