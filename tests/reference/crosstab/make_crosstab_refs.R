# Reference values for survkit's crosstab (tests/crosstab/test_crosstab.cpp):
# chisq.test(correct = FALSE) and fisher.test on tables built from tests/data.
# Run from the repository root:  Rscript tests/reference/crosstab/make_crosstab_refs.R
# Writes tests/reference/crosstab/crosstab_refs.csv, one row per table:
#   name, nrow, ncol, counts (row-major, space separated), stat, df, p, fisher_p,
#   min_expected, fisher_seconds (R's time, for information).
# Rows with NA in either variable are left out (as table() does); the test builds the
# same tables from the data files by name.
out <- "tests/reference/crosstab"
f17 <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))
lung <- read.csv("tests/data/lung.csv")
colon <- read.csv("tests/data/colon.csv")
veteran <- read.csv("tests/data/veteran.csv")
lalonde <- read.csv("tests/data/lalonde.csv")
colon$rx <- factor(colon$rx, levels = c("Obs", "Lev", "Lev+5FU"))
colon1 <- colon[colon$etype == 1, ]

tables <- list(
  lung_sex_ecog      = table(lung$sex, lung$ph.ecog),
  colon_rx_sex       = table(colon$rx, colon$sex),
  colon_rx_differ    = table(colon$rx, colon$differ),
  colon1_rx_differ   = table(colon1$rx, colon1$differ),
  colon1_extent_rx   = table(colon1$extent, colon1$rx),
  colon_extent_rx    = table(colon$extent, colon$rx),
  veteran_cell_trt   = table(veteran$celltype, veteran$trt),
  lalonde_race_treat = table(lalonde$race, lalonde$treat),
  lalonde_race_married = table(lalonde$race, lalonde$married),
  lalonde_married_treat = table(lalonde$married, lalonde$treat),
  lung_inst_sex      = table(lung$inst, lung$sex)[c("1", "3", "11", "12", "13", "16", "22"), ]
)
rows <- lapply(names(tables), function(nm) {
  x <- tables[[nm]]
  ch <- suppressWarnings(chisq.test(x, correct = FALSE))
  t0 <- proc.time()[["elapsed"]]
  fp <- fisher.test(x, workspace = 2e8)$p.value
  secs <- proc.time()[["elapsed"]] - t0
  data.frame(name = nm, nrow = nrow(x), ncol = ncol(x),
             counts = paste(t(unclass(x)), collapse = " "),
             stat = f17(ch$statistic), df = ch$parameter, p = f17(ch$p.value),
             fisher_p = f17(fp), min_expected = f17(min(ch$expected)),
             fisher_seconds = sprintf("%.2f", secs))
})
write.csv(do.call(rbind, rows), file.path(out, "crosstab_refs.csv"), row.names = FALSE)
