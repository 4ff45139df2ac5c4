// check_paper: which checks a published set allows, and their inputs (paper_check.hpp).
#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <regex>
#include <set>

#include "survkit/format.hpp"
#include "survkit/paper_check.hpp"

namespace survkit {

namespace {

using Values = std::vector<const PublishedValue*>;

/// "Table 1, Gender / Female, HR": where the paper prints a value.
std::string where(const PublishedValue& v, bool with_column = true) {
  std::string out = v.source.empty() ? v.table : v.source;
  if (!v.row.empty()) out += (out.empty() ? "" : ", ") + v.row;
  if (with_column && !v.column.empty()) out += ", " + v.column;
  return out;
}

CheckInput input(const std::string& label, const PublishedValue& v) { return {label, where(v), v.printed.text}; }

/// The characteristic of a row id ("Gender / Female" -> "Gender").
std::string heading_of(const std::string& row) {
  const auto at = row.rfind(" / ");
  return at == std::string::npos ? row : row.substr(0, at);
}

bool same(const std::string& a, const std::string& b) { return id_key(a) == id_key(b); }

/// What a column holds for the survival checks: "median", a landmark time in months
/// ("3-year OS" -> 36), or nothing.
struct Statistic {
  bool median = false;
  double time = NA;  ///< months
  bool any() const { return median || !is_na(time); }
};

Statistic statistic_of(const std::string& column) {
  Statistic s;
  const std::string key = id_key(column);
  if (key.find("median") != std::string::npos && key.find("follow") == std::string::npos) {
    s.median = true;
    return s;
  }
  static const std::regex landmark(R"((\d+(?:\.\d+)?)-?(year|month|day))");
  std::smatch m;
  if (std::regex_search(key, m, landmark)) {
    const double x = std::stod(m[1].str());
    s.time = m[2] == "year" ? 12.0 * x : m[2] == "month" ? x : x / 30.4375;
  }
  return s;
}

std::string endpoint_of(const PublishedValue& v) {
  if (!v.endpoint.empty()) return id_key(v.endpoint);
  const auto at = v.table.rfind('_');
  return at == std::string::npos ? std::string() : id_key(v.table.substr(at + 1));
}

std::string subject_of(const PublishedValue& v) { return v.subject.empty() ? v.row : v.subject; }

/// The quantity a value measures: explicit, or derived for a survival statistic.
std::string quantity_of(const PublishedValue& v) {
  if (!v.quantity.empty()) return v.quantity;
  const Statistic s = statistic_of(v.column);
  if (!s.any() || endpoint_of(v).empty()) return {};
  return fmt::format("{} {} of {}", endpoint_of(v), s.median ? std::string("median") : format_sig(s.time, 6) + "-month rate",
                     subject_of(v));
}

void add(PaperCheckReport& rep, PaperCheck c) { rep.checks.push_back(std::move(c)); }

/// Other values printed exactly as `v` (a hint where a misplaced number came from).
std::string printed_elsewhere(const PublishedSet& set, const PublishedValue& v) {
  std::vector<std::string> at;
  for (const auto& o : set.values)
    if (&o != &v && o.printed.text == v.printed.text && !o.column.empty()) at.push_back(where(o));
  return at.empty() ? std::string() : "; " + v.printed.text + " is printed as " + join(at, {.last = " and "});
}

void readable_checks(const PublishedSet& set, PaperCheckReport& rep) {
  for (const auto& v : set.values) {
    if (v.printed.readable()) continue;
    PaperCheck c;
    c.kind = PaperCheckKind::Readable;
    c.subject = where(v);
    c.inputs = {input("value", v)};
    c.verdict = Verdict::Inconsistent;
    c.finding = "'" + v.printed.text + "' is not a number as printed (a misprint?)";
    add(rep, std::move(c));
  }
}

/// HR, CI and P on one row: the HR inside its CI, and P recomputed from them.
void hr_checks(const PublishedSet& set, PaperCheckReport& rep) {
  std::map<std::pair<std::string, std::string>, Values> rows;
  std::vector<std::pair<std::string, std::string>> order;
  for (const auto& v : set.values) {
    const auto key = std::make_pair(v.source + "\x1f" + v.table, v.row);
    if (!rows.count(key)) order.push_back(key);
    rows[key].push_back(&v);
  }
  for (const auto& key : order) {
    const PublishedValue *hr = nullptr, *ci = nullptr, *p = nullptr;
    for (const PublishedValue* v : rows[key]) {
      const std::string c = id_key(v->column);
      if (c == "hr" || c == "hazardratio") hr = v;
      else if (c == "95%ci" || c == "ci") ci = v;
      else if (c == "hr(95%ci)" && v->printed.kind == PrintedValue::Kind::WithCi) hr = ci = v;
      else if (c == "hr(95%ci)") hr = v;  // printed without its CI
      else if (c == "p" || c == "pvalue") p = v;
    }
    if (!hr) continue;
    PrintedValue hr_value = hr->printed, ci_value = ci ? ci->printed : PrintedValue{};
    if (hr == ci && hr->printed.kind == PrintedValue::Kind::WithCi) {
      hr_value = parse_printed(format_fixed(hr->printed.value, hr->printed.decimals));
      ci_value = parse_printed(format_fixed(hr->printed.lower, hr->printed.lower_decimals) + "-" +
                               format_fixed(hr->printed.upper, hr->printed.upper_decimals));
    }
    const std::string subject = where(*hr, false);
    if (ci) {
      PaperCheck c = check_hr_in_ci(hr_value, ci_value);
      c.subject = subject;
      c.inputs = {input("HR", *hr), input("CI", *ci)};
      add(rep, std::move(c));
    }
    if (p) {
      PaperCheck c = check_p_from_hr_ci(hr_value, ci_value, p->printed);
      c.subject = subject;
      c.inputs = {input("HR", *hr), input("P", *p)};
      if (ci) c.inputs.insert(c.inputs.begin() + 1, input("CI", *ci));
      else c.finding = "no CI is printed with this HR: its P cannot be recomputed";
      add(rep, std::move(c));
    }
  }
}

/// Each characteristic of a count block: the levels add up to the group N, and the P.
void count_checks(const PublishedSet& set, PaperCheckReport& rep) {
  for (const PublishedCounts& block : set.counts) {
    std::vector<std::string> headings;
    std::map<std::string, std::vector<std::string>> levels;  // heading -> row ids in file order
    for (const auto& v : set.values) {
      if (!same(v.table, block.table)) continue;
      const bool is_count = std::any_of(block.columns.begin(), block.columns.end(), [&](auto& c) { return same(c, v.column); });
      if (!is_count) continue;
      const std::string h = heading_of(v.row);
      if (!levels.count(h)) headings.push_back(h);
      auto& rows = levels[h];
      if (std::find(rows.begin(), rows.end(), v.row) == rows.end()) rows.push_back(v.row);
    }
    const std::string section = block.p_column.find(" / ") != std::string::npos ? " (" + heading_of(block.p_column) + ")" : "";
    for (const std::string& h : headings) {
      CountsTestInput in;
      in.stated_test = block.stated_test;
      std::vector<CheckInput> inputs;
      const PublishedValue* p = nullptr;
      bool complete = true;
      for (const std::string& row : levels[h]) {
        in.levels.push_back(row);
        in.counts.emplace_back();
        for (const std::string& col : block.columns) {
          const PublishedValue* cell = nullptr;
          for (const auto& v : set.values)
            if (same(v.table, block.table) && v.row == row && same(v.column, col)) cell = &v;
          const bool ok = cell && cell->printed.kind == PrintedValue::Kind::Number && !is_na(cell->printed.value);
          complete = complete && ok;
          in.counts.back().push_back(ok ? cell->printed.value : 0.0);
          if (cell) inputs.push_back(input("count", *cell));
        }
        for (const auto& v : set.values)
          if (!block.p_column.empty() && same(v.table, block.table) && v.row == row && same(v.column, block.p_column))
            p = &v;
      }
      const std::string subject = (block.source.empty() ? block.table : block.source) + ", " + h + section;
      for (std::size_t g = 0; g < block.columns.size() && g < block.n.size(); ++g) {
        std::vector<double> column;
        for (const auto& row : in.counts) column.push_back(row[g]);
        PaperCheck c = check_count_sum(column, block.n[g].kind == PrintedValue::Kind::Number ? block.n[g].value : NA);
        c.subject = subject + ", " + block.columns[g];
        for (const auto& i : inputs)
          if (i.where.ends_with(block.columns[g])) c.inputs.push_back(i);
        c.inputs.push_back({"N", block.source, block.n[g].text});
        if (!complete) c.verdict = Verdict::CannotCheck, c.finding = "a count of this characteristic is missing or unreadable";
        add(rep, std::move(c));
      }
      if (!p) continue;
      in.p = p->printed;
      PaperCheck c;
      if (complete) {
        c = check_p_from_counts(in);
      } else {
        c.kind = PaperCheckKind::PFromCounts;
        c.finding = "a count of this characteristic is missing or unreadable";
      }
      c.subject = subject;
      inputs.push_back(input("P", *p));
      if (!block.stated_test.empty()) inputs.push_back({"stated test", block.source, block.stated_test});
      c.inputs = inputs;
      add(rep, std::move(c));
    }
  }
}

/// Percentages of N (GRIM, with the printed count of the same row), and partitions.
void percent_checks(const PublishedSet& set, PaperCheckReport& rep) {
  std::vector<std::string> partitions;
  std::map<std::string, Values> parts;
  for (const auto& v : set.values) {
    if (is_na(v.percent_of)) continue;
    double count = NA;
    const PublishedValue* count_at = nullptr;
    for (const auto& o : set.values)
      if (same(o.table, v.table) && o.row == v.row && same(o.column, "N") && o.printed.kind == PrintedValue::Kind::Number)
        count = o.printed.value, count_at = &o;
    PaperCheck c = check_percent_of_n(v.printed, v.percent_of, count);
    c.subject = where(v);
    c.inputs = {input("percentage", v), {"N", "", format_sig(v.percent_of, 10)}};
    if (count_at) c.inputs.push_back(input("count", *count_at));
    if (c.verdict == Verdict::Inconsistent) c.finding += printed_elsewhere(set, v);
    add(rep, std::move(c));
    if (v.partition.empty()) continue;
    if (!parts.count(v.partition)) partitions.push_back(v.partition);
    parts[v.partition].push_back(&v);
  }
  for (const auto& name : partitions) {
    std::vector<PrintedValue> values;
    for (const PublishedValue* v : parts[name]) values.push_back(v->printed);
    PaperCheck c = check_percent_sum(values);
    c.subject = name;
    c.inputs.clear();
    for (const PublishedValue* v : parts[name]) c.inputs.push_back(input("percentage", *v));
    add(rep, std::move(c));
  }
}

/// Per curve (endpoint and subject): every median against every landmark rate, and the
/// landmark rates against each other.
void survival_checks(const PublishedSet& set, PaperCheckReport& rep) {
  std::vector<std::string> curves;
  std::map<std::string, Values> by_curve;
  for (const auto& v : set.values) {
    if (!statistic_of(v.column).any() || endpoint_of(v).empty()) continue;
    const std::string key = endpoint_of(v) + "\x1f" + subject_of(v);
    if (!by_curve.count(key)) curves.push_back(key);
    by_curve[key].push_back(&v);
  }
  for (const auto& key : curves) {
    const Values& vs = by_curve[key];
    const std::string curve = fmt::format("{} of {}", key.substr(0, key.find('\x1f')), key.substr(key.find('\x1f') + 1));
    std::set<std::string> seen;
    for (const PublishedValue* a : vs) {
      const Statistic sa = statistic_of(a->column);
      for (const PublishedValue* b : vs) {
        const Statistic sb = statistic_of(b->column);
        PaperCheck c;
        if (sa.median && !is_na(sb.time)) {
          c = check_median_vs_rate(a->printed, sb.time, b->printed);
          c.inputs = {input("median", *a), input(format_sig(sb.time, 6) + "-month rate", *b)};
        } else if (!is_na(sa.time) && !is_na(sb.time) && sa.time < sb.time) {
          c = check_rates_monotone(sa.time, a->printed, sb.time, b->printed);
          c.inputs = {input(format_sig(sa.time, 6) + "-month rate", *a), input(format_sig(sb.time, 6) + "-month rate", *b)};
        } else {
          continue;
        }
        // The same pair of printed values from other places adds nothing.
        if (!seen.insert(fmt::format("{}\x1f{}\x1f{}\x1f{}", a->printed.text, sa.time, b->printed.text, sb.time)).second)
          continue;
        c.subject = curve;
        add(rep, std::move(c));
      }
    }
  }
}

/// A quantity printed in several places has one value.
void quantity_checks(const PublishedSet& set, PaperCheckReport& rep) {
  std::vector<std::string> order;
  std::map<std::string, Values> by_quantity;
  for (const auto& v : set.values) {
    const std::string q = quantity_of(v);
    if (q.empty()) continue;
    if (!by_quantity.count(q)) order.push_back(q);
    by_quantity[q].push_back(&v);
  }
  for (const auto& q : order) {
    const Values& vs = by_quantity[q];
    if (vs.size() < 2) continue;
    std::vector<PrintedValue> values;
    for (const PublishedValue* v : vs) values.push_back(v->printed);
    PaperCheck c = check_same_quantity(values);
    c.subject = q;
    c.inputs.clear();
    for (const PublishedValue* v : vs) c.inputs.push_back(input("value", *v));
    if (c.verdict == Verdict::Inconsistent)
      for (const PublishedValue* v : vs) {
        std::vector<std::string> at;
        for (const auto& o : set.values)
          if (o.printed.text == v->printed.text && quantity_of(o) != q && !o.column.empty()) at.push_back(where(o));
        if (!at.empty()) c.finding += "; " + v->printed.text + " is also printed as " + join(at, {.last = " and "});
      }
    add(rep, std::move(c));
  }
}

}  // namespace

PaperCheckReport check_paper(const PublishedSet& published) {
  PaperCheckReport rep;
  rep.source_name = published.source_name;
  readable_checks(published, rep);
  hr_checks(published, rep);
  count_checks(published, rep);
  percent_checks(published, rep);
  survival_checks(published, rep);
  quantity_checks(published, rep);
  // Grouped by kind, in the order of PaperCheckKind; file order within a kind.
  std::stable_sort(rep.checks.begin(), rep.checks.end(),
                   [](const PaperCheck& a, const PaperCheck& b) { return a.kind < b.kind; });
  for (const auto& c : rep.checks) {
    if (c.verdict == Verdict::Consistent) ++rep.consistent;
    else if (c.verdict == Verdict::Inconsistent) ++rep.inconsistent;
    else ++rep.cannot_check;
  }
  return rep;
}

}  // namespace survkit
