// What `survkit init` reads into each column, and the roles it proposes.
#include "study/draft_profile.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <limits>
#include <set>

#include "data/number.hpp"
#include "study/dates.hpp"
#include "survkit/common.hpp"

namespace survkit::study::draft {
namespace {

constexpr double NA = std::numeric_limits<double>::quiet_NaN();

// The date formats `init` tries, in order of preference; the study accepts any format
// made of %Y, %m, %d and literal characters, so these are the common ones.
constexpr std::array<std::string_view, 7> kDateFormats = {"%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y",
                                                          "%Y/%m/%d", "%d-%m-%Y", "%m-%d-%Y"};

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

double median_of(std::vector<double> v) {
  if (v.empty()) return NA;
  const std::size_t h = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(h), v.end());
  const double hi = v[h];
  if (v.size() % 2) return hi;
  const double lo = *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(h));
  return (lo + hi) / 2;
}

bool fits_every_level(const Column& c, std::string_view format) {
  for (const auto& l : c.levels)
    if (!parse_date(l, format)) return false;
  return true;
}

void profile_dates(Profile& p) {
  const Column& c = *p.column;
  for (auto f : kDateFormats) {
    if (!fits_every_level(c, f)) continue;
    if (p.date_format.empty()) {
      p.date_format = std::string(f);
    } else {
      p.also_fits = std::string(f);
      break;
    }
  }
  if (p.date_format.empty()) return;
  p.kind = Kind::Date;
  std::vector<double> level_days;
  for (const auto& l : c.levels) level_days.push_back(static_cast<double>(*parse_date(l, p.date_format)));
  p.days.assign(c.codes.size(), NA);
  std::vector<double> present;
  for (std::size_t r = 0; r < c.codes.size(); ++r)
    if (c.codes[r] >= 0) present.push_back(p.days[r] = level_days[static_cast<std::size_t>(c.codes[r])]);
  p.median_day = median_of(std::move(present));
}

void profile_numeric(Profile& p) {
  const Column& c = *p.column;
  std::vector<double> v;
  for (double x : c.values)
    if (!std::isnan(x)) v.push_back(x);
  std::sort(v.begin(), v.end());
  p.distinct = static_cast<std::size_t>(std::unique(v.begin(), v.end()) - v.begin());
  v.resize(p.distinct);
  p.min = v.front();
  p.max = v.back();
  p.integer = std::all_of(v.begin(), v.end(), [](double x) { return std::floor(x) == x && std::fabs(x) < 1e9; });
  p.median = median_cut(c);
  if (p.distinct == 2 && p.min == 0 && p.max == 1) {
    p.kind = Kind::Binary01;
  } else if (p.integer && p.distinct <= 6) {
    p.kind = Kind::Categorical;
  } else if (p.integer && p.distinct == p.present && name_has(c.name, {"id"})) {
    p.kind = Kind::Identifier;
  } else {
    p.kind = Kind::Numeric;
  }
  if (p.kind == Kind::Binary01 || p.kind == Kind::Categorical)
    for (double x : v) p.levels.push_back(data::format_number(x));
}

void profile_text(Profile& p) {
  const Column& c = *p.column;
  p.distinct = c.levels.size();
  // A labelled 0/1 column (SPSS, Stata, SAS value labels): the study reads it by its codes.
  if (c.level_codes.size() == 2 && c.level_codes[0] == "0" && c.level_codes[1] == "1") {
    p.kind = Kind::Binary01;
    p.levels = c.levels;
    return;
  }
  profile_dates(p);
  if (p.kind == Kind::Date) return;
  if (p.distinct <= 10 && p.distinct < p.present) {
    p.kind = Kind::Categorical;
    p.levels = c.levels;
  } else {
    p.kind = p.distinct == p.present ? Kind::Identifier : Kind::FreeText;
  }
}

// The stem of a time or status column's name: "os_days" and "os_status" -> "os".
std::string stem(std::string_view name) {
  std::string s = lower(name);
  for (std::string_view w : {"status", "event", "futime", "time", "days", "day", "months", "month", "years", "year"}) {
    for (auto pos = s.find(w); pos != std::string::npos; pos = s.find(w)) s.erase(pos, w.size());
  }
  std::string out;
  for (char c : s)
    if (std::isalnum(static_cast<unsigned char>(c))) out += c;
  return out;
}

