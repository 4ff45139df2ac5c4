# References for tests/paper/test_paper_check.cpp (survkit check-paper).
# Run from this folder:  Rscript make_paper_check.R
# Writes counts_p.csv (Pearson, Yates-corrected and Fisher P of 2 x k tables) and
# hr_ci_p.csv (the Wald P recomputed from an HR and its 95% CI, normal approximation).
# R 4.2.2.
options(digits = 17)

# Tables: "a b; c d" = rows are the levels of a characteristic, columns the two groups.
# The CRC-PM paper's Table 5 (before and after matching) plus hand-made cases.
tables <- c(
  gender_before = "23 39; 16 41", age_before = "27 39; 12 41", ecog_before = "35 62; 4 18",
  pathology_before = "7 5; 29 65; 3 10", diagnosis_before = "10 15; 29 65", distribution_before = "26 15; 13 65",
  number_before = "25 62; 14 18", size_before = "27 61; 12 19", dfi_before = "18 40; 21 40",
  liver_before = "32 60; 7 20", extrapulmonary_before = "32 41; 7 39", cea_before = "26 29; 13 51",
  ca199_before = "33 41; 6 39",
  gender_after = "9 15; 15 9", age_after = "16 16; 8 8", ecog_after = "22 17; 2 7",
  pathology_after = "3 4; 18 20; 3 0", diagnosis_after = "4 7; 20 17", distribution_after = "12 11; 12 13",
  number_after = "18 14; 6 10", size_after = "19 21; 5 3", dfi_after = "15 13; 9 11", liver_after = "21 18; 3 6",
  extrapulmonary_after = "15 21; 9 3", cea_after = "14 13; 10 11", ca199_after = "22 19; 2 5",
  hand_3x2 = "10 20; 15 5; 8 8", hand_small = "3 0; 0 3", hand_4x2 = "5 9; 12 7; 4 4; 20 2")
parse_table <- function(s) {
  rows <- lapply(strsplit(strsplit(s, ";")[[1]], " +"), function(r) as.numeric(r[r != ""]))
  do.call(rbind, rows)
}
out <- data.frame()
for (name in names(tables)) {
  x <- parse_table(tables[[name]])
  pearson <- suppressWarnings(chisq.test(x, correct = FALSE)$p.value)
  yates <- suppressWarnings(chisq.test(x, correct = TRUE)$p.value)  # R corrects 2 x 2 tables only
  fisher <- fisher.test(x)$p.value
  out <- rbind(out, data.frame(name = name, counts = tables[[name]], pearson = pearson, yates = yates, fisher = fisher))
}
write.csv(out, "counts_p.csv", row.names = FALSE, quote = TRUE)

# HR, lower, upper as printed; P = 2 * pnorm(-|log(HR)| / SE), SE = (log(U) - log(L)) / (2 qnorm(0.975)).
hrs <- data.frame(
  name = c("gender_os", "treatment_os", "cea_mv_os", "number_os", "high_grade_os", "treatment_mv_pfs", "size_mv_pfs"),
  hr = c(1.223, 5.871, 3.924, 0.585, 5.726, 5.132, 0.747),
  lower = c(0.701, 2.712, 1.845, 0.300, 1.478, 2.414, 0.426),
  upper = c(2.133, 12.712, 8.344, 1.143, 22.185, 10.909, 1.309))
se <- (log(hrs$upper) - log(hrs$lower)) / (2 * qnorm(0.975))
hrs$p <- 2 * pnorm(-abs(log(hrs$hr)) / se)
write.csv(hrs, "hr_ci_p.csv", row.names = FALSE, quote = TRUE)
