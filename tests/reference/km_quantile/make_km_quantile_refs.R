# Reference values for survkit's km_quantiles (tests/km/test_km_quantile.cpp):
# quantile(survfit(...), probs = PROBS, conf.int = TRUE), including the reverse
# Kaplan-Meier estimate of follow-up (status reversed: censoring is the "event"), whose
# median and quartiles are the "median follow-up (IQR)" of a survival paper.
# Run from the repository root:  Rscript tests/reference/km_quantile/make_km_quantile_refs.R
# (R 4.2.2, survival 3.5-3).  Writes km_quantile.csv next to this script: one row per
# case, curve and probability.
suppressPackageStartupMessages(library(survival))
stopifnot(packageVersion("survival") == "3.5.3")
out_dir <- "tests/reference/km_quantile"
num <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))
PROBS <- c(0, 0.1, 0.25, 0.5, 0.75, 0.9, 1)
rows <- list()

run_case <- function(case, time, status, group, conf.type = "log") {
  d <- data.frame(time = time, status = status, group = factor(group))
  fit <- survfit(Surv(time, status) ~ group, data = d, conf.type = conf.type)
  q <- quantile(fit, probs = PROBS, conf.int = TRUE)
  est <- q$quantile; lo <- q$lower; up <- q$upper
  if (!is.matrix(est)) {
    est <- matrix(est, nrow = 1); lo <- matrix(lo, nrow = 1); up <- matrix(up, nrow = 1)
    rownames(est) <- levels(d$group)[1]
  }
  for (i in seq_len(nrow(est))) {
    g <- sub("^group=", "", rownames(est)[i])
    rows[[length(rows) + 1]] <<- data.frame(case = case, group = g, prob = num(PROBS),
      quantile = num(est[i, ]), lower = num(lo[i, ]), upper = num(up[i, ]))
  }
}

lung <- read.csv("tests/data/lung.csv")
veteran <- read.csv("tests/data/veteran.csv")
ovarian <- read.csv("tests/data/ovarian.csv")
colon <- read.csv("tests/data/colon.csv")
death <- colon[colon$etype == 2, ]
ev <- as.numeric(lung$status == 2)

# Survival quantiles.
run_case("lung_sex", lung$time, ev, lung$sex)
run_case("lung_all_loglog", lung$time, ev, rep("all", nrow(lung)), conf.type = "log-log")
run_case("veteran_celltype", veteran$time, veteran$status, veteran$celltype)
run_case("ovarian_rx", ovarian$futime, ovarian$fustat, ovarian$rx)
run_case("colon_death_rx", death$time, death$status, death$rx)
# Reverse Kaplan-Meier: follow-up, overall and per group.
run_case("lung_followup_all", lung$time, 1 - ev, rep("all", nrow(lung)))
run_case("lung_followup_sex", lung$time, 1 - ev, lung$sex)
run_case("veteran_followup_trt", veteran$time, 1 - veteran$status, veteran$trt)
run_case("ovarian_followup_all", ovarian$futime, 1 - ovarian$fustat, rep("all", nrow(ovarian)))
run_case("colon_followup_rx", death$time, 1 - death$status, death$rx)
# Hand-checkable: S = 1/2 exactly on [2, 3) (median 2.5, 0.75-quantile 3.5: S = 1/4 on
# [3, 4)); a curve that ends exactly at 1/2 (the end-of-curve rule).
run_case("tiny_flat", c(1, 2, 3, 4), c(1, 1, 1, 1), rep("all", 4))
run_case("tiny_end_half", c(1, 2, 3, 4), c(1, 1, 0, 0), rep("all", 4))

write.csv(do.call(rbind, rows), file.path(out_dir, "km_quantile.csv"), row.names = FALSE, quote = FALSE)