std::string valid_id(const std::string& s) {
  std::string out;
  for (char c : lower(s)) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out.empty() ? "endpoint" : out;
}

std::vector<ColumnsEndpoint> pair_time_status(const std::vector<Profile>& profiles) {
  std::vector<const Profile*> times, statuses;
  for (const auto& p : profiles) {
    const auto& n = p.column->name;
    if (p.kind == Kind::Binary01 &&
        name_has(n, {"status", "event", "dead", "death", "died", "fail", "recur", "relapse", "progress", "vital"}))
      statuses.push_back(&p);
    else if ((p.kind == Kind::Numeric || p.kind == Kind::Categorical) && p.min >= 0 && p.distinct > 2 &&
             name_has(n, {"time", "day", "month", "year", "surv", "follow", "os", "pfs", "dfs", "rfs", "efs", "ttp"}))
      times.push_back(&p);
  }
  std::vector<ColumnsEndpoint> out;
  for (const Profile* s : statuses) {
    const Profile* t = nullptr;
    for (const Profile* c : times)
      if (stem(c->column->name) == stem(s->column->name)) t = c;
    if (!t && statuses.size() == 1 && times.size() == 1) t = times.front();
    if (!t) continue;
    ColumnsEndpoint e;
    e.time = t;
    e.status = s;
    const std::string st = stem(s->column->name);
    e.id = st.empty() ? (out.empty() ? "os" : fmt::format("endpoint{}", out.size() + 1)) : valid_id(st);
    const std::string tn = lower(t->column->name);
    e.unit_guessed = false;
    if (tn.find("month") != std::string::npos) e.time_unit = "months";
    else if (tn.find("year") != std::string::npos) e.time_unit = "years";
    else if (tn.find("day") != std::string::npos) e.time_unit = "days";
    else { e.time_unit = "days"; e.unit_guessed = true; }
    out.push_back(e);
  }
  return out;
}

// Fraction of rows where the date is present.
double coverage(const Profile& p) {
  return p.days.empty() ? 0.0 : static_cast<double>(p.present) / static_cast<double>(p.days.size());
}

void find_date_roles(const std::vector<Profile>& profiles, Endpoints& out) {
  const Profile *death = nullptr, *progression = nullptr, *censor = nullptr;
  std::vector<const Profile*> rest;
  for (const auto& p : profiles) {
    if (p.kind != Kind::Date) continue;
    const auto& n = p.column->name;
    if (!out.birth && name_has(n, {"birth", "dob", "born"})) out.birth = &p;
    else if (!death && name_has(n, {"death", "died", "dead", "dod"})) death = &p;
    else if (!progression && name_has(n, {"progress", "recur", "relapse", "pd_"})) progression = &p;
    else if (!censor && name_has(n, {"last", "follow", "contact", "censor", "alive", "fu_"})) censor = &p;
    else rest.push_back(&p);
  }
  // The start: the best-covered, latest-median date among those named like a start;
  // otherwise among the rest.
  auto pick_start = [&](bool named) -> const Profile* {
    const Profile* best = nullptr;
    for (const Profile* p : rest) {
      if (named && !name_has(p->column->name, {"diag", "surg", "operat", "start", "entry", "enrol", "random",
                                                "treat", "baseline", "admission", "index", "inclusion"}))
        continue;
      if (coverage(*p) < 0.9) continue;
      if (!best || p->median_day > best->median_day) best = p;
    }
    return best;
  };
  const Profile* start = pick_start(true);
  if (!start) start = pick_start(false);
  if (!start) return;
  for (const Profile* p : rest)
    if (p != start) out.other_start_dates.push_back(p);
  if (!censor) {  // the latest-median remaining date stands in for the last follow-up
    for (const Profile* p : out.other_start_dates)
      if (p->median_day > start->median_day && (!censor || p->median_day > censor->median_day)) censor = p;
  }
  if (!censor) return;
  std::erase(out.other_start_dates, censor);
  const Profile* first_event = death ? death : progression;
  if (!first_event) return;
  out.dates_form.push_back({death ? "os" : "pfs", start, {first_event}, censor});
  if (death && progression) out.dates_form.push_back({"pfs", start, {progression, death}, censor});
}

}  // namespace

