// survkit logistic: logistic regression (R: glm(family = binomial), confint.default).
#include <fmt/core.h>

#include <memory>

#include "commands/commands.hpp"
#include "commands/parse.hpp"
#include "output.hpp"
#include "survkit/frame.hpp"
#include "survkit/logistic.hpp"

namespace survkit::cli {

namespace {

struct LogisticArgs {
  DataArgs data;
  std::string outcome, weights;
  std::vector<std::string> covariates;
  double conf_level = 0.95;
};

Json logistic_json(const LogisticResult& r, const ModelFrame& frame) {
  Json terms = Json::array();
  for (const LogisticTerm& t : r.terms)
    terms.push_back({{"term", t.term}, {"coef", json_number(t.coef)}, {"se", json_number(t.se)},
                     {"z", json_number(t.z)}, {"p", json_number(t.p)},
                     {"or", json_number(t.odds_ratio)}, {"lower", json_number(t.lower)},
                     {"upper", json_number(t.upper)}, {"aliased", t.aliased},
                     {"infinite", t.infinite}, {"estimable", t.estimable},
                     {"reason", t.reason.empty() ? Json(nullptr) : Json(t.reason)}});
  return Json{{"analysis", "logistic"}, {"n", r.n}, {"dropped", json_dropped(frame.dropped)},
              {"converged", r.converged}, {"iterations", r.iterations},
              {"separation", r.separation}, {"warnings", r.warnings}, {"terms", terms},
              {"deviance", {{"null", json_number(r.null_deviance)}, {"residual", json_number(r.residual_deviance)}}},
              {"df", {{"null", r.df_null}, {"residual", r.df_residual}}},
              {"aic", json_number(r.aic)}};
}

std::string logistic_text(const LogisticResult& r, const ModelFrame& frame, const LogisticArgs& a) {
  std::string out = fmt::format("Logistic regression  ({}; outcome: {}{})\n", a.data.path,
                                a.outcome, a.weights.empty() ? "" : "; weights: " + a.weights);
  out += fmt::format("n = {}\n", r.n);
  if (auto note = dropped_note(frame.dropped); !note.empty()) out += note + "\n";
  const std::string level = percent_label(a.conf_level);
  TextTable t({"term", "coef", "se", "z", "p", "OR", level + " lower", level + " upper"});
  for (const LogisticTerm& c : r.terms) {
    if (c.aliased || !c.estimable) {  // the reason of "not estimable" is among the warnings
      t.add_row({c.term, c.aliased ? "aliased" : "not estimable", "", "", "", "", "", ""});
      continue;
    }
    t.add_row({c.term + (c.infinite ? " (infinite?)" : ""), format_fixed(c.coef, 4),
               format_fixed(c.se, 4), format_fixed(c.z, 3), format_p(c.p),
               format_fixed(c.odds_ratio, 3), format_fixed(c.lower, 3), format_fixed(c.upper, 3)});
  }
  out += "\n" + t.render() + "\n";
  out += fmt::format("Null deviance: {} on {} df;  residual deviance: {} on {} df;  AIC: {}\n",
                     format_sig(r.null_deviance, 7), r.df_null, format_sig(r.residual_deviance, 7),
                     r.df_residual, format_sig(r.aic, 7));
  out += fmt::format("{} after {} iteration{}\n", r.converged ? "Converged" : "NOT converged",
                     r.iterations, r.iterations == 1 ? "" : "s");
  for (const auto& w : r.warnings) out += "Warning: " + w + "\n";
  return out;
}

}  // namespace

void add_logistic_command(CLI::App& app, Action& action) {
  auto args = std::make_shared<LogisticArgs>();
  CLI::App* cmd = app.add_subcommand("logistic", "Logistic regression (R: glm(family = binomial))");
  add_data_args(cmd, args->data);
  cmd->add_option("--outcome", args->outcome, "Binary outcome: 0/1, 1/2, TRUE/FALSE or COL=VALUE")
      ->required();
  cmd->add_option("--covariates", args->covariates, "Model terms: A,B,... (categorical ones are dummy-coded)")
      ->required();
  cmd->add_option("--weights", args->weights, "Prior weights column");
  cmd->add_option("--conf-level", args->conf_level, "Confidence level of the OR intervals")
      ->check(open_unit_interval())
      ->capture_default_str();
  cmd->callback([args, &action] {
    action = [args] {
      const LogisticArgs& a = *args;
      FrameSpec spec;
      spec.outcome = a.outcome;
      spec.weights = a.weights;
      spec.covariates = required_list(a.covariates, "--covariates");
      spec.require_events = false;
      spec.require_two_groups = false;
      ModelFrame frame = load_frame(a.data, spec);
      LogisticInput in;
      in.y = std::move(frame.outcome);
      in.x = std::move(frame.design.x);
      in.terms = frame.design.terms;
      in.weight = std::move(frame.surv.weight);
      LogisticOptions opt;
      opt.conf_level = a.conf_level;
      const LogisticResult r = fit_logistic(in, opt);
      emit(a.data.json ? logistic_json(r, frame).dump(2) + "\n" : logistic_text(r, frame, a));
    };
  });
}

}  // namespace survkit::cli
