// build_frame: Table + FrameSpec -> ModelFrame (the model frame of R's model.frame with
// na.action = na.omit, plus Surv()'s status coding and treatment contrasts).
//
// Order of work, and why:
//  1. resolve every named column (unknown names fail before any data is read);
//  2. validate the values of every row that has one (time >= 0, event coding, weights,
//     finite covariates), also rows later dropped for missingness: R's Surv() and
//     model.frame() see all rows before na.omit, and bad data is bad wherever it sits;
//  3. complete cases, counted per column;
//  4. build the outputs on the kept rows only (factor levels absent there are dropped)
//     and run the model checks (events, two groups, varying covariates).
// Everything is O(n) per column apart from sorting the distinct values of a numeric
// factor (O(k log k), k distinct values).
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "data/number.hpp"
#include "stats/parallel.hpp"
#include "survkit/format.hpp"
#include "survkit/frame.hpp"

namespace survkit {

namespace {

constexpr std::uint8_t kNoIndicator = 255;  // missing cell in a decoded indicator

std::string quote(std::string_view s) { return "'" + std::string(s) + "'"; }

// Lists of values and levels in messages: at most 20, then "... (N more)".
constexpr JoinStyle kListStyle{.max_items = 20};

std::string where(const Table& t, std::size_t row, std::string_view column) {
  return t.source + " line " + std::to_string(t.line(row)) + ", column '" + std::string(column) + "'";
}

[[noreturn]] void bad_value(const Table& t, std::size_t row, const Column& c, const std::string& what) {
  const std::string value = c.text(row);
  throw InputError(where(t, row, c.name) + ": " + what + " (found " + quote(value) + ")", t.source,
                   t.line(row), c.name, value);
}

/// The largest positive weight of the analysed rows is at most kMaxWeightRatio times the
/// smallest (see kMaxWeightRatio); otherwise an InputError naming both lines.
/// The case weights build_frame() accepts (README "Weights"): finite and >= 0, every
/// positive weight within [kMinPositiveWeight, kMaxWeight], and the largest positive
/// weight of the analysed rows at most kMaxWeightRatio times the smallest.  The range keeps
/// the weighted sums over up to 2^32 rows and their powers up to the fourth (variance
/// terms) inside double precision (about 1e-308 to 1e308); the ratio leaves the smallest
/// weights at least 7 significant digits in any sum that includes the largest (doubles
/// carry about 16).  Outside, sums overflow or underflow, or small weights are lost to
/// rounding, and the results (mostly R's too) are nonsense.
constexpr double kMinPositiveWeight = 1e-50;
constexpr double kMaxWeight = 1e50;
constexpr double kMaxWeightRatio = 1e9;
static_assert(kMinPositiveWeight == 1e-50 && kMaxWeight == 1e50 && kMaxWeightRatio == 1e9,
              "the weight messages below quote these bounds");
// The table rows of a frame's kept cases (ModelFrame::row), indexed like a list.
struct KeptRows {
  const ModelFrame* frame;
  std::size_t operator[](std::size_t i) const { return frame->row(i); }
  std::size_t size() const { return frame->n; }
};

void check_weight_ratio(const Table& t, const Column& c, const KeptRows& rows,
                        const std::vector<double>& weight) {
  std::size_t lo = weight.size(), hi = weight.size();
  for (std::size_t i = 0; i < weight.size(); ++i) {
    if (!(weight[i] > 0)) continue;
    if (lo == weight.size() || weight[i] < weight[lo]) lo = i;
    if (hi == weight.size() || weight[i] > weight[hi]) hi = i;
  }
  if (lo == weight.size() || weight[hi] <= kMaxWeightRatio * weight[lo]) return;
  const std::string value = c.text(rows[hi]);
  throw InputError(where(t, rows[hi], c.name) + ": weight " + value + " is more than 1e9 times the smallest positive weight (" +
                       c.text(rows[lo]) + " on line " + std::to_string(t.line(rows[lo])) +
                       "); in a sum with the largest, the smallest weights would keep fewer than 7 significant "
                       "digits, so the weighted results cannot be computed reliably",
                   t.source, t.line(rows[hi]), c.name, value);
}

/// True when `level` denotes `wanted`: the same text, or the same number when both are
/// numbers ("2" and "2.0").
bool same_value(std::string_view level, std::string_view wanted) {
  if (level == wanted) return true;
  double a, b;
  return data::parse_number(data::trim_spaces(level), a) && data::parse_number(data::trim_spaces(wanted), b) &&
         a == b;
}

// A column read as numbers (NaN = missing).  A categorical column is accepted when all
// its levels are numbers (a column forced to be a factor at parse time), or all its
// coded values are (value labels of an SPSS/Stata/SAS file: the codes are read);
// otherwise the first row holding a non-number is an InputError.
class NumericView {
 public:
  NumericView(const Table& t, const Column& c, std::string_view role) : col_(&c) {
    if (c.numeric()) return;
    const auto& texts = c.level_codes.empty() ? c.levels : c.level_codes;
    level_value_.resize(texts.size());
    std::vector<bool> ok(texts.size());
    bool all = true;
    for (std::size_t k = 0; k < texts.size(); ++k) {
      ok[k] = data::parse_number(data::trim_spaces(texts[k]), level_value_[k]);
      all = all && ok[k];
    }
    if (all) return;
    for (std::size_t r = 0; r < t.nrows; ++r)
      if (c.codes[r] >= 0 && !ok[static_cast<std::size_t>(c.codes[r])])
        bad_value(t, r, c, "the " + std::string(role) + " column must hold numbers");
  }
  double operator[](std::size_t r) const {
    if (col_->numeric()) return col_->values[r];
    const auto code = col_->codes[r];
    return code < 0 ? NA : level_value_[static_cast<std::size_t>(code)];
  }

