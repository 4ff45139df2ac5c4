// Issue 8 §1: every number report.html prints is in results.json at full precision.
//
// The demo is run end to end.  The test collects every number in the text of
// report.html (tables with their headers and notes, the patient flow, the figure
// captions, Methods and Results) and in the figures' annotations (drawn into the
// figures; their text is in results.json), and finds each one, rounded as printed, among
// the JSON *numbers* of results.json -- never among its strings, which hold the same
// text and would find everything.
//
// Looked up among: table cells (value, lower, upper), the flow, "numbers" (the counts of
// notes and paragraphs, group sizes of the headers, the spec's settings the text
// echoes), the risk tables and the Love plot.  Not among the KM curves: thousands of
// survival values at full precision would round to almost any 3-decimal number and let
// the test pass by chance.
//
// Not checked (removed from the text first), each for a stated reason:
//  * labels written in the spec (table row labels such as "> 60 years old", curve and
//    Love-plot labels, flow criteria such as "... January 2009 to July 2019", the
//    title): they are the spec's text, not results;
//  * table and figure numbers ("Table 3", "Figure 1b") and landmark names ("3-year"):
//    names of report parts (the landmark values themselves are under "numbers");
//  * ISO dates (study_end) and software versions ("survkit 0.1.0", "MatchIt 4.5.1"):
//    text of the spec and of the build;
//  * P below the print threshold ("< 0.001"): a bound, not a value (the P is a cell);
//  * R code quoted in notes ("Surv(time, 1 - status)") and the "1:" of "1:K" matching
//    (K is under "numbers");
//  * the warnings section: the estimators' messages, free text.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "cli/run_cli.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Removes every [open ... close] span (inline SVG, style).
void drop_spans(std::string& s, const std::string& open, const std::string& close) {
  for (std::size_t a; (a = s.find(open)) != std::string::npos;) {
    const std::size_t b = s.find(close, a);
    s.erase(a, b == std::string::npos ? std::string::npos : b + close.size() - a);
  }
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (std::size_t p = 0; (p = s.find(from, p)) != std::string::npos; p += to.size()) s.replace(p, from.size(), to);
}

/// Removes the occurrences of `label` that stand apart (no letter, digit or '.' right
/// before or after it), so that the label "0–1" does not cut into "0.370–1.675".
void drop_label(std::string& s, const std::string& label) {
  auto joins = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '.'; };
  for (std::size_t p = 0; (p = s.find(label, p)) != std::string::npos;) {
    const bool apart = (p == 0 || !joins(s[p - 1])) && (p + label.size() >= s.size() || !joins(s[p + label.size()]));
    if (apart) s.replace(p, label.size(), " ");
    else p += label.size();
  }
}

