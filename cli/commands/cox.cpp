// survkit cox: Cox proportional hazards regression (R: coxph, summary.coxph).
#include <fmt/core.h>

#include <memory>

#include "commands/commands.hpp"
#include "commands/parse.hpp"
#include "output.hpp"
#include "survkit/cox.hpp"
#include "survkit/cox_zph.hpp"
#include "survkit/frame.hpp"

namespace survkit::cli {

namespace {

struct CoxArgs {
  DataArgs data;
  std::string time, event, strata, cluster, weights;
  std::vector<std::string> covariates;
  std::string ties{to_name(Ties::Efron)};
  double conf_level = 0.95;
  bool zph = false;
  std::string zph_transform = "km";
};

Json cox_json(const CoxResult& r, const ModelFrame& frame, const CoxOptions& opt) {
  Json terms = Json::array();
  for (const CoxTerm& t : r.terms)
    terms.push_back({{"term", t.term}, {"coef", json_number(t.coef)}, {"hr", json_number(t.hr)},
                     {"se", json_number(t.se)}, {"robust_se", json_number(t.robust_se)},
                     {"z", json_number(t.z)}, {"p", json_number(t.p)},
                     {"lower", json_number(t.lower)}, {"upper", json_number(t.upper)},
                     {"aliased", t.aliased}, {"estimable", t.estimable},
                     {"reason", t.reason.empty() ? Json(nullptr) : Json(t.reason)}});
  Json tests{{"likelihood_ratio", json_test(r.likelihood_ratio)},
             {"wald", json_test(r.wald)},
             {"score", json_test(r.score)}};
  if (r.robust) tests["robust_score"] = json_test(r.robust_score);
  return Json{{"analysis", "cox"}, {"n", r.n}, {"events", r.events},
              {"dropped", json_dropped(frame.dropped)},
              {"ties", to_name(opt.ties)},
              {"converged", r.converged}, {"iterations", r.iterations},
              {"robust", r.robust}, {"conf_level", opt.conf_level},
              {"warnings", r.warnings}, {"terms", terms},
              {"loglik", {{"null", json_number(r.loglik_null)}, {"model", json_number(r.loglik_model)}}},
              {"tests", tests},
              {"concordance", {{"estimate", json_number(r.concordance)}, {"se", json_number(r.concordance_se)}}}};
}

std::string test_line(const char* name, const TestResult& t) {
  return fmt::format("{:<26}{} on {} df,   {}\n", name, format_sig(t.stat, 6),
                     format_sig(t.df, 3), p_clause(t.p));
}

std::string cox_text(const CoxResult& r, const ModelFrame& frame, const CoxArgs& a,
                     const CoxOptions& opt) {
  std::string out = fmt::format(
      "Cox proportional hazards  ({}; time: {}, event: {}; ties: {}{}{}{})\n", a.data.path, a.time,
      a.event, a.ties, a.strata.empty() ? "" : "; strata: " + a.strata,
      a.cluster.empty() ? "" : "; cluster: " + a.cluster,
      a.weights.empty() ? "" : "; weights: " + a.weights);
  out += fmt::format("n = {}, events = {}\n", r.n, format_sig(r.events, 10));
  if (auto note = dropped_note(frame.dropped); !note.empty()) out += note + "\n";
  const std::string level = percent_label(opt.conf_level);
  std::vector<std::string> header{"term", "coef", "HR", "se(coef)"};
  if (r.robust) header.push_back("robust se");
  for (const char* h : {"z", "p", "HR lower", "HR upper"}) header.emplace_back(h);
  header[header.size() - 2] = level + " lower";
  header[header.size() - 1] = level + " upper";
  TextTable t(header);
  for (const CoxTerm& c : r.terms) {
    if (c.aliased || !c.estimable) {  // the reason of "not estimable" is among the warnings
      std::vector<std::string> row{c.term, c.aliased ? "aliased" : "not estimable"};
      row.resize(header.size());
      t.add_row(row);
      continue;
    }
    std::vector<std::string> row{c.term, format_fixed(c.coef, 4), format_fixed(c.hr, 3),
                                 format_fixed(c.se, 4)};
    if (r.robust) row.push_back(format_fixed(c.robust_se, 4));
    for (auto s : {format_fixed(c.z, 3), format_p(c.p), format_fixed(c.lower, 3),
                   format_fixed(c.upper, 3)})
      row.push_back(s);
    t.add_row(row);
  }
  out += "\n" + t.render() + "\n";
  out += fmt::format("Concordance = {} (se = {})\n", format_fixed(r.concordance, 3),
                     format_fixed(r.concordance_se, 3));
  out += test_line("Likelihood ratio test =", r.likelihood_ratio);
  out += test_line(r.robust ? "Wald test (robust) =" : "Wald test =", r.wald);
  out += test_line("Score (logrank) test =", r.score);
  if (r.robust) out += test_line("Robust score test =", r.robust_score);
  out += fmt::format("Log partial likelihood: null {}, model {}; {} after {} iteration{}\n",
                     format_sig(r.loglik_null, 10), format_sig(r.loglik_model, 10),
                     r.converged ? "converged" : "NOT converged", r.iterations,
                     r.iterations == 1 ? "" : "s");
  for (const auto& w : r.warnings) out += "Warning: " + w + "\n";
  return out;
}

// The test of proportional hazards (R: cox.zph): one row per model variable (a factor's
// dummies together) and the global test.
Json zph_json(const CoxZphResult& z) {
  Json terms = Json::array();
  for (const CoxZphTerm& t : z.terms)
    terms.push_back({{"term", t.term}, {"chisq", json_number(t.chisq)}, {"df", json_number(t.df)},
                     {"p", json_number(t.p)}});
  return Json{{"transform", to_name(z.transform)}, {"terms", terms},
              {"global", {{"chisq", json_number(z.global.stat)}, {"df", json_number(z.global.df)},
                          {"p", json_number(z.global.p)}}},
              {"warnings", z.warnings}};
}

std::string zph_text(const CoxZphResult& z) {
  std::string out = fmt::format("\nTest of proportional hazards (Schoenfeld residuals; R: cox.zph, transform = \"{}\")\n",
                                to_name(z.transform));
  TextTable t({"term", "chisq", "df", "p"});
  for (const CoxZphTerm& c : z.terms)
    t.add_row({c.term, format_sig(c.chisq, 4), format_sig(c.df, 3), format_p(c.p)});
  t.add_row({"GLOBAL", format_sig(z.global.stat, 4), format_sig(z.global.df, 3), format_p(z.global.p)});
  out += t.render();
  for (const auto& w : z.warnings) out += "Warning: " + w + "\n";
  return out;
}

// With --weights the table is kept until the weights are checked on the rows the model
// uses: R's coxph refuses a zero weight ("Invalid weights, must be >0"; survfit and glm,
// hence km and logistic, accept it), and the message names the line and column.
ModelFrame load_weighted_frame(const DataArgs& args, FrameSpec spec) {
  const Table table = load_data_table(args, spec.factors);
  ModelFrame frame = build_frame(table, spec);
  for (std::size_t i = 0; i < frame.n; ++i)
    if (frame.surv.weight[i] == 0) {
      const std::size_t row = frame.row(i);
      throw InputError(fmt::format("{} line {}, column '{}': weights must be > 0 for a Cox model (found 0; R's "
                                   "coxph refuses a zero weight too: leave the row out instead)",
                                   table.source, table.line(row), spec.weights),
                       table.source, table.line(row), spec.weights, "0");
    }
  return frame;
}

}  // namespace

void add_cox_command(CLI::App& app, Action& action) {
  auto args = std::make_shared<CoxArgs>();
  CLI::App* cmd = app.add_subcommand("cox", "Cox proportional hazards regression (R: coxph)");
  add_data_args(cmd, args->data);
  add_surv_args(cmd, args->time, args->event);
  cmd->add_option("--covariates", args->covariates, "Model terms: A,B,... (categorical ones are dummy-coded)")
      ->required();
  cmd->add_option("--ties", args->ties, "Tied event times")
      ->check(one_of_names<Ties>())
      ->capture_default_str();
  cmd->add_option("--strata", args->strata, "Separate baseline hazard per level (strata(S))");
  cmd->add_option("--cluster", args->cluster, "Cluster id: robust (sandwich) variance (cluster(C))");
  cmd->add_option("--weights", args->weights, "Case weights column");
  cmd->add_option("--conf-level", args->conf_level, "Confidence level of the HR intervals")
      ->check(open_unit_interval())
      ->capture_default_str();
  cmd->add_flag("--zph", args->zph, "Also test proportional hazards (R: cox.zph)");
  cmd->add_option("--zph-transform", args->zph_transform, "Time scale of the PH test")
      ->check(one_of_names<ZphTransform>())
      ->capture_default_str();
  cmd->callback([args, &action] {
    action = [args] {
      const CoxArgs& a = *args;
      FrameSpec spec;
      spec.time = a.time;
      spec.event = a.event;
      spec.strata = a.strata;
      spec.cluster = a.cluster;
      spec.weights = a.weights;
      spec.covariates = required_list(a.covariates, "--covariates");
      spec.require_two_groups = false;
      ModelFrame frame = a.weights.empty() ? load_frame(a.data, spec) : load_weighted_frame(a.data, spec);
      // Moved, not copied, into the model input: peak memory stays near the data size.
      CoxInput in;
      in.surv = std::move(frame.surv);
      in.x = std::move(frame.design.x);
      in.terms = frame.design.terms;
      if (!a.strata.empty()) in.strata = std::move(frame.strata.code);
      if (!a.cluster.empty()) in.cluster = std::move(frame.cluster.code);
      CoxOptions opt;
      opt.ties = parse_name<Ties>(a.ties, "--ties");
      opt.conf_level = a.conf_level;
      // Moved unless the PH test needs the data again: the fit sorts X in place.
      const CoxResult r = a.zph ? fit_cox(in, opt) : fit_cox(std::move(in), opt);
      if (!a.zph) {
        emit(a.data.json ? cox_json(r, frame, opt).dump(2) + "\n" : cox_text(r, frame, a, opt));
        return;
      }
      CoxZphOptions zopt;
      zopt.transform = parse_name<ZphTransform>(a.zph_transform, "--zph-transform");
      const CoxZphResult z = fit_cox_zph(in, r, zopt, zph_terms_by_column(frame.design.term_column));
      if (a.data.json) {
        Json j = cox_json(r, frame, opt);
        j["zph"] = zph_json(z);
        emit(j.dump(2) + "\n");
      } else {
        emit(cox_text(r, frame, a, opt) + zph_text(z));
      }
    };
  });
}

}  // namespace survkit::cli
