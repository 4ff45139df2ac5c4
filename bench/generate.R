# Generates the benchmark cohorts (seeded, so every run measures the same data).
# Usage: Rscript bench/generate.R OUTDIR [COX_ROWS] [KM_ROWS] [MATCH_ROWS]
#  cox.csv   : COX_ROWS rows, 10 numeric covariates x1..x10, exponential times with
#              log-hazard 0.1*x1 - 0.1*x2 + 0.05*(x3+...+x10)/8, ~30% censored, times
#              rounded to 0.1 so that ties (Efron) really occur.
#  km.csv    : KM_ROWS rows, group A/B/C with different hazards, integer-day times.
suppressMessages(library(data.table))
args <- commandArgs(trailingOnly = TRUE)
out <- args[1]
n_cox <- if (length(args) >= 2) as.numeric(args[2]) else 1e6
n_km <- if (length(args) >= 3) as.numeric(args[3]) else 1e7
dir.create(out, showWarnings = FALSE, recursive = TRUE)
set.seed(20261126)

x <- matrix(rnorm(n_cox * 10), ncol = 10, dimnames = list(NULL, paste0("x", 1:10)))
lp <- 0.1 * x[, 1] - 0.1 * x[, 2] + 0.05 * rowMeans(x[, 3:10])
t_event <- rexp(n_cox, rate = exp(lp) / 5)
t_cens <- rexp(n_cox, rate = 1 / 12)
cox <- data.table(time = round(pmin(t_event, t_cens), 1) + 0.1,
                  status = as.integer(t_event <= t_cens), x)
fwrite(cox, file.path(out, "cox.csv"))

g <- sample(c("A", "B", "C"), n_km, replace = TRUE)
rate <- c(A = 1 / 400, B = 1 / 500, C = 1 / 650)[g]
t_event <- rexp(n_km, rate)
t_cens <- runif(n_km, 0, 1500)
km <- data.table(time = ceiling(pmin(t_event, t_cens)), status = as.integer(t_event <= t_cens),
                 group = g)
fwrite(km, file.path(out, "km.csv"))