 private:
  const Column* col_;
  std::vector<double> level_value_;
};

const char* kCodings =
    "accepted codings: 0/1 (1 = yes), 1/2 (2 = yes, as R's Surv), TRUE/FALSE (also true/false, "
    "T/F), or COL=VALUE naming the value that means yes (e.g. status=2; every other value is no)";

std::vector<std::string> distinct_texts(const Column& c) {
  if (!c.numeric()) return c.levels;
  std::vector<double> v;
  for (double x : c.values)
    if (!std::isnan(x)) v.push_back(x);
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  std::vector<std::string> out;
  for (double x : v) out.push_back(data::format_number(x));
  return out;
}

// Decodes an indicator (event, outcome) on every table row: 1 yes, 0 no, kNoIndicator
// missing.  `role` names it in messages.
std::vector<std::uint8_t> decode_indicator(const Table& t, const IndicatorSpec& spec, std::string_view role) {
  const Column& c = t.column(spec.column);
  std::vector<std::uint8_t> out(t.nrows, kNoIndicator);

  if (spec.has_value) {
    const std::string_view wanted = data::trim_spaces(spec.value);
    bool any = false;
    if (c.numeric()) {
      double target;
      if (!data::parse_number(wanted, target))
        throw InputError(t.source + ": " + std::string(role) + " " + spec.column + "=" + spec.value +
                             ": column '" + spec.column + "' holds numbers, so the value must be a number",
                         t.source, 0, spec.column, spec.value);
      for (std::size_t r = 0; r < t.nrows; ++r) {
        const double x = c.values[r];
        if (std::isnan(x)) continue;
        out[r] = x == target ? 1 : 0;
        any = any || out[r] == 1;
      }
    } else {
      std::vector<std::uint8_t> level_yes(c.levels.size());
      // A labelled column (level_codes) matches the label or the code.
      for (std::size_t k = 0; k < c.levels.size(); ++k)
        level_yes[k] = same_value(c.levels[k], wanted) ||
                               (!c.level_codes.empty() && same_value(c.level_codes[k], wanted))
                           ? 1
                           : 0;
      for (std::size_t r = 0; r < t.nrows; ++r) {
        if (c.codes[r] < 0) continue;
        out[r] = level_yes[static_cast<std::size_t>(c.codes[r])];
        any = any || out[r] == 1;
      }
    }
    if (!any)
      throw InputError(t.source + ": " + std::string(role) + " " + spec.column + "=" + spec.value +
                           ": column '" + spec.column + "' never has the value " + quote(spec.value) +
                           "; its values are: " + join(distinct_texts(c), kListStyle),
                       t.source, 0, spec.column, spec.value);
    return out;
  }

  // Text TRUE/FALSE coding (a labelled column is coded by its values, below).
  if (!c.numeric() && c.level_codes.empty()) {
    std::vector<int> level_code(c.levels.size(), -1);
    bool all_logical = true, all_numbers = true;
    for (std::size_t k = 0; k < c.levels.size(); ++k) {
      const std::string& l = c.levels[k];
      if (l == "TRUE" || l == "true" || l == "T") level_code[k] = 1;
      else if (l == "FALSE" || l == "false" || l == "F") level_code[k] = 0;
      else all_logical = false;
      double x;
      all_numbers = all_numbers && data::parse_number(data::trim_spaces(l), x);
    }
    if (all_logical || !all_numbers) {
      for (std::size_t r = 0; r < t.nrows; ++r) {
        if (c.codes[r] < 0) continue;
        const int code = level_code[static_cast<std::size_t>(c.codes[r])];
        if (code < 0)
          bad_value(t, r, c, "not a recognised " + std::string(role) + " coding; " + kCodings);
        out[r] = static_cast<std::uint8_t>(code);
      }
      return out;
    }
  }

  // Numeric 0/1 or 1/2 coding, decided on all non-missing values as R's Surv does:
  // only 0 and 1 -> as is; otherwise only 1 and 2 -> 2 = yes.
  const NumericView v(t, c, role);
  std::optional<std::size_t> first_zero, first_two;
  for (std::size_t r = 0; r < t.nrows; ++r) {
    const double x = v[r];
    if (std::isnan(x)) continue;
    out[r] = x == 1 ? 1 : 0;  // the 0/1 coding; rewritten below for a 1/2 column
    if (x == 0) {
      if (!first_zero) first_zero = r;
    } else if (x == 2) {
      if (!first_two) first_two = r;
    } else if (x != 1) {
      bad_value(t, r, c, "not a recognised " + std::string(role) + " coding; " + kCodings);
    }
  }
  if (first_zero && first_two)
    bad_value(t, *first_two, c,
              "the column mixes 0/1 and 1/2 codings (it has 0 on line " + std::to_string(t.line(*first_zero)) +
                  "); for competing risks or other codes write COL=VALUE (e.g. " + c.name + "=2); " + kCodings);
  if (first_two)
    for (std::size_t r = 0; r < t.nrows; ++r) {
      const double x = v[r];
      if (!std::isnan(x)) out[r] = x == 2 ? 1 : 0;
    }
  return out;
}

// The categorical view of a column on the kept rows: only levels present there, in level
// order (numbers by value, text by bytes), then the reference level moved to the front.
// The reference is a level, or (labelled columns) the coded value of one.
Factor factor_view(const Table& t, const Column& c, const KeptRows& rows, const std::string* reference,
                   std::vector<std::int32_t>* take_codes = nullptr) {
  Factor f;
  // `take_codes`: the column's own codes, handed over when every row is kept and the
  // column is not needed again; they are then recoded in place instead of copied.
  const bool taken = take_codes != nullptr && !c.numeric() && take_codes->size() == rows.size();
  if (taken)
    f.code = std::move(*take_codes);  // c.codes is empty from here on
  else
    f.code.resize(rows.size());
  std::vector<std::int32_t> remap;  // old code -> new code
  std::vector<std::string> codes;   // the coded value of each level (labelled columns)
  if (c.numeric()) {
    // Provisional codes by first appearance, then sort the distinct values.
    std::unordered_map<double, std::int32_t> index;
    std::vector<double> distinct;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const double x = c.values[rows[i]];
      auto [it, inserted] = index.try_emplace(x, static_cast<std::int32_t>(distinct.size()));
      if (inserted) distinct.push_back(x);
      f.code[i] = it->second;
    }
    std::vector<std::int32_t> order(distinct.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return distinct[a] < distinct[b]; });
    remap.resize(distinct.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
      remap[static_cast<std::size_t>(order[k])] = static_cast<std::int32_t>(k);
      f.levels.push_back(data::format_number(distinct[static_cast<std::size_t>(order[k])]));
    }
  } else {
    std::vector<bool> used(c.levels.size(), false);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (!taken) f.code[i] = c.codes[rows[i]];
      used[static_cast<std::size_t>(f.code[i])] = true;
    }
    remap.assign(c.levels.size(), -1);
    for (std::size_t k = 0; k < c.levels.size(); ++k) {
      if (!used[k]) continue;
      remap[k] = static_cast<std::int32_t>(f.levels.size());
      f.levels.push_back(c.levels[k]);
      if (!c.level_codes.empty()) codes.push_back(c.level_codes[k]);
    }
  }

  if (reference != nullptr && !reference->empty()) {
    std::size_t ref = f.levels.size();
    for (std::size_t k = 0; k < f.levels.size() && ref == f.levels.size(); ++k)
      if (same_value(f.levels[k], *reference) || (!codes.empty() && same_value(codes[k], *reference))) ref = k;
    if (ref == f.levels.size())
      throw InputError(t.source + ": reference level " + quote(*reference) + " of column '" + c.name +
                           "' does not occur among the complete rows; its levels are: " + join(f.levels, kListStyle),
                       t.source, 0, c.name, *reference);
    // Move levels[ref] to index 0, keeping the order of the others.
    std::vector<std::int32_t> shift(f.levels.size());
    for (std::size_t k = 0; k < f.levels.size(); ++k)
      shift[k] = k == ref ? 0 : static_cast<std::int32_t>(k < ref ? k + 1 : k);
    for (auto& r : remap)
      if (r >= 0) r = shift[static_cast<std::size_t>(r)];
    std::rotate(f.levels.begin(), f.levels.begin() + static_cast<std::ptrdiff_t>(ref),
                f.levels.begin() + static_cast<std::ptrdiff_t>(ref) + 1);
  }
  for (auto& code : f.code) code = remap[static_cast<std::size_t>(code)];
  return f;
}

