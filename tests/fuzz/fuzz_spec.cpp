// Study specs for the fuzz test: a spec of the documented shape (examples/crc-pm/study.toml)
// on the generated cohort, then hostile edits of its lines.
#include <cstdio>
#include <string_view>

#include "fuzz/fuzz_gen.hpp"

namespace fuzz {

namespace {

using Strings = std::vector<std::string>;

std::string toml_list(const Strings& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", \"" : "\"") + items[i] + "\"";
  return out + "]";
}

// ---------------------------------------------------------------------------- filters

std::string atom(Rng& rng) {
  if (rng.hostile(0.1))
    return rng.pick(Strings{"nope > 1", "arm > 3", "age == \"x\"", "start > 5", "(age > 1", "age >",
                            "", "\"unterminated", "age >= 1e999", "age >= nan", "missing()",
                            "start >= 2019-02-30", "age >= 60)", "age = 60", "`age > 1", "and"});
  // Mostly criteria that keep most patients, so that the analyses run.
  return rng.pick(Strings{"age >= 20", "age < 95", "arm != \"X\"", "present(age)", "present(w)",
                          "sex == 1", "`age` > 30", "konst == 1", "stage == \"IV\"", "age >= age2",
                          "missing(age)", "start >= 2005-01-01", "last_fu <= 2030-06-30", "status == 1"});
}

std::string expr(Rng& rng, int depth) {
  if (depth <= 0 || rng.chance(0.3)) return atom(rng);
  switch (rng.below(6)) {
    case 0: return "(" + expr(rng, depth - 1) + " and " + expr(rng, depth - 1) + ")";
    case 1: return expr(rng, depth - 1) + " or " + expr(rng, depth - 1);
    case 2: return "not " + expr(rng, depth - 1);
    case 3: return "!(" + expr(rng, depth - 1) + ")";
    case 4: return expr(rng, depth - 1) + " && " + expr(rng, depth - 1);
    default: return "(" + expr(rng, depth - 1) + ") || " + expr(rng, depth - 1);
  }
}

// Nesting far past any limit, and long flat chains.
std::string hostile_filter(Rng& rng) {
  const std::size_t d = rng.pick(std::vector<std::size_t>{50, 300, 1500, 20000});
  switch (rng.below(5)) {
    case 0: return repeat("(", d) + "age > 1" + repeat(")", d);
    case 1: return repeat("not ", d) + "age > 1";
    case 2: return repeat("!(", d) + "age > 1" + repeat(")", d);
    case 3: return "age > 1" + repeat(" and age > 1", d);
    default: return repeat("(", d) + "age > 1";  // unbalanced
  }
}

std::string filter_block(Rng& rng) {
  std::string f = rng.hostile(0.15) ? hostile_filter(rng) : expr(rng, static_cast<int>(rng.below(4)));
  std::string out = "[[filter]]\n";
  if (rng.chance(0.5)) out += "label = \"criterion\"\n";
  // The criteria mostly keep patients: an exclusion excludes their negation.
  return out + (rng.chance(0.5) ? "include = '" + f : "exclude = 'not (" + f + ")") + "'\n";
}

// ---------------------------------------------------------------------------- sections

std::string head_sections(const std::string& data_file, bool dates, Rng& rng) {
  const std::string file = rng.pick(Strings{data_file}, Strings{"missing.csv", ".", "", "/"}, 0.05);
  std::string s = "title = \"fuzz study\"\n\n[data]\nfile = \"" + file + "\"\n";
  if (rng.hostile(0.05)) s += "rename = { sex = \"gender\" }\n";
  if (dates) {
    s += "\n[dates]\nformat = \"" +
         rng.pick(Strings{"%Y-%m-%d"}, Strings{"%d/%m/%Y", "%Q", "", "%Y%m%d", "%Y-%m-%d %H", "%%"}, 0.1) +
         "\"\n";
    s += "columns = " + toml_list(rng.hostile(0.1) ? Strings{"start", "age"}
                                                   : Strings{"start", "event_date", "last_fu"}) + "\n";
    if (rng.chance(0.5))
      s += "study_end = " + rng.pick(Strings{"2018-12-31", "2030-01-01", "\"2018-12-31\""},
                                     Strings{"1990-01-01", "\"31/12/2018\"", "2019-02-30"}, 0.3) + "\n";
  }
  if (rng.chance(0.3)) s += "\n[[derive]]\nname = \"age10\"\nscale = \"age\"\ndivide_by = " +
                            rng.pick(Strings{"10", "-1"}, Strings{"0", "1e-300"}, 0.3) + "\n";
  if (rng.chance(dates ? 0.3 : 0.0) || rng.hostile(0.05))
    s += "\n[[derive]]\nname = \"fu_years\"\ninterval = [\"start\", \"last_fu\"]\nunit = \"" +
         rng.pick(Strings{"years", "months", "days"}, Strings{"weeks"}, 0.2) + "\"\n";
  if (rng.chance(dates ? 0.1 : 0.0) || rng.hostile(0.05)) s += "\n[[derive]]\nname = \"first\"\nearliest = [\"event_date\", \"last_fu\"]\n";
  return s;
}

std::string variable_sections(Rng& rng) {
  std::string s;
  if (!rng.hostile(0.2))
    s += "\n[[variable]]\nname = \"agec\"\nlabel = \"Age\"\nfrom = \"age\"\ncuts = " +
         rng.pick(Strings{"[60]", "[50, 70]"}, Strings{"[]", "[70, 50]", "[1e308]", "[\"x\"]"}, 0.3) + "\n";
  if (!rng.hostile(0.2)) {
    s += "\n[[variable]]\nname = \"sex\"\nvalues = [\"1\", \"2\"]\nlabels = [\"Male\", \"Female\"]\n";
    if (rng.chance(0.2)) s += "reference = \"" + rng.pick(Strings{"Female", "2"}, Strings{"nope"}, 0.3) + "\"\n";
  }
  if (rng.chance(0.6))
    s += "\n[[variable]]\nname = \"stage\"\nvalues = " +
         rng.pick(Strings{"[\"I\", \"II\", \"III\", \"IV\"]"}, Strings{"[\"I\", \"II\"]"}, 0.3) + "\n" +
         (rng.chance(0.3) ? "recode = { I = \"II\" }\n" : "") +
         (rng.chance(0.2) ? "baseline = false\n" : "");
  if (rng.hostile(0.1)) s += "\n[[variable]]\nname = \"arm\"\nvalues = [\"A\"]\n";  // one level
  return s;
}

std::string group_section(const Cohort& cohort, Rng& rng) {
  const Strings levels = rng.hostile(0.15) ? Strings{"A", "B", "C"} : cohort.arms;
  std::string s = "\n[group]\nlabel = \"Arm\"\nfrom = \"arm\"\nvalues = " + toml_list(levels) + "\n";
  if (rng.chance(0.3)) {
    Strings labels;
    for (const auto& l : levels) labels.push_back("Arm " + l);
    if (rng.hostile(0.2)) labels.pop_back();
    s += "labels = " + toml_list(labels) + "\n";
  }
  if (rng.chance(0.3)) s += "reference = \"" + rng.pick(levels) + "\"\n";
  return s;
}

std::string endpoint_sections(bool dates, Rng& rng) {
  std::string s;
  const std::size_t n = rng.hostile(0.1) ? 0 : 1 + rng.below(2);
  for (std::size_t i = 0; i < n; ++i) {
    s += "\n[[endpoint]]\nid = \"" + std::string(i ? "pfs" : "os") + "\"\nname = \"Survival\"\n";
    if (!dates || rng.chance(0.4)) {
      s += "time = \"time\"\nstatus = \"status\"\ntime_unit = \"days\"\n";
    } else {
      s += "start = \"start\"\nevent = " + rng.pick(Strings{"\"event_date\"", "[\"event_date\", \"last_fu\"]"}) +
           "\ncensor = \"last_fu\"\n";
    }
    s += "unit = \"" + rng.pick(Strings{"months", "days", "years"}, Strings{"fortnights"}, 0.1) + "\"\n";
    if (rng.chance(0.3)) s += "multivariable = " + toml_list({"group", "agec"}) + "\n";
  }
  return s;
}

std::string analysis_sections(const Strings& arms, Rng& rng) {
  std::string s = "\n[analysis]\nlandmarks = " +
                  rng.pick(Strings{"[12, 24]", "[1]", "[]", "[1e9]"}, Strings{"[-1]", "[12, 12]", "[0]"}, 0.2) + "\n";
  if (rng.chance(0.3)) s += "ties = \"" + rng.pick(Strings{"efron", "breslow"}, Strings{"exact"}, 0.2) + "\"\n";
  if (rng.chance(0.3))
    s += "table1_test = \"" + rng.pick(Strings{"auto", "chisq", "fisher"}, Strings{"t"}, 0.2) + "\"\n";
  if (rng.chance(0.2)) s += "conf_level = " + rng.pick(Strings{"0.9", "0.95"}, Strings{"1", "0", "nan"}, 0.3) + "\n";
  if (rng.chance(0.3)) s += "multivariable_p_below = " + rng.pick(Strings{"0.05", "1"}, Strings{"0", "2"}, 0.3) + "\n";
  else if (rng.chance(0.3)) s += "multivariable = [\"group\", \"sex\"]\n";
  if (!rng.chance(0.5)) return s;
  s += "\n[matching]\ntreated = \"" + rng.pick(arms, Strings{"nope", "Arm Z"}, 0.2) + "\"\n";
  s += "covariates = " + rng.pick(Strings{"\"differing\"", "[\"agec\", \"sex\"]", "[\"sex\"]"},
                                  Strings{"[]", "[\"nope\"]", "\"all\""}, 0.2) + "\n";
  if (rng.chance(0.3)) s += "caliper = " + rng.pick(Strings{"0.2", "0.01"}, Strings{"-1", "1e-300"}, 0.3) + "\n";
  if (rng.chance(0.3)) s += "ratio = " + rng.pick(Strings{"1", "2"}, Strings{"0", "5"}, 0.3) + "\n";
  if (rng.chance(0.2)) s += "replace = true\n";
  if (rng.chance(0.2))
    s += "order = \"" + rng.pick(Strings{"largest", "random", "data"}, Strings{"up"}, 0.2) + "\"\n";
  if (rng.chance(0.1)) s += "seed = " + rng.pick(Strings{"1", "7"}, Strings{"-1", "1e20"}, 0.3) + "\n";
  if (rng.chance(0.1)) s += "matchit_quirks = true\n";
  return s;
}

// ---------------------------------------------------------------------------- hostile edits

Strings lines_of(const std::string& s) {
  Strings out;
  std::size_t begin = 0;
  while (begin < s.size()) {
    const std::size_t end = s.find('\n', begin);
    out.push_back(s.substr(begin, end - begin));
    if (end == std::string::npos) break;
    begin = end + 1;
  }
  return out;
}

const Strings kWrongValues = {"\"x\"", "1", "[1, 2]", "{ a = 1 }", "true", "1979-05-27", "[]", "\"\"",
                              "-1", "nan", "inf", "[[1], [\"a\"]]", "0.5", "{}", "[\"\"]"};

void edit_line(Strings& lines, Rng& rng, const Avoid& avoid) {
  if (lines.empty()) return;
  std::string& line = lines[rng.below(lines.size())];
  const std::size_t eq = line.find(" = ");
  switch (rng.below(8)) {
    case 0:  // wrong type
      if (eq != std::string::npos) line = line.substr(0, eq) + " = " + rng.pick(kWrongValues);
      break;
    case 1: line = rng.pick(Strings{"refrence = 1", "foo = \"bar\"", "unit = 3", "x.y = 1"}); break;
    case 2: line.clear(); break;  // a line dropped
    case 3: lines.push_back(line); break;  // duplicated (TOML: key defined twice)
    case 4: line.insert(rng.below(line.size() + 1), std::string(1, static_cast<char>(rng.below(256)))); break;
    case 5: line += rng.pick(Strings{" # comment", " \"", "]", "\\", "\t"}); break;
    case 6: {  // a dotted key; toml++'s recursion on long ones is avoided for now
      const std::size_t depth = avoid.deep_toml_dotted_keys ? 1 + rng.below(8) : 1 + rng.below(100000);
      line = "a" + repeat(".a", depth) + " = 1";
      break;
    }
    default: line = "[" + rng.pick(Strings{"data", "group", "nope", "analysis.extra", "[endpoint]]"}) + "]"; break;
  }
}

}  // namespace

std::string study_spec(const std::string& data_file, const Cohort& cohort, const Avoid& avoid, Rng& rng) {
  const bool dates = rng.chance(0.5);
  std::string spec = head_sections(data_file, dates, rng);
  for (std::size_t k = rng.below(3); k > 0; --k) spec += "\n" + filter_block(rng);
  spec += variable_sections(rng);
  if (!rng.hostile(0.05)) spec += group_section(cohort, rng);
  spec += endpoint_sections(dates && !rng.hostile(0.1), rng) + analysis_sections(cohort.arms, rng);
  if (rng.hostile(0.03)) return "";
  if (rng.hostile(0.03)) {
    std::string bytes(1 + rng.below(2000), ' ');
    for (char& c : bytes) c = static_cast<char>(rng.below(256));
    return bytes;
  }
  if (rng.hostile(0.05)) return spec.substr(0, rng.below(spec.size()));  // cut short
  if (!rng.hostile(0.5)) return spec;
  Strings lines = lines_of(spec);
  for (std::size_t k = 1 + rng.below(3); k > 0; --k) edit_line(lines, rng, avoid);
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

}  // namespace fuzz
