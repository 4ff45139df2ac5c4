// The consistency checks of published numbers, each a pure function (paper_check.hpp).
// Every check works with intervals: a printed value stands for every true value that
// prints that way, and a check fails only when no such values can agree.
#include <fmt/core.h>

#include <algorithm>
#include <cmath>

#include "stats/distributions.hpp"
#include "survkit/crosstab.hpp"
#include "survkit/format.hpp"
#include "survkit/paper_check.hpp"

namespace survkit {

namespace {

constexpr double kEps = 1e-12;  // floating-point slack at the interval ends

/// A P in a finding: 3 decimals, or 2 significant digits below 0.001.
std::string p_text(double p) { return p < 0.001 ? format_sig(p, 2) : format_fixed(p, 3); }

/// Does the true P value `p` print as `printed` ("0.479" or "< 0.001")?
bool prints_as(double p, const PrintedValue& printed) {
  if (printed.kind == PrintedValue::Kind::Below) return p < printed.value + kEps;
  return p >= printed.min() - kEps && p <= printed.max() + kEps;
}

/// Does some P in [lo, hi] print as `printed`?
bool reachable(double lo, double hi, const PrintedValue& printed) {
  if (printed.kind == PrintedValue::Kind::Below) return lo < printed.value + kEps;
  return lo <= printed.max() + kEps && hi >= printed.min() - kEps;
}

bool is_p(const PrintedValue& p) {
  return (p.kind == PrintedValue::Kind::Number || p.kind == PrintedValue::Kind::Below) && !is_na(p.value);
}

double half(int decimals) { return 0.5 * std::pow(10.0, -decimals); }

std::string unreadable_finding(std::initializer_list<const PrintedValue*> values) {
  for (const PrintedValue* v : values)
    if (!v->readable()) return "'" + v->text + "' is not a number as printed";
  return "the values are not of the kinds this check needs";
}

}  // namespace

PaperCheck check_p_from_hr_ci(const PrintedValue& hr, const PrintedValue& ci, const PrintedValue& p, double conf_level) {
  PaperCheck c;
  c.kind = PaperCheckKind::PFromHrCi;
  c.inputs = {{"HR", "", hr.text}, {"CI", "", ci.text}, {"P", "", p.text}};
  if (hr.kind != PrintedValue::Kind::Number || is_na(hr.value) || ci.kind != PrintedValue::Kind::Interval ||
      is_na(ci.lower) || is_na(ci.upper) || !is_p(p)) {
    c.finding = unreadable_finding({&hr, &ci, &p});
    return c;
  }
  if (!(hr.value > 0 && ci.lower > 0 && ci.upper > ci.lower)) {
    c.finding = "the HR and the CI limits must be positive, the upper limit above the lower";
    return c;
  }
  const double q = stats::norm_quantile(1.0 - (1.0 - conf_level) / 2.0);
  auto p_of = [&](double h, double l, double u) {
    if (!(l > 0) || !(u > l)) return 1.0;  // a limit printed as 0: any SE up to infinity
    return stats::norm_two_sided_p(std::fabs(std::log(h)) / ((std::log(u) - std::log(l)) / (2.0 * q)));
  };
  c.value = p_of(hr.value, ci.lower, ci.upper);
  // The extreme P over every HR, L and U that print as published: P falls with |log HR|
  // and rises with the width of the log CI.
  const double hlo = std::max(hr.value - hr.half_unit(), 1e-300), hhi = hr.value + hr.half_unit();
  const double llo = ci.lower - half(ci.lower_decimals), lhi = ci.lower + half(ci.lower_decimals);
  const double ulo = ci.upper - half(ci.upper_decimals), uhi = ci.upper + half(ci.upper_decimals);
  const double abs_hi = std::max(std::fabs(std::log(hlo)), std::fabs(std::log(hhi)));
  const double abs_lo = hlo <= 1.0 && hhi >= 1.0 ? 0.0 : std::min(std::fabs(std::log(hlo)), std::fabs(std::log(hhi)));
  const double p_lo = ulo > lhi && lhi > 0 ? stats::norm_two_sided_p(abs_hi / ((std::log(ulo) - std::log(lhi)) / (2.0 * q))) : 0.0;
  const double p_hi = llo > 0 ? stats::norm_two_sided_p(abs_lo / ((std::log(uhi) - std::log(llo)) / (2.0 * q))) : 1.0;
  c.recomputed = fmt::format("P = {} (from {} to {} within the printed precision)", p_text(c.value), p_text(p_lo), p_text(p_hi));
  if (reachable(p_lo, p_hi, p)) {
    c.verdict = Verdict::Consistent;
    c.finding = fmt::format("the published P {} is reachable from the HR and CI as printed", p.text);
  } else {
    c.verdict = Verdict::Inconsistent;
    c.finding = fmt::format("the HR and CI as printed give P from {} to {}, which never prints as {}", p_text(p_lo),
                            p_text(p_hi), p.text);
    if (p_hi < 0.001 && p.kind == PrintedValue::Kind::Number) c.finding += " (it should read P < 0.001)";
  }
  return c;
}

PaperCheck check_p_from_counts(const CountsTestInput& in) {
  PaperCheck c;
  c.kind = PaperCheckKind::PFromCounts;
  c.inputs.push_back({"P", "", in.p.text});
  if (!is_p(in.p)) {
    c.finding = unreadable_finding({&in.p});
    return c;
  }
  // Levels or groups with no patient are left out (the test of the observed table).
  std::vector<std::vector<double>> x;
  for (const auto& row : in.counts) {
    double sum = 0;
    for (double v : row) sum += v;
    if (sum > 0) x.push_back(row);
  }
  const std::size_t cols = x.empty() ? 0 : x[0].size();
  for (std::size_t j = cols; j-- > 0;) {
    double sum = 0;
    for (const auto& row : x) sum += row[j];
    if (sum == 0)
      for (auto& row : x) row.erase(row.begin() + static_cast<std::ptrdiff_t>(j));
  }
  if (x.size() < 2 || x[0].size() < 2) {
    c.finding = "fewer than two levels or groups have patients: no test";
    return c;
  }
  const double pearson = chisq_test(x).p;
  const bool two_by_two = x.size() == 2 && x[0].size() == 2;
  const double yates = two_by_two ? chisq_test(x, true).p : NA;
  bool whole = true;
  std::vector<std::vector<long>> xl;
  for (const auto& row : x) {
    xl.emplace_back();
    for (double v : row) {
      whole = whole && v == std::floor(v);
      xl.back().push_back(static_cast<long>(v));
    }
  }
  const double fisher = whole ? fisher_exact_p(xl) : NA;
  struct Test {
    const char* key;
    const char* name;
    double p;
  };
  const Test tests[] = {{"pearson", "Pearson chi-square", pearson},
                        {"yates", "Yates-corrected chi-square", yates},
                        {"fisher", "Fisher's exact test", fisher}};
  std::vector<std::string> parts, reproducing;
  const Test* stated = nullptr;
  for (const Test& t : tests) {
    if (t.key == in.stated_test) stated = &t;
    parts.push_back(fmt::format("{} {}", t.name, is_na(t.p) ? std::string(two_by_two ? "not computed" : "n/a (2 x 2 only)") : p_text(t.p)));
    if (!is_na(t.p) && prints_as(t.p, in.p)) reproducing.emplace_back(t.name);
  }
  c.recomputed = join(parts, {.separator = "; "});
  c.value = stated ? stated->p : pearson;
  const std::string by = reproducing.empty() ? std::string("no test") : join(reproducing, {.last = " and "});
  if (stated && !is_na(stated->p) && prints_as(stated->p, in.p)) {
    c.verdict = Verdict::Consistent;
    c.finding = fmt::format("the stated {} reproduces P = {}", stated->name, in.p.text);
  } else if (stated) {
    c.verdict = Verdict::Inconsistent;
    c.finding = fmt::format("P = {} is reproduced by {}, not by the {} the paper states ({})", in.p.text, by,
                            stated->name, is_na(stated->p) ? std::string("not computable") : p_text(stated->p));
  } else if (!reproducing.empty()) {
    c.verdict = Verdict::Consistent;
    c.finding = fmt::format("P = {} is reproduced by {}", in.p.text, by);
  } else {
    c.verdict = Verdict::Inconsistent;
    c.finding = fmt::format("no test reproduces P = {}", in.p.text);
  }
  return c;
}

PaperCheck check_count_sum(const std::vector<double>& level_counts, double n) {
  PaperCheck c;
  c.kind = PaperCheckKind::CountSum;
  double sum = 0;
  for (double v : level_counts) sum += v;
  c.value = sum;
  c.recomputed = fmt::format("sum = {}", format_sig(sum, 10));
  if (is_na(n)) {
    c.finding = "no group N is printed";
    return c;
  }
  c.verdict = sum == n ? Verdict::Consistent : Verdict::Inconsistent;
  c.finding = sum == n ? fmt::format("the levels add up to N = {}", format_sig(n, 10))
                       : fmt::format("the levels add up to {}, not to N = {}", format_sig(sum, 10), format_sig(n, 10));
  return c;
}

PaperCheck check_percent_of_n(const PrintedValue& percent, double n, double count) {
  PaperCheck c;
  c.kind = PaperCheckKind::PercentOfN;
  c.inputs = {{"percentage", "", percent.text}, {"N", "", format_sig(n, 10)}};
  if (!is_na(count)) c.inputs.push_back({"count", "", format_sig(count, 10)});
  if (percent.kind != PrintedValue::Kind::Percent || !(n > 0)) {
    c.finding = unreadable_finding({&percent});
    return c;
  }
  const double lo = percent.min(), hi = percent.max();
  const double k_lo = std::ceil(lo * n / 100.0 - kEps), k_hi = std::floor(hi * n / 100.0 + kEps);
  std::vector<std::string> found;
  for (double k = k_lo; k <= k_hi; ++k) found.push_back(fmt::format("{}/{}", k, n));
  const double below = std::floor(percent.value * n / 100.0), above = below + 1;
  c.recomputed = found.empty() ? fmt::format("no count: {}/{} = {}, {}/{} = {}", below, n,
                                             format_fixed(100.0 * below / n, percent.decimals) + "%", above, n,
                                             format_fixed(100.0 * above / n, percent.decimals) + "%")
                               : join(found);
  const bool grim = !found.empty();
  const bool count_ok = is_na(count) || (100.0 * count / n >= lo - kEps && 100.0 * count / n <= hi + kEps);
  if (!is_na(count)) c.value = 100.0 * count / n;
  c.verdict = grim && count_ok ? Verdict::Consistent : Verdict::Inconsistent;
  if (!grim)
    c.finding = fmt::format("no count out of {} gives {}", n, percent.text);
  else
    c.finding = fmt::format("{} is {} of {}", percent.text, join(found, {.last = " or "}), n);
  if (!count_ok)
    c.finding += fmt::format("; the printed count {} gives {}/{} = {}", count, count, n,
                             format_fixed(100.0 * count / n, percent.decimals) + "%");
  return c;
}

PaperCheck check_percent_sum(const std::vector<PrintedValue>& percents) {
  PaperCheck c;
  c.kind = PaperCheckKind::PercentSum;
  double sum = 0, slack = 0;
  for (const auto& p : percents) {
    c.inputs.push_back({"percentage", "", p.text});
    if (p.kind != PrintedValue::Kind::Percent) {
      c.finding = unreadable_finding({&p});
      return c;
    }
    sum += p.value;
    slack += p.half_unit();
  }
  c.value = sum;
  c.recomputed = fmt::format("sum = {}% (100% within ±{} from rounding)", format_sig(sum, 6), format_sig(slack, 3));
  const bool ok = std::fabs(sum - 100.0) <= slack + 1e-9;
  c.verdict = ok ? Verdict::Consistent : Verdict::Inconsistent;
  c.finding = ok ? "the parts add up to 100%" : fmt::format("the parts add up to {}%, not 100%", format_sig(sum, 6));
  return c;
}

PaperCheck check_median_vs_rate(const PrintedValue& median, double rate_time, const PrintedValue& rate) {
  PaperCheck c;
  c.kind = PaperCheckKind::Survival;
  c.inputs = {{"median", "", median.text}, {"rate", "", rate.text}};
  const bool median_ok = (median.kind == PrintedValue::Kind::Number || median.kind == PrintedValue::Kind::WithCi) && !is_na(median.value);
  const bool rate_ok = (rate.kind == PrintedValue::Kind::Percent || rate.kind == PrintedValue::Kind::Number) && !is_na(rate.value);
  if (!median_ok || !rate_ok) {
    c.finding = median.readable() && rate.readable() ? "a median not reached cannot be checked without the follow-up"
                                                     : unreadable_finding({&median, &rate});
    return c;
  }
  const std::string t = format_sig(rate_time, 6);
  if (rate_time < median.min()) {
    c.recomputed = fmt::format("S({}) > 50% (before the median)", t);
    const bool ok = rate.max() > 50.0;
    c.verdict = ok ? Verdict::Consistent : Verdict::Inconsistent;
    c.finding = ok ? fmt::format("the rate at {} is above 50%, as it must be before a median of {}", t, median.text)
                   : fmt::format("a median of {} means S({}) > 50%, but the rate is {}", median.text, t, rate.text);
  } else if (rate_time >= median.max()) {
    c.recomputed = fmt::format("S({}) <= 50% (from the median on)", t);
    const bool ok = rate.min() <= 50.0;
    c.verdict = ok ? Verdict::Consistent : Verdict::Inconsistent;
    c.finding = ok ? fmt::format("the rate at {} is at most 50%, as it must be after a median of {}", t, median.text)
                   : fmt::format("impossible: a median of {} means S({}) <= 50%, but the rate is {}", median.text, t,
                                 rate.text);
  } else {
    c.recomputed = "either (the median rounds to the landmark time)";
    c.verdict = Verdict::Consistent;
    c.finding = "the landmark time is within the rounding of the median";
  }
  return c;
}

PaperCheck check_rates_monotone(double t1, const PrintedValue& rate1, double t2, const PrintedValue& rate2) {
  PaperCheck c;
  c.kind = PaperCheckKind::Survival;
  c.inputs = {{"earlier rate", "", rate1.text}, {"later rate", "", rate2.text}};
  auto ok_kind = [](const PrintedValue& r) {
    return (r.kind == PrintedValue::Kind::Percent || r.kind == PrintedValue::Kind::Number) && !is_na(r.value);
  };
  if (!ok_kind(rate1) || !ok_kind(rate2) || !(t1 < t2)) {
    c.finding = t1 < t2 ? unreadable_finding({&rate1, &rate2}) : "the landmark times must differ";
    return c;
  }
  c.recomputed = fmt::format("S({}) <= S({})", format_sig(t2, 6), format_sig(t1, 6));
  const bool ok = rate2.min() <= rate1.max() + kEps;
  c.verdict = ok ? Verdict::Consistent : Verdict::Inconsistent;
  if (ok)
    c.finding = "the later rate is not above the earlier one";
  else if (rate1.value == 0)
    c.finding = fmt::format("a rate of {} at {} means the curve ended at 0 with an event; it cannot rise to {}",
                            rate1.text, format_sig(t1, 6), rate2.text);
  else
    c.finding = fmt::format("the rate at {} ({}) is above the rate at {} ({}): S cannot increase", format_sig(t2, 6),
                            rate2.text, format_sig(t1, 6), rate1.text);
  return c;
}

PaperCheck check_hr_in_ci(const PrintedValue& hr, const PrintedValue& ci) {
  PaperCheck c;
  c.kind = PaperCheckKind::HrInCi;
  c.inputs = {{"HR", "", hr.text}, {"CI", "", ci.text}};
  if (hr.kind != PrintedValue::Kind::Number || is_na(hr.value) || ci.kind != PrintedValue::Kind::Interval ||
      is_na(ci.lower) || is_na(ci.upper)) {
    c.finding = unreadable_finding({&hr, &ci});
    return c;
  }
  const double lo_slack = half(ci.lower_decimals), hi_slack = half(ci.upper_decimals);
  if (hr.max() < ci.lower - lo_slack || hr.min() > ci.upper + hi_slack) {
    c.verdict = Verdict::Inconsistent;
    c.recomputed = "HR outside its CI";
    c.finding = fmt::format("the HR {} lies outside its CI {}", hr.text, ci.text);
    return c;
  }
  if (!(hr.value > 0 && ci.lower > 0 && ci.upper > ci.lower)) {
    c.verdict = Verdict::CannotCheck;
    c.finding = "inside the CI; a limit of 0 leaves the log-scale symmetry unchecked";
    return c;
  }
  const double mid = 0.5 * (std::log(ci.lower) + std::log(ci.upper));
  const double half_width = 0.5 * (std::log(ci.upper) - std::log(ci.lower));
  const double off = std::fabs(std::log(hr.value) - mid);
  // What rounding alone can explain (first-order: d log x = dx / x).
  const double slack = hr.half_unit() / hr.value + 0.5 * (lo_slack / ci.lower + hi_slack / ci.upper);
  c.value = std::exp(mid);
  c.recomputed = fmt::format("middle of the log CI = {} (HR {}; off by {} of the half-width)", format_fixed(c.value, 3),
                             hr.text, format_fixed(off / half_width, 3));
  const bool ok = off <= slack + 0.10 * half_width;
  c.verdict = ok ? Verdict::Consistent : Verdict::Inconsistent;
  c.finding = ok ? "the HR is inside its CI, in its middle on the log scale"
                 : fmt::format("the HR is inside its CI but off its log-scale middle ({}) by {:.0f}% of the half-width",
                               format_fixed(c.value, 3), 100.0 * off / half_width);
  return c;
}

PaperCheck check_same_quantity(const std::vector<PrintedValue>& values) {
  PaperCheck c;
  c.kind = PaperCheckKind::SameQuantity;
  double lo = -INFINITY, hi = INFINITY;
  std::vector<std::string> texts;
  for (const auto& v : values) {
    c.inputs.push_back({"value", "", v.text});
    texts.push_back(v.text);
    if (is_na(v.min()) || is_na(v.max())) {
      c.finding = v.readable() ? "intervals are compared limit by limit only as single numbers" : unreadable_finding({&v});
      return c;
    }
    lo = std::max(lo, v.min());
    hi = std::min(hi, v.max());
  }
  const bool ok = lo <= hi + kEps;
  c.recomputed = ok ? fmt::format("one value in [{}, {}] prints as all of them", format_sig(lo, 6), format_sig(hi, 6))
                    : "no single value prints as all of them";
  c.verdict = ok ? Verdict::Consistent : Verdict::Inconsistent;
  c.finding = ok ? "the same quantity has the same value wherever printed"
                 : "the same quantity is printed with different values: " + join(texts, {.last = " and "});
  return c;
}

}  // namespace survkit
