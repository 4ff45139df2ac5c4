// analysis_data.csv: the analysed data set, one row per analysed patient (see reproduce.hpp).
#include <fmt/core.h>

#include <set>

#include "study/reproduce.hpp"

namespace survkit::study {

namespace {

/// A syntactic R name (letters, digits, '.', '_'; starting with a letter) that is not
/// yet taken: spec names are kept when they are one ("cea"), else mended ("CA 19-9" ->
/// "CA_19_9", "2nd" -> "v_2nd"), then numbered when taken.
std::string r_name(const std::string& name, std::set<std::string>& taken) {
  std::string s;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
    s += ok ? c : '_';
  }
  if (s.empty() || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) s = "v_" + s;
  std::string out = s;
  for (int k = 2; taken.count(out); ++k) out = s + "_" + std::to_string(k);
  taken.insert(out);
  return out;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos && (s.empty() || (s.front() != ' ' && s.back() != ' '))) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string number(double x) { return is_na(x) ? std::string() : fmt::format("{}", x); }

std::string level(const Factor& f, std::size_t row) {
  return f.code[row] < 0 ? std::string() : f.levels[static_cast<std::size_t>(f.code[row])];
}

}  // namespace

AnalysisColumns analysis_columns(const StudyResults& r) {
  // The fixed columns first, so that a variable never takes their names.
  std::set<std::string> taken = {"line", "group", "treated", "propensity_score", "distance", "matched", "subclass", "weight"};
  AnalysisColumns c;
  for (const auto& e : r.data.endpoints) {
    c.time.push_back(r_name(e.spec->id + "_time", taken));
    c.event.push_back(r_name(e.spec->id + "_event", taken));
  }
  for (const auto& v : r.data.variables) c.variables.push_back(r_name(v.spec->name, taken));
  return c;
}

std::string analysis_data_csv(const StudySpec&, const StudyResults& r) {
  const StudyData& d = r.data;
  const AnalysisColumns cols = analysis_columns(r);
  const MatchingResults* m = r.matching ? &*r.matching : nullptr;
  // The propensity score and distance of the eligible patients (m->rows), by analysed row.
  std::vector<double> score(d.table.nrows, NA), distance(d.table.nrows, NA);
  if (m)
    for (std::size_t k = 0; k < m->rows.size(); ++k) {
      score[m->rows[k]] = m->result.ps.score[k];
      distance[m->rows[k]] = m->result.distance[k];
    }

  std::string out = "line,group";
  for (const auto& name : cols.variables) out += "," + name;
  for (std::size_t e = 0; e < cols.time.size(); ++e) out += "," + cols.time[e] + "," + cols.event[e];
  if (m) out += ",propensity_score,distance,matched,subclass,weight";
  out += "\n";
  // One field after a comma.  (Appended apart rather than as "," + text: GCC 12 warns
  // falsely, -Wrestrict, on that string concatenation.)
  auto field = [&out](const std::string& text) {
    out += ',';
    out += text;
  };
  for (std::size_t i = 0; i < d.table.nrows; ++i) {
    out += std::to_string(d.table.line(i));
    field(csv_field(level(d.group.factor, i)));
    for (const auto& v : d.variables) field(csv_field(level(v.factor, i)));
    for (const auto& e : d.endpoints) {
      field(number(e.surv.time[i]));
      field(std::to_string(e.surv.status[i]));
    }
    if (m) {
      const bool matched = m->weights[i] > 0;
      // No pair: unmatched, or matching with replacement (MatchIt gives no subclass then).
      const bool pair = matched && !m->subclass.empty() && m->subclass[i] > 0;
      field(number(score[i]));
      field(number(distance[i]));
      field(matched ? "1" : "0");
      field(pair ? std::to_string(m->subclass[i]) : std::string());
      field(number(m->weights[i]));
    }
    out += "\n";
  }
  return out;
}

}  // namespace survkit::study
