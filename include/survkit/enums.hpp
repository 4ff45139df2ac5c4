// survkit public API: small option enums shared by several headers, kept here so that a
// header which only names an option (study.hpp's `ties`) need not include the method's
// whole API (cox.hpp and, through it, Eigen).  No other includes.
#pragma once

namespace survkit {

/// Handling of tied event times (coxph(ties = )).
enum class Ties { Efron, Breslow };

}  // namespace survkit
