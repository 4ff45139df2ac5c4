// The model designs of tests/reference/cox/make_cox_refs.R, rebuilt in C++ from
// tests/data the way R's model.frame / model.matrix build them: rows with NA in any
// used variable dropped, factors with sorted levels and treatment (dummy) coding
// against the reference level.
#pragma once

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <survkit/cox.hpp>

#include "support/ref_csv.hpp"

namespace survkit::test {

struct CoxTermSpec {
  std::string column;
  bool factor = false;
  std::string reference;  // factor only; empty = first sorted level
};

inline CoxTermSpec numeric_term(std::string column) { return {std::move(column), false, {}}; }
inline CoxTermSpec factor_term(std::string column, std::string reference = {}) {
  return {std::move(column), true, std::move(reference)};
}

struct CoxDesignSpec {
  std::string dataset;  // file name in tests/data
  std::string time, status;
  double event_value = 1;  // status == event_value is an event (lung: 2)
  std::vector<CoxTermSpec> terms;
  std::string strata, cluster;
  std::function<double(std::size_t row1)> weight;              // of the 1-based CSV row
  std::function<bool(const RefCsv&, std::size_t row)> subset;  // keep row?
};

inline bool cox_is_number(const std::string& s) {
  if (s.empty() || s == "NA") return false;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return *end == '\0';
}

inline CoxInput build_cox_input(const CoxDesignSpec& spec) {
  const RefCsv csv = read_ref_csv(data_path(spec.dataset));
  std::vector<std::string> used = {spec.time, spec.status};
  for (const auto& t : spec.terms) used.push_back(t.column);
  if (!spec.strata.empty()) used.push_back(spec.strata);
  if (!spec.cluster.empty()) used.push_back(spec.cluster);

  std::vector<std::size_t> keep;
  for (std::size_t r = 0; r < csv.rows.size(); ++r) {
    if (spec.subset && !spec.subset(csv, r)) continue;
    bool complete = true;
    for (const auto& c : used) complete = complete && !(csv.str(r, c).empty() || csv.str(r, c) == "NA");
    if (complete) keep.push_back(r);
  }

  CoxInput in;
  const auto n = static_cast<Eigen::Index>(keep.size());
  for (std::size_t r : keep) {
    in.surv.time.push_back(csv.num(r, spec.time));
    in.surv.status.push_back(csv.num(r, spec.status) == spec.event_value ? 1 : 0);
    if (spec.weight) in.surv.weight.push_back(spec.weight(r + 1));
    if (!spec.strata.empty()) in.strata.push_back(static_cast<std::int32_t>(csv.num(r, spec.strata)));
    if (!spec.cluster.empty()) in.cluster.push_back(static_cast<std::int32_t>(csv.num(r, spec.cluster)));
  }

  std::vector<Eigen::VectorXd> cols;
  for (const auto& t : spec.terms) {
    if (!t.factor) {
      Eigen::VectorXd v(n);
      for (Eigen::Index i = 0; i < n; ++i) v[i] = csv.num(keep[i], t.column);
      cols.push_back(v);
      in.terms.push_back(t.column);
      continue;
    }
    // Levels as R's factor(): over the whole column (NA excluded), sorted numerically
    // for numbers, alphabetically for text; the reference level first.
    std::vector<std::string> levels;
    bool numeric = true;
    for (std::size_t r = 0; r < csv.rows.size(); ++r) {
      const std::string& s = csv.str(r, t.column);
      if (s.empty() || s == "NA") continue;
      numeric = numeric && cox_is_number(s);
      if (std::find(levels.begin(), levels.end(), s) == levels.end()) levels.push_back(s);
    }
    std::sort(levels.begin(), levels.end(), [&](const std::string& a, const std::string& b) {
      return numeric ? to_double(a) < to_double(b) : a < b;
    });
    if (!t.reference.empty()) {
      levels.erase(std::find(levels.begin(), levels.end(), t.reference));
      levels.insert(levels.begin(), t.reference);
    }
    for (std::size_t l = 1; l < levels.size(); ++l) {
      Eigen::VectorXd v(n);
      for (Eigen::Index i = 0; i < n; ++i) v[i] = csv.str(keep[i], t.column) == levels[l] ? 1.0 : 0.0;
      cols.push_back(v);
      in.terms.push_back(t.column + levels[l]);
    }
  }
  in.x.resize(n, static_cast<Eigen::Index>(cols.size()));
  for (std::size_t j = 0; j < cols.size(); ++j) in.x.col(static_cast<Eigen::Index>(j)) = cols[j];
  return in;
}

/// A copy with a derived column appended (used for the collinear model: 2 * age).
inline CoxInput with_column(CoxInput in, const std::string& name, const Eigen::VectorXd& v) {
  in.x.conservativeResize(Eigen::NoChange, in.x.cols() + 1);
  in.x.col(in.x.cols() - 1) = v;
  in.terms.push_back(name);
  return in;
}

/// A design on R's lung data: Surv(time, status == 2) ~ terms.
inline CoxDesignSpec lung_design(std::vector<CoxTermSpec> terms) {
  CoxDesignSpec s;
  s.dataset = "lung.csv";
  s.time = "time";
  s.status = "status";
  s.event_value = 2;
  s.terms = std::move(terms);
  return s;
}

inline std::map<std::string, std::pair<CoxInput, CoxOptions>> cox_reference_designs() {
  const auto lung = lung_design;
  const std::vector<CoxTermSpec> ase = {numeric_term("age"), numeric_term("sex"), numeric_term("ph.ecog")};
  std::map<std::string, std::pair<CoxInput, CoxOptions>> m;
  CoxOptions efron, breslow;
  breslow.ties = Ties::Breslow;

  m["lung_efron"] = {build_cox_input(lung(ase)), efron};
  m["lung_breslow"] = {build_cox_input(lung(ase)), breslow};
  m["lung_ecog_factor"] = {build_cox_input(lung({numeric_term("age"), numeric_term("sex"), factor_term("ph.ecog")})), efron};
  m["lung_ecog_relevel"] = {build_cox_input(lung({numeric_term("age"), numeric_term("sex"), factor_term("ph.ecog", "1")})), efron};
  {
    auto s = lung(ase);
    s.strata = "inst";
    m["lung_strata_inst"] = {build_cox_input(s), efron};
  }
  {
    auto s = lung({numeric_term("age"), numeric_term("ph.ecog")});
    s.strata = "sex";
    m["lung_strata_sex_breslow"] = {build_cox_input(s), breslow};
  }
  m["lung_age_only"] = {build_cox_input(lung({numeric_term("age")})), efron};
  {
    auto s = lung(ase);
    s.weight = [](std::size_t row) { return 1.0 + static_cast<double>(row % 3); };
    m["lung_weighted"] = {build_cox_input(s), efron};
    s.weight = [](std::size_t row) { return 0.5 + static_cast<double>(row % 4) / 3.0; };
    m["lung_weighted_frac"] = {build_cox_input(s), efron};
  }
  {
    CoxInput in = build_cox_input(lung({numeric_term("age"), numeric_term("sex")}));
    const Eigen::VectorXd age2 = 2.0 * in.x.col(0);
    m["lung_collinear"] = {with_column(in, "age2", age2), efron};
  }
  {
    CoxOptions o = efron;
    o.max_iter = 2;
    m["lung_maxiter2"] = {build_cox_input(lung(ase)), o};
  }
  {
    CoxDesignSpec s;
    s.dataset = "veteran.csv";
    s.time = "time";
    s.status = "status";
    s.terms = {factor_term("celltype"), numeric_term("karno"), numeric_term("trt")};
    m["veteran"] = {build_cox_input(s), efron};
  }
  {
    CoxDesignSpec s;
    s.dataset = "colon.csv";
    s.time = "time";
    s.status = "status";
    s.terms = {factor_term("rx"), numeric_term("sex"), numeric_term("age")};
    s.cluster = "id";
    m["colon_cluster"] = {build_cox_input(s), efron};
    s.cluster.clear();
    s.subset = [](const RefCsv& csv, std::size_t r) { return csv.num(r, "etype") == 2; };
    m["colon_death"] = {build_cox_input(s), efron};
  }
  {
    CoxDesignSpec s;
    s.dataset = "ovarian.csv";
    s.time = "futime";
    s.status = "fustat";
    s.terms = {numeric_term("age"), numeric_term("rx"), numeric_term("ecog.ps")};
    m["ovarian"] = {build_cox_input(s), efron};
  }
  {
    // The constructed monotone-likelihood data of make_cox_refs.R.
    CoxInput in;
    in.surv.time = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    in.surv.status = {1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1};
    in.x.resize(12, 2);
    in.x.col(0) << 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0;
    in.x.col(1) << 0.5, -1.2, 0.3, 2.0, -0.7, 1.1, 0.0, -0.4, 0.9, -1.5, 0.2, 0.6;
    in.terms = {"x", "z"};
    m["monotone"] = {in, efron};
  }
  return m;
}

}  // namespace survkit::test
