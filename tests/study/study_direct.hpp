// Test support for the study area: the derived data seen as a plain Table, so that the
// study's results can be checked against the core estimators called the way the CLI
// commands call them (through build_frame), an independent path to the same numbers.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "study/derive.hpp"
#include <survkit/frame.hpp>

namespace study_test {

using namespace survkit;

/// The derived data as a Table (time, status, weight, one categorical column per
/// variable with its display levels), for build_frame: what `survkit cox` would read.
inline Table as_table(const study::StudyData& d, std::size_t endpoint, const std::vector<double>* weights = nullptr) {
  Table t;
  t.source = "derived";
  t.nrows = d.table.nrows;
  Column time{"time", ColumnKind::Numeric, d.endpoints[endpoint].surv.time, {}, {}};
  Column status{"status", ColumnKind::Numeric, {}, {}, {}};
  for (auto s : d.endpoints[endpoint].surv.status) status.values.push_back(s);
  t.columns = {time, status};
  if (weights) t.columns.push_back(Column{"w", ColumnKind::Numeric, *weights, {}, {}});
  auto add = [&](const study::StudyVariable& v) {
    t.columns.push_back(Column{v.spec->name, ColumnKind::Categorical, {}, v.factor.code, v.factor.levels});
  };
  for (const auto& v : d.variables) add(v);
  add(d.group);
  return t;
}

inline const study::StudyVariable& var(const study::StudyData& d, const std::string& name) {
  if (name == "group") return d.group;
  for (const auto& v : d.variables)
    if (v.spec->name == name) return v;
  throw std::runtime_error("no variable " + name);
}

inline FrameSpec cox_frame(const study::StudyData& d, const std::vector<std::string>& vars) {
  FrameSpec fs;
  fs.time = "time";
  fs.event = "status";
  fs.covariates = vars;
  for (const auto& v : vars) {
    const auto& sv = var(d, v);
    fs.factors.push_back({v, sv.factor.levels[sv.reference]});
  }
  fs.require_varying_covariates = false;
  return fs;
}

}  // namespace study_test
