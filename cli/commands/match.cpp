// survkit match: propensity score matching with balance diagnostics (R: MatchIt's
// matchit(method = "nearest", distance = "glm"), summary(), match.data()).
//
// Rows in every output are 1-based data rows of the input file (the first line after
// the header is row 1), also when incomplete rows were dropped before the fit.
#include <fmt/core.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>

#include "commands/commands.hpp"
#include "commands/parse.hpp"
#include "output.hpp"
#include "survkit/balance.hpp"
#include "survkit/frame.hpp"
#include "survkit/io.hpp"
#include "survkit/match.hpp"
#include "survkit/matched_csv.hpp"

namespace survkit::cli {

namespace {

struct MatchArgs {
  DataArgs data;
  std::string treat;
  std::vector<std::string> covariates, exact;
  std::string distance{to_name(Distance::Logit)};
  std::optional<double> caliper;
  std::size_t ratio = 1;
  bool replace = false;
  std::string order{to_name(MatchOrder::largest)};
  std::int32_t seed = 1;
  std::string discard{to_name(MatchDiscard::none)};
  bool compat = false;
  std::string output;
};

// Everything the renderers need: the input rows, and run_matching's result.
struct MatchRun {
  Table table;
  ModelFrame frame;
  MatchingResult result;
  // Per balance row: source column and level ("" for numeric / the distance row).
  std::vector<std::pair<std::string, std::string>> row_source;
};

// Exact-matching strata from the --exact columns: one code per distinct combination,
// numbered in the sorted order of the labels "col = level, ..." (R's factor() of
// MatchIt's exactify() labels sorts them too; the order matters only for --order random).
std::vector<std::int32_t> exact_codes(const std::vector<Factor>& cols, std::size_t n) {
  if (cols.empty()) return {};
  std::vector<std::string> label(n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t c = 0; c < cols.size(); ++c)
      label[i] += (c ? ", " : "") + cols[c].levels[static_cast<std::size_t>(cols[c].code[i])];
  std::map<std::string, std::int32_t> code;
  for (const auto& l : label) code.emplace(l, 0);
  std::int32_t next = 0;
  for (auto& [l, c] : code) c = next++;
  std::vector<std::int32_t> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = code[label[i]];
  return out;
}

// The balance covariates at the kept rows: a numeric column is a view of its column of
// the design `x` (the design holds it as it is, row for row), a categorical one (text,
// or --factor) a factor with every level, from the table.
std::vector<BalanceCovariate> balance_covariates(const Table& table, const ModelFrame& frame, const Eigen::MatrixXd& x,
                                                 const std::vector<std::string>& names) {
  const Design& d = frame.design;
  std::vector<BalanceCovariate> out;
  for (const auto& name : names) {
    const Column& col = table.column(name);
    BalanceCovariate cov;
    cov.name = name;
    if (col.numeric()) {
      std::size_t k = 0;
      while (k < d.terms.size() && !(d.term_column[k] == name && d.terms[k] == name)) ++k;
      if (k == d.terms.size()) throw std::logic_error("match: covariate " + name + " is not a term of the design");
      cov.view = std::span<const double>(x.col(d.column(k)).data(), frame.n);
    } else {
      cov.factor.levels = col.levels;
      cov.factor.code.reserve(frame.n);
      for (std::size_t i = 0; i < frame.n; ++i) cov.factor.code.push_back(col.codes[frame.row(i)]);
    }
    out.push_back(std::move(cov));
  }
  return out;
}

MatchRun run_match(const MatchArgs& a) {
  MatchRun run;
  FrameSpec spec;
  run.table = load_data_table(a.data, spec.factors);  // kept for --output, which writes its rows
  spec.outcome = a.treat;
  spec.covariates = required_list(a.covariates, "--covariates");
  spec.extra = split_list(a.exact);
  spec.require_events = false;
  spec.require_two_groups = false;
  spec.intercept_column = true;  // the score fit reads the design in place, the balance views it
  run.frame = build_frame(run.table, spec);
  const ModelFrame& fr = run.frame;

  // Units are the complete cases in file order, as the data frame MatchIt receives after
  // complete.cases(): its subclass numbering (by position) is then reproduced.
  MatchingFrame mf;
  mf.treat = fr.outcome;
  mf.x = std::move(run.frame.design.x);  // moved, not copied: its storage stays where it is
  mf.x_intercept = true;
  mf.terms = fr.design.terms;
  mf.exact = exact_codes(fr.extra, fr.n);
  mf.balance = balance_covariates(run.table, fr, mf.x, spec.covariates);
  // Without --output nothing reads the input rows again: release them before the fit
  // (at 1e6 rows the table is the largest block alive during the score model; the
  // balance reads the design's columns).
  if (a.output.empty()) run.table = Table{};
  // Row sources, in fit_balance's order: distance, then each covariate (a categorical
  // one gives a row per level present, as MatchIt's droplevels()).
  run.row_source.emplace_back("distance", "");
  for (const auto& cov : mf.balance) {
    if (!cov.categorical()) {
      run.row_source.emplace_back(cov.name, "");
      continue;
    }
    std::vector<bool> present(cov.factor.levels.size(), false);
    for (auto c : cov.factor.code) present[static_cast<std::size_t>(c)] = true;
    for (std::size_t l = 0; l < present.size(); ++l)
      if (present[l]) run.row_source.emplace_back(cov.name, cov.factor.levels[l]);
  }

  MatchingOptions opt;
  opt.distance = parse_name<Distance>(a.distance, "--distance");
  opt.match.ratio = a.ratio;
  opt.match.replace = a.replace;
  opt.match.order = parse_name<MatchOrder>(a.order, "--order");
  opt.match.seed = a.seed;
  opt.match.discard = parse_name<MatchDiscard>(a.discard, "--discard");
  opt.match.caliper = a.caliper ? *a.caliper : NA;
  opt.match.matchit_quirks = a.compat;
  try {
    run.result = run_matching(std::move(mf), opt);
  } catch (const AnalysisError& e) {
    throw AnalysisError(fmt::format("{}: treatment '{}': {}", a.data.path, a.treat, e.what()));
  }
  return run;
}

std::size_t data_row(const MatchRun& run, std::size_t unit) { return run.frame.row(unit) + 1; }

// The "pairs" of the JSON report: treated units that got a control, with their controls,
// by subclass without replacement (MatchIt's subclass order), in data order with
// replacement.  Written as text in the layout of Json::dump(2) at the top object's
// member depth, instead of as 1e5 Json objects (a tenth of a second at 1e6 rows): the
// report is the same bytes (MatchCli.JsonReportHasTheJsonLibrarysLayout re-dumps it).
std::string pairs_text(const MatchRun& run) {
  const MatchResult& m = run.result.match;
  std::vector<std::size_t> rows;
  for (std::size_t t = 0; t < m.treated_rows.size(); ++t)
    if (m.match_matrix[t * m.ratio] != MatchResult::no_match) rows.push_back(t);
  if (!m.subclass.empty())
    std::stable_sort(rows.begin(), rows.end(), [&](std::size_t x, std::size_t y) {
      return m.subclass[m.treated_rows[x]] < m.subclass[m.treated_rows[y]];
    });
  if (rows.empty()) return "[]";
  std::string out = "[";
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const std::size_t t = rows[k];
    const std::size_t unit = m.treated_rows[t];
    out += k == 0 ? "\n    {\n      \"subclass\": " : ",\n    {\n      \"subclass\": ";
    out += m.subclass.empty() ? "null" : std::to_string(m.subclass[unit]);
    out += ",\n      \"treated\": " + std::to_string(data_row(run, unit)) + ",\n      \"controls\": [";
    for (std::size_t j = 0, written = 0; j < m.ratio; ++j)
      if (const std::size_t c = m.match_matrix[t * m.ratio + j]; c != MatchResult::no_match)
        out += (written++ == 0 ? "\n        " : ",\n        ") + std::to_string(data_row(run, c));
    out += "\n      ]\n    }";
  }
  return out + "\n  ]";
}

const CategoricalBalance* categorical_of(const MatchRun& run, const std::string& variable) {
  for (const auto& cb : run.result.balance.categorical)
    if (cb.variable == variable) return &cb;
  return nullptr;
}

Json balance_json(const MatchRun& run) {
  Json out = Json::array();
  for (std::size_t k = 0; k < run.result.balance.all.size(); ++k) {
    const BalanceRow& b = run.result.balance.all[k];
    const BalanceRow& m = run.result.balance.matched[k];
    const auto& [variable, level] = run.row_source[k];
    const CategoricalBalance* cb = categorical_of(run, variable);
    out.push_back({{"covariate", b.term},
                   {"variable", variable},
                   {"level", level.empty() ? Json(nullptr) : Json(level)},
                   {"mean_treated_before", json_number(b.mean_treated)},
                   {"mean_control_before", json_number(b.mean_control)},
                   {"smd_before", json_number(b.std_mean_diff)},
                   {"variance_ratio_before", json_number(b.var_ratio)},
                   {"ecdf_mean_before", json_number(b.ecdf_mean)},
                   {"ecdf_max_before", json_number(b.ecdf_max)},
                   {"p_before", cb ? json_number(cb->all.p) : Json(nullptr)},
                   {"mean_treated_after", json_number(m.mean_treated)},
                   {"mean_control_after", json_number(m.mean_control)},
                   {"smd_after", json_number(m.std_mean_diff)},
                   {"variance_ratio_after", json_number(m.var_ratio)},
                   {"ecdf_mean_after", json_number(m.ecdf_mean)},
                   {"ecdf_max_after", json_number(m.ecdf_max)},
                   {"std_pair_dist_after", json_number(m.std_pair_dist)},
                   {"p_after", cb ? json_number(cb->matched.p) : Json(nullptr)}});
  }
  return out;
}

Json counts_json(const MatchCounts& c) {
  return {{"all", c.all}, {"matched", c.matched}, {"unmatched", c.unmatched}, {"discarded", c.discarded},
          {"matched_ess", json_number(c.matched_ess)}};
}

Json match_json(const MatchRun& run, const MatchArgs& a) {
  const MatchResult& m = run.result.match;
  Json chisq = Json::array();
  for (const auto& cb : run.result.balance.categorical)
    chisq.push_back({{"variable", cb.variable}, {"before", json_test(cb.all)}, {"after", json_test(cb.matched)}});
  Json model = Json::array();
  for (const auto& t : run.result.ps.model.terms)
    model.push_back({{"term", t.term}, {"coef", json_number(t.coef)}, {"se", json_number(t.se)},
                     {"aliased", t.aliased}, {"infinite", t.infinite}});
  return Json{{"analysis", "match"},
              {"n", run.frame.n},
              {"dropped", json_dropped(run.frame.dropped)},
              {"n_treated", m.treated.all},
              {"n_control", m.control.all},
              {"matched_treated", m.treated.matched},
              {"matched_control", m.control.matched},
              {"distance", a.distance},
              {"caliper", a.caliper ? json_number(*a.caliper) : Json(nullptr)},
              {"caliper_width", json_number(m.caliper_width)},
              {"ratio", a.ratio},
              {"replace", a.replace},
              {"order", a.replace ? "data" : a.order},
              {"discard", a.discard},
              {"exact", split_list(a.exact)},
              {"matchit_compat", a.compat},
              {"counts", {{"treated", counts_json(m.treated)}, {"control", counts_json(m.control)}}},
              {"propensity_model",
               {{"converged", run.result.ps.model.converged},
                {"iterations", run.result.ps.model.iterations},
                {"separation", run.result.ps.model.separation},
                {"terms", model}}},
              {"warnings", run.result.warnings},
              {"pairs", Json::array()},  // filled in by match_json_text
              {"balance", balance_json(run)},
              {"categorical_tests", chisq}};
}

// The JSON report as text: match_json with its "pairs" written by pairs_text.
std::string match_json_text(const MatchRun& run, const MatchArgs& a) {
  std::string text = match_json(run, a).dump(2);
  // The top object's member, two spaces in: a key inside a string value would be escaped.
  const std::string empty = "\n  \"pairs\": []";
  const std::size_t at = text.find(empty);
  if (at == std::string::npos) throw std::logic_error("match: no pairs member in the JSON report");
  text.replace(at + empty.size() - 2, 2, pairs_text(run));
  return text + "\n";
}

std::string balance_table(const MatchRun& run, bool after) {
  TextTable t({"covariate", "Mean T", "Mean C", "SMD", "Var. ratio", "eCDF mean", "eCDF max", "P"});
  const auto& rows = after ? run.result.balance.matched : run.result.balance.all;
  std::string last_variable;
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const BalanceRow& b = rows[k];
    const auto& [variable, level] = run.row_source[k];
    std::string p;
    if (const CategoricalBalance* cb = categorical_of(run, variable); cb && variable != last_variable)
      p = format_p(after ? cb->matched.p : cb->all.p);  // once per variable, on its first level
    last_variable = variable;
    t.add_row({level.empty() ? b.term : variable + ": " + level, format_fixed(b.mean_treated, 3),
               format_fixed(b.mean_control, 3), format_fixed(b.std_mean_diff, 3),
               is_na(b.var_ratio) ? "" : format_fixed(b.var_ratio, 2), format_fixed(b.ecdf_mean, 3),
               format_fixed(b.ecdf_max, 3), p});
  }
  return t.render();
}

