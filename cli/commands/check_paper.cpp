// survkit check-paper PUBLISHED.toml [--json] [--all]: the internal consistency of a
// paper's published numbers, recomputed without patient data (survkit/paper_check.hpp;
// the file format is docs/published-values.md).
#include <fmt/core.h>

#include <memory>

#include "commands/commands.hpp"
#include "survkit/enum_names.hpp"
#include "survkit/io.hpp"
#include "survkit/paper_check.hpp"
#include "survkit/render.hpp"
#include "survkit/study.hpp"

namespace survkit::cli {

namespace {

struct CheckPaperArgs {
  std::string path;
  bool json = false;
  bool all = false;
};

std::string check_text(const PaperCheck& c) {
  std::string out = fmt::format("[{}] {}: {}\n", to_name(c.verdict), c.subject, c.finding);
  for (const auto& i : c.inputs)
    out += fmt::format("      {:<16} {:<12} {}\n", i.label, i.value, i.where);
  if (!c.recomputed.empty()) out += fmt::format("      recomputed       {}\n", c.recomputed);
  return out;
}

std::string report_text(const PaperCheckReport& rep, bool all) {
  std::string out = fmt::format("Consistency of the published numbers in {}\n", rep.source_name);
  out += fmt::format("{} checks: {} consistent, {} inconsistent, {} cannot be checked\n", rep.checks.size(),
                     rep.consistent, rep.inconsistent, rep.cannot_check);
  if (!all) out += "(the inconsistent and uncheckable checks with their inputs; --all lists every check)\n";
  PaperCheckKind kind = PaperCheckKind::Readable;
  bool first = true;
  for (const PaperCheck& c : rep.checks) {
    if (first || c.kind != kind) {
      std::size_t n = 0, bad = 0, unknown = 0;
      for (const PaperCheck& d : rep.checks)
        if (d.kind == c.kind) ++n, bad += d.verdict == Verdict::Inconsistent, unknown += d.verdict == Verdict::CannotCheck;
      out += fmt::format("\n{}: {} checks, {} consistent, {} inconsistent{}\n", to_name(c.kind), n, n - bad - unknown, bad,
                         unknown ? fmt::format(", {} cannot be checked", unknown) : std::string());
      kind = c.kind;
      first = false;
    }
    if (!all && c.verdict == Verdict::Consistent) continue;
    out += "  " + check_text(c);
  }
  return out;
}

}  // namespace

void add_check_paper_command(CLI::App& app, Action& action) {
  auto args = std::make_shared<CheckPaperArgs>();
  CLI::App* cmd = app.add_subcommand(
      "check-paper", "Internal consistency of a paper's published numbers (P from HR and CI, P from counts, "
                     "sums, percentages, medians vs rates), without patient data");
  cmd->add_option("PUBLISHED", args->path, "Published values (TOML; see docs/published-values.md)")->required();
  cmd->add_flag("--json", args->json, "JSON output");
  cmd->add_flag("--all", args->all, "Show the inputs and recomputed value of every check, not only the failing ones");
  cmd->callback([args, &action] {
    action = [args] {
      const PublishedSet set = parse_published(read_file(args->path), args->path);
      if (set.empty()) throw InputError(args->path + ": no [[published]] values", args->path);
      const PaperCheckReport rep = check_paper(set);
      emit(args->json ? render::paper_checks_json(rep).dump(2) + "\n" : report_text(rep, args->all));
    };
  });
}

}  // namespace survkit::cli
