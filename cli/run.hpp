// The one place where exceptions become exit codes.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <stdexcept>

namespace survkit::cli {

/// A command line that parses but does not make sense (exit code 2).
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The work a parsed command line asks for.  A command's callback fills it.
using Action = std::function<void()>;

/// Exit codes (documented in the README):
///   0 success; 1 analysis impossible (AnalysisError: no events, one group, ...);
///   2 bad command line (usage); 3 bad input data (InputError: file, line, column);
///   4 cannot read or write a file; 70 internal error (a bug: please report it).
enum ExitCode : int { kOk = 0, kAnalysis = 1, kUsage = 2, kInput = 3, kIo = 4, kInternal = 70 };

/// Parses argv into `app`, runs `action`, and turns every exception into a message on
/// stderr and an exit code.
int run_guarded(CLI::App& app, int argc, char** argv, Action& action);

}  // namespace survkit::cli
