// The consistency checks of published numbers: recomputed P values against R
// (tests/reference/paper_check/make_paper_check.R), and hand-made cases that pass and
// fail for every check.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "survkit/paper_check.hpp"

using namespace survkit;

namespace {

std::vector<std::vector<std::string>> read_reference(const std::string& name) {
  std::ifstream in(std::string(SURVKIT_TEST_REF_DIR) + "/paper_check/" + name);
  if (!in) throw std::runtime_error("missing reference " + name);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::stringstream ss(line);
    std::string f;
    while (std::getline(ss, f, ',')) {
      if (f.size() >= 2 && f.front() == '"') f = f.substr(1, f.size() - 2);
      fields.push_back(f);
    }
    rows.push_back(fields);
  }
  return rows;
}

/// "23 39; 16 41" -> {{23, 39}, {16, 41}}
std::vector<std::vector<double>> parse_counts(const std::string& s) {
  std::vector<std::vector<double>> out;
  std::stringstream rows(s);
  std::string row;
  while (std::getline(rows, row, ';')) {
    std::stringstream cells(row);
    out.emplace_back();
    double x;
    while (cells >> x) out.back().push_back(x);
  }
  return out;
}

/// The P a check's recomputed text gives for a test ("Yates-corrected chi-square 0.173").
CountsTestInput counts_input(const std::string& counts, const std::string& p, const std::string& stated) {
  CountsTestInput in;
  in.counts = parse_counts(counts);
  in.p = parse_printed(p);
  in.stated_test = stated;
  return in;
}

}  // namespace

// R: chisq.test(x, correct = FALSE / TRUE)$p.value and fisher.test(x)$p.value.  The
// check reports the stated test's P in `value`; asking for each test in turn gives all
// three.  Tolerance 1e-10 relative: the same closed-form statistics and Boost's
// chi-square tail (R's pchisq agrees to ~1e-14); Fisher's sums of hypergeometric terms
// agree to ~1e-12.
TEST(PaperCheckR, PFromCountsAgreesWithR) {
  const auto rows = read_reference("counts_p.csv");
  ASSERT_EQ(rows.size(), 29u);
  for (const auto& r : rows) {
    const double pearson = std::stod(r[2]), yates = std::stod(r[3]), fisher = std::stod(r[4]);
    const auto c_pearson = check_p_from_counts(counts_input(r[1], "0.5", "pearson"));
    const auto c_yates = check_p_from_counts(counts_input(r[1], "0.5", "yates"));
    const auto c_fisher = check_p_from_counts(counts_input(r[1], "0.5", "fisher"));
    EXPECT_NEAR(c_pearson.value, pearson, 1e-10 * pearson) << r[0];
    EXPECT_NEAR(c_fisher.value, fisher, 1e-10 * fisher) << r[0];
    const bool two_by_two = parse_counts(r[1]).size() == 2;
    if (two_by_two) EXPECT_NEAR(c_yates.value, yates, 1e-10 * yates) << r[0];
    else EXPECT_TRUE(is_na(c_yates.value)) << r[0];  // R applies no correction beyond 2 x 2
  }
}

// R: 2 * pnorm(-abs(log(HR)) / ((log(U) - log(L)) / (2 * qnorm(0.975)))).  Tolerance
// 1e-12 relative (the same closed form; Boost's normal tail vs R's pnorm).
TEST(PaperCheckR, PFromHrCiAgreesWithR) {
  const auto rows = read_reference("hr_ci_p.csv");
  ASSERT_EQ(rows.size(), 7u);
  for (const auto& r : rows) {
    const auto c = check_p_from_hr_ci(parse_printed(r[1]), parse_printed(r[2] + "-" + r[3]), parse_printed("0.5"));
    EXPECT_NEAR(c.value, std::stod(r[4]), 1e-12 * std::stod(r[4])) << r[0];
  }
}

