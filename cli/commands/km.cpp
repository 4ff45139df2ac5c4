// survkit km: Kaplan-Meier curves (R: survfit, summary(fit, times=), print(fit, rmean=)).
#include <fmt/core.h>

#include <algorithm>
#include <memory>

#include "commands/commands.hpp"
#include "commands/parse.hpp"
#include "output.hpp"
#include "run.hpp"
#include "survkit/frame.hpp"
#include "survkit/km.hpp"

namespace survkit::cli {

namespace {

struct KmArgs {
  DataArgs data;
  std::string time, event, group, weights;
  std::vector<std::string> times;
  std::string conf_type{to_name(ConfType::Log)};
  double conf_level = 0.95;
  double rmst = NA;
  bool curve = false;
};

Json km_json(const KmResult& r, const ModelFrame& frame, const KmOptions& opt) {
  Json groups = Json::array();
  for (const KmGroup& g : r.groups) {
    Json at = Json::array();
    for (const KmAt& a : g.at)
      at.push_back({{"time", a.time}, {"n_risk", a.n_risk}, {"n_event", a.n_event},
                    {"survival", json_number(a.survival)}, {"std_err", json_number(a.std_err)},
                    {"lower", json_number(a.lower)}, {"upper", json_number(a.upper)}});
    Json curve = Json::array();
    for (const KmPoint& p : g.curve)
      curve.push_back({{"time", p.time}, {"n_risk", p.n_risk}, {"n_event", p.n_event},
                       {"n_censor", p.n_censor}, {"survival", json_number(p.survival)},
                       {"std_err", json_number(p.std_err)}, {"lower", json_number(p.lower)},
                       {"upper", json_number(p.upper)}});
    Json rmst = is_na(opt.rmst_tau) ? Json()
                                    : Json{{"tau", json_number(g.rmst.tau)},
                                           {"estimate", json_number(g.rmst.estimate)},
                                           {"se", json_number(g.rmst.se)}};
    groups.push_back({{"group", g.group}, {"n", g.n}, {"events", g.events},
                      {"median", json_estimate(g.median)}, {"rmst", rmst},
                      {"variance", g.robust_se ? "robust" : "greenwood"},
                      {"at", at}, {"curve", curve}});
  }
  double events = 0;
  for (const KmGroup& g : r.groups) events += g.events;
  return Json{{"analysis", "km"}, {"n", frame.n}, {"events", events},
              {"dropped", json_dropped(frame.dropped)},
              {"conf_type", to_name(opt.conf_type)}, {"conf_level", opt.conf_level},
              {"groups", groups}};
}

std::string km_text(const KmResult& r, const ModelFrame& frame, const KmArgs& a,
                    const KmOptions& opt) {
  std::string out = fmt::format("Kaplan-Meier survival  ({}; time: {}, event: {}{})\n", a.data.path,
                                a.time, a.event, a.group.empty() ? "" : ", group: " + a.group);
  double events = 0;
  for (const KmGroup& g : r.groups) events += g.events;
  out += fmt::format("{} observations, {} events\n", frame.n, format_sig(events, 10));
  if (auto note = dropped_note(frame.dropped); !note.empty()) out += note + "\n";
  const std::string level = percent_label(opt.conf_level);

  TextTable medians({a.group.empty() ? "" : a.group, "n", "events", "median",
                     level + " CI lower", level + " CI upper"});
  for (const KmGroup& g : r.groups)
    medians.add_row({g.group, format_sig(g.n, 10), format_sig(g.events, 10),
                     format_sig(g.median.estimate, 6), format_sig(g.median.lower, 6),
                     format_sig(g.median.upper, 6)});
  out += "\n" + medians.render();

  if (!opt.times.empty()) {
    out += fmt::format("\nSurvival at requested times ({} CI, {} scale)\n", level,
                       to_name(opt.conf_type));
    TextTable at({a.group.empty() ? "" : a.group, "time", "n.risk", "n.event", "survival",
                  "std.err", "lower", "upper"});
    for (const KmGroup& g : r.groups)
      for (const KmAt& p : g.at)
        at.add_row({g.group, format_sig(p.time, 6), format_sig(p.n_risk, 10),
                    format_sig(p.n_event, 10), format_fixed(p.survival, 4),
                    format_fixed(p.std_err, 4), format_fixed(p.lower, 4),
                    format_fixed(p.upper, 4)});
    out += at.render();
  }
  if (!is_na(opt.rmst_tau)) {
    out += fmt::format("\nRestricted mean survival time up to {}\n", format_sig(opt.rmst_tau, 6));
    TextTable rm({a.group.empty() ? "" : a.group, "rmst", "se"});
    for (const KmGroup& g : r.groups)
      rm.add_row({g.group, format_sig(g.rmst.estimate, 6), format_sig(g.rmst.se, 6)});
    out += rm.render();
  }
  if (a.curve) {
    for (const KmGroup& g : r.groups) {
      out += fmt::format("\nCurve{}\n", a.group.empty() ? "" : ": " + a.group + " = " + g.group);
      TextTable c({"time", "n.risk", "n.event", "n.censor", "survival", "std.err", "lower",
                   "upper"});
      for (const KmPoint& p : g.curve)
        c.add_row({format_sig(p.time, 6), format_sig(p.n_risk, 10), format_sig(p.n_event, 10),
                   format_sig(p.n_censor, 10), format_fixed(p.survival, 4),
                   format_fixed(p.std_err, 4), format_fixed(p.lower, 4), format_fixed(p.upper, 4)});
      out += c.render();
    }
  }
  return out;
}

// print(fit, rmean = TAU) refuses a TAU below the smallest follow-up time ("Truncation
// point for the mean is < smallest survival"); say so in terms of the option the user
// typed (a usage error), before the core would reject it as bad data.
void check_rmst_tau(double tau, const SurvData& surv) {
  if (is_na(tau)) return;
  if (!(tau > 0)) throw UsageError(fmt::format("--rmst: TAU must be > 0, not {}", tau));
  if (surv.time.empty()) return;
  const double first = *std::min_element(surv.time.begin(), surv.time.end());
  if (tau < first)
    throw UsageError(fmt::format(
        "--rmst: TAU = {} is below the smallest follow-up time ({}); the restricted mean "
        "needs TAU >= {} (R's print(fit, rmean =) refuses it too)",
        tau, first, first));
}

}  // namespace

void add_km_command(CLI::App& app, Action& action) {
  auto args = std::make_shared<KmArgs>();
  CLI::App* cmd = app.add_subcommand(
      "km", "Kaplan-Meier curves: survival, medians, survival at given times, RMST (R: survfit)");
  add_data_args(cmd, args->data);
  add_surv_args(cmd, args->time, args->event);
  cmd->add_option("--group", args->group, "One curve per level of this column");
  cmd->add_option("--weights", args->weights, "Case weights column (e.g. matching weights)");
  cmd->add_option("--times", args->times, "Report survival at these times: t1,t2,...");
  cmd->add_option("--conf-type", args->conf_type, "Confidence interval scale")
      ->check(one_of_names<ConfType>())
      ->capture_default_str();
  cmd->add_option("--conf-level", args->conf_level, "Confidence level")
      ->check(open_unit_interval())
      ->capture_default_str();
  cmd->add_option("--rmst", args->rmst, "Restricted mean survival time up to TAU")
      ->check(positive_finite("a finite number > 0 (a time on the scale of --time)"))
      ->type_name("TAU");
  cmd->add_flag("--curve", args->curve, "Also print every step of the curve (text output)");
  cmd->callback([args, &action] {
    action = [args] {
      const KmArgs& a = *args;
      FrameSpec spec;
      spec.time = a.time;
      spec.event = a.event;
      spec.group = a.group;
      spec.weights = a.weights;
      // No event at all is refused (exit 1), as for the other commands: survfit would draw
      // a flat line at 1, but in a clinical file it almost always means a wrong --event.
      const ModelFrame frame = load_frame(a.data, spec);
      check_rmst_tau(a.rmst, frame.surv);

      KmOptions opt;
      opt.conf_type = parse_name<ConfType>(a.conf_type, "--conf-type");
      opt.conf_level = a.conf_level;
      opt.times = parse_numbers(a.times, "--times");
      opt.rmst_tau = a.rmst;
      const KmResult r = fit_km(frame.surv, a.group.empty() ? nullptr : &frame.group, opt);
      emit(a.data.json ? km_json(r, frame, opt).dump(2) + "\n" : km_text(r, frame, a, opt));
    };
  });
}

}  // namespace survkit::cli
