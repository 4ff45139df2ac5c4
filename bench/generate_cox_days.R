# The heavy-ties Cox cohort of bench/run.sh (issue 11): integer-day times, at most 2,000
# distinct, as in hospital data recorded by date (seeded, so every run measures the same).
# Usage: Rscript bench/generate_cox_days.R OUTDIR [ROWS]
#  cox_days.csv : ROWS rows, covariates x1..x10 and log-hazard as cox.csv; times in days,
#                 ceiling(t * 100) with administrative censoring at day 2000, ~45% censored.
suppressMessages(library(data.table))
args <- commandArgs(trailingOnly = TRUE)
out <- args[1]
n <- if (length(args) >= 2) as.numeric(args[2]) else 1e6
dir.create(out, showWarnings = FALSE, recursive = TRUE)
set.seed(20261129)
x <- matrix(rnorm(n * 10), ncol = 10, dimnames = list(NULL, paste0("x", 1:10)))
lp <- 0.1 * x[, 1] - 0.1 * x[, 2] + 0.05 * rowMeans(x[, 3:10])
t_event <- ceiling(rexp(n, rate = exp(lp) / 5) * 100)
t_cens <- pmin(ceiling(rexp(n, rate = 1 / 12) * 100), 2000)
d <- data.table(time = pmin(t_event, t_cens), status = as.integer(t_event <= t_cens), x)
fwrite(d, file.path(out, "cox_days.csv"))
