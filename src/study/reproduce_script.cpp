// reproduce.R: the parts written from the spec and the results -- the data set's
// factors, the settings, the matching, and one call per reported analysis, each naming
// the table id and heading row of the report it checks (see reproduce.hpp).
#include <fmt/core.h>

#include <algorithm>

#include "study/reproduce.hpp"
#include "study/reproduce_parts.hpp"
#include "survkit/enum_names.hpp"

namespace survkit::study {

namespace {

/// An R string literal; non-ASCII characters as \u escapes, so that the script is ASCII
/// and means the same in every locale.
std::string r_string(const std::string& s) {
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c == '"' || c == '\\') out += '\\';
      if (c == '\n') out += "\\n";
      else if (c < 0x20) out += fmt::format("\\x{:02x}", c);
      else out += static_cast<char>(c);
      ++i;
      continue;
    }
    // UTF-8 (the data and spec are UTF-8; a stray byte becomes U+FFFD, as in results.json).
    const int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    std::uint32_t cp = len == 4 ? c & 0x07u : len == 3 ? c & 0x0Fu : c & 0x1Fu;
    bool ok = len > 1 && i + static_cast<std::size_t>(len) <= s.size();
    for (int k = 1; ok && k < len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
      ok = (b & 0xC0u) == 0x80u;
      cp = (cp << 6) | (b & 0x3Fu);
    }
    if (!ok) cp = 0xFFFD;
    out += cp > 0xFFFF ? fmt::format("\\U{{{:x}}}", cp) : fmt::format("\\u{:04x}", cp);
    i += ok ? static_cast<std::size_t>(len) : 1;
  }
  return out + "\"";
}

std::string r_strings(const std::vector<std::string>& xs) {
  std::string out = "c(";
  for (std::size_t k = 0; k < xs.size(); ++k) out += (k ? ", " : "") + r_string(xs[k]);
  return out + ")";
}