/// The text of report.html: no SVG, style or tags; entities decoded; the warnings
/// section left out (see the header).
std::string html_text(std::string html) {
  drop_spans(html, "<svg", "</svg>");
  drop_spans(html, "<style", "</style>");
  drop_spans(html, "<section id=\"warnings\"", "</section>");
  std::string out;
  bool tag = false;
  for (char c : html) {
    if (c == '<') tag = true;
    else if (c == '>' && tag) {
      tag = false;
      out += ' ';
    } else if (!tag) out += c;
  }
  for (const auto& [e, c] : std::vector<std::pair<std::string, std::string>>{
           {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&nbsp;", " "}, {"&amp;", "&"}})
    replace_all(out, e, c);
  return out;
}

/// Every JSON number of results.json except the KM curves (see the header).
void collect(const nlohmann::json& j, std::vector<double>& out, const std::string& key = "") {
  if (key == "curves") return;
  if (j.is_number()) out.push_back(j.get<double>());
  else if (j.is_array())
    for (const auto& x : j) collect(x, out);
  else if (j.is_object())
    for (auto it = j.begin(); it != j.end(); ++it) collect(it.value(), out, it.key());
}

std::string fixed(double x, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, std::fabs(x));
  return buf;
}

/// The spec's labels (see the header), longest first so that no shorter label cuts
/// into a longer one.
std::vector<std::string> labels(const nlohmann::json& j) {
  std::vector<std::string> out{j["title"].get<std::string>(), j["source"].get<std::string>()};
  for (const auto& t : j["tables"])
    for (const auto& r : t["rows"]) out.push_back(r["cells"][0]["text"].get<std::string>());
  for (const auto* steps : {&j["flow"]["steps"], &j["flow"]["matching_steps"]})
    for (const auto& s : *steps) out.push_back(s["criterion"].get<std::string>());
  for (const auto& f : j["figures"]) {
    if (f["kind"] == "km")
      for (const auto& c : f["km"]["curves"]) out.push_back(c["label"].get<std::string>());
    else if (f["kind"] == "love")
      for (const auto& c : f["love"]["covariates"]) out.push_back(c.get<std::string>());
  }
  std::sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  out.erase(std::remove(out.begin(), out.end(), std::string()), out.end());
  return out;
}

TEST(ReportNumbers, EveryNumberOfTheDemoReportIsInResultsJson) {
  const test_support::TempDir tmp("survkit-numbers");
  const fs::path& dir = tmp.path;
  const auto run = cli_test::run_cli({"demo", "--out", (dir / "demo").string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto j = nlohmann::json::parse(slurp(dir / "demo/results.json"));
  std::string html = slurp(dir / "demo/report.html");
  // The consistency checks of the published numbers (survkit check-paper) are statements
  // about the paper's printed values: their recomputed ranges ("P from 0.115 to 0.117",
  // "1.5e-05") are in results.json's published.consistency as the checks' text and
  // values, not as report numbers.  Every other part of the published section is checked.
  if (const auto from = html.find("id=\"published_consistency\""); from != std::string::npos) {
    const auto to = html.find("</table>", from);
    html.erase(from, to == std::string::npos ? std::string::npos : to - from);
  }
  std::string text = html_text(html);
  for (const auto& f : j["figures"])
    if (f["kind"] == "km") text += "\n" + f["km"]["annotation"].get<std::string>();
  fs::remove_all(dir);

  for (const auto& l : labels(j)) drop_label(text, l);
  for (const char* pattern : {R"((Table|Figure) \d+[a-z]?)", R"(\d+-(year|month|day))", R"(\d{4}-\d{2}-\d{2})",
                              R"((survkit|survival|MatchIt) \d+(\.\d+)*)", R"(< 0\.001)", R"(1 - status)", R"(\b1:)"})
    text = std::regex_replace(text, std::regex(pattern), " ");

  std::vector<double> pool;
  collect(j, pool);
  ASSERT_GT(pool.size(), 500u);
  const std::regex number(R"((\d+)(\.(\d+))?(%?))");
  std::size_t checked = 0;
  std::vector<std::string> missing;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), number); it != std::sregex_iterator(); ++it) {
    const auto& m = *it;
    const auto at = static_cast<std::size_t>(m.position(0));
    if (at > 0 && (std::isalnum(static_cast<unsigned char>(text[at - 1])) || text[at - 1] == '_')) continue;  // x1, CA19
    const std::string printed = m[1].str() + m[2].str();
    const int decimals = static_cast<int>(m[3].length());
    const bool percent = m[4].length() > 0;
    const bool found = std::any_of(pool.begin(), pool.end(), [&](double v) {
      // A percentage is printed from a proportion (0.95 -> 95%) or from a cell that
      // holds the percentage itself (rates: value = 100 * S).
      return fixed(v, decimals) == printed || (percent && fixed(100 * v, decimals) == printed);
    });
    ++checked;
    if (!found) {
      const std::size_t from = at > 60 ? at - 60 : 0;
      missing.push_back(printed + (percent ? "%" : "") + "  in  ..." + text.substr(from, at - from + 20) + "...");
    }
  }
  std::string list;
  for (const auto& s : missing) list += "\n  " + s;
  EXPECT_TRUE(missing.empty()) << missing.size() << " of " << checked << " printed numbers not in results.json:" << list;
  EXPECT_GT(checked, 900u);  // 957 when written
  std::printf("[ report numbers ] %zu numbers of the demo's report.html found in results.json\n", checked);
}

}  // namespace
