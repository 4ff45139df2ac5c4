# Generates the matching benchmark data: N rows, 10 numeric covariates, about 10%
# treated from a logistic model, plus a 3-level categorical covariate.  Seeded.
#   Rscript bench/match/generate.R OUT.csv N
suppressMessages(library(data.table))
args <- commandArgs(trailingOnly = TRUE)
out <- args[1]; n <- as.integer(args[2])
set.seed(20261126)
d <- data.table(id = seq_len(n))
for (j in 1:10) set(d, j = paste0("x", j), value = round(rnorm(n), 6))
lp <- -2.4 + 0.4 * d$x1 - 0.3 * d$x2 + 0.2 * d$x3 + 0.15 * d$x4 - 0.1 * d$x5
d[, treat := as.integer(runif(n) < plogis(lp))]
fwrite(d, out)
cat(sprintf("%s: %d rows, %.1f%% treated\n", out, n, 100 * mean(d$treat)))
