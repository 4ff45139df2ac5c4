// Internal (study): what `survkit init` reads into each column of a data set, and the
// roles it proposes (dates, endpoints, group).  Pure functions of the table.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "survkit/table.hpp"

namespace survkit::study::draft {

enum class Kind { Empty, Date, Binary01, Numeric, Categorical, Identifier, FreeText };

/// One column as read.
struct Profile {
  const Column* column = nullptr;
  Kind kind = Kind::Empty;
  std::size_t present = 0;        ///< non-missing values
  std::size_t distinct = 0;       ///< distinct non-missing values
  std::vector<std::string> levels;  ///< categorical / small-integer columns: the values, in order
  // dates
  std::string date_format;        ///< text dates: the first supported format that fits every value;
                                  ///< "" for a typed date column (SPSS, Stata, SAS, Excel)
  std::string also_fits;          ///< another format that fits every value ("" if none)
  std::vector<double> days;       ///< per row: day number, NaN when missing
  double median_day = 0;
  // numbers
  double min = 0, max = 0, median = 0;
  bool integer = false;
};

/// The profile of every column, in table order.
std::vector<Profile> profile_columns(const Table& table);

/// True when the lower-cased `name` contains one of `tokens`.
bool name_has(std::string_view name, std::initializer_list<std::string_view> tokens);

/// An endpoint in the columns form: a numeric time and a 0/1 status column.
struct ColumnsEndpoint {
  const Profile* time = nullptr;
  const Profile* status = nullptr;
  std::string id;            ///< "os", "rfs", ... or "endpoint"
  std::string time_unit;     ///< "days", "months" or "years" (from the time column's name)
  bool unit_guessed = true;  ///< true when the name did not say the unit
};

/// An endpoint in the dates form.
struct DatesEndpoint {
  std::string id;            ///< "os" or "pfs"
  const Profile* start = nullptr;
  std::vector<const Profile*> events;
  const Profile* censor = nullptr;
};

struct Endpoints {
  std::vector<ColumnsEndpoint> columns_form;
  std::vector<DatesEndpoint> dates_form;
  const Profile* birth = nullptr;                 ///< a birth-date column, if any
  std::vector<const Profile*> other_start_dates;  ///< start candidates not chosen
};

/// Time + status pairs (matched by name stem: os_days / os_status), and the date roles:
/// birth, events (death; progression / recurrence / relapse), censoring (last
/// follow-up) and start (the latest-median remaining date, preferring names such as
/// diagnosis, surgery, start, entry, randomisation).
Endpoints find_endpoints(const std::vector<Profile>& profiles);

/// The group: `requested` when given (InputError when it is not a column with 2+
/// levels), else the first two-level column whose name looks like an exposure, else a
/// 3–4-level one, else the first two-level column that has no other role.
const Profile* find_group(const std::vector<Profile>& profiles, const std::string& requested,
                          const std::vector<const Profile*>& taken, const std::string& source);

/// A cut point that leaves patients on both sides: the median, or the largest value
/// below the maximum when the median is the maximum.
double median_cut(const Column& column);

}  // namespace survkit::study::draft