bool name_has(std::string_view name, std::initializer_list<std::string_view> tokens) {
  const std::string n = lower(name);
  for (auto t : tokens) {
    // Short tokens (os, id, rx, ...) must be a whole word of the name.
    if (t.size() <= 3 && t.back() != '_') {
      std::size_t pos = 0;
      while ((pos = n.find(t, pos)) != std::string::npos) {
        const bool left = pos == 0 || !std::isalpha(static_cast<unsigned char>(n[pos - 1]));
        const std::size_t e = pos + t.size();
        const bool right = e == n.size() || !std::isalpha(static_cast<unsigned char>(n[e]));
        if (left && right) return true;
        ++pos;
      }
    } else if (n.find(t) != std::string::npos) {
      return true;
    }
  }
  return false;
}

double median_cut(const Column& column) {
  std::vector<double> v;
  for (double x : column.values)
    if (!std::isnan(x)) v.push_back(x);
  if (v.empty()) return NA;
  double cut = median_of(v);
  const double max = *std::max_element(v.begin(), v.end());
  if (cut >= max) {  // at least one patient above the cut
    double below = -std::numeric_limits<double>::infinity();
    for (double x : v)
      if (x < max) below = std::max(below, x);
    cut = below;
  }
  return cut;
}

std::vector<Profile> profile_columns(const Table& table) {
  std::vector<Profile> out;
  for (const auto& c : table.columns) {
    Profile p;
    p.column = &c;
    for (std::size_t r = 0; r < table.nrows; ++r) p.present += !c.missing(r);
    if (p.present == 0) {
      p.kind = Kind::Empty;
    } else if (c.numeric() && c.date) {  // a typed date (SPSS, Stata, SAS, Excel): days since 1970
      p.kind = Kind::Date;
      p.days = c.values;
      std::vector<double> present;
      for (double d : c.values)
        if (!std::isnan(d)) present.push_back(d);
      p.distinct = present.size();
      p.median_day = median_of(std::move(present));
    } else if (c.numeric()) {
      profile_numeric(p);
    } else {
      profile_text(p);
    }
    out.push_back(std::move(p));
  }
  return out;
}

Endpoints find_endpoints(const std::vector<Profile>& profiles) {
  Endpoints out;
  out.columns_form = pair_time_status(profiles);
  find_date_roles(profiles, out);
  return out;
}

const Profile* find_group(const std::vector<Profile>& profiles, const std::string& requested,
                          const std::vector<const Profile*>& taken, const std::string& source) {
  auto levels = [](const Profile& p) { return p.kind == Kind::Categorical || p.kind == Kind::Binary01 ? p.levels.size() : 0; };
  if (!requested.empty()) {
    for (const auto& p : profiles) {
      if (p.column->name != requested) continue;
      const std::size_t k = p.kind == Kind::Categorical || p.kind == Kind::Binary01 ? p.distinct : 0;
      if (k < 2 || k > 20)
        throw InputError(fmt::format("{}: --group '{}' has {} distinct values; the group needs 2 to 20 levels", source,
                                     requested, p.distinct),
                         source, 0, requested);
      return &p;
    }
    std::string names;
    for (const auto& p : profiles) names += (names.empty() ? "" : ", ") + p.column->name;
    throw InputError(fmt::format("{}: --group '{}' is not a column (columns: {})", source, requested, names), source,
                     0, requested);
  }
  auto free = [&](const Profile& p) { return std::find(taken.begin(), taken.end(), &p) == taken.end(); };
  auto exposure = [](const Profile& p) {
    return name_has(p.column->name, {"treat", "therap", "arm", "group", "rx", "trt", "exposure", "intervention",
                                     "cohort", "regimen", "allocation"});
  };
  for (const auto& p : profiles)
    if (free(p) && levels(p) == 2 && exposure(p)) return &p;
  for (const auto& p : profiles)
    if (free(p) && levels(p) >= 3 && levels(p) <= 4 && exposure(p)) return &p;
  for (const auto& p : profiles)
    if (free(p) && levels(p) == 2) return &p;
  return nullptr;
}

}  // namespace survkit::study::draft