struct Used {
  std::string role;  // "time", "event", ... for messages
  const Column* column;
};

ModelFrame build_frame_impl(const Table& t, const FrameSpec& spec, Table* owned);

}  // namespace

FactorSpec FactorSpec::parse(std::string_view text) {
  FactorSpec s;
  const std::string_view trimmed = data::trim_spaces(text);
  const auto at = trimmed.rfind(":ref=");
  s.column = std::string(data::trim_spaces(trimmed.substr(0, at)));
  if (at != std::string_view::npos) {
    s.reference = std::string(data::trim_spaces(trimmed.substr(at + 5)));
    if (s.reference.empty())
      throw InputError("factor " + quote(text) + ": ':ref=' must be followed by a level (COL:ref=LEVEL)", {}, 0,
                       s.column);
  }
  if (s.column.empty())
    throw InputError("factor " + quote(text) + ": no column name (expected COL or COL:ref=LEVEL)");
  return s;
}

IndicatorSpec IndicatorSpec::parse(std::string_view text) {
  IndicatorSpec s;
  const std::string_view trimmed = data::trim_spaces(text);
  const auto eq = trimmed.find('=');
  s.column = std::string(data::trim_spaces(trimmed.substr(0, eq)));
  if (eq != std::string_view::npos) {
    s.has_value = true;
    s.value = std::string(data::trim_spaces(trimmed.substr(eq + 1)));
    if (s.value.empty())
      throw InputError("indicator " + quote(text) + ": '=' must be followed by a value (COL=VALUE)", {}, 0,
                       s.column);
  }
  if (s.column.empty())
    throw InputError("indicator " + quote(text) + ": no column name (expected COL or COL=VALUE)");
  return s;
}

