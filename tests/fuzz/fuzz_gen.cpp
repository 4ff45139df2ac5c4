#include "fuzz/fuzz_gen.hpp"

#include <cmath>
#include <cstdio>
#include <string_view>

namespace fuzz {

// ---------------------------------------------------------------------------- Rng

std::uint64_t Rng::next() {
  std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

std::size_t Rng::below(std::size_t n) { return static_cast<std::size_t>(next() % n); }

double Rng::uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

double Rng::normal() {
  const double u = 1.0 - uniform();  // (0, 1]
  return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * uniform());
}

namespace {

using Strings = std::vector<std::string>;

std::string num(double x, int digits = 6) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, x);
  return buf;
}

std::string random_bytes(Rng& rng, std::size_t n, bool with_nul) {
  std::string s(n, ' ');
  for (char& c : s) {
    c = static_cast<char>(rng.below(256));
    if (c == '\0' && !with_nul) c = '\x01';
  }
  return s;
}

std::string join(const Strings& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

// A calendar date as YYYY-MM-DD, `day` days after 2005-01-01 (civil-from-days,
// H. Hinnant's algorithm); a negative or huge offset still gives a real date.
std::string date_text(long day) {
  long z = day + 12784 + 719468;  // 2005-01-01 is day 12784 of the Unix epoch
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const long doe = z - era * 146097;
  const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long mp = (5 * doy + 2) / 153;
  const long d = doy - (153 * mp + 2) / 5 + 1;
  const long m = mp < 10 ? mp + 3 : mp - 9;
  const long y = yoe + era * 400 + (m <= 2);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04ld-%02ld-%02ld", y, m, d);
  return buf;
}

// ---------------------------------------------------------------------------- cohort

// Follow-up time in days of one patient, in one of the styles of the case.
std::string time_cell(Rng& rng, int style, double base) {
  switch (style) {
    case 0: return num(base, 6);                            // continuous
    case 1: return num(std::round(base / 30.0), 6);         // months: many ties
    case 2: return "100";                                    // every time equal
    case 3: return num(base * 1e-300, 17);                   // tiny
    case 4: return num(base * 1e300, 17);                    // huge
    case 5: return num(rng.chance(0.3) ? -base : base, 6);   // some negative
    default: return num(std::round(base), 6);                // whole days, zeros possible
  }
}

struct CohortStyle {
  std::size_t n = 0;
  double p_event = 0.5;
  int time_style = 0;
  Strings arms;
  double ps_strength = 1.0;  // treatment assignment on age: 0 none, large = separation
  int weight_style = 0;
  bool collinear = false;
  bool unique_sites = false;
};

CohortStyle cohort_style(Rng& rng) {
  CohortStyle s;
  s.n = rng.pick(std::vector<std::size_t>{15, 25, 40, 60, 100, 150, 300},
                 std::vector<std::size_t>{0, 1, 2, 3, 4, 6, 9}, 0.4);
  s.p_event = rng.pick(std::vector<double>{0.3, 0.5, 0.7}, std::vector<double>{0.0, 0.02, 1.0}, 0.3);
  s.time_style = rng.pick(std::vector<int>{0, 1, 6}, std::vector<int>{2, 3, 4, 5}, 0.4);
  s.arms = rng.pick(std::vector<Strings>{{"A", "B"}, {"ctl", "trt"}, {"1", "2", "3"}},
                    std::vector<Strings>{{"A"}, {"a", "b", "c", "d", "e"}}, 0.3);
  s.ps_strength = rng.pick(std::vector<double>{0.0, 0.5, 1.0}, std::vector<double>{50.0}, 0.3);
  // Hostile weights: zeros (3); beyond [1e-50, 1e50] (4: near 1e300, 5: near 1e-300);
  // one weight 1e17 among weights of 1 (6).  Issue 12: refused with exit 3 now.
  s.weight_style = rng.pick(std::vector<int>{0, 1, 2}, std::vector<int>{3, 4, 5, 6}, 0.3);
  s.collinear = rng.hostile(0.2);
  s.unique_sites = rng.hostile(0.2);
  return s;
}

Strings cohort_row(Rng& rng, const CohortStyle& s, std::size_t i) {
  const double base = -std::log(1.0 - rng.uniform()) * 700.0;
  const bool event = rng.chance(s.p_event);
  const double age = 60.0 + 10.0 * rng.normal();
  const double lp = s.ps_strength * (age - 60.0) / 10.0;
  const bool treat = s.ps_strength > 10 ? age > 60 : rng.chance(1.0 / (1.0 + std::exp(-lp)));
  const double weight = s.weight_style == 0   ? 1.0
                        : s.weight_style == 1 ? std::floor(1 + 3 * rng.uniform())
                        : s.weight_style == 2 ? 0.1 + 2.9 * rng.uniform()
                        : s.weight_style == 3 ? std::floor(3 * rng.uniform())  // zeros
                        : s.weight_style == 4 ? 1e300 * (0.5 + rng.uniform())
                        : s.weight_style == 5 ? 1e-300 * (0.5 + rng.uniform())
                                              : (i == 0 ? 1e17 : 1.0);
  const long start = static_cast<long>(rng.below(5000));
  const long days = static_cast<long>(std::round(base));
  return {"p" + std::to_string(i + 1),
          time_cell(rng, s.time_style, base),
          event ? "1" : "0",
          rng.pick(s.arms),
          num(age, 4),
          s.collinear ? num(age, 4) : num(60.0 + 10.0 * rng.normal(), 4),
          rng.chance(0.5) ? "1" : "2",
          rng.pick(Strings{"I", "II", "III", "IV"}),
          treat ? "1" : "0",
          num(weight, 4),
          s.unique_sites ? "s" + std::to_string(i) : "s" + std::to_string(rng.below(5)),
          "1",
          date_text(start),
          event ? date_text(start + days) : "",
          date_text(start + days)};
}

// ---------------------------------------------------------------------------- cells

const Strings kHostileCells = {
    "", "NA", ".", "NaN", "nan", "-nan", "Inf", "-Inf", "inf", "infinity", "-Infinity",
    "1e309", "-1e309", "1e308", "-1e308", "4.9e-324", "1e-400", "2.2250738585072014e-308",
    "-0", "0", "-1", "-0.5", "1e", "1e+", "0x1p3", "1,5", " 3 ", "+4", "--1", "TRUE", "FALSE",
    "yes", "99999999999999999999999", "N/A", "\xc3\xa9", "\xe2\x89\xa4 60", "\xf0\x9f\x98\x80",
    "\t", " ", "a\"b", "\"", "\"\"", ",", ";", "\n", "\r", "\r\n", "=1+2", "2019-02-30",
    "1/1/2000", "0000-00-00", "2010-13-01", "99999-01-01", "1", "2", "3", "A", "B", "\\"};

std::string hostile_cell(Rng& rng) {
  switch (rng.below(10)) {
    case 0: return repeat(rng.pick(Strings{"x", "9", "\xc3\xa9", "\""}),
                          rng.pick(std::vector<std::size_t>{300, 5000, 70000}));
    case 1: return random_bytes(rng, 1 + rng.below(20), rng.chance(0.3));
    case 2: return repeat("9", 400) + "." + repeat("9", 400);
    case 3: return "0." + repeat("0", 400) + "1";
    default: return rng.pick(kHostileCells);
  }
}

// ---------------------------------------------------------------------------- CSV text

bool needs_quotes(const std::string& cell, std::string_view sep) {
  return cell.find_first_of(std::string(sep) + "\"\r\n") != std::string::npos;
}

std::string quote(const std::string& cell) {
  std::string out = "\"";
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string not_a_csv_file(const std::string& text, Rng& rng) {
  switch (rng.below(8)) {
    case 0: return "";
    case 1: return "\n";
    case 2: return "  \n\n\t\n";
    case 3: return "\xEF\xBB\xBF";
    case 4: return random_bytes(rng, 1 + rng.below(4096), true);
    case 5: return text.substr(0, rng.below(text.size() + 1));  // cut short
    case 6: return std::string(1 + rng.below(100), '\0');
    default: return repeat(",,,\n", 1 + rng.below(5));
  }
}

// ---------------------------------------------------------------------------- arguments

// A column argument: the intended column, or now and then a hostile name.
std::string column(Rng& rng, const std::string& intended) {
  if (!rng.hostile(0.06)) return intended;
  return rng.pick(Strings{"nope", "", "time,status", "TIME", "\xc3\xa9", repeat("c", 5000),
                          "arm", "id", "konst", "start", "age", " time"});
}

// Covariates: distinct valid ones, now and then a constant, the outcome or a bad list.
std::string column_list(Rng& rng, const Strings& candidates) {
  Strings chosen;
  const std::size_t k = 1 + rng.below(3);
  for (std::size_t i = 0; i < k; ++i) {
    const std::string c = column(rng, rng.pick(candidates));
    bool seen = false;
    for (const auto& x : chosen) seen = seen || x == c;
    if (!seen) chosen.push_back(c);
  }
  if (rng.hostile(0.15)) chosen.push_back(rng.pick(Strings{"konst", "treat", "w", "site", "status", "id"}));
  if (rng.hostile(0.03)) return rng.pick(Strings{"", ",", "age,,sex", "age,age"});
  return join(chosen, ",");
}

// A numeric option value: usually valid, sometimes hostile.
std::string value(Rng& rng, const Strings& valid) {
  if (!rng.hostile(0.1)) return rng.pick(valid);
  return rng.pick(Strings{"0", "-1", "1", "1e308", "nan", "inf", "-inf", "abc", "", "1e-320",
                          "0.999999999999", "1e999", "2147483648", "-2147483649", "0x10"});
}

void maybe(Rng& rng, double p, Strings& args, const std::string& option, const std::string& v) {
  if (rng.chance(p)) {
    args.push_back(option);
    args.push_back(v);
  }
}

void common_args(Rng& rng, Strings& args) {
  if (rng.chance(0.5)) args.push_back("--json");
  if (rng.chance(0.15))
    args.push_back("--factor=" + rng.pick(Strings{"sex", "sex:ref=2", "stage:ref=IV"},
                                          Strings{"stage:ref=IX", "age", "treat", "sex:ref=", "nope", ":ref=1"},
                                          0.5));
  if (rng.hostile(0.03)) args.push_back(rng.pick(Strings{"--bogus", "extra.csv", "--json", "-"}));
}

const Strings kCovariates = {"age", "sex", "stage", "arm", "age2"};

void surv_args(Rng& rng, Strings& args) {
  args.insert(args.end(), {"--time", column(rng, "time"), "--event", column(rng, "status")});
}

void km_args(Rng& rng, Strings& args) {
  surv_args(rng, args);
  maybe(rng, 0.6, args, "--group", column(rng, "arm"));
  maybe(rng, 0.2, args, "--weights", column(rng, "w"));
  maybe(rng, 0.3, args, "--times", value(rng, {"100,365", "0", "1e6", "30,30,60", "-5,10"}));
  maybe(rng, 0.3, args, "--conf-type", rng.pick(Strings{"log", "log-log", "plain"}, Strings{"logit", ""}, 0.2));
  maybe(rng, 0.2, args, "--conf-level", value(rng, {"0.9", "0.95", "0.999999"}));
  maybe(rng, 0.2, args, "--rmst", value(rng, {"365", "1000", "1e-9", "1e9"}));
  if (rng.chance(0.3)) args.push_back("--curve");
}

void logrank_args(Rng& rng, Strings& args) {
  surv_args(rng, args);
  args.insert(args.end(), {"--group", column(rng, "arm")});
  maybe(rng, 0.3, args, "--strata", column(rng, rng.pick(Strings{"sex", "site", "stage"})));
  maybe(rng, 0.3, args, "--rho", value(rng, {"0", "1", "0.5", "-2", "30"}));
  maybe(rng, 0.2, args, "--weights", column(rng, "w"));
}

void cox_args(Rng& rng, Strings& args) {
  surv_args(rng, args);
  args.insert(args.end(), {"--covariates", column_list(rng, kCovariates)});
  maybe(rng, 0.3, args, "--ties", rng.pick(Strings{"efron", "breslow"}, Strings{"exact"}, 0.2));
  maybe(rng, 0.2, args, "--strata", column(rng, rng.pick(Strings{"sex", "site", "stage"})));
  maybe(rng, 0.2, args, "--cluster", column(rng, "site"));
  maybe(rng, 0.2, args, "--weights", column(rng, "w"));
  maybe(rng, 0.1, args, "--conf-level", value(rng, {"0.9", "0.95"}));
  if (rng.chance(0.3)) args.push_back("--zph");
  maybe(rng, 0.15, args, "--zph-transform", rng.pick(Strings{"km", "rank", "identity", "log"}, Strings{"x"}, 0.2));
}

void logistic_args(Rng& rng, Strings& args) {
  args.insert(args.end(), {"--outcome", column(rng, rng.pick(Strings{"status", "treat", "stage=IV", "sex"},
                                                                    Strings{"arm=B", "age", "stage=IX"}, 0.3))});
  args.insert(args.end(), {"--covariates", column_list(rng, kCovariates)});
  maybe(rng, 0.2, args, "--weights", column(rng, "w"));
  maybe(rng, 0.1, args, "--conf-level", value(rng, {"0.9", "0.95"}));
}

void crosstab_args(Rng& rng, Strings& args) {
  const Strings cats = {"arm", "sex", "stage", "status", "treat", "site"};
  const Strings bad = {"konst", "age", "id", "w"};
  args.insert(args.end(), {"--rows", column(rng, rng.pick(cats, bad, 0.2)), "--cols",
                           column(rng, rng.pick(cats, bad, 0.2))});
}

void match_args(Rng& rng, Strings& args, const std::string& out_file) {
  args.insert(args.end(), {"--treat", column(rng, rng.pick(Strings{"treat", "status"}, Strings{"arm=B", "age"}, 0.3))});
  args.insert(args.end(), {"--covariates", column_list(rng, {"age", "sex", "stage", "age2"})});
  maybe(rng, 0.3, args, "--distance", rng.pick(Strings{"logit", "ps"}, Strings{"mahalanobis"}, 0.2));
  maybe(rng, 0.3, args, "--caliper", value(rng, {"0.2", "0.05", "1", "1e-12"}));
  maybe(rng, 0.3, args, "--ratio", value(rng, {"1", "2", "3", "10"}));
  if (rng.chance(0.2)) args.push_back("--replace");
  maybe(rng, 0.3, args, "--order", rng.pick(Strings{"largest", "smallest", "data", "random"}, Strings{"x"}, 0.2));
  maybe(rng, 0.15, args, "--seed", value(rng, {"1", "42", "123456789"}));
  maybe(rng, 0.2, args, "--exact", column_list(rng, {"sex", "stage", "arm"}));
  maybe(rng, 0.2, args, "--discard", rng.pick(Strings{"none", "treated", "control", "both"}, Strings{"x"}, 0.2));
  if (rng.chance(0.2)) args.push_back("--matchit-compat");
  maybe(rng, 0.3, args, "--output", out_file);
}

}  // namespace

Cohort make_cohort(Rng& rng) {
  Cohort c;
  c.header = {"id", "time", "status", "arm", "age", "age2", "sex", "stage",
              "treat", "w", "site", "konst", "start", "event_date", "last_fu"};
  const CohortStyle style = cohort_style(rng);
  c.arms = style.arms;
  for (std::size_t i = 0; i < style.n; ++i) c.rows.push_back(cohort_row(rng, style, i));
  return c;
}

void mutate_cells(Cohort& c, Rng& rng) {
  const double p = rng.pick(std::vector<double>{0.0, 0.0, 0.005, 0.02, 0.1, 0.4});
  if (p == 0.0) return;
  for (auto& row : c.rows)
    for (auto& cell : row)
      if (rng.chance(p)) cell = hostile_cell(rng);
}

void mutate_structure(Cohort& c, Rng& rng) {
  const std::size_t ncol = c.header.size();
  switch (rng.below(12)) {
    case 0:  // ragged rows
      for (auto& row : c.rows)
        if (rng.chance(0.2)) rng.chance(0.5) ? row.pop_back() : row.push_back("extra");
      break;
    case 1: c.header[rng.below(ncol)] = c.header[rng.below(ncol)]; break;  // duplicated name
    case 2: c.header[rng.below(ncol)] = ""; break;
    case 3: c.header[rng.below(ncol)] = hostile_cell(rng); break;
    case 4: c.rows.clear(); break;  // header only
    case 5:  // no header: the first data row is read as one
      if (!c.rows.empty()) {
        c.header = c.rows.front();
        c.rows.erase(c.rows.begin());
      }
      break;
    case 6: {  // a column dropped
      const std::size_t j = rng.below(ncol);
      c.header.erase(c.header.begin() + static_cast<long>(j));
      for (auto& row : c.rows) row.erase(row.begin() + static_cast<long>(j));
      break;
    }
    case 7:  // many columns
      for (int j = 0; j < 2000; ++j) c.header.push_back("c" + std::to_string(j));
      for (auto& row : c.rows) row.resize(c.header.size(), "0");
      break;
    case 8:  // one patient repeated many times (ties everywhere)
      if (!c.rows.empty()) c.rows.assign(200, c.rows.front());
      break;
    default: break;  // structure intact (most cases)
  }
}

std::string render_csv(const Cohort& c, Rng& rng) {
  const std::string sep = rng.pick(Strings{",", ",", ",", ";", "\t"});
  const std::string eol = rng.pick(Strings{"\n", "\n", "\n", "\r\n", "\r"});
  const bool quote_all = rng.chance(0.15);
  const bool raw = rng.hostile(0.05);  // no quoting even where needed
  std::string text = rng.chance(0.1) ? "\xEF\xBB\xBF" : "";
  auto line = [&](const Strings& cells) {
    for (std::size_t j = 0; j < cells.size(); ++j) {
      if (j) text += sep;
      const bool q = !raw && (quote_all || needs_quotes(cells[j], sep));
      text += q ? quote(cells[j]) : cells[j];
    }
    text += eol;
    if (rng.hostile(0.01)) text += eol;  // a blank line
  };
  line(c.header);
  for (const auto& row : c.rows) line(row);
  if (rng.chance(0.15) && !text.empty()) text.resize(text.size() - eol.size());  // no final line end
  if (rng.hostile(0.02)) text += "\"unterminated," + eol;
  return rng.hostile(0.06) ? not_a_csv_file(text, rng) : text;
}

std::vector<std::string> command_args(const std::string& command, const std::string& data,
                                      const std::string& out_file, Rng& rng) {
  Strings args{command, data};
  if (command == "km") km_args(rng, args);
  if (command == "logrank") logrank_args(rng, args);
  if (command == "cox") cox_args(rng, args);
  if (command == "logistic") logistic_args(rng, args);
  if (command == "crosstab") crosstab_args(rng, args);
  if (command == "match") match_args(rng, args, out_file);
  common_args(rng, args);
  return args;
}

std::string repeat(std::string_view s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

std::string repair_utf8(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
    bool ok = len > 0 && i + len <= s.size();
    for (std::size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (ok && len > 1) {  // no overlong forms, surrogates or code points above U+10FFFF
      std::uint32_t cp = b & (0x7F >> len);
      for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
      const std::uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
      ok = cp >= least[len] && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
    }
    if (ok) {
      out.append(s, i, len);
      i += len;
    } else {
      out += '?';
      ++i;
    }
  }
  return out;
}

}  // namespace fuzz