std::string match_text(const MatchRun& run, const MatchArgs& a) {
  const MatchResult& m = run.result.match;
  std::string caliper = "no caliper";
  if (a.caliper)
    caliper = fmt::format("caliper {} SD = {}", format_sig(*a.caliper, 4), format_sig(m.caliper_width, 4));
  std::string out = fmt::format(
      "Propensity score matching  ({}; treatment: {}; distance: {}; 1:{} nearest neighbour, {}, {}{}{})\n",
      a.data.path, a.treat, a.distance == "ps" ? "propensity score" : "logit of the propensity score", a.ratio,
      a.replace ? "with replacement" : "without replacement",
      a.replace ? "data order" : a.order + (a.order == "random" ? fmt::format(" (seed {})", a.seed) : " first"),
      "; " + caliper, a.compat ? "; MatchIt 4.5.1 compatible" : "");
  out += fmt::format("Propensity model: logistic regression on {}; {} after {} iteration{}\n",
                     join(split_list(a.covariates)),
                     run.result.ps.model.converged ? "converged" : "NOT converged", run.result.ps.model.iterations,
                     run.result.ps.model.iterations == 1 ? "" : "s");
  if (auto note = dropped_note(run.frame.dropped); !note.empty()) out += note + "\n";
  TextTable counts({"", "Control", "Treated"});
  auto cnt = [](std::size_t x) { return std::to_string(x); };
  counts.add_row({"All", cnt(m.control.all), cnt(m.treated.all)});
  counts.add_row({"Matched", cnt(m.control.matched), cnt(m.treated.matched)});
  counts.add_row({"Unmatched", cnt(m.control.unmatched), cnt(m.treated.unmatched)});
  counts.add_row({"Discarded", cnt(m.control.discarded), cnt(m.treated.discarded)});
  out += "\nSample sizes\n" + counts.render();
  out += "\nBalance before matching (SMD: standardized mean difference, SD of the treated; P: chi-square)\n" +
         balance_table(run, false);
  out += "\nBalance after matching" + std::string(m.ratio > 1 || a.replace ? " (weighted)" : "") + "\n" +
         balance_table(run, true);
  if (!a.output.empty()) out += "\nMatched rows written to " + a.output + "\n";
  for (const auto& w : run.result.warnings) out += "Warning: " + w + "\n";
  return out;
}

}  // namespace