std::vector<std::size_t> ModelFrame::kept_rows() const {
  if (!rows.empty()) return rows;
  std::vector<std::size_t> all(n);
  std::iota(all.begin(), all.end(), std::size_t{0});
  return all;
}

ModelFrame build_frame(const Table& table, const FrameSpec& spec) { return build_frame_impl(table, spec, nullptr); }

ModelFrame build_frame(Table&& table, const FrameSpec& spec) { return build_frame_impl(table, spec, &table); }

namespace {

struct ValueRange {
  double lo = std::numeric_limits<double>::infinity(), hi = -std::numeric_limits<double>::infinity();
};

// Copies the numeric covariates (cov_is_factor[j] == 0) on the kept rows into their
// column first_col[j] of x, two columns at a time as parallel tasks, calling done(column)
// after each pair so that an owned table gives its memory back as x fills (peak: about
// one pair of columns over the larger of table and frame).  Returns each column's range.
template <class Done>
std::vector<ValueRange> copy_numeric_columns(const std::vector<const Column*>& cov_cols,
                                             const std::vector<char>& cov_is_factor,
                                             const std::vector<Eigen::Index>& first_col,
                                             const KeptRows& rows, Eigen::MatrixXd& x, Done&& done) {
  std::vector<ValueRange> range(cov_cols.size());
  std::vector<std::size_t> numeric;
  for (std::size_t j = 0; j < cov_cols.size(); ++j)
    if (!cov_is_factor[j]) numeric.push_back(j);
  constexpr std::size_t kPair = 2;
  for (std::size_t b = 0; b < numeric.size(); b += kPair) {
    const std::size_t e = std::min(numeric.size(), b + kPair);
    parallel::for_each_task(e - b, rows.size(), [&](std::size_t k) {
      const std::size_t j = numeric[b + k];
      const std::vector<double>& values = cov_cols[j]->values;
      double* out = x.col(first_col[j]).data();
      ValueRange r;
      for (std::size_t i = 0; i < rows.size(); ++i) {
        const double v = values[rows[i]];
        out[i] = v;
        r.lo = std::min(r.lo, v);
        r.hi = std::max(r.hi, v);
      }
      range[j] = r;
    });
    for (std::size_t k = b; k < e; ++k) done(cov_cols[numeric[k]]);
  }
  return range;
}

// Step 2 of build_frame, on every row that has a value (also rows dropped later for a
// missing value elsewhere: R's Surv() sees them before na.omit).
void check_times(const Table& t, const Column& c, const NumericView& v) {
  for (std::size_t r = 0; r < t.nrows; ++r) {
    const double x = v[r];
    if (std::isnan(x)) continue;
    if (!std::isfinite(x)) bad_value(t, r, c, "survival times must be finite");
    if (x < 0) bad_value(t, r, c, "survival times must be >= 0");
  }
}

void check_weights(const Table& t, const Column& c, const NumericView& v) {
  for (std::size_t r = 0; r < t.nrows; ++r) {
    const double x = v[r];
    if (std::isnan(x)) continue;
    if (!std::isfinite(x) || x < 0) bad_value(t, r, c, "weights must be finite and >= 0");
    if (x != 0 && (x < kMinPositiveWeight || x > kMaxWeight))
      bad_value(t, r, c,
                "a positive weight must lie between 1e-50 and 1e+50: beyond, the weighted sums and the "
                "variance terms built from them overflow or underflow double precision");
  }
}

// Numeric covariates must be finite.  Columns are checked as parallel tasks
// (stats/parallel.hpp): the error reported is that of the first bad column in order, at
// its first bad row, as a loop over the columns gives.
void check_covariates(const Table& t, const std::vector<const Column*>& cov_cols,
                      const std::vector<char>& cov_is_factor) {
  parallel::for_each_task(cov_cols.size(), t.nrows, [&](std::size_t j) {
    if (cov_is_factor[j]) return;
    const Column& c = *cov_cols[j];
    for (std::size_t r = 0; r < t.nrows; ++r)
      if (!std::isnan(c.values[r]) && !std::isfinite(c.values[r])) bad_value(t, r, c, "covariate values must be finite");
  });
}

// The design of step 4 of build_frame: numeric covariates copied as they are (a constant
// one refused when `require_varying`), factors dummy-coded against their first level.
template <class Done>
void fill_design(const Table& t, const std::vector<const Column*>& cov_cols, const std::vector<char>& cov_is_factor,
                 const std::vector<Factor>& cov_factor, const KeptRows& rows, bool require_varying, Done&& done,
                 Design& d) {
  const std::size_t n = rows.size();
  const std::size_t lead = d.intercept ? 1 : 0;  // the intercept column, when asked for
  std::size_t p = lead;
  for (std::size_t j = 0; j < cov_cols.size(); ++j) p += cov_is_factor[j] ? cov_factor[j].levels.size() - 1 : 1;
  // Left uninitialised and filled column by column while the table's columns are freed:
  // pages of x become resident only as the table's pages are given back.
  d.x.resize(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(p));
  if (d.intercept) d.x.col(0).setOnes();
  std::vector<Eigen::Index> first_col(cov_cols.size());
  for (std::size_t j = 0, col = lead; j < cov_cols.size(); ++j) {
    first_col[j] = static_cast<Eigen::Index>(col);
    col += cov_is_factor[j] ? cov_factor[j].levels.size() - 1 : 1;
  }
  const std::vector<ValueRange> range = copy_numeric_columns(cov_cols, cov_is_factor, first_col, rows, d.x, done);
  for (std::size_t j = 0; j < cov_cols.size(); ++j) {
    const Column& c = *cov_cols[j];
    if (!cov_is_factor[j]) {
      if (require_varying && range[j].lo == range[j].hi)
        throw AnalysisError(t.source + ": covariate '" + c.name + "' is constant (every complete row has " + c.name +
                            " = " + data::format_number(range[j].lo) + "); it cannot be estimated");
      d.terms.push_back(c.name);
      d.term_column.push_back(c.name);
      continue;
    }
    const Factor& f = cov_factor[j];
    const Eigen::Index col = first_col[j];
    d.x.middleCols(col, static_cast<Eigen::Index>(f.levels.size()) - 1).setZero();
    for (std::size_t i = 0; i < n; ++i)
      if (f.code[i] > 0) d.x(static_cast<Eigen::Index>(i), col + f.code[i] - 1) = 1.0;
    for (std::size_t k = 1; k < f.levels.size(); ++k) {
      d.terms.push_back(c.name + "=" + f.levels[k]);
      d.term_column.push_back(c.name);
    }
  }
}

// Step 3 of build_frame: the complete cases of the used columns (a column used in two
// roles counted once, at its first role): mf.n, mf.rows (empty when every row is kept)
// and mf.dropped.  Throws when no row is complete.
void complete_cases(const Table& t, const std::vector<Used>& used, ModelFrame& mf) {
  std::vector<const Column*> seen;
  for (const auto& u : used)
    if (std::find(seen.begin(), seen.end(), u.column) == seen.end()) seen.push_back(u.column);
  // Counted per column as parallel tasks; rows are marked only in columns with gaps.
  std::vector<std::size_t> missing(seen.size(), 0);
  parallel::for_each_task(seen.size(), t.nrows, [&](std::size_t k) {
    for (std::size_t r = 0; r < t.nrows; ++r) missing[k] += seen[k]->missing(r) ? 1 : 0;
  });
  std::vector<std::uint8_t> drop(t.nrows, 0);
  for (std::size_t k = 0; k < seen.size(); ++k) {
    if (missing[k] > 0)
      for (std::size_t r = 0; r < t.nrows; ++r)
        if (seen[k]->missing(r)) drop[r] = 1;
    mf.dropped.by_column.emplace_back(seen[k]->name, missing[k]);
  }
  mf.n = t.nrows - static_cast<std::size_t>(std::count(drop.begin(), drop.end(), std::uint8_t{1}));
  if (mf.n < t.nrows) {  // else rows stays empty: case i is row i
    mf.rows.reserve(mf.n);
    for (std::size_t r = 0; r < t.nrows; ++r)
      if (!drop[r]) mf.rows.push_back(r);
  }
  mf.dropped.n = t.nrows - mf.n;
  if (mf.n == 0) {
    std::vector<std::string> causes;
    for (const auto& [name, count] : mf.dropped.by_column)
      if (count > 0) causes.push_back(name + " " + std::to_string(count));
    throw AnalysisError(t.source + ": no complete rows: every one of the " + std::to_string(t.nrows) +
                        " rows is missing at least one used column (missing values by column: " + join(causes, kListStyle) +
                        ")");
  }
}

// Step 1 of build_frame: every named column resolved (Table::column throws naming the
// file and the available columns), with the roles in FrameSpec order (for completeness
// and DroppedRows).
struct FrameColumns {
  std::unordered_map<std::string, const FactorSpec*> forced;  // FrameSpec::factors by column
  std::optional<IndicatorSpec> event, outcome;
  std::vector<Used> used;
  const Column* time = nullptr;
  const Column* group = nullptr;
  const Column* strata = nullptr;
  const Column* cluster = nullptr;
  const Column* weight = nullptr;
  std::vector<const Column*> covariates, extra;

