// survkit crosstab: a two-way table with Pearson's chi-square (no continuity correction,
// as SPSS reports it) and Fisher's exact test (R: chisq.test(correct = FALSE), fisher.test).
#include <fmt/core.h>

#include <memory>

#include "commands/commands.hpp"
#include "commands/parse.hpp"
#include "output.hpp"
#include "survkit/crosstab.hpp"
#include "survkit/frame.hpp"

namespace survkit::cli {

namespace {

struct CrosstabArgs {
  DataArgs data;
  std::string rows, cols;
};

Json crosstab_json(const CrosstabResult& r, const ModelFrame& frame) {
  return Json{{"analysis", "crosstab"}, {"n", frame.n}, {"dropped", json_dropped(frame.dropped)},
              {"rows", r.rows}, {"cols", r.cols}, {"counts", r.counts},
              {"chisq", json_test(r.chisq)}, {"min_expected", json_number(r.min_expected)},
              {"fisher", {{"p", json_number(r.fisher_p)}}}, {"warnings", r.warnings}};
}

std::string crosstab_text(const CrosstabResult& r, const ModelFrame& frame, const CrosstabArgs& a) {
  std::string out = fmt::format("Cross table  ({}; rows: {}, columns: {})\n", a.data.path, a.rows,
                                a.cols);
  if (auto note = dropped_note(frame.dropped); !note.empty()) out += note + "\n";
  std::vector<std::string> header{a.rows + " \\ " + a.cols};
  for (const auto& c : r.cols) header.push_back(c);
  header.emplace_back("total");
  TextTable t(header);
  std::vector<double> col_total(r.cols.size(), 0.0);
  double total = 0;
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    std::vector<std::string> row{r.rows[i]};
    double row_total = 0;
    for (std::size_t j = 0; j < r.cols.size(); ++j) {
      row.push_back(format_sig(r.counts[i][j], 12));
      row_total += r.counts[i][j];
      col_total[j] += r.counts[i][j];
    }
    row.push_back(format_sig(row_total, 12));
    total += row_total;
    t.add_row(row);
  }
  std::vector<std::string> last{"total"};
  for (double c : col_total) last.push_back(format_sig(c, 12));
  last.push_back(format_sig(total, 12));
  t.add_row(last);
  out += "\n" + t.render() + "\n";
  out += fmt::format("Pearson chi-square = {} on {} df, {}  (no continuity correction)\n",
                     format_sig(r.chisq.stat, 6), format_sig(r.chisq.df, 3), p_clause(r.chisq.p));
  out += fmt::format("Fisher's exact test: {}\n", p_clause(r.fisher_p));
  out += fmt::format("Smallest expected count: {}\n", format_sig(r.min_expected, 4));
  for (const auto& w : r.warnings) out += "Warning: " + w + "\n";
  return out;
}

// A cross table needs two levels with data in each variable: name the column that has
// fewer (and its level), instead of the core's anonymous "at least 2 row levels".
void check_two_levels(const Factor& f, const std::string& column, const char* option, const std::string& path) {
  std::vector<bool> present(f.levels.size(), false);
  for (auto c : f.code)
    if (c >= 0) present[static_cast<std::size_t>(c)] = true;
  std::vector<std::string> seen;
  for (std::size_t l = 0; l < present.size(); ++l)
    if (present[l]) seen.push_back("'" + f.levels[l] + "'");
  if (seen.size() >= 2) return;
  throw AnalysisError(fmt::format("{}: column '{}' ({}) has {} among the rows analysed; a cross table needs at "
                                  "least 2 levels in each variable",
                                  path, column, option,
                                  seen.empty() ? std::string("no value") : "a single level, " + seen.front()));
}

}  // namespace

void add_crosstab_command(CLI::App& app, Action& action) {
  auto args = std::make_shared<CrosstabArgs>();
  CLI::App* cmd = app.add_subcommand(
      "crosstab", "Counts, Pearson chi-square and Fisher's exact test (R: chisq.test, fisher.test)");
  add_data_args(cmd, args->data);
  cmd->add_option("--rows", args->rows, "Row variable")->required();
  cmd->add_option("--cols", args->cols, "Column variable")->required();
  cmd->callback([args, &action] {
    action = [args] {
      const CrosstabArgs& a = *args;
      FrameSpec spec;
      spec.extra = {a.rows, a.cols};
      spec.require_events = false;
      spec.require_two_groups = false;
      const ModelFrame frame = load_frame(a.data, spec);
      check_two_levels(frame.extra[0], a.rows, "--rows", a.data.path);
      check_two_levels(frame.extra[1], a.cols, "--cols", a.data.path);
      const CrosstabResult r = fit_crosstab(frame.extra[0], frame.extra[1], {});
      emit(a.data.json ? crosstab_json(r, frame).dump(2) + "\n" : crosstab_text(r, frame, a));
    };
  });
}

}  // namespace survkit::cli
