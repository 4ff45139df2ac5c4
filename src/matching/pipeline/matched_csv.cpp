#include "survkit/matched_csv.hpp"

#include <fmt/core.h>

#include "data/number.hpp"
#include "survkit/format.hpp"

namespace survkit {

namespace {

std::string number(double x) { return x == x ? data::format_number(x) : std::string("NA"); }

}  // namespace

std::string matched_csv(const Table& table, const std::vector<std::size_t>& unit_rows, const MatchingResult& result) {
  const MatchResult& m = result.match;
  const std::size_t n = unit_rows.size();
  if (m.weights.size() != n || result.ps.score.size() != n || result.distance.size() != n ||
      (!m.subclass.empty() && m.subclass.size() != n))
    throw InputError("matched_csv: the unit rows and the matching result differ in length");
  for (std::size_t r : unit_rows)
    if (r >= table.nrows) throw InputError("matched_csv: a unit row lies outside the table");
  std::string out;
  for (const Column& c : table.columns) out += csv_field(c.name) + ",";
  out += "ps,distance,subclass,weight\n";
  for (std::size_t u = 0; u < n; ++u) {
    if (!(m.weights[u] > 0)) continue;
    const std::size_t r = unit_rows[u];
    for (const Column& c : table.columns) out += (c.missing(r) ? std::string("NA") : csv_field(c.text(r))) + ",";
    // Shortest round-trip numbers, as the data columns (Column::text).
    out += fmt::format("{},{},{},{}\n", number(result.ps.score[u]), number(result.distance[u]),
                       m.subclass.empty() ? std::string("NA") : std::to_string(m.subclass[u]), number(m.weights[u]));
  }
  return out;
}

}  // namespace survkit