  const std::string* reference_of(const std::string& name) const {
    auto it = forced.find(name);
    return it == forced.end() ? nullptr : &it->second->reference;
  }
};

FrameColumns resolve_columns(const Table& t, const FrameSpec& spec) {
  const std::string& src = t.source;
  FrameColumns c;
  for (const auto& f : spec.factors) {
    t.column(f.column);
    c.forced[f.column] = &f;
  }
  if (!spec.event.empty() && spec.time.empty())
    throw InputError(src + ": an event column (" + spec.event + ") needs a time column", src, 0, spec.event);
  if (!spec.event.empty()) c.event = IndicatorSpec::parse(spec.event);
  if (!spec.outcome.empty()) c.outcome = IndicatorSpec::parse(spec.outcome);
  auto use = [&](const std::string& role, const std::string& name) -> const Column* {
    if (name.empty()) return nullptr;
    const Column* col = &t.column(name);
    c.used.push_back({role, col});
    return col;
  };
  c.time = use("time", spec.time);
  if (c.event) use("event", c.event->column);
  if (c.outcome) use("outcome", c.outcome->column);
  c.group = use("group", spec.group);
  c.strata = use("strata", spec.strata);
  c.cluster = use("cluster", spec.cluster);
  c.weight = use("weights", spec.weights);
  for (const auto& name : spec.covariates) c.covariates.push_back(use("covariate", name));
  for (const auto& name : spec.extra) c.extra.push_back(use("extra", name));
  if (t.nrows == 0) throw AnalysisError(src + " has a header but no data rows; there is nothing to analyse");
  return c;
}

// The table's columns as build_frame hands them on.  `owned` is null, or the same table
// handed over by the caller: then each column is freed as soon as its last role has been
// copied into the frame (done), so that the table and the frame are never both whole in
// memory (peak ~ one table plus one column); and when every row is kept, a column in its
// last role gives its vector to the frame instead of being copied (take).
class ColumnHandover {
 public:
  ColumnHandover(const Table& t, Table* owned, const std::vector<Used>& used, bool all_rows_kept)
      : t_(t), owned_(owned), all_kept_(all_rows_kept) {
    for (const auto& u : used) ++roles_left_[u.column];
  }
  /// One role of `c` (may be null) is copied: after its last, an owned column is freed.
  void done(const Column* c) {
    if (c == nullptr || owned_ == nullptr || --roles_left_[c] > 0) return;
    Column& col = owned(c);
    std::vector<double>().swap(col.values);
    std::vector<std::int32_t>().swap(col.codes);
  }
  /// The owned column itself, to move from, when it is in its last role and every row is
  /// kept: the same values, no fresh memory.  Null otherwise.
  Column* take(const Column* c) {
    return owned_ != nullptr && all_kept_ && roles_left_[c] == 1 ? &owned(c) : nullptr;
  }
  /// A text column's codes, handed to factor_view to recode in place (or null).
  std::vector<std::int32_t>* codes_of(const Column* c) {
    Column* own = take(c);
    return own != nullptr && !own->numeric() ? &own->codes : nullptr;
  }

