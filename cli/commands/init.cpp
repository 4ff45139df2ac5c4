// survkit init DATA [--group COL] [--out study.toml] [--force]: drafts a commented study
// spec from the data (survkit/draft_spec.hpp) and prints the edits most likely needed.
#include <fmt/core.h>

#include <filesystem>
#include <memory>

#include "commands/commands.hpp"
#include "survkit/draft_spec.hpp"
#include "survkit/io.hpp"

namespace survkit::cli {
namespace {

struct InitArgs {
  std::string data;
  std::string group;
  std::string sheet;
  std::string out = "study.toml";
  bool force = false;
};

// The data file as the spec names it: relative to the spec's folder.
std::string data_path_from_spec(const std::string& data, const std::string& spec) {
  namespace fs = std::filesystem;
  const fs::path d = fs::absolute(data).lexically_normal();
  const fs::path folder = fs::absolute(spec).lexically_normal().parent_path();
  const fs::path rel = d.lexically_relative(folder);
  return (rel.empty() ? d : rel).generic_string();
}

void run_init(const InitArgs& a) {
  if (!a.force && std::filesystem::exists(std::filesystem::symlink_status(a.out)))
    throw IoError(fmt::format("{} already exists; choose another --out, or add --force to replace it", a.out));
  const Table table = load_data(a.data, LoadOptions{.factor_columns = {}, .sheet = a.sheet});
  DraftOptions options;
  options.data_file = data_path_from_spec(a.data, a.out);
  options.group = a.group;
  options.sheet = a.sheet;
  const DraftedSpec draft = draft_study_spec(table, options);
  write_file_atomic(a.out, draft.toml);

  std::string text = fmt::format("Drafted {} from {} ({} rows, {} columns)\n", a.out, a.data, table.nrows,
                                 table.columns.size());
  text += fmt::format("  Group: {}{}\n", draft.group_column, draft.group_detected ? " (guessed)" : "");
  text += "  Next, edit the spec:\n";
  for (std::size_t i = 0; i < draft.next_edits.size(); ++i) text += fmt::format("    {}. {}\n", i + 1, draft.next_edits[i]);
  text += fmt::format("  Then run: survkit study {} --out report/\n", a.out);
  emit(text);
}

}  // namespace

void add_init_command(CLI::App& app, Action& action) {
  auto args = std::make_shared<InitArgs>();
  CLI::App* cmd = app.add_subcommand(
      "init", "Draft a commented study spec from a data file: column types, dates, endpoints, variables, group");
  cmd->add_option("DATA", args->data,
                  "The patients' data file, one row per patient (CSV, .xlsx, SPSS .sav/.zsav/.por, Stata .dta, "
                  "SAS .sas7bdat/.xpt)")
      ->required();
  cmd->add_option("--sheet", args->sheet, "The sheet of an .xlsx workbook (default: the first)")->type_name("NAME");
  cmd->add_option("--group", args->group, "The exposure column (default: guessed from the data)")->type_name("COL");
  cmd->add_option("--out", args->out, "The spec to write (never replaced without --force)")
      ->type_name("FILE")
      ->capture_default_str();
  cmd->add_flag("--force", args->force, "Replace --out when it exists");
  cmd->callback([args, &action] { action = [args] { run_init(*args); }; });
}

}  // namespace survkit::cli