/// Text from the spec or the data in a comment: on one line, so it cannot end the comment.
std::string one_line(std::string s) {
  std::replace_if(s.begin(), s.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  return s;
}

std::string r_number(double x) { return is_na(x) ? std::string("NA") : fmt::format("{}", x); }

/// What the script needs to know about the report and the data set's columns.
class ScriptWriter {
 public:
  ScriptWriter(const StudySpec& spec, const StudyResults& r, const StudyReport& report)
      : spec_(spec), r_(r), report_(report), cols_(analysis_columns(r)) {}

  std::string write() {
    header();
    out_ += kReproduceCompare;
    data();
    out_ += kReproduceAnalyses;
    if (r_.matching) matching();
    for (std::size_t e = 0; e < r_.endpoints.size(); ++e) endpoint(e);
    balance();
    residual_figures();
    out_ += kReproduceSummary;
    return out_;
  }

 private:
  const StudySpec& spec_;
  const StudyResults& r_;
  const StudyReport& report_;
  AnalysisColumns cols_;
  std::string out_;

  void line(const std::string& s) { out_ += s + "\n"; }

  /// The column of a study variable in analysis_data.csv ("group" for the exposure).
  std::string column(const StudyVariable* v) const {
    if (v == &r_.data.group) return "group";
    return cols_.variables[static_cast<std::size_t>(v - r_.data.variables.data())];
  }

  /// The report's tables of an endpoint, in report order (its univariate table, then its
  /// multivariable table): their ids end with "_<endpoint id>".
  std::vector<std::string> endpoint_tables(const std::string& id) const {
    std::vector<std::string> ids;
    const std::string tail = "_" + id;
    for (const auto& t : report_.tables)
      if (t.section == TableSection::Main && t.id.size() > tail.size() &&
          t.id.compare(t.id.size() - tail.size(), tail.size(), tail) == 0)
        ids.push_back(t.id);
    return ids;
  }

  /// The heading rows of a report table, in order.
  std::vector<std::string> headings(const std::string& table_id) const {
    std::vector<std::string> hs;
    for (const auto& t : report_.tables)
      if (t.section == TableSection::Main && t.id == table_id)
        for (const auto& row : t.rows)
          if (row.level == 0 && !row.cells.empty()) hs.push_back(row.cells[0].text);
    return hs;
  }

  void header() {
    line("## reproduce.R -- " + one_line(spec_.title));
    line("##");
    line("## Written by " + report_.software + " with the report in this folder.  It refits, with R's survival");
    line("## package (and MatchIt for the matching), every model and estimate of the report from");
    line("## analysis_data.csv, and compares each number with results.json: the table cells with their CI");
    line("## limits (the PH P column by cox.zph), the PH tests printed in notes, the text's counts");
    line("## (\"numbers\") and the residual figures.  The \"published\" section holds the paper's values,");
    line("## not survkit estimates: not checked.");
    line("##");
    line("##   Rscript path/to/report/reproduce.R      (reads the files next to the script)");
    line("##   Rscript reproduce.R REPORT_FOLDER        (or in R: source(\"reproduce.R\") in the folder)");
    line("##");
    line("## Needs R with survival (>= 3.2) and jsonlite.");
    if (r_.matching) {
      if (spec_.matching.options.matchit_quirks) {
        line("## Matching: the spec asks for matchit_quirks = true, i.e. MatchIt 4.5.1's results, defects");
        line("## included (its kernel ignores the caliper, MatchIt issue #163, fixed in 4.5.4).  The matching");
        line("## is redone and compared with MatchIt 4.5.1 to 4.5.3; with another version the matched-sample");
        line("## analyses use the matched set recorded in analysis_data.csv.");
      } else {
        line("## Matching: survkit matched by MatchIt 4.5.4+ rules (true nearest neighbours, the caliper");
        line("## enforced; MatchIt 4.5.1 to 4.5.3 ignore the caliper, MatchIt issue #163).  The matching is");
        line("## redone and compared with MatchIt >= 4.5.4; with an older MatchIt the matched-sample");
        line("## analyses use the matched set recorded in analysis_data.csv.");
      }
    }
    if (r_.matching && r_.matching->weighted) {
      line("## The matching weights are not all 1: survdiff() has no weights, so the log-rank P values of");
      line("## the matched sample are not recomputed; they are listed at the end as not recomputed.");
    }
    line("## Prints \"N of N numbers agree with survkit\", lists every disagreement, and exits with");
    line("## status 1 when there is one.");
    line("");
    line("suppressPackageStartupMessages({");
    line("  library(survival)");
    line("  library(jsonlite)");
    line("})");
    line("## The report folder: the one named on the command line, else the script's own folder.");
    line("args <- commandArgs(trailingOnly = TRUE)");
    line("script <- sub(\"^--file=\", \"\", grep(\"^--file=\", commandArgs(), value = TRUE))");
    line("folder <- if (length(args) > 0) args[1] else if (length(script) == 1) dirname(script) else \".\"");
    line("cat(R.version.string, \"; survival\", format(packageVersion(\"survival\")), \"\\n\")");
  }

  /// How survkit made a variable from the data: "from age_years, cut at 60".
  static std::string origin(const VariableSpec& v) {
    std::string s = "from " + v.from.name;
    if (!v.cuts.empty()) {
      s += ", cut at ";
      for (std::size_t k = 0; k < v.cuts.size(); ++k) s += (k ? ", " : "") + r_number(v.cuts[k]);
      s += " (x <= cut: lower level)";
    }
    if (!v.recode.empty()) s += ", recoded";
    return s;
  }

  void factor_line(const std::string& col, const StudyVariable& v) {
    line(fmt::format("d${} <- factor(d${}, levels = {})  # {}", col, col, r_strings(v.factor.levels),
                     one_line(origin(*v.spec))));
    if (v.reference != 0)
      line(fmt::format("contrasts(d${}) <- contr.treatment(levels(d${}), base = {})  # reference: {}", col, col,
                       v.reference + 1, r_string(v.factor.levels[v.reference])));
  }

  void data() {
    line("");
    line("## ============================================================ the analysed data");
    line("## One row per analysed patient (after the study's filters): the data file line, the group and");
    line("## the variables as the report labels them, each endpoint's time (in its unit) and event (1 =");
    if (r_.matching) {
      line("## event), and the matching: propensity score, distance matched on, matched flag, pair");
      line("## (subclass) and matching weight.");
    } else {
      line("## event).");
    }
    line("d <- read.csv(file.path(folder, \"analysis_data.csv\"), encoding = \"UTF-8\", na.strings = \"\",");
    line("              stringsAsFactors = FALSE)");
    line("## Factors with the levels in the report's order; the Cox models' reference is the first");
    line("## level unless stated.");
    for (std::size_t k = 0; k < r_.data.variables.size(); ++k) factor_line(cols_.variables[k], r_.data.variables[k]);
    factor_line("group", r_.data.group);
    line("");
    line("## The report's row headings of the variables.");
    line("headings <- c(");
    for (std::size_t k = 0; k < r_.data.variables.size(); ++k)
      line(fmt::format("  {} = {},", cols_.variables[k], r_string(r_.data.variables[k].spec->label)));
    line(fmt::format("  group = {})", r_string(spec_.group.label)));
    std::string landmarks;
    for (std::size_t k = 0; k < spec_.landmarks.size(); ++k) landmarks += (k ? ", " : "") + r_number(spec_.landmarks[k]);
    line("");
    line("## The study's settings ([analysis] of the spec).");
    line(fmt::format("landmarks <- c({})  # in each endpoint's unit", landmarks));
    line(fmt::format("conf_level <- {}", r_number(spec_.conf_level)));
    line(fmt::format("ties <- {}", r_string(std::string(to_name(spec_.ties)))));
    line(fmt::format("table1_test <- {}  # auto: chi-square, Fisher's exact test when an expected count is below 5",
                     r_string(std::string(to_name(spec_.table1_test)))));
    line(fmt::format("ph_transform <- {}  # of the proportional-hazards tests (cox.zph)",
                     r_string(std::string(to_name(spec_.ph_transform)))));
    line(fmt::format("matching <- {}", r_.matching ? "TRUE" : "FALSE"));
    settings();
    line("endpoints <- list(");
    for (std::size_t e = 0; e < r_.data.endpoints.size(); ++e) {
      const EndpointSpec& es = *r_.data.endpoints[e].spec;
      line(one_line(fmt::format("  # {}, in {}: {}", es.name, unit_name(es.unit), endpoint_origin(es))));
      line(fmt::format("  {} = c(time = {}, event = {}){}", es.id, r_string(cols_.time[e]), r_string(cols_.event[e]),
                       e + 1 < r_.data.endpoints.size() ? "," : ")"));
    }
  }

  /// The spec's settings that the report's text echoes (results.json "numbers" named
  /// spec.* and convention.*): the values this script's analyses use.
  void settings() {
    line("## Settings the report's text echoes (results.json \"numbers\" spec.* / convention.*).  They are");
    line("## settings, not estimates: each is compared with the value this script analyses with (the");
    line("## landmarks and CI level of the fits, the matching call's ratio and caliper), and counted apart.");
    line("settings <- c(spec.conf_level = conf_level,");
    line(fmt::format("              spec.alpha = {},  # the significance level of the text and of the PH flags", r_number(spec_.alpha)));
    line("              setNames(landmarks, paste0(\"spec.landmarks.\", seq_along(landmarks) - 1)),");
    if (!is_na(spec_.multivariable.p_below))
      line(fmt::format("              spec.multivariable_p_below = {},", r_number(spec_.multivariable.p_below)));
    if (!is_na(spec_.time_breaks)) line(fmt::format("              spec.time_breaks = {},", r_number(spec_.time_breaks)));
    if (r_.matching) {
      const MatchOptions& o = spec_.matching.options;
      line(fmt::format("              spec.matching.ratio = {},", o.ratio));
      if (!is_na(o.caliper)) line(fmt::format("              spec.matching.caliper = {},", r_number(o.caliper)));
      if (spec_.matching.covariates.empty())
        line(fmt::format("              spec.matching.p_below = {},", r_number(spec_.matching.differing_p_below)));
    }
    line("              convention.days_per_month = 30.4375, convention.days_per_year = 365.25)");
    line("alpha <- settings[[\"spec.alpha\"]]");
  }

  /// How survkit derived an endpoint: from a start date to the earliest event date, or
  /// from a time and an event column.
  std::string endpoint_origin(const EndpointSpec& es) const {
    if (!es.time.empty())
      return fmt::format("from {} ({}) and {}", es.time.name, unit_name(es.time_unit), es.event.name);
    std::string events = es.events.size() > 1 ? "the earliest of " : "";
    for (std::size_t k = 0; k < es.events.size(); ++k) events += (k ? ", " : "") + es.events[k].name;
    std::string s = fmt::format("from {} to {}, else censored at {}", es.start.name, events, es.censor.name);
    if (!is_na(spec_.study_end)) s += ", at most the study end " + spec_.study_end_text;
    return s;
  }

  std::string matchit_call(const std::string& formula) const {
    const MatchingSpec& ms = spec_.matching;
    const MatchOptions& o = ms.options;
    std::string call = fmt::format("MatchIt::matchit({},\n"
                                   "                        data = d[eligible, ], method = \"nearest\", distance = \"glm\"{},\n"
                                   "                        ratio = {}, replace = {}, m.order = {}, discard = {}",
                                   formula, ms.use_logit ? ", link = \"linear.logit\"" : "", "settings[[\"spec.matching.ratio\"]]",
                                   o.replace ? "TRUE" : "FALSE", r_string(std::string(to_name(o.order))),
                                   r_string(std::string(to_name(o.discard))));
    if (!is_na(o.caliper))
      call += fmt::format(", caliper = settings[[\"spec.matching.caliper\"]], std.caliper = {}", o.std_caliper ? "TRUE" : "FALSE");
    return call + ")";
  }

  void matching() {
    const MatchingResults& m = *r_.matching;
    const MatchOptions& o = spec_.matching.options;
    std::vector<std::string> covs;
    for (const auto* v : m.covariates) covs.push_back(column(v));
    std::string rhs;
    for (std::size_t k = 0; k < covs.size(); ++k) rhs += (k ? " + " : "") + covs[k];
    const bool quirks = o.matchit_quirks;
    line("");
    line("## ============================================================ propensity score matching");
    line(fmt::format("d$treated <- as.integer(d$group == {})  # the focal group (ATT)",
                     r_string(r_.data.group.factor.levels[m.treated_level])));
    line(fmt::format("covariates <- {}{}", r_strings(covs),
                     m.by_difference ? "  # the baseline variables that differ at P < " + r_number(spec_.matching.differing_p_below)
                                     : ""));
    line("d$weight <- as.numeric(d$weight)  # read as integers when all are 0 or 1");
    line("eligible <- complete.cases(d[covariates])  # patients with every matching covariate");
    line(fmt::format("ps_model <- glm(treated ~ {}, family = binomial, data = d[eligible, ])", rhs));
    line("check_patients(\"propensity score\", d$propensity_score[eligible], fitted(ps_model), d$line[eligible])");
    line("");
    line("## Redo the matching with MatchIt when the installed version matches as survkit did.");
    line("matchit_version <- if (requireNamespace(\"MatchIt\", quietly = TRUE)) packageVersion(\"MatchIt\") else NULL");
    if (quirks)
      line("redo_matching <- !is.null(matchit_version) && matchit_version >= \"4.5.1\" && matchit_version < \"4.5.4\"");
    else
      line("redo_matching <- !is.null(matchit_version) && matchit_version >= \"4.5.4\"");
    line("if (redo_matching) {");
    if (o.order == MatchOrder::random) line(fmt::format("  set.seed({})", o.seed));
    line("  m <- " + matchit_call("treated ~ " + rhs));
    line("  check_patients(\"distance\", d$distance[eligible], m$distance, d$line[eligible])");
    line("  check_patients(\"matching weight\", d$weight[eligible], m$weights, d$line[eligible])");
    line("  d$weight[eligible] <- m$weights");
    if (!o.replace) {
      line("  subclass <- as.integer(as.character(m$subclass))");
      line("  check_patients(\"matched pair (subclass)\", d$subclass[eligible], subclass, d$line[eligible])");
      line("  d$subclass[eligible] <- subclass");
    }
    line("  cat(\"Matching redone with MatchIt\", format(matchit_version), \"\\n\")");
    line("} else {");
    line(fmt::format("  cat(\"MatchIt\", if (is.null(matchit_version)) \"(not installed)\" else format(matchit_version),\n"
                     "      \"cannot redo survkit's matching ({}): the matched-sample analyses use\",\n"
                     "      \"the matched set of analysis_data.csv\\n\")",
                     quirks ? "matchit_quirks = true needs MatchIt 4.5.1 to 4.5.3" : "MatchIt >= 4.5.4 rules"));
    line("}");
    line("dm <- d[d$weight > 0, ]  # the matched sample");
    line("matching_numbers(eligible)");
    line(fmt::format("has_pairs <- {}  # matching {} replacement", o.replace ? "FALSE" : "TRUE", o.replace ? "with" : "without"));
  }

  void endpoint(std::size_t k) {
    const EndpointResults& er = r_.endpoints[k];
    const EndpointSpec& es = *er.endpoint->spec;
    const std::string ep = "endpoints$" + es.id;
    const std::vector<std::string> ids = endpoint_tables(es.id);
    line("");
    line(one_line(fmt::format("## ============================================================ {} ({})", es.name,
                              es.short_name)));
    if (!ids.empty()) {
      line(fmt::format("## {}: characteristics and univariate analyses", ids[0]));
      std::vector<std::string> vars;
      for (const auto& u : er.univariate) vars.push_back(column(u.var));
      line(fmt::format("for (var in {})\n  univariate({}, {}, var)", r_strings(vars), r_string(ids[0]), ep));
    }
    line("## Follow-up, medians and log-rank tests");
    const auto fu = headings("followup");
    if (k < fu.size()) line(fmt::format("followup(\"followup\", {}, {})", r_string(fu[k]), ep));
    const auto med = headings("medians");
    const std::size_t per = er.matched ? 2 : 1;
    if (per * k < med.size()) line(fmt::format("medians(\"medians\", {}, {})", r_string(med[per * k]), ep));
    if (er.matched && per * k + 1 < med.size())
      line(fmt::format("medians(\"medians\", {}, {}, matched = TRUE)", r_string(med[per * k + 1]), ep));
    if (ids.size() > 1) {
      const MultivariableResult& mv = er.multivariable;
      if (mv.vars.empty() || !mv.cox.ok()) {
        line(fmt::format("## {}: no multivariable model was fitted", ids[1]));
      } else {
        std::vector<std::string> vars;
        for (const auto* v : mv.vars) vars.push_back(column(v));
        line(fmt::format("## {}: multivariable Cox model ({})", ids[1],
                         mv.by_list ? "the spec's covariates" : "the variables with a univariate P below " +
                                                                   r_number(spec_.multivariable.p_below)));
        line(fmt::format("multivariable({}, {}, {}, {})", r_string(ids[1]), ep, r_strings(vars),
                         r_string(es.id + ".multivariable.")));
      }
    }
    if (er.matched) {
      const auto mh = headings("matched_results");
      if (k < mh.size()) {
        line("## The matched sample");
        line(fmt::format("matched_results(\"matched_results\", {}, {}, {})", r_string(mh[k]), ep,
                         r_string(es.short_name)));
      }
    }
  }

  /// The figures of scaled Schoenfeld residuals (study/ph_check.cpp): each names its
  /// variable, endpoint and model in its title ("... residuals of Sex, RFS (univariate
  /// model)").  A figure the script cannot place is left to the verdict, which counts it
  /// as not recomputed.
  void residual_figures() {
    bool first = true;
    for (const auto& f : report_.figures) {
      if (f.kind != ReportFigure::Kind::Zph) continue;
      if (first) {
        line("");
        line("## ============================================================ residual figures (plot(cox.zph))");
        first = false;
      }
      const std::string call = residual_figure_call(f);
      line(call.empty() ? "## " + f.id + ": its model is not known to this script" : call);
    }
  }

  std::string residual_figure_call(const ReportFigure& f) const {
    for (std::size_t e = 0; e < r_.endpoints.size(); ++e) {
      const EndpointResults& er = r_.endpoints[e];
      const EndpointSpec& es = *er.endpoint->spec;
      const std::string ep = "endpoints$" + es.id;
      auto named = [&](const StudyVariable* v, const char* model) {
        return f.title.find("residuals of " + v->spec->label + ", " + es.short_name + " (" + model + ")") !=
               std::string::npos;
      };
      for (const auto& u : er.univariate)
        if (named(u.var, "univariate model"))
          return fmt::format("residual_figure({}, {}, \"univariate\", {})", r_string(f.id), ep, r_string(column(u.var)));
      std::vector<std::string> vars;
      for (const auto* v : er.multivariable.vars) vars.push_back(column(v));
      for (const auto* v : er.multivariable.vars)
        if (named(v, "multivariable model"))
          return fmt::format("residual_figure({}, {}, \"multivariable\", {}, {})", r_string(f.id), ep,
                             r_string(column(v)), r_strings(vars));
      if (er.matched && named(&r_.data.group, "weighted Cox model of the matched sample"))
        return fmt::format("residual_figure({}, {}, \"matched\", \"group\")", r_string(f.id), ep);
    }
    return {};
  }

  void balance() {
    std::string id;
    for (const auto& t : report_.tables)
      if (t.section == TableSection::Main && t.id.size() > 8 && t.id.compare(t.id.size() - 8, 8, "_balance") == 0)
        id = t.id;
    if (id.empty()) return;
    line("");
    line(fmt::format("## ============================================================ {}: baseline characteristics", id));
    std::vector<std::string> vars;
    for (const auto* v : r_.baseline) vars.push_back(column(v));
    line(fmt::format("for (var in {})\n  balance({}, var)", r_strings(vars), r_string(id)));
  }
};

}  // namespace

std::string reproduce_script(const StudySpec& spec, const StudyResults& r, const StudyReport& report) {
  return ScriptWriter(spec, r, report).write();
}

std::vector<ReportAttachment> reproduction_files(const StudySpec& spec, const StudyResults& r,
                                                 const StudyReport& report) {
  return {{"analysis_data.csv", analysis_data_csv(spec, r)}, {"reproduce.R", reproduce_script(spec, r, report)}};
}

}  // namespace survkit::study
