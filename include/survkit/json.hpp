// JSON values as survkit writes them, in the CLI's --json output and in the report's
// results.json (header only; needs nlohmann_json, which the core does not use).
#pragma once

#include <cmath>
#include <nlohmann/json.hpp>

namespace survkit {

using Json = nlohmann::ordered_json;

/// A JSON number, or null for NA / non-finite values.  nlohmann writes doubles in
/// shortest round-trip form, i.e. every bit of the double (up to 17 significant digits).
inline Json json_number(double x) {
  if (!std::isfinite(x)) return Json();  // null
  return Json(x);
}

}  // namespace survkit
