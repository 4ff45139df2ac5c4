// One name table per option enum: the spelling of each value in study specs, on the
// command line and in the JSON output, in the order the values are listed in messages.
// Every parser and printer of an option goes through these tables:
//   to_name(Ties::Breslow)                   -> "breslow"
//   from_name<Ties>("efron")                 -> Ties::Efron (std::nullopt if unknown)
//   enum_names<Ties>()                       -> {"efron", "breslow"} (e.g. for CLI11's IsMember)
//   allowed_names<Ties>(NameList::Quoted)    -> "\"efron\" or \"breslow\""
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "survkit/enums.hpp"
#include "survkit/format.hpp"

namespace survkit {

/// One accepted spelling.  `note` explains the value in spec error messages
/// ("\"auto\" (chi-square, Fisher when an expected count < 5)").
template <class E>
struct EnumName {
  E value;
  std::string_view name;
  std::string_view note = {};
};

/// EnumNames<E>::table lists every value of E once, in message order.
template <class E>
struct EnumNames;

template <>
struct EnumNames<Ties> {
  static constexpr EnumName<Ties> table[] = {{Ties::Efron, "efron"}, {Ties::Breslow, "breslow"}};
};

template <>
struct EnumNames<ConfType> {
  static constexpr EnumName<ConfType> table[] = {
      {ConfType::Log, "log"}, {ConfType::LogLog, "log-log"}, {ConfType::Plain, "plain"}};
};

template <>
struct EnumNames<MatchOrder> {
  static constexpr EnumName<MatchOrder> table[] = {{MatchOrder::largest, "largest"},
                                                   {MatchOrder::smallest, "smallest"},
                                                   {MatchOrder::data, "data"},
                                                   {MatchOrder::random, "random"}};
};

template <>
struct EnumNames<MatchDiscard> {
  static constexpr EnumName<MatchDiscard> table[] = {{MatchDiscard::none, "none"},
                                                     {MatchDiscard::treated, "treated"},
                                                     {MatchDiscard::control, "control"},
                                                     {MatchDiscard::both, "both"}};
};

template <>
struct EnumNames<Distance> {
  static constexpr EnumName<Distance> table[] = {{Distance::Logit, "logit"}, {Distance::Ps, "ps"}};
};

template <>
struct EnumNames<CaliperScale> {
  static constexpr EnumName<CaliperScale> table[] = {{CaliperScale::Sd, "sd"},
                                                     {CaliperScale::Distance, "distance"}};
};

template <>
struct EnumNames<ZphTransform> {
  static constexpr EnumName<ZphTransform> table[] = {{ZphTransform::KM, "km"},
                                                     {ZphTransform::Rank, "rank"},
                                                     {ZphTransform::Identity, "identity"},
                                                     {ZphTransform::Log, "log"}};
};

template <>
struct EnumNames<TimeUnit> {
  static constexpr EnumName<TimeUnit> table[] = {
      {TimeUnit::Days, "days"}, {TimeUnit::Months, "months"}, {TimeUnit::Years, "years"}};
};

template <>
struct EnumNames<Table1Test> {
  static constexpr EnumName<Table1Test> table[] = {
      {Table1Test::Auto, "auto", "chi-square, Fisher when an expected count < 5"},
      {Table1Test::ChiSquare, "chisq"},
      {Table1Test::Fisher, "fisher"}};
};

/// The name of `value` ("" for a value outside the enum).
template <class E>
constexpr std::string_view to_name(E value) {
  for (const auto& e : EnumNames<E>::table)
    if (e.value == value) return e.name;
  return {};
}

/// The value spelled `name` (exact, case-sensitive match), or std::nullopt.
template <class E>
constexpr std::optional<E> from_name(std::string_view name) {
  for (const auto& e : EnumNames<E>::table)
    if (e.name == name) return e.value;
  return std::nullopt;
}

/// Every name, in message order.
template <class E>
std::vector<std::string> enum_names() {
  std::vector<std::string> out;
  for (const auto& e : EnumNames<E>::table) out.emplace_back(e.name);
  return out;
}

/// How allowed_names() writes the list.
enum class NameList {
  Plain,   ///< log, log-log or plain            (command-line messages)
  Quoted,  ///< "log", "log-log" or "plain", with each value's note in parentheses (spec messages)
};

/// The accepted names for an error message: "efron or breslow".
template <class E>
std::string allowed_names(NameList style) {
  std::vector<std::string> items;
  for (const auto& e : EnumNames<E>::table) {
    if (style == NameList::Plain) {
      items.emplace_back(e.name);
      continue;
    }
    std::string item = "\"" + std::string(e.name) + "\"";
    if (!e.note.empty()) item += " (" + std::string(e.note) + ")";
    items.push_back(std::move(item));
  }
  return join(items, {.last = " or "});
}

}  // namespace survkit