TEST(PaperCheck, PFromHrCiAllowsForRounding) {
  // The example: 1.223 (0.701–2.133) gives P = 0.478; the published 0.479 is
  // reachable given the rounding of the HR and limits.
  auto c = check_p_from_hr_ci(parse_printed("1.223"), parse_printed("0.701\u20132.133"), parse_printed("0.479"));
  EXPECT_EQ(c.verdict, Verdict::Consistent) << c.recomputed;
  EXPECT_NEAR(c.value, 0.478, 0.0005);
  c = check_p_from_hr_ci(parse_printed("1.223"), parse_printed("0.701\u20132.133"), parse_printed("0.430"));
  EXPECT_EQ(c.verdict, Verdict::Inconsistent);
  // Table 1's treatment HR: P is 7e-6, printed "0.001" (should be "< 0.001").
  c = check_p_from_hr_ci(parse_printed("5.871"), parse_printed("2.712\u201312.712"), parse_printed("0.001"));
  EXPECT_EQ(c.verdict, Verdict::Inconsistent);
  EXPECT_NE(c.finding.find("should read P < 0.001"), std::string::npos) << c.finding;
  c = check_p_from_hr_ci(parse_printed("5.871"), parse_printed("2.712\u201312.712"), parse_printed("< 0.001"));
  EXPECT_EQ(c.verdict, Verdict::Consistent);
  // Coarse printing widens the interval: 0.62 (2 decimals) in Table 3.
  c = check_p_from_hr_ci(parse_printed("1.204"), parse_printed("0.62\u20132.336"), parse_printed("0.584"));
  EXPECT_EQ(c.verdict, Verdict::Consistent) << c.recomputed;
  // Unreadable input: cannot check.
  c = check_p_from_hr_ci(parse_printed("1.2x"), parse_printed("0.62\u20132.336"), parse_printed("0.584"));
  EXPECT_EQ(c.verdict, Verdict::CannotCheck);
}

TEST(PaperCheck, PFromCountsFindsTheTestUsed) {
  // CRC-PM Table 5, ECOG-PS before matching: published 0.173 is the Yates-corrected P,
  // though the paper states Pearson's chi-square (0.106).
  auto c = check_p_from_counts(counts_input("35 62; 4 18", "0.173", "pearson"));
  EXPECT_EQ(c.verdict, Verdict::Inconsistent);
  EXPECT_NE(c.finding.find("Yates-corrected chi-square, not by the Pearson chi-square"), std::string::npos) << c.finding;
  EXPECT_NEAR(c.value, 0.106, 0.0005);
  // Pathology (3 x 2) and Gender after matching: Pearson, as stated.
  c = check_p_from_counts(counts_input("7 5; 29 65; 3 10", "0.118", "pearson"));
  EXPECT_EQ(c.verdict, Verdict::Consistent) << c.finding;
  c = check_p_from_counts(counts_input("9 15; 15 9", "0.083", "pearson"));
  EXPECT_EQ(c.verdict, Verdict::Consistent) << c.finding;
  // No stated test: any test that reproduces it.
  c = check_p_from_counts(counts_input("35 62; 4 18", "0.173", ""));
  EXPECT_EQ(c.verdict, Verdict::Consistent);
  // "< 0.001" and a P no test gives.
  c = check_p_from_counts(counts_input("26 15; 13 65", "< 0.001", "pearson"));
  EXPECT_EQ(c.verdict, Verdict::Consistent);
  c = check_p_from_counts(counts_input("23 39; 16 41", "0.500", ""));
  EXPECT_EQ(c.verdict, Verdict::Inconsistent);
  EXPECT_NE(c.finding.find("no test"), std::string::npos);
  // Fisher stated and reproducing (hand-made 2 x 2, R: fisher.test = 0.1).
  c = check_p_from_counts(counts_input("3 0; 0 3", "0.100", "fisher"));
  EXPECT_EQ(c.verdict, Verdict::Consistent) << c.recomputed;
  // An empty level is left out, as the test of the observed table.
  c = check_p_from_counts(counts_input("23 39; 0 0; 16 41", "0.295", "pearson"));
  EXPECT_EQ(c.verdict, Verdict::Consistent) << c.finding;
}

TEST(PaperCheck, CountSums) {
  EXPECT_EQ(check_count_sum({23, 16}, 39).verdict, Verdict::Consistent);
  const auto c = check_count_sum({43, 33, 5}, 80);
  EXPECT_EQ(c.verdict, Verdict::Inconsistent);
  EXPECT_DOUBLE_EQ(c.value, 81);
  EXPECT_EQ(check_count_sum({1, 2}, NA).verdict, Verdict::CannotCheck);
}

TEST(PaperCheck, PercentOfNIsGrim) {
  auto c = check_percent_of_n(parse_printed("51.1%"), 119);
  EXPECT_EQ(c.verdict, Verdict::Inconsistent);
  EXPECT_NE(c.recomputed.find("60/119 = 50.4%, 61/119 = 51.3%"), std::string::npos) << c.recomputed;
  EXPECT_EQ(check_percent_of_n(parse_printed("50.9%"), 119).verdict, Verdict::Inconsistent);
  EXPECT_EQ(check_percent_of_n(parse_printed("22.69%"), 119).verdict, Verdict::Consistent);  // 27/119
  EXPECT_EQ(check_percent_of_n(parse_printed("55.5%"), 119, 66).verdict, Verdict::Consistent);
  // A reachable percentage with the wrong printed count.
  c = check_percent_of_n(parse_printed("50.4%"), 119, 66);
  EXPECT_EQ(c.verdict, Verdict::Inconsistent);
  EXPECT_NE(c.finding.find("66/119 = 55.5%"), std::string::npos) << c.finding;
}

