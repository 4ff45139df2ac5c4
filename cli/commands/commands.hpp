// Registration of every survkit command, and what the commands share.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "run.hpp"
#include "survkit/frame_spec.hpp"
#include "survkit/table.hpp"

namespace survkit {
struct ModelFrame;  // survkit/frame.hpp (with Eigen): only the commands that fit a model include it
}  // namespace survkit

namespace survkit::cli {

/// Adds every command (km, logrank, cox, logistic, crosstab, ...) to `app`.  The
/// chosen command's callback stores its work in `action`.
void add_all_commands(CLI::App& app, Action& action);

void add_km_command(CLI::App& app, Action& action);
void add_logrank_command(CLI::App& app, Action& action);
void add_cox_command(CLI::App& app, Action& action);
void add_logistic_command(CLI::App& app, Action& action);
void add_crosstab_command(CLI::App& app, Action& action);
void add_match_command(CLI::App& app, Action& action);
void add_study_command(CLI::App& app, Action& action);
void add_demo_command(CLI::App& app, Action& action);
void add_init_command(CLI::App& app, Action& action);
void add_check_paper_command(CLI::App& app, Action& action);

/// Arguments every data command takes: the data file, --sheet, --factor and --json.
struct DataArgs {
  std::string path;
  std::string sheet;                 ///< --sheet (an .xlsx workbook's sheet; empty = the first)
  std::vector<std::string> factors;  ///< "COL" or "COL:ref=LEVEL"
  bool json = false;
};

/// Adds DATA, --sheet, --factor and --json to `cmd`, bound to `args`.
void add_data_args(CLI::App* cmd, DataArgs& args);

/// Adds the required --time and --event options of the survival commands.
void add_surv_args(CLI::App* cmd, std::string& time, std::string& event);

/// Reads DATA (any format load_data reads; --sheet for a workbook) with the --factor
/// columns forced categorical; fills `factor_specs` with
/// the parsed --factor specifications (for FrameSpec::factors).
Table load_data_table(const DataArgs& args, std::vector<FactorSpec>& factor_specs);

/// Loads DATA (with the --factor columns forced categorical) and builds the model frame
/// that `spec` asks for (spec.factors is filled from --factor).  The table is released
/// before returning: only the frame's columns stay in memory.
ModelFrame load_frame(const DataArgs& args, FrameSpec spec);

/// Splits "a,b,c" (also accepts repeated options already split by CLI11).
std::vector<std::string> split_list(const std::vector<std::string>& items);

/// split_list() of an option that needs at least one name: UsageError "OPTION: name at
/// least one column" when it holds none (e.g. --covariates '').
std::vector<std::string> required_list(const std::vector<std::string>& items, const char* option);

/// Writes the rendered output to stdout.
void emit(const std::string& text);

}  // namespace survkit::cli
