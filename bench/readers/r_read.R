# Times R reading a file: Rscript r_read.R sav|xlsx PATH [REPS] reads it REPS times (default 1)
# with haven::read_sav or readxl::read_xlsx (defaults: every column, types guessed as usual)
# and prints the dimensions and "read <elapsed> <user> <system>" seconds of the fastest read,
# from system.time() inside the session: R's start-up and package loading are not in it
# (bench/readers/run.sh times the whole process separately).
args <- commandArgs(TRUE)
reps <- if (length(args) >= 3) as.integer(args[3]) else 1L
if (args[1] == "sav") {
  suppressPackageStartupMessages(library(haven))
  read <- function() read_sav(args[2])
} else {
  suppressPackageStartupMessages(library(readxl))
  read <- function() read_xlsx(args[2])
}
best <- NULL
for (i in seq_len(reps)) {
  d <- NULL
  invisible(gc())
  t <- system.time(d <- read())
  if (is.null(best) || t[["elapsed"]] < best[["elapsed"]]) best <- t
}
cat("rows", nrow(d), "cols", ncol(d), "\n")
cat("read", best[["elapsed"]], best[["user.self"]] + best[["user.child"]], best[["sys.self"]] + best[["sys.child"]], "\n")
