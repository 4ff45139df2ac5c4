# Times R reading a file: Rscript r_read.R sav|xlsx PATH -> "seconds <s>" (best of 2, in
# the R session: R's start-up and package loading are not counted).
args <- commandArgs(TRUE)
if (args[1] == "sav") {
  suppressPackageStartupMessages(library(haven))
  read <- function() read_sav(args[2])
} else {
  suppressPackageStartupMessages(library(readxl))
  read <- function() read_xlsx(args[2])
}
best <- Inf
for (i in 1:2) best <- min(best, system.time(d <- read())[["elapsed"]])
cat("rows", nrow(d), "cols", ncol(d), "\n")
cat("seconds", best, "\n")