void add_match_command(CLI::App& app, Action& action) {
  auto args = std::make_shared<MatchArgs>();
  CLI::App* cmd = app.add_subcommand(
      "match", "Propensity score matching with balance diagnostics (R: MatchIt matchit(method = \"nearest\"))");
  add_data_args(cmd, args->data);
  cmd->add_option("--treat", args->treat, "Treatment column: 0/1 or TRUE/FALSE, or COL=VALUE (VALUE = treated)")
      ->required();
  cmd->add_option("--covariates", args->covariates,
                  "Propensity model terms: A,B,... (categorical ones are dummy-coded)")
      ->required();
  cmd->add_option("--distance", args->distance,
                  "Match on the logit of the score (linear predictor) or on the score itself")
      ->check(one_of_names<Distance>())
      ->capture_default_str();
  cmd->add_option("--caliper", args->caliper, "Caliper width in standard deviations of the distance")
      ->check(non_negative_finite("a finite number >= 0 (standard deviations of the distance, e.g. 0.2)"));
  cmd->add_option("--ratio", args->ratio, "Controls per treated unit (1:K, filled in rounds)")
      ->check(positive_whole("a whole number >= 1 (controls per treated unit)"))
      ->capture_default_str();
  cmd->add_flag("--replace", args->replace, "Match with replacement (controls can be reused)");
  cmd->add_option("--order", args->order, "Order in which treated units are matched (MatchIt's m.order)")
      ->check(one_of_names<MatchOrder>())
      ->capture_default_str();
  cmd->add_option("--seed", args->seed, "Seed for --order random (as R's set.seed)")->capture_default_str();
  cmd->add_option("--exact", args->exact, "Match only within equal values of these columns: A,B,...");
  cmd->add_option("--discard", args->discard, "Common-support trimming on the distance (MatchIt's discard)")
      ->check(one_of_names<MatchDiscard>())
      ->capture_default_str();
  cmd->add_flag("--matchit-compat", args->compat,
                "Reproduce MatchIt 4.5.1 bit for bit, including its defects (nearest control below, caliper not "
                "enforced, off-by-one for ratio > 1)");
  cmd->add_option("--output", args->output,
                  "Write the matched rows (all columns + ps, distance, subclass, weight) to this CSV file");
  cmd->callback([args, &action] {
    action = [args] {
      const MatchArgs& a = *args;
      const MatchRun run = run_match(a);
      if (a.compat && a.caliper) fmt::print(stderr, "survkit: warning: {}\n", run.result.warnings.front());
      // Everything is rendered before the file is written (a failure there leaves no
      // file), and the file before the report is printed (if it cannot be written,
      // nothing is reported as done).
      const std::string report = a.data.json ? match_json_text(run, a) : match_text(run, a);
      if (!a.output.empty()) write_file_atomic(a.output, matched_csv(run.table, run.frame.kept_rows(), run.result));
      emit(report);
    };
  });
}

}  // namespace survkit::cli
