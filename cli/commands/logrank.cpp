// survkit logrank: the log-rank / G-rho k-sample test (R: survdiff).
#include <fmt/core.h>

#include <memory>

#include "commands/commands.hpp"
#include "commands/parse.hpp"
#include "output.hpp"
#include "survkit/frame.hpp"
#include "survkit/logrank.hpp"

namespace survkit::cli {

namespace {

struct LogrankArgs {
  DataArgs data;
  std::string time, event, group, strata, weights;
  double rho = 0;
};

Json logrank_json(const LogrankResult& r, const ModelFrame& frame, double rho) {
  Json groups = Json::array();
  const std::size_t k = r.groups.size();
  for (std::size_t i = 0; i < k; ++i) {
    const LogrankGroup& g = r.groups[i];
    groups.push_back({{"group", g.group}, {"n", g.n}, {"observed", g.observed},
                      {"expected", g.expected}, {"variance", json_number(r.variance[i * k + i])}});
  }
  return Json{{"analysis", "logrank"}, {"n", frame.n}, {"dropped", json_dropped(frame.dropped)},
              {"rho", rho}, {"strata", r.n_strata},
              {"chisq", json_number(r.test.stat)}, {"df", json_number(r.test.df)},
              {"p", json_number(r.test.p)}, {"groups", groups}, {"warnings", r.warnings}};
}

std::string logrank_text(const LogrankResult& r, const ModelFrame& frame, const LogrankArgs& a) {
  std::string what = a.rho == 0 ? "Log-rank test"
                     : a.rho == 1 ? "Peto-Peto test (G-rho, rho = 1)"
                                  : fmt::format("G-rho test (rho = {:g})", a.rho);
  std::string out = fmt::format("{}  ({}; time: {}, event: {}, group: {}{})\n", what, a.data.path,
                                a.time, a.event, a.group,
                                a.strata.empty() ? "" : ", stratified by " + a.strata);
  if (auto note = dropped_note(frame.dropped); !note.empty()) out += note + "\n";
  TextTable t({a.group, "N", "Observed", "Expected", "(O-E)^2/E", "(O-E)^2/V"});
  const std::size_t k = r.groups.size();
  for (std::size_t i = 0; i < k; ++i) {
    const LogrankGroup& g = r.groups[i];
    const double d = g.observed - g.expected;
    t.add_row({g.group, format_sig(g.n, 10), format_sig(g.observed, 6), format_sig(g.expected, 6),
               format_sig(d * d / g.expected, 4), format_sig(d * d / r.variance[i * k + i], 4)});
  }
  out += "\n" + t.render() + "\n";
  out += fmt::format("Chisq = {} on {} degrees of freedom, {}\n", format_sig(r.test.stat, 6),
                     format_sig(r.test.df, 3), p_clause(r.test.p));
  for (const auto& w : r.warnings) out += "Warning: " + w + "\n";
  return out;
}

}  // namespace

void add_logrank_command(CLI::App& app, Action& action) {
  auto args = std::make_shared<LogrankArgs>();
  CLI::App* cmd = app.add_subcommand(
      "logrank", "Log-rank (and G-rho) test between groups, optionally stratified (R: survdiff)");
  add_data_args(cmd, args->data);
  add_surv_args(cmd, args->time, args->event);
  cmd->add_option("--group", args->group, "Groups to compare")->required();
  cmd->add_option("--strata", args->strata, "Stratify the test on this column");
  cmd->add_option("--weights", args->weights,
                  "Case weights (e.g. matching weights): weighted counts in O, E and the variance");
  cmd->add_option("--rho", args->rho, "G-rho weight S(t-)^rho: 0 log-rank, 1 Peto-Peto")
      ->capture_default_str();
  cmd->callback([args, &action] {
    action = [args] {
      const LogrankArgs& a = *args;
      FrameSpec spec;
      spec.time = a.time;
      spec.event = a.event;
      spec.group = a.group;
      spec.strata = a.strata;
      spec.weights = a.weights;
      const ModelFrame frame = load_frame(a.data, spec);
      LogrankOptions opt;
      opt.rho = a.rho;
      const LogrankResult r = fit_logrank(frame.surv, frame.group,
                                          a.strata.empty() ? nullptr : &frame.strata, opt);
      emit(a.data.json ? logrank_json(r, frame, a.rho).dump(2) + "\n"
                       : logrank_text(r, frame, a));
    };
  });
}

}  // namespace survkit::cli
