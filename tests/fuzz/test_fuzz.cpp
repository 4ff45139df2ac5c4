// Seeded fuzz test of the survkit command line (issue 12 section 7): hundreds of
// generated hostile CSV files, command lines and study specs (tests/fuzz/fuzz_gen.hpp),
// each run through the built binary.  Whatever the input, survkit must
//   - exit with a documented code (README "Exit codes": 0, 1, 2, 3, 4), never 70
//     (an internal error) and never die of a signal or hang;
//   - on an error, write nothing to standard output, say why on standard error, and
//     leave no output file or report folder behind;
//   - (sanitizer builds, scripts/test.sh --sanitize) report no memory error, undefined
//     behaviour or leak.
// Deterministic: case i of a command always gets the same seed.  A failing case keeps its
// files in build/tests/fuzz-work/<command>-<i>/ and prints the command line to rerun.
// SURVKIT_FUZZ_CASES=N (and SURVKIT_FUZZ_FIRST=K) run other cases, for longer searches;
// SURVKIT_FUZZ_NO_AVOID=1 also generates the known bugs parked in fuzz::Avoid (none today);
// SURVKIT_FUZZ_VERBOSE=1 prints each case's exit code and first line of standard error;
// SURVKIT_FUZZ_WRAPPER="/usr/bin/valgrind -q --error-exitcode=86 --leak-check=full" runs each case
// under a checker (a full path; a report must make it exit with a code outside 0-4).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "cli/run_cli.hpp"
#include "fuzz/fuzz_gen.hpp"

namespace fs = std::filesystem;

namespace {

struct CaseFiles {
  std::vector<std::string> args;
  std::vector<fs::path> outputs;  // must not exist after an error
};

std::size_t env_count(const char* name, std::size_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? static_cast<std::size_t>(std::strtoull(v, nullptr, 10)) : fallback;
}

void write(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

bool has(const std::vector<std::string>& args, const std::string& a) {
  for (const auto& x : args)
    if (x == a) return true;
  return false;
}

// Writes the inputs of one case into `dir` and returns its command line.
CaseFiles make_case(const std::string& command, const fs::path& dir, fuzz::Rng& rng,
                    const fuzz::Avoid& avoid) {
  // A third of the cases are valid input, a third mildly and a third fully hostile.
  rng.set_hostility(rng.pick(std::vector<double>{0.0, 0.3, 1.0}));
  fuzz::Cohort cohort = fuzz::make_cohort(rng);
  if (rng.hostile(0.5)) fuzz::mutate_cells(cohort, rng);
  if (rng.hostile(0.35)) fuzz::mutate_structure(cohort, rng);
  std::string csv = fuzz::render_csv(cohort, rng);
  CaseFiles c;
  if (command == "study") {
    write(dir / "study.toml", fuzz::study_spec("data.csv", cohort, avoid, rng));
    c.args = {"study", (dir / "study.toml").string(), "--out", (dir / "report").string()};
    if (rng.chance(0.2)) c.args.push_back("--png-figures");
    c.outputs = {dir / "report"};
  } else {
    c.args = fuzz::command_args(command, (dir / "data.csv").string(), (dir / "matched.csv").string(), rng);
    c.outputs = {dir / "matched.csv"};
    if (rng.hostile(0.03)) c.args[1] = (dir / "missing.csv").string();
    if (rng.hostile(0.02)) c.args[1] = dir.string();  // a folder, not a file
  }
  const bool writes_json = command == "study" || has(c.args, "--json");
  if (avoid.invalid_utf8_in_json && writes_json) csv = fuzz::repair_utf8(csv);
  write(dir / "data.csv", csv);
  return c;
}

// FNV-1a of the command name, then the case index: fixed on every platform.
std::uint64_t case_seed(const std::string& command, std::size_t index) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char ch : command) h = (h ^ ch) * 0x100000001b3ull;
  return h ^ (std::uint64_t{index} * 0x9E3779B97F4A7C15ull);
}

std::string shell_line(const std::vector<std::string>& args) {
  std::string s = SURVKIT_BINARY;
  for (const auto& a : args) {
    std::string q = "'";
    for (char ch : a.substr(0, 200)) q += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    s += " " + q + (a.size() > 200 ? "...(cut)'" : "'");
  }
  return s;
}

