"""Checks the pages of report.docx as LibreOffice lays them out (converted to PDF by the
caller): no page is blank, no table is cut off, every figure is there.

usage: /usr/bin/python3 check_docx_pages.py REPORT_PDF REPORT_DIR [--tables-only]
  (--tables-only: the PDF of tables.docx, which has the tables and no figure)

  * blank pages: every page is rasterised in grey (pdftoppm -gray, 40 dpi) and must have
    at least kMinDark dark pixels (< 128), a few words' worth, or words (pdftotext: a
    line of 8-pt notes is fainter than that at 40 dpi);
  * cut-off tables: every word on every page (pdftotext -bbox) lies inside the page
    with its right edge at most kMarginSlack points into the right margin (the margins
    are 1 inch = 72 pt), so no table runs off the text area; every table's caption, the
    words of its last column's header and of its last row's cells are on some page (the
    study's tables and the published ones);
  * a table of more than 8 columns is on a landscape page;
  * figures: the PDF holds at least one image per figure of results.json (pdfimages).
Prints what it checked; exit 1 on any failure.
"""
import csv
import html
import json
import os
import re
import subprocess
import sys
import tempfile

kMinDark = 150      # dark pixels per page at 40 dpi (one short line of text has ~300)
kMarginSlack = 36   # pt: half of the 1-inch margin


def run(args):
    return subprocess.run(args, check=True, capture_output=True).stdout


def read_pgm(path):
    with open(path, "rb") as f:
        data = f.read()
    # P5 header: magic, width, height, maxval, each separated by whitespace.
    parts = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    if not parts:
        raise ValueError(f"{path}: not a binary PGM")
    w, h = int(parts.group(1)), int(parts.group(2))
    return w, h, data[parts.end():parts.end() + w * h]


def pages_words(pdf):
    """[(width, height, [(xmin, ymin, xmax, ymax, word)])] per page."""
    text = run(["pdftotext", "-bbox", pdf, "-"]).decode("utf-8")
    pages = []
    for m in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', text, re.S):
        words = [(float(a), float(b), float(c), float(d), html.unescape(w)) for a, b, c, d, w in re.findall(
            r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>', m.group(3))]
        pages.append((float(m.group(1)), float(m.group(2)), words))
    return pages


def main():
    if len(sys.argv) not in (3, 4) or (len(sys.argv) == 4 and sys.argv[3] != "--tables-only"):
        print(__doc__, file=sys.stderr)
        return 2
    pdf, folder = sys.argv[1], sys.argv[2]
    tables_only = len(sys.argv) == 4
    with open(os.path.join(folder, "results.json"), encoding="utf-8") as f:
        results = json.load(f)
    errors = []

    pages = pages_words(pdf)
    with tempfile.TemporaryDirectory() as tmp:
        run(["pdftoppm", "-gray", "-r", "40", pdf, os.path.join(tmp, "page")])
        pgms = sorted(p for p in os.listdir(tmp) if p.endswith(".pgm"))
        if len(pgms) != len(pages):
            errors.append(f"pdftoppm made {len(pgms)} pages, pdftotext sees {len(pages)}")
        for i, name in enumerate(pgms, 1):
            w, h, pixels = read_pgm(os.path.join(tmp, name))
            dark = sum(1 for p in pixels if p < 128)
            # A page with a line of 8-pt table notes has few dark pixels at 40 dpi: a page
            # is blank when it also has no words.
            has_words = i <= len(pages) and len(pages[i - 1][2]) > 0
            if dark < kMinDark and not has_words:
                errors.append(f"page {i} is blank ({dark} dark pixels of {w * h})")
    print(f"{len(pages)} pages, none blank" if not errors else f"{len(pages)} pages")

    all_words = []
    for i, (width, height, words) in enumerate(pages, 1):
        for x0, y0, x1, y1, word in words:
            if x0 < 0 or y0 < 0 or x1 > width - 72 + kMarginSlack or y1 > height:
                errors.append(f"page {i}: '{word}' at x {x0:.0f}-{x1:.0f}, y {y0:.0f}-{y1:.0f} "
                              f"is outside the text area of a {width:.0f} x {height:.0f} page")
        # No-break spaces (which keep "(N = 39)" together) separate words here.
        all_words.append({part for w in words for part in w[4].replace("\u00a0", " ").split()})
    every_word = set().union(*all_words) if all_words else set()
    landscape = [i for i, (w, h, _) in enumerate(pages) if w > h]

    for t in results["tables"] + results.get("published", {}).get("tables", []):
        with open(os.path.join(folder, "tables", t["id"] + ".csv"), encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        needed = t["header"][-1].split() + t["title"].split() + [w for c in rows[-1] for w in c.split()]
        missing = [w for w in needed if w not in every_word]
        if missing:
            errors.append(f"{t['id']}: words missing from the pages (cut off?): {missing[:10]}")
        if len(t["header"]) > 8:
            # The caption's first words must be on a landscape page.
            first = t["title"].split()[:2]
            if not any(all(w in all_words[i] for w in first) for i in landscape):
                errors.append(f"{t['id']}: {len(t['header'])} columns, but not on a landscape page")
        print(f"{t['id']}: caption, last column header '{t['header'][-1]}' and last row found")

    images = [l for l in run(["pdfimages", "-list", pdf]).decode().splitlines()[2:] if l.strip()]
    if tables_only:
        if images:
            errors.append(f"{len(images)} images in the PDF of the tables alone")
    elif len(images) < len(results["figures"]):
        errors.append(f"{len(images)} images in the PDF, {len(results['figures'])} figures in the report")
    print(f"{len(images)} images for {len(results['figures'])} figures; {len(landscape)} landscape pages")
    for e in errors:
        print("FAIL", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