TEST(PaperCheck, PercentagesOfAPartitionAddUpTo100) {
  EXPECT_EQ(check_percent_sum({parse_printed("51.1%"), parse_printed("50.9%")}).verdict, Verdict::Inconsistent);
  EXPECT_EQ(check_percent_sum({parse_printed("55.5%"), parse_printed("44.5%")}).verdict, Verdict::Consistent);
  // 33.3% x 3 = 99.9%: within the rounding of three values (±0.15).
  EXPECT_EQ(check_percent_sum({parse_printed("33.3%"), parse_printed("33.3%"), parse_printed("33.3%")}).verdict,
            Verdict::Consistent);
}

TEST(PaperCheck, MedianAndLandmarkRates) {
  // A median of 34.5 months with a 3-year rate of 81.6% is impossible.
  auto c = check_median_vs_rate(parse_printed("34.5"), 36, parse_printed("81.6%"));
  EXPECT_EQ(c.verdict, Verdict::Inconsistent);
  EXPECT_NE(c.finding.find("impossible"), std::string::npos);
  EXPECT_EQ(check_median_vs_rate(parse_printed("13.8"), 36, parse_printed("32.2%")).verdict, Verdict::Consistent);
  // Before the median the rate is above 50%.
  EXPECT_EQ(check_median_vs_rate(parse_printed("40.0"), 36, parse_printed("81.6%")).verdict, Verdict::Consistent);
  EXPECT_EQ(check_median_vs_rate(parse_printed("40.0"), 36, parse_printed("42.0%")).verdict, Verdict::Inconsistent);
  // A median that rounds to the landmark time decides nothing.
  EXPECT_EQ(check_median_vs_rate(parse_printed("36"), 36, parse_printed("90.0%")).verdict, Verdict::Consistent);
  EXPECT_EQ(check_median_vs_rate(parse_printed("NR"), 36, parse_printed("90.0%")).verdict, Verdict::CannotCheck);
}

TEST(PaperCheck, RatesDoNotIncrease) {
  EXPECT_EQ(check_rates_monotone(36, parse_printed("44.4%"), 60, parse_printed("41.9%")).verdict, Verdict::Consistent);
  EXPECT_EQ(check_rates_monotone(36, parse_printed("40.0%"), 60, parse_printed("45.3%")).verdict, Verdict::Inconsistent);
  // Equal rates are fine (no event between the landmarks); a 0 must stay 0.
  EXPECT_EQ(check_rates_monotone(36, parse_printed("38.6%"), 60, parse_printed("38.6%")).verdict, Verdict::Consistent);
  const auto c = check_rates_monotone(36, parse_printed("0"), 60, parse_printed("5.0%"));
  EXPECT_EQ(c.verdict, Verdict::Inconsistent);
  EXPECT_NE(c.finding.find("ended at 0"), std::string::npos);
  EXPECT_EQ(check_rates_monotone(36, parse_printed("13.0%"), 60, parse_printed("0")).verdict, Verdict::Consistent);
}

TEST(PaperCheck, HrInsideAndInTheMiddleOfItsCi) {
  EXPECT_EQ(check_hr_in_ci(parse_printed("4.07"), parse_printed("1.566\u201310.578")).verdict, Verdict::Consistent);
  auto c = check_hr_in_ci(parse_printed("0.585"), parse_printed("0.600\u20131.143"));
  EXPECT_EQ(c.verdict, Verdict::Inconsistent);
  EXPECT_NE(c.finding.find("outside"), std::string::npos);
  // Inside but far from the log-scale middle (exp(mid) = 1.0): 1.8 in 0.5–2.0.
  c = check_hr_in_ci(parse_printed("1.8"), parse_printed("0.5\u20132.0"));
  EXPECT_EQ(c.verdict, Verdict::Inconsistent);
  EXPECT_NE(c.finding.find("inside its CI but off"), std::string::npos);
}

TEST(PaperCheck, SameQuantityPrintedTwice) {
  EXPECT_EQ(check_same_quantity({parse_printed("75.2%"), parse_printed("75.5%")}).verdict, Verdict::Inconsistent);
  EXPECT_EQ(check_same_quantity({parse_printed("3.304"), parse_printed("3.304")}).verdict, Verdict::Consistent);
  // "< 0.001" and "0.001" can be one P (0.0005 to 0.001).
  EXPECT_EQ(check_same_quantity({parse_printed("< 0.001"), parse_printed("0.001")}).verdict, Verdict::Consistent);
}
