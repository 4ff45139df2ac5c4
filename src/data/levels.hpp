// survkit::data: the level rules shared by every reader (CSV, SPSS/Stata/SAS, Excel), so
// that a categorical column gets the same levels in the same order whatever file it
// came from.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "survkit/table.hpp"

namespace survkit::data {

/// Orders `levels` as parse_csv does (by value when every level is a number, otherwise by
/// bytes; ties in value fall back to bytes) and renumbers `codes` (-1 = missing) to match.
void order_levels(std::vector<std::string>& levels, std::vector<std::int32_t>& codes);

/// Codes texts by first appearance (the dictionary of a categorical column being read).
class LevelDictionary {
 public:
  std::int32_t intern(std::string_view s);
  /// The texts, indexed by code; the dictionary is left empty.
  std::vector<std::string> take_levels();

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::int32_t, Hash, std::equal_to<>> index_;
};

/// Makes the named columns categorical (--factor): a numeric column's distinct values
/// become its levels, ordered by value, written as format_number writes them.  A column
/// already categorical is left as it is.  Throws InputError for a name not in the table.
void force_factors(Table& table, const std::vector<std::string>& columns);

}  // namespace survkit::data
