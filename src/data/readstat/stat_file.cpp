// read_stat_file: ReadStat's callbacks fill one vector per variable; the columns are
// built when the whole file is read (value labels arrive in any order relative to the
// data in some formats, so labels are applied at the end).
#include "data/readstat/stat_file.hpp"

#include <readstat.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "data/levels.hpp"
#include "data/number.hpp"
#include "survkit/io.hpp"

namespace survkit::data {

namespace {

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();
// Days from the formats' epochs to 1970-01-01.
constexpr double kDays1960 = 3653.0;     // 1960-01-01 (Stata, SAS)
constexpr double kDays1582 = 141428.0;   // 1582-10-14 (SPSS, seconds since then)

// How a numeric variable's display format stores a date.
enum class DateKind { None, Days1960, Millis1960, Seconds1960, Seconds1582 };

const char* format_name(StatFormat f) {
  switch (f) {
    case StatFormat::Sav: return "SPSS .sav";
    case StatFormat::Por: return "SPSS portable (.por)";
    case StatFormat::Dta: return "Stata .dta";
    case StatFormat::Sas7bdat: return "SAS .sas7bdat";
    case StatFormat::Xport: return "SAS transport (.xpt)";
  }
  return "";
}

// The letters of a display format, upper-cased, without width, decimals or the SAS dot
// ("DATETIME20" -> "DATETIME", "date9." -> "DATE").
std::string format_letters(std::string_view f) {
  std::string out;
  for (char c : f) {
    if (!std::isalpha(static_cast<unsigned char>(c))) break;
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

// The date rules of haven (R) for each vendor's display formats.
DateKind date_kind(StatFormat format, const char* display) {
  if (display == nullptr || *display == '\0') return DateKind::None;
  const std::string_view f(display);
  if (format == StatFormat::Dta) {
    if (f.starts_with("%tc") || f.starts_with("%tC")) return DateKind::Millis1960;
    if (f.starts_with("%td") || f.starts_with("%d")) return DateKind::Days1960;
    return DateKind::None;
  }
  const std::string name = format_letters(f);
  if (format == StatFormat::Sav || format == StatFormat::Por) {
    static const std::unordered_set<std::string> kDates = {"DATE", "ADATE", "EDATE", "JDATE", "SDATE",
                                                           "MOYR", "QYR", "WKYR"};
    if (name == "DATETIME" || name == "YMDHMS") return DateKind::Seconds1582;
    return kDates.count(name) ? DateKind::Seconds1582 : DateKind::None;
  }
  static const std::unordered_set<std::string> kSasDates = {
      "DATE", "DAY", "DDMMYY", "DDMMYYB", "DDMMYYC", "DDMMYYD", "DDMMYYN", "DDMMYYP", "DDMMYYS", "MMDDYY",
      "MMDDYYB", "MMDDYYC", "MMDDYYD", "MMDDYYN", "MMDDYYP", "MMDDYYS", "YYMMDD", "YYMMDDB", "YYMMDDC",
      "YYMMDDD", "YYMMDDN", "YYMMDDP", "YYMMDDS", "E", "B", "IS", "JULIAN", "MONYY", "WEEKDATE", "WEEKDATX",
      "WORDDATE", "WORDDATX", "YYMON", "NLDATE", "MINGUO", "EURDFDE", "DOWNAME", "MONNAME", "QTR", "YEAR",
      "YYQ", "DTDATE"};
  static const std::unordered_set<std::string> kSasDatetimes = {"DATETIME", "DATEAMPM", "NLDATM", "MDYAMPM"};
  if (name == "E" || name == "B" || name == "IS") {  // E8601DA, B8601DT, IS8601DA, ...
    if (f.find("DT") != std::string_view::npos || f.find("dt") != std::string_view::npos)
      return DateKind::Seconds1960;
    if (f.find("DA") != std::string_view::npos || f.find("da") != std::string_view::npos) return DateKind::Days1960;
    return DateKind::None;
  }
  if (kSasDatetimes.count(name)) return DateKind::Seconds1960;
  return kSasDates.count(name) ? DateKind::Days1960 : DateKind::None;
}

// Calendar days since 1970-01-01 of a stored date value (a datetime keeps its day).
double to_days(DateKind kind, double v) {
  switch (kind) {
    case DateKind::None: return v;
    case DateKind::Days1960: return std::floor(v) - kDays1960;
    case DateKind::Millis1960: return std::floor(v / 86400000.0) - kDays1960;
    case DateKind::Seconds1960: return std::floor(v / 86400.0) - kDays1960;
    case DateKind::Seconds1582: return std::floor(v / 86400.0) - kDays1582;
  }
  return v;
}

struct Variable {
  std::string name, label, label_set;
  bool text = false;
  DateKind date = DateKind::None;
};

struct ReadState {
  StatFormat format;
  std::vector<Variable> vars;
  std::vector<std::vector<double>> values;       // numeric variables
  std::vector<std::vector<std::int32_t>> codes;  // string variables
  std::vector<LevelDictionary> dicts;
  std::map<std::string, std::vector<std::pair<double, std::string>>> number_labels;
  std::map<std::string, std::unordered_map<std::string, std::string>> text_labels;
  std::int64_t row_count = -1;
  std::int64_t rows_seen = 0;
  std::string messages;
};

int on_metadata(readstat_metadata_t* metadata, void* ctx) {
  auto& s = *static_cast<ReadState*>(ctx);
  s.row_count = readstat_get_row_count(metadata);
  return READSTAT_HANDLER_OK;
}

int on_variable(int index, readstat_variable_t* variable, const char* val_labels, void* ctx) {
  auto& s = *static_cast<ReadState*>(ctx);
  const auto i = static_cast<std::size_t>(index);
  s.vars.resize(std::max(s.vars.size(), i + 1));
  s.values.resize(s.vars.size());
  s.codes.resize(s.vars.size());
  s.dicts.resize(s.vars.size());
  Variable& v = s.vars[i];
  v.name = readstat_variable_get_name(variable);
  if (const char* label = readstat_variable_get_label(variable)) v.label = label;
  if (val_labels) v.label_set = val_labels;
  v.text = readstat_variable_get_type_class(variable) == READSTAT_TYPE_CLASS_STRING;
  if (!v.text) v.date = date_kind(s.format, readstat_variable_get_format(variable));
  const std::size_t reserve = s.row_count > 0 ? static_cast<std::size_t>(s.row_count) : 0;
  if (v.text) s.codes[i].reserve(reserve);
  else s.values[i].reserve(reserve);
  return READSTAT_HANDLER_OK;
}

int on_value(int obs_index, readstat_variable_t* variable, readstat_value_t value, void* ctx) {
  auto& s = *static_cast<ReadState*>(ctx);
  const auto i = static_cast<std::size_t>(readstat_variable_get_index(variable));
  if (i >= s.vars.size()) return READSTAT_HANDLER_ABORT;
  s.rows_seen = std::max<std::int64_t>(s.rows_seen, obs_index + 1);
  const bool missing = readstat_value_is_missing(value, variable) != 0;
  if (s.vars[i].text) {
    const char* text = missing ? nullptr : readstat_string_value(value);
    s.codes[i].push_back(text == nullptr || *text == '\0' ? -1 : s.dicts[i].intern(text));
  } else {
    s.values[i].push_back(missing ? kMissing : readstat_double_value(value));
  }
  return READSTAT_HANDLER_OK;
}

int on_value_label(const char* val_labels, readstat_value_t value, const char* label, void* ctx) {
  auto& s = *static_cast<ReadState*>(ctx);
  if (val_labels == nullptr || label == nullptr) return READSTAT_HANDLER_OK;
  if (readstat_value_type_class(value) == READSTAT_TYPE_CLASS_STRING) {
    if (const char* key = readstat_string_value(value)) s.text_labels[val_labels][key] = label;
  } else if (!readstat_value_is_tagged_missing(value) && !readstat_value_is_system_missing(value)) {
    s.number_labels[val_labels].emplace_back(readstat_double_value(value), label);
  }
  return READSTAT_HANDLER_OK;
}

void on_error(const char* message, void* ctx) {
  auto& s = *static_cast<ReadState*>(ctx);
  if (message == nullptr) return;
  std::string m(message);
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  if (m.empty()) return;
  if (!s.messages.empty()) s.messages += "; ";
  s.messages += m;
}

// A labelled numeric variable: one level per distinct value present (missing values
// excluded), in the order of the values; the label where there is one.
Column labelled_column(Variable& v, std::vector<double>& values,
                       const std::vector<std::pair<double, std::string>>& labels) {
  Column c;
  c.name = v.name;
  c.label = v.label;
  c.kind = ColumnKind::Categorical;
  std::vector<double> distinct;
  {
    std::unordered_set<double> seen;
    for (double x : values)
      if (!std::isnan(x) && seen.insert(x).second) distinct.push_back(x);
  }
  std::sort(distinct.begin(), distinct.end());
  std::unordered_map<double, std::int32_t> index;
  std::unordered_map<double, std::string> label_of;
  for (const auto& [code, text] : labels) label_of.emplace(code, text);
  std::unordered_set<std::string> used;
  for (std::size_t k = 0; k < distinct.size(); ++k) {
    index.emplace(distinct[k], static_cast<std::int32_t>(k));
    const std::string code = format_number(distinct[k]);
    auto it = label_of.find(distinct[k]);
    std::string text = it == label_of.end() || it->second.empty() ? code : it->second;
    // Two codes with the same label stay two levels: the later one names its code.
    if (!used.insert(text).second) {
      text += " (" + code + ")";
      used.insert(text);
    }
    c.levels.push_back(std::move(text));
    c.level_codes.push_back(code);
  }
  c.codes.resize(values.size());
  for (std::size_t r = 0; r < values.size(); ++r)
    c.codes[r] = std::isnan(values[r]) ? -1 : index.at(values[r]);
  std::vector<double>().swap(values);
  return c;
}

// True when a label names a value present in the data: a variable whose labels name only
// missing codes (999 = "refused") or absent values stays numeric.
bool labels_a_value(const std::vector<double>& values, const std::vector<std::pair<double, std::string>>& labels) {
  std::unordered_set<double> labelled;
  for (const auto& [code, text] : labels) labelled.insert(code);
  for (double x : values)
    if (!std::isnan(x) && labelled.count(x)) return true;
  return false;
}

Column text_column(Variable& v, std::vector<std::int32_t>& codes, LevelDictionary& dict,
                   const std::unordered_map<std::string, std::string>* labels) {
  Column c;
  c.name = v.name;
  c.label = v.label;
  c.kind = ColumnKind::Categorical;
  c.levels = dict.take_levels();
  order_levels(c.levels, codes);
  c.codes = std::move(codes);
  if (labels != nullptr && !labels->empty()) {
    c.level_codes = c.levels;
    for (auto& level : c.levels)
      if (auto it = labels->find(level); it != labels->end() && !it->second.empty()) level = it->second;
  }
  return c;
}

Table build_table(ReadState& s, const std::string& path) {
  Table t;
  t.source = path;
  t.nrows = static_cast<std::size_t>(s.rows_seen);
  for (std::size_t i = 0; i < s.vars.size(); ++i) {
    Variable& v = s.vars[i];
    const std::size_t n = v.text ? s.codes[i].size() : s.values[i].size();
    if (n != t.nrows)
      throw InputError(path + ": variable '" + v.name + "' has " + std::to_string(n) + " values for " +
                           std::to_string(t.nrows) + " rows (the file is damaged)",
                       path, 0, v.name);
    if (v.text) {
      auto it = s.text_labels.find(v.label_set);
      t.columns.push_back(text_column(v, s.codes[i], s.dicts[i], it == s.text_labels.end() ? nullptr : &it->second));
      continue;
    }
    auto it = s.number_labels.find(v.label_set);
    if (!v.label_set.empty() && it != s.number_labels.end() && v.date == DateKind::None &&
        labels_a_value(s.values[i], it->second)) {
      t.columns.push_back(labelled_column(v, s.values[i], it->second));
      continue;
    }
    Column c;
    c.name = v.name;
    c.label = v.label;
    c.values = std::move(s.values[i]);
    if (v.date != DateKind::None) {
      c.date = true;
      for (double& x : c.values)
        if (!std::isnan(x)) x = to_days(v.date, x);
    }
    t.columns.push_back(std::move(c));
  }
  return t;
}

}  // namespace

Table read_stat_file(const std::string& path, StatFormat format) {
  ReadState s;
  s.format = format;
  std::unique_ptr<readstat_parser_t, void (*)(readstat_parser_t*)> parser(readstat_parser_init(),
                                                                          readstat_parser_free);
  if (!parser) throw IoError(path + ": out of memory starting the reader");
  readstat_set_metadata_handler(parser.get(), on_metadata);
  readstat_set_variable_handler(parser.get(), on_variable);
  readstat_set_value_handler(parser.get(), on_value);
  readstat_set_value_label_handler(parser.get(), on_value_label);
  readstat_set_error_handler(parser.get(), on_error);
  readstat_error_t err = READSTAT_OK;
  switch (format) {
    case StatFormat::Sav: err = readstat_parse_sav(parser.get(), path.c_str(), &s); break;
    case StatFormat::Por: err = readstat_parse_por(parser.get(), path.c_str(), &s); break;
    case StatFormat::Dta: err = readstat_parse_dta(parser.get(), path.c_str(), &s); break;
    case StatFormat::Sas7bdat: err = readstat_parse_sas7bdat(parser.get(), path.c_str(), &s); break;
    case StatFormat::Xport: err = readstat_parse_xport(parser.get(), path.c_str(), &s); break;
  }
  if (err == READSTAT_ERROR_OPEN) throw IoError("cannot open '" + path + "'");
  if (err != READSTAT_OK) {
    std::string what = readstat_error_message(err);
    if (!s.messages.empty()) what += " (" + s.messages + ")";
    const std::string place = " (stopped after reading " + std::to_string(s.rows_seen) + " data rows)";
    if (err == READSTAT_ERROR_UNSUPPORTED_FILE_FORMAT_VERSION || err == READSTAT_ERROR_UNSUPPORTED_COMPRESSION ||
        err == READSTAT_ERROR_UNSUPPORTED_CHARSET)
      throw InputError(path + ": an unsupported " + std::string(format_name(format)) + " file" + place + ": " + what,
                       path);
    throw InputError(path + ": not a readable " + std::string(format_name(format)) + " file" + place + ": " + what +
                         " (the file is damaged, or is not what its extension says)",
                     path);
  }
  return build_table(s, path);
}

}  // namespace survkit::data
