#include "run.hpp"

#include <fmt/core.h>

#include <cstdio>
#include <exception>

#include "survkit/common.hpp"
#include "survkit/io.hpp"

namespace survkit::cli {

int run_guarded(CLI::App& app, int argc, char** argv, Action& action) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version are "errors" with exit code 0 in CLI11.
    return app.exit(e) == 0 ? kOk : kUsage;
  }
  try {
    if (action) action();
    return kOk;
  } catch (const IoError& e) {
    fmt::print(stderr, "survkit: error: {}\n", e.what());
    return kIo;
  } catch (const InputError& e) {
    fmt::print(stderr, "survkit: error: {}\n", e.what());
    return kInput;
  } catch (const AnalysisError& e) {
    fmt::print(stderr, "survkit: error: {}\n", e.what());
    return kAnalysis;
  } catch (const UsageError& e) {
    fmt::print(stderr, "survkit: error: {}\nRun with --help for usage.\n", e.what());
    return kUsage;
  } catch (const std::exception& e) {
    fmt::print(stderr, "survkit: internal error: {}\nThis is a bug in survkit; please report it.\n",
               e.what());
    return kInternal;
  }
}

}  // namespace survkit::cli
