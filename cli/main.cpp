// survkit command-line tool: a thin layer over the survkit_core library.
// Each command lives in cli/commands/<name>.cpp; errors become exit codes in one
// place, cli/run.cpp.
#include <CLI/CLI.hpp>

#include "commands/commands.hpp"
#include "run.hpp"

int main(int argc, char** argv) {
  CLI::App app{"survkit " SURVKIT_VERSION
               ": survival analysis for clinical studies (Kaplan-Meier, log-rank, Cox, "
               "logistic, cross tables), with numbers identical to R's survival package.",
               "survkit"};
  app.set_version_flag("--version", "survkit " SURVKIT_VERSION);
  app.require_subcommand(1);
  app.fallthrough();

  survkit::cli::Action action;
  survkit::cli::add_all_commands(app, action);

  return survkit::cli::run_guarded(app, argc, argv, action);
}
