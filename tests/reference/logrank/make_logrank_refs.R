# Reference values for survkit's log-rank / G-rho tests (tests/km/test_logrank.cpp).
# Run from the repository root:  Rscript tests/reference/logrank/make_logrank_refs.R
# (R survival 3.5-3).  Writes, next to this script:
#   logrank_groups.csv : per group: n, observed, expected (summed over strata, as print.survdiff)
#   logrank_var.csv    : survdiff's var matrix, one row per (row, col)
#   logrank_tests.csv  : chisq, df, p = pchisq(chisq, df, lower.tail = FALSE)
# Each case is one survdiff call; the C++ test repeats its setup under the same case name.
suppressPackageStartupMessages(library(survival))
stopifnot(packageVersion("survival") == "3.5.3")
out_dir <- "tests/reference/logrank"
num <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))
grp_rows <- list(); var_rows <- list(); test_rows <- list()

run_case <- function(case, time, status, group, strata = NULL, rho = 0) {
  d <- data.frame(time = time, status = status, group = factor(group))
  fit <- if (is.null(strata)) {
    survdiff(Surv(time, status) ~ group, data = d, rho = rho)
  } else {
    d$s <- factor(strata)
    survdiff(Surv(time, status) ~ group + strata(s), data = d, rho = rho)
  }
  o <- if (is.matrix(fit$obs)) apply(fit$obs, 1, sum) else fit$obs
  e <- if (is.matrix(fit$exp)) apply(fit$exp, 1, sum) else fit$exp
  df <- sum(e > 0) - 1
  g <- sub("^group=", "", names(fit$n))
  grp_rows[[length(grp_rows) + 1]] <<- data.frame(
    case = case, group = g, n = num(as.vector(fit$n)), observed = num(o), expected = num(e))
  k <- length(g)
  var_rows[[length(var_rows) + 1]] <<- data.frame(
    case = case, row = rep(seq_len(k) - 1, times = k), col = rep(seq_len(k) - 1, each = k),
    value = num(as.vector(fit$var)))
  test_rows[[length(test_rows) + 1]] <<- data.frame(
    case = case, chisq = num(fit$chisq), df = num(df),
    p = num(pchisq(fit$chisq, df, lower.tail = FALSE)))
}

lung <- read.csv("tests/data/lung.csv")
veteran <- read.csv("tests/data/veteran.csv")
ovarian <- read.csv("tests/data/ovarian.csv")
colon <- read.csv("tests/data/colon.csv")

ev <- lung$status == 2
ok <- !is.na(lung$ph.ecog)  # rows with missing ph.ecog dropped, as model.frame does
run_case("lung_sex", lung$time, ev, lung$sex)
run_case("lung_sex_rho1", lung$time, ev, lung$sex, rho = 1)
run_case("lung_ecog", lung$time[ok], ev[ok], lung$ph.ecog[ok])
run_case("lung_sex_strata_ecog", lung$time[ok], ev[ok], lung$sex[ok], strata = lung$ph.ecog[ok])
run_case("lung_sex_strata_ecog_rho1", lung$time[ok], ev[ok], lung$sex[ok],
         strata = lung$ph.ecog[ok], rho = 1)
run_case("veteran_celltype", veteran$time, veteran$status, veteran$celltype)
run_case("veteran_celltype_rho0.5", veteran$time, veteran$status, veteran$celltype, rho = 0.5)
run_case("veteran_trt", veteran$time, veteran$status, veteran$trt)
run_case("veteran_celltype_strata_trt", veteran$time, veteran$status, veteran$celltype,
         strata = veteran$trt)
run_case("ovarian_rx", ovarian$futime, ovarian$fustat, ovarian$rx)
run_case("ovarian_rx_strata_resid", ovarian$futime, ovarian$fustat, ovarian$rx,
         strata = ovarian$resid.ds)
death <- colon[colon$etype == 2, ]
run_case("colon_death_rx", death$time, death$status, death$rx)
run_case("colon_death_rx_rho1", death$time, death$status, death$rx, rho = 1)

write.csv(do.call(rbind, grp_rows), file.path(out_dir, "logrank_groups.csv"), row.names = FALSE,
          quote = FALSE)
write.csv(do.call(rbind, var_rows), file.path(out_dir, "logrank_var.csv"), row.names = FALSE,
          quote = FALSE)
write.csv(do.call(rbind, test_rows), file.path(out_dir, "logrank_tests.csv"), row.names = FALSE,
          quote = FALSE)
