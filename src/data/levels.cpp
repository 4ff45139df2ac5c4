#include "data/levels.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "data/number.hpp"
#include "survkit/format.hpp"

namespace survkit::data {

void order_levels(std::vector<std::string>& levels, std::vector<std::int32_t>& codes) {
  std::vector<double> num(levels.size());
  bool all_numbers = true;
  for (std::size_t i = 0; i < levels.size() && all_numbers; ++i)
    all_numbers = parse_number(trim_spaces(levels[i]), num[i]);
  std::vector<std::int32_t> order(levels.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) {
    if (all_numbers && num[a] != num[b]) return num[a] < num[b];
    return levels[a] < levels[b];
  });
  std::vector<std::int32_t> new_code(levels.size());
  std::vector<std::string> sorted;
  sorted.reserve(levels.size());
  for (std::size_t k = 0; k < order.size(); ++k) {
    new_code[static_cast<std::size_t>(order[k])] = static_cast<std::int32_t>(k);
    sorted.push_back(std::move(levels[static_cast<std::size_t>(order[k])]));
  }
  levels = std::move(sorted);
  for (auto& code : codes)
    if (code >= 0) code = new_code[static_cast<std::size_t>(code)];
}

std::int32_t LevelDictionary::intern(std::string_view s) {
  auto it = index_.find(s);
  if (it != index_.end()) return it->second;
  const auto code = static_cast<std::int32_t>(index_.size());
  index_.emplace(std::string(s), code);
  return code;
}

std::vector<std::string> LevelDictionary::take_levels() {
  std::vector<std::string> levels(index_.size());
  for (auto& [text, code] : index_) levels[static_cast<std::size_t>(code)] = text;
  index_.clear();
  return levels;
}

void force_factors(Table& table, const std::vector<std::string>& columns) {
  for (const auto& name : columns) {
    auto it = std::find_if(table.columns.begin(), table.columns.end(), [&](const Column& c) { return c.name == name; });
    if (it == table.columns.end()) {
      std::vector<std::string> names;
      for (const auto& c : table.columns) names.push_back(c.name);
      throw InputError(table.source + ": cannot treat '" + name +
                           "' as a factor: there is no such column; the columns are: " + join(names),
                       table.source, 0, name);
    }
    Column& c = *it;
    if (!c.numeric()) continue;
    LevelDictionary dict;
    c.codes.resize(c.values.size());
    for (std::size_t r = 0; r < c.values.size(); ++r)
      c.codes[r] = std::isnan(c.values[r]) ? -1 : dict.intern(format_number(c.values[r]));
    c.levels = dict.take_levels();
    order_levels(c.levels, c.codes);
    std::vector<double>().swap(c.values);
    c.kind = ColumnKind::Categorical;
    c.date = false;
  }
}

}  // namespace survkit::data
