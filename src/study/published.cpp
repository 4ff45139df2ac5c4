#include "study/published.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "study/format.hpp"
#include "survkit/enum_names.hpp"

namespace survkit::study {

namespace {

/// The names a column answers to: its header, without a trailing " (N = ...)", each
/// also prefixed by its header group ("Before PSM / Local therapy").
std::vector<std::string> column_names(const ReportTable& t, std::size_t j) {
  std::vector<std::string> names{t.header[j]};
  const auto n_at = t.header[j].find(" (N = ");
  if (n_at != std::string::npos && t.header[j].back() == ')') names.push_back(t.header[j].substr(0, n_at));
  std::size_t start = 0;
  for (const auto& [label, span] : t.header_groups) {
    if (j >= start && j < start + span && !label.empty()) {
      const std::size_t k = names.size();
      for (std::size_t i = 0; i < k; ++i) names.push_back(label + " / " + names[i]);
    }
    start += span;
  }
  return names;
}

std::string signed_fixed(double x, int decimals) {
  const std::string s = format_fixed(x, decimals);
  return x > 0 && s.find_first_not_of("0.") != std::string::npos ? "+" + s : s;
}

/// The reproduced value minus the published one, in printed units: the text, and the
/// difference at full precision (value; lower and upper for an interval).
ReportCell difference(const PrintedValue& p, const ReportCell& c) {
  using K = PrintedValue::Kind;
  switch (p.kind) {
    case K::Number:
    case K::Percent:
    case K::WithCi: {
      if (is_na(c.value) || is_na(p.value)) return ReportCell{"", NA};
      const double d = c.value - p.value;
      return ReportCell{signed_fixed(d, p.decimals), d};
    }
    case K::Interval: {
      if (is_na(c.lower) || is_na(c.upper)) return ReportCell{"", NA};
      const double lo = c.lower - p.lower, hi = c.upper - p.upper;
      ReportCell out{signed_fixed(lo, p.lower_decimals) + " / " + signed_fixed(hi, p.upper_decimals), NA};
      out.lower = lo;
      out.upper = hi;
      return out;
    }
    default:
      return ReportCell{"", NA};
  }
}

ReportCell text(std::string s) { return ReportCell{std::move(s), NA}; }

ReportTable comparison_table(const PublishedSet& set, const std::vector<ReportTable>& tables, PublishedSection& out) {
  ReportTable t;
  t.id = "published_vs_reproduced";
  t.title = "Published vs reproduced";
  t.header = {"Row / column", "Published in", "Published", "Reproduced", "Difference", "Verdict"};
  std::vector<std::string> order;
  std::map<std::string, std::vector<const PublishedValue*>> by_table;
  std::size_t elsewhere = 0;  // in places the report has no table for (text-only numbers)
  for (const auto& v : set.values) {
    const bool in_report = std::any_of(tables.begin(), tables.end(), [&](const ReportTable& rt) { return id_key(rt.id) == id_key(v.table); });
    if (!in_report || v.column.empty()) {
      ++elsewhere;
      continue;
    }
    if (!by_table.count(v.table)) order.push_back(v.table);
    by_table[v.table].push_back(&v);
  }
  std::size_t differ = 0, empty = 0, unreadable = 0;
  for (const auto& id : order) {
    std::string heading = id;
    for (const auto& rt : tables)
      if (id_key(rt.id) == id_key(id)) heading = rt.title + " (" + rt.id + ")";
    ReportRow head;
    head.cells.assign(t.header.size(), ReportCell{});
    head.cells[0] = text(heading);
    t.rows.push_back(std::move(head));
    // In the report's order: by row, then column (unknown rows and columns last).
    std::stable_sort(by_table[id].begin(), by_table[id].end(), [&](const PublishedValue* a, const PublishedValue* b) {
      const CellPosition pa = locate_cell(tables, *a), pb = locate_cell(tables, *b);
      return std::make_pair(pa.row, pa.column) < std::make_pair(pb.row, pb.column);
    });
    for (const PublishedValue* v : by_table[id]) {
      ++out.values;
      ReportRow row;
      row.level = 1;
      const ReportCell* cell = find_cell(tables, *v);
      std::string reproduced, verdict;
      if (!v->printed.readable()) {
        verdict = "published value unreadable";
        ++unreadable;
      }
      if (cell) {
        ++out.found;
        reproduced = reproduced_text(v->printed, *cell);
        if (verdict.empty()) {
          const bool same = !reproduced.empty() && id_key(reproduced) == id_key(v->printed.text);
          verdict = same ? "same as printed" : reproduced.empty() ? "empty in this report" : "differs";
          if (same) ++out.reproduced;
          else if (reproduced.empty()) ++empty;
          else ++differ;
        }
      } else if (verdict.empty()) {
        verdict = "no such cell in this report";
      }
      const PrintedValue& pv = v->printed;
      row.cells = {text(v->row + " \u00b7 " + v->column), text(v->source), ReportCell{pv.text, pv.value, pv.lower, pv.upper},
                   ReportCell{reproduced, cell ? cell->value : NA, cell ? cell->lower : NA, cell ? cell->upper : NA},
                   cell ? difference(v->printed, *cell) : text(""), text(verdict)};
      t.rows.push_back(std::move(row));
    }
  }
  out.differ = differ;
  out.empty_cells = empty;
  out.unreadable = unreadable;
  out.summary = fmt::format("{} of {} published numbers reproduced", out.reproduced, out.values);
  std::vector<std::string> parts;
  if (differ) parts.push_back(fmt::format("{} differ", differ));
  if (empty) parts.push_back(fmt::format("{} are empty in this report", empty));
  if (out.values > out.found) parts.push_back(fmt::format("{} have no cell in this report", out.values - out.found));
  if (unreadable) parts.push_back(fmt::format("{} unreadable as printed", unreadable));
  if (!parts.empty()) out.summary += " (" + join(parts, {.last = " and "}) + ")";
  t.notes.push_back("Reproduced: the report's cell with the same table, row and column, printed at the precision of "
                    "the published value; difference: reproduced minus published, in the published units (percentage "
                    "points for rates). Same as printed: the two print identically.");
  t.notes.push_back(out.summary + ".");
  if (elsewhere)
    t.notes.push_back(fmt::format("{} further published numbers are not cells of a report table (percentages and counts "
                                  "of the text): they enter the consistency checks only.",
                                  elsewhere));
  return t;
}

ReportTable consistency_table(const PaperCheckReport& rep) {
  ReportTable t;
  t.id = "published_consistency";
  t.title = "Internal consistency of the published numbers";
  t.header = {"Check / subject", "Published", "Recomputed", "Verdict", "Finding"};
  PaperCheckKind current = PaperCheckKind::Readable;
  bool first = true;
  for (const PaperCheck& c : rep.checks) {
    if (c.verdict == Verdict::Consistent) continue;  // counted in the note; results.json lists them
    if (first || c.kind != current) {
      ReportRow head;
      head.cells.assign(t.header.size(), ReportCell{});
      head.cells[0] = text(std::string(to_name(c.kind)));
      t.rows.push_back(std::move(head));
      current = c.kind;
      first = false;
    }
    std::vector<std::string> inputs;
    for (const auto& i : c.inputs) inputs.push_back(i.label + " " + i.value);
    ReportRow row;
    row.level = 1;
    row.cells = {text(c.subject), text(join(inputs, {.separator = "; "})), ReportCell{c.recomputed, c.value},
                 text(std::string(to_name(c.verdict))), text(c.finding)};
    t.rows.push_back(std::move(row));
  }
  t.notes.push_back(fmt::format("{} checks: {} consistent, {} inconsistent, {} cannot be checked (survkit check-paper; "
                                "no patient data is used). Listed: the inconsistent and uncheckable ones; results.json "
                                "(\"published\" / \"consistency\") has every check with its inputs.",
                                rep.checks.size(), rep.consistent, rep.inconsistent, rep.cannot_check));
  return t;
}

}  // namespace

CellPosition locate_cell(const std::vector<ReportTable>& tables, const PublishedValue& v) {
  CellPosition at;
  for (const ReportTable& t : tables) {
    if (id_key(t.id) != id_key(v.table)) continue;
    std::size_t col = t.header.size();
    for (std::size_t j = 0; j < t.header.size() && col == t.header.size(); ++j)
      for (const auto& name : column_names(t, j))
        if (id_key(name) == id_key(v.column)) col = j;
    std::string heading;
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
      const ReportRow& r = t.rows[i];
      if (r.cells.empty()) continue;
      std::string id = r.cells[0].text;
      if (r.level == 0) heading = id;
      else if (!heading.empty()) id = heading + " / " + id;
      if (id_key(id) != id_key(v.row)) continue;
      at.row = i;
      at.column = col;
      if (col < r.cells.size()) at.cell = &r.cells[col];
      return at;
    }
    return at;
  }
  return at;
}