// Runs survkit, under SURVKIT_FUZZ_WRAPPER if set (words separated by spaces).
cli_test::CliRun run_survkit(const std::vector<std::string>& args) {
  const char* wrapper = std::getenv("SURVKIT_FUZZ_WRAPPER");
  std::vector<std::string> words = cli_test::split_args(wrapper ? wrapper : "");
  if (words.empty()) return cli_test::run_program(SURVKIT_BINARY, args, 120);
  const std::string program = words.front();
  words.erase(words.begin());
  words.push_back(SURVKIT_BINARY);
  words.insert(words.end(), args.begin(), args.end());
  return cli_test::run_program(program, words, 600);
}

// Runs one case and checks the contract; returns its exit code (-1: killed).
int run_case(const std::string& command, std::size_t index, const fuzz::Avoid& avoid) {
  const fs::path dir = fs::path(SURVKIT_FUZZ_WORK_DIR) / (command + "-" + std::to_string(index));
  fs::remove_all(dir);
  fs::create_directories(dir);
  fuzz::Rng rng(case_seed(command, index));
  const CaseFiles c = make_case(command, dir, rng, avoid);
  const cli_test::CliRun run = run_survkit(c.args);

  const int failures_before = ::testing::UnitTest::GetInstance()->current_test_info()->result()->total_part_count();
  SCOPED_TRACE(command + " case " + std::to_string(index) + " (files kept in " + dir.string() +
               ")\n  " + shell_line(c.args) + "\n  stderr: " + run.err.substr(0, 2000));
  EXPECT_FALSE(run.timed_out) << "no answer in time (hung?)";
  EXPECT_EQ(run.signal, 0) << "killed by signal " << run.signal;
  if (run.signal == 0) {
    EXPECT_NE(run.exit_code, 70) << "internal error";
    EXPECT_TRUE(run.exit_code >= 0 && run.exit_code <= 4) << "undocumented exit code " << run.exit_code;
  }
  for (const char* marker : {"Sanitizer", "runtime error:", "== Invalid ", "== Conditional jump", "definitely lost in"})
    EXPECT_EQ(run.err.find(marker), std::string::npos) << "sanitizer report";
  if (run.exit_code != 0) {
    EXPECT_EQ(run.out, "") << "standard output written before the error";
    EXPECT_NE(run.err, "") << "an error without a message";
    for (const auto& p : c.outputs) EXPECT_FALSE(fs::exists(p)) << p << " left behind after the error";
  }
  const bool failed =
      ::testing::UnitTest::GetInstance()->current_test_info()->result()->total_part_count() != failures_before;
  if (std::getenv("SURVKIT_FUZZ_VERBOSE"))
    std::printf("%s %zu: exit %d: %s\n", command.c_str(), index, run.exit_code,
                run.err.substr(0, run.err.find('\n')).substr(0, 300).c_str());
  if (!failed) fs::remove_all(dir);
  return run.signal ? -1 : run.exit_code;
}

// Runs the cases of one command and prints how they ended (so a generator that only
// ever produces one kind of failure shows).
void fuzz_command(const std::string& command, std::size_t cases) {
  fuzz::Avoid avoid;
  if (std::getenv("SURVKIT_FUZZ_NO_AVOID")) avoid = {false, false};
  const std::size_t first = env_count("SURVKIT_FUZZ_FIRST", 0);
  const std::size_t n = env_count("SURVKIT_FUZZ_CASES", cases);
  std::map<int, int> codes;
  for (std::size_t i = first; i < first + n; ++i) ++codes[run_case(command, i, avoid)];
  std::string summary;
  for (const auto& [code, count] : codes) summary += " exit " + std::to_string(code) + ": " + std::to_string(count) + ";";
  std::printf("%s: %zu cases;%s\n", command.c_str(), n, summary.c_str());
  // The generator must reach the analyses, not only the input checks.
  EXPECT_GT(codes[0], 0) << command << ": no generated case succeeded";
}

}  // namespace

TEST(Fuzz, Km) { fuzz_command("km", 60); }
TEST(Fuzz, Logrank) { fuzz_command("logrank", 50); }
TEST(Fuzz, Cox) { fuzz_command("cox", 60); }
TEST(Fuzz, Logistic) { fuzz_command("logistic", 50); }
TEST(Fuzz, Crosstab) { fuzz_command("crosstab", 50); }
TEST(Fuzz, Match) { fuzz_command("match", 60); }
TEST(Fuzz, Study) { fuzz_command("study", 80); }
