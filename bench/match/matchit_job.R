# Times MatchIt 4.5.1 on the benchmark data: score fit plus 1:1 nearest-neighbour
# matching with caliper 0.2 (the job `survkit match --caliper 0.2` does), reading
# excluded.  Prints "seconds S" and the number of matched treated units.
#   Rscript bench/match/matchit_job.R DATA.csv
suppressMessages({library(MatchIt); library(data.table)})
d <- as.data.frame(fread(commandArgs(trailingOnly = TRUE)[1]))
f <- treat ~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10
t0 <- proc.time()[["elapsed"]]
m <- matchit(f, data = d, method = "nearest", distance = "glm", caliper = 0.2)
s <- proc.time()[["elapsed"]] - t0
cat(sprintf("seconds %.3f\nmatched_treated %d\n", s, sum(m$weights[d$treat == 1] > 0)))
