// The published values' consistency checks as JSON: `survkit check-paper --json` and the
// "published" section of results.json.
#include "survkit/enum_names.hpp"
#include "survkit/render.hpp"

namespace survkit::render {

Json paper_checks_json(const PaperCheckReport& rep) {
  Json checks = Json::array();
  for (const PaperCheck& c : rep.checks) {
    Json inputs = Json::array();
    for (const auto& i : c.inputs) inputs.push_back({{"label", i.label}, {"where", i.where}, {"value", i.value}});
    checks.push_back({{"check", to_name(c.kind)},
                      {"subject", c.subject},
                      {"inputs", std::move(inputs)},
                      {"recomputed", c.recomputed},
                      {"value", json_number(c.value)},
                      {"verdict", to_name(c.verdict)},
                      {"finding", c.finding}});
  }
  return Json{{"source", rep.source_name},
              {"summary", {{"checks", rep.checks.size()},
                           {"consistent", rep.consistent},
                           {"inconsistent", rep.inconsistent},
                           {"cannot_check", rep.cannot_check}}},
              {"checks", std::move(checks)}};
}

}  // namespace survkit::render
