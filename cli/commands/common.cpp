#include <fmt/core.h>

#include <cstdio>

#include "commands/commands.hpp"
#include "survkit/frame.hpp"
#include "survkit/io.hpp"

namespace survkit::cli {

void add_all_commands(CLI::App& app, Action& action) {
  add_km_command(app, action);
  add_logrank_command(app, action);
  add_cox_command(app, action);
  add_logistic_command(app, action);
  add_crosstab_command(app, action);
  add_match_command(app, action);
  add_study_command(app, action);
  add_demo_command(app, action);
  add_init_command(app, action);
  add_check_paper_command(app, action);
}

void add_data_args(CLI::App* cmd, DataArgs& args) {
  cmd->add_option("DATA", args.path,
                  "Data file: CSV (comma, semicolon or tab separated, with a header row), SPSS (.sav, .zsav, "
                  ".por), Stata (.dta), SAS (.sas7bdat, .xpt) or Excel (.xlsx); the format is chosen by extension")
      ->required();
  cmd->add_option("--sheet", args.sheet, "The sheet of an .xlsx workbook to read (default: the first)")
      ->type_name("NAME");
  cmd->add_option("--factor", args.factors,
                  "Treat COL as categorical; COL:ref=LEVEL also sets its reference level "
                  "(repeatable)")
      ->type_name("COL[:ref=LEVEL]");
  cmd->add_flag("--json", args.json, "Write a JSON document instead of text");
}

void add_surv_args(CLI::App* cmd, std::string& time, std::string& event) {
  cmd->add_option("--time", time, "Follow-up time column")->required();
  cmd->add_option("--event", event, "Event column (0/1, 1/2, TRUE/FALSE) or COL=VALUE")->required();
}

Table load_data_table(const DataArgs& args, std::vector<FactorSpec>& factor_specs) {
  factor_specs.clear();
  std::vector<std::string> columns;
  for (const auto& f : split_list(args.factors)) {
    factor_specs.push_back(FactorSpec::parse(f));
    columns.push_back(factor_specs.back().column);
  }
  return load_data(args.path, LoadOptions{.factor_columns = columns, .sheet = args.sheet});
}

ModelFrame load_frame(const DataArgs& args, FrameSpec spec) {
  Table table = load_data_table(args, spec.factors);
  // The table is handed over: build_frame frees its columns as it copies them.
  return build_frame(std::move(table), spec);
}

std::vector<std::string> split_list(const std::vector<std::string>& items) {
  std::vector<std::string> out;
  for (const auto& item : items) {
    std::size_t start = 0;
    while (start <= item.size()) {
      std::size_t comma = item.find(',', start);
      if (comma == std::string::npos) comma = item.size();
      std::string part = item.substr(start, comma - start);
      const auto b = part.find_first_not_of(" \t");
      const auto e = part.find_last_not_of(" \t");
      if (b != std::string::npos) out.push_back(part.substr(b, e - b + 1));
      start = comma + 1;
    }
  }
  return out;
}

std::vector<std::string> required_list(const std::vector<std::string>& items, const char* option) {
  std::vector<std::string> out = split_list(items);
  if (out.empty()) throw UsageError(fmt::format("{}: name at least one column (A,B,...)", option));
  return out;
}

void emit(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  if (std::fflush(stdout) != 0) throw IoError("cannot write to standard output");
}

}  // namespace survkit::cli
