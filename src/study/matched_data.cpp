#include "study/matched_data.hpp"

#include <map>

#include "study/dates.hpp"
#include "survkit/matched_csv.hpp"

namespace survkit::study {

std::string matched_data_csv(const StudyResults& r) {
  if (!r.matching) return {};
  // Date columns hold day numbers: show them as the dates they are.
  Table table = r.data.table;
  for (Column& c : table.columns) {
    if (!r.data.date_columns.count(c.name) || !c.numeric()) continue;
    Column dates;
    dates.name = c.name;
    dates.kind = ColumnKind::Categorical;
    std::map<std::string, std::int32_t> code_of;
    for (double d : c.values) {
      if (d != d) {
        dates.codes.push_back(-1);
        continue;
      }
      const auto [it, added] = code_of.emplace(format_iso_date(static_cast<std::int64_t>(d)),
                                               static_cast<std::int32_t>(dates.levels.size()));
      if (added) dates.levels.push_back(it->first);
      dates.codes.push_back(it->second);
    }
    c = std::move(dates);
  }
  return matched_csv(table, r.matching->rows, r.matching->result);
}

}  // namespace survkit::study
