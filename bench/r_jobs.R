# The R side of bench/run.sh: times each job as a user would run it in R, whole
# process included (reading the CSV with data.table::fread, fitting, summarising).
# Usage: Rscript bench/r_jobs.R JOB DATADIR ; prints "seconds <elapsed>".
suppressMessages({library(data.table); library(survival)})
args <- commandArgs(trailingOnly = TRUE)
job <- args[1]; dir <- args[2]
elapsed <- system.time({
  if (job == "cox" || job == "cox_days") {
    d <- fread(file.path(dir, paste0(job, ".csv")))
    f <- coxph(Surv(time, status) ~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10, data = d)
    s <- summary(f)  # SEs, tests and concordance, as survkit cox prints them
  } else if (job == "km") {
    d <- fread(file.path(dir, "km.csv"))
    f <- survfit(Surv(time, status) ~ group, data = d)
    s <- summary(f, times = c(365, 730))
    m <- print(f)
    l <- survdiff(Surv(time, status) ~ group, data = d)
  } else stop("unknown job ", job)
})[["elapsed"]]
cat("seconds", elapsed, "\n")