 private:
  Column& owned(const Column* c) { return owned_->columns[static_cast<std::size_t>(c - t_.columns.data())]; }

  const Table& t_;
  Table* owned_;
  bool all_kept_;
  std::unordered_map<const Column*, std::size_t> roles_left_;
};

// Step 2 of build_frame: the values of every row that has one.  Returns the decoded
// indicators; `time` and `weight` are the views of those columns.
struct CheckedValues {
  std::optional<NumericView> time, weight;
  std::vector<std::uint8_t> event, outcome;
  std::vector<char> cov_is_factor;  // a covariate is a factor when categorical or forced
};

CheckedValues check_values(const Table& t, const FrameColumns& c) {
  CheckedValues v;
  if (c.time) {
    v.time.emplace(t, *c.time, "time");
    check_times(t, *c.time, *v.time);
  }
  if (c.event) v.event = decode_indicator(t, *c.event, "event");
  if (c.outcome) v.outcome = decode_indicator(t, *c.outcome, "outcome");
  if (c.weight) {
    v.weight.emplace(t, *c.weight, "weights");
    check_weights(t, *c.weight, *v.weight);
  }
  v.cov_is_factor.resize(c.covariates.size());
  for (std::size_t j = 0; j < c.covariates.size(); ++j)
    v.cov_is_factor[j] = !c.covariates[j]->numeric() || c.forced.count(c.covariates[j]->name) > 0;
  check_covariates(t, c.covariates, v.cov_is_factor);
  return v;
}

// A decoded indicator on the kept rows: the vector itself when every row is kept.
std::vector<std::uint8_t> kept_indicator(const ModelFrame& mf, std::size_t nrows, std::vector<std::uint8_t>& v) {
  if (mf.n == nrows) return std::move(v);
  std::vector<std::uint8_t> out(mf.n);
  for (std::size_t i = 0; i < mf.n; ++i) out[i] = v[mf.row(i)];
  return out;
}

// A numeric role (time, weights) on the kept rows: the owned column's vector when it can
// be taken, else a copy through the view.  The view is released either way.
std::vector<double> kept_numbers(ColumnHandover& cols, const Column* c, std::optional<NumericView>& view,
                                 const KeptRows& rows) {
  std::vector<double> out;
  if (Column* own = cols.take(c); own != nullptr && own->numeric()) {
    out = std::move(own->values);
  } else {
    out.resize(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) out[i] = (*view)[rows[i]];
  }
  view.reset();
  return out;
}

// Step 4 of build_frame, the survival outcome: time, status and weights.
void frame_survival(const Table& t, const FrameSpec& spec, const FrameColumns& c, CheckedValues& v,
                    ColumnHandover& cols, ModelFrame& mf) {
  const KeptRows rows{&mf};
  if (c.time) {
    mf.surv.time = kept_numbers(cols, c.time, v.time, rows);
    cols.done(c.time);
    if (c.event) {
      mf.surv.status = kept_indicator(mf, t.nrows, v.event);
      const auto events = std::count(mf.surv.status.begin(), mf.surv.status.end(), std::uint8_t{1});
      if (spec.require_events && events == 0)
        throw AnalysisError(t.source + ": event column '" + c.event->column + "'" +
                            (c.event->has_value ? " (event = " + c.event->value + ")" : std::string()) +
                            " has no events among the " + std::to_string(mf.n) +
                            " complete rows; every kept time is censored, so there is nothing to estimate");
    } else {
      mf.surv.status.assign(mf.n, 1);  // Surv(time) without a status: every time is an event
    }
  }
  if (c.weight) {
    // A column given to the frame is checked first, while it still has its text.
    const Column* own = cols.take(c.weight);
    const bool given = own != nullptr && own->numeric();
    if (given) check_weight_ratio(t, *c.weight, rows, own->values);
    mf.surv.weight = kept_numbers(cols, c.weight, v.weight, rows);
    if (!given) check_weight_ratio(t, *c.weight, rows, mf.surv.weight);
    cols.done(c.weight);
  }
}

// Step 4 of build_frame, the factors: group, strata, cluster and extra columns.
void frame_factors(const Table& t, const FrameSpec& spec, const FrameColumns& c, ColumnHandover& cols,
                   ModelFrame& mf) {
  const KeptRows rows{&mf};
  auto view = [&](const Column* col) {
    return factor_view(t, *col, rows, c.reference_of(col->name), cols.codes_of(col));
  };
  if (c.group) {
    mf.group = view(c.group);
    if (spec.require_two_groups && mf.group.levels.size() < 2)
      throw AnalysisError(t.source + ": group column '" + c.group->name + "' has a single level (" +
                          quote(mf.group.levels[0]) + ") among the " + std::to_string(mf.n) +
                          " complete rows; a comparison needs at least two groups");
  }
  cols.done(c.group);
  if (c.strata) mf.strata = view(c.strata);
  cols.done(c.strata);
  if (c.cluster) mf.cluster = view(c.cluster);
  cols.done(c.cluster);
  for (const Column* col : c.extra) {
    mf.extra.push_back(view(col));
    cols.done(col);
  }
}

// Step 4 of build_frame, the design: factor covariates viewed first (each needs at least
// two levels when asked), then every covariate into the design.
void frame_design(const Table& t, const FrameSpec& spec, const FrameColumns& c, const CheckedValues& v,
                  ColumnHandover& cols, ModelFrame& mf) {
  if (c.covariates.empty()) return;
  const KeptRows rows{&mf};
  std::vector<Factor> cov_factor(c.covariates.size());
  for (std::size_t j = 0; j < c.covariates.size(); ++j) {
    const Column& col = *c.covariates[j];
    if (!v.cov_is_factor[j]) continue;
    cov_factor[j] = factor_view(t, col, rows, c.reference_of(col.name), cols.codes_of(&col));
    cols.done(&col);  // the factor view holds what the design needs
    if (spec.require_varying_covariates && cov_factor[j].levels.size() < 2)
      throw AnalysisError(t.source + ": covariate '" + col.name + "' has a single level (every complete row has " +
                          col.name + " = " + cov_factor[j].levels[0] + "); it cannot be estimated");
  }
  mf.design.intercept = spec.intercept_column;
  fill_design(t, c.covariates, v.cov_is_factor, cov_factor, rows, spec.require_varying_covariates,
              [&](const Column* col) { cols.done(col); }, mf.design);
}

ModelFrame build_frame_impl(const Table& t, const FrameSpec& spec, Table* owned) {
  const FrameColumns c = resolve_columns(t, spec);                // 1.
  CheckedValues v = check_values(t, c);                           // 2.
  ModelFrame mf;
  complete_cases(t, c.used, mf);                                  // 3.
  ColumnHandover cols(t, owned, c.used, mf.n == t.nrows);
  if (c.event) cols.done(&t.column(c.event->column));  // the indicators are decoded already
  if (c.outcome) cols.done(&t.column(c.outcome->column));
  frame_survival(t, spec, c, v, cols, mf);                        // 4.
  if (c.outcome) mf.outcome = kept_indicator(mf, t.nrows, v.outcome);
  frame_factors(t, spec, c, cols, mf);
  frame_design(t, spec, c, v, cols, mf);
  return mf;
}

}  // namespace
}  // namespace survkit
