# Reference values for survkit's case-weighted log-rank / G-rho test
# (tests/km/test_logrank.cpp, LogrankWeighted.*).  R's survdiff has no weights, so the
# reference for integer weights w is survdiff on the data with every row repeated w times
# (weight 0 = row left out), which survkit's weighted-count extension must equal.
# Run from the repository root:  Rscript tests/reference/logrank/make_logrank_weighted_refs.R
# (R survival 3.5-3).  Writes logrank_weighted.csv next to this script: one row per
# case with, for groups in level order, n, observed, expected, var[1,1], chisq, df, p.
suppressPackageStartupMessages(library(survival))
stopifnot(packageVersion("survival") == "3.5.3")
out_dir <- "tests/reference/logrank"
num <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))
rows <- list()
run_case <- function(case, d, w, f, rho = 0) {
  r <- d[rep(seq_len(nrow(d)), w), ]
  fit <- survdiff(f, data = r, rho = rho)
  o <- if (is.matrix(fit$obs)) apply(fit$obs, 1, sum) else fit$obs
  e <- if (is.matrix(fit$exp)) apply(fit$exp, 1, sum) else fit$exp
  df <- sum(e > 0) - 1
  rows[[length(rows) + 1]] <<- data.frame(case = case, group = sub("^.*=", "", names(fit$n)),
    n = num(as.vector(fit$n)), observed = num(o), expected = num(e),
    var11 = num(fit$var[1, 1]), chisq = num(fit$chisq), df = df,
    p = num(pchisq(fit$chisq, df, lower.tail = FALSE)))
}
lung <- read.csv("tests/data/lung.csv")
lung$event <- as.integer(lung$status == 2)
# Weights 0..3 in a fixed pattern: w = i %% 4 (row i, 1-based).
w <- seq_len(nrow(lung)) %% 4
run_case("lung_sex_w", lung, w, Surv(time, event) ~ sex)
run_case("lung_sex_w_rho1", lung, w, Surv(time, event) ~ sex, rho = 1)
le <- lung[!is.na(lung$ph.ecog), ]
run_case("lung_sex_strata_ecog_w", le, seq_len(nrow(le)) %% 4, Surv(time, event) ~ sex + strata(ph.ecog))
vet <- read.csv("tests/data/veteran.csv")
run_case("veteran_celltype_w", vet, 1 + seq_len(nrow(vet)) %% 3, Surv(time, status) ~ celltype)
write.csv(do.call(rbind, rows), file.path(out_dir, "logrank_weighted.csv"), row.names = FALSE, quote = FALSE)
