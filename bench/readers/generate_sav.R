# Writes the .sav of the reader benchmark: ROWS rows x 20 columns (14 doubles, 3 labelled
# codes with value labels, 2 dates, 1 text), seeded.  Rscript generate_sav.R OUT.sav ROWS
suppressPackageStartupMessages(library(haven))
args <- commandArgs(TRUE)
n <- as.integer(args[2])
set.seed(20261129)
d <- as.data.frame(matrix(round(rnorm(n * 14, 50, 10), 3), n, 14))
names(d) <- sprintf("x%02d", 1:14)
for (k in 1:3)
  d[[sprintf("g%d", k)]] <- labelled_spss(sample(1:3, n, TRUE), c(low = 1, mid = 2, high = 3),
                                          na_values = 9, label = sprintf("Group %d", k))
d$start <- as.Date("2000-01-01") + sample(0:7000, n, TRUE)
d$stop <- d$start + sample(1:3000, n, TRUE)
d$site <- sample(c("north", "south", "east", "west"), n, TRUE)
write_sav(d, args[1])