const ReportCell* find_cell(const std::vector<ReportTable>& tables, const PublishedValue& v) {
  return locate_cell(tables, v).cell;
}

std::string reproduced_text(const PrintedValue& p, const ReportCell& c) {
  using K = PrintedValue::Kind;
  switch (p.kind) {
    case K::Number:
      return is_na(c.value) ? "" : format_fixed(c.value, p.decimals);
    case K::Percent:
      return is_na(c.value) ? "" : format_fixed(c.value, p.decimals) + "%";
    case K::Below:
      if (is_na(c.value)) return "";
      return c.value < p.value ? "< " + format_fixed(p.value, p.decimals) : format_fixed(c.value, p.decimals);
    case K::Interval:
      if (is_na(c.lower) || is_na(c.upper)) return "";
      return format_fixed(c.lower, p.lower_decimals) + "\u2013" + format_fixed(c.upper, p.upper_decimals);
    case K::WithCi:
      if (is_na(c.value)) return "";
      return format_fixed(c.value, p.decimals) + " (" + (is_na(c.lower) ? "NR" : format_fixed(c.lower, p.lower_decimals)) +
             "\u2013" + (is_na(c.upper) ? "NR" : format_fixed(c.upper, p.upper_decimals)) + ")";
    default:
      return c.text;
  }
}

PublishedPart published_section(const PublishedSet& published, const std::vector<ReportTable>& tables) {
  PublishedPart p;
  if (published.empty()) return p;
  p.section.checks = check_paper(published);
  p.tables.push_back(comparison_table(published, tables, p.section));
  p.tables.push_back(consistency_table(p.section.checks));
  for (auto& t : p.tables) t.section = TableSection::Published;
  return p;
}

}  // namespace survkit::study
