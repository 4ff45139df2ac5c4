# Reference values for the data layer (CSV parser + model frame), computed with R.
# Run from the repository root:   Rscript tests/reference/data/make_data_refs.R
# Writes, next to this script:
#   columns.csv      one row per (dataset, column): R's type after read.csv, the number of
#                    missing values (colSums(is.na(.))), the number of distinct non-missing
#                    values, and the sum of the non-missing values (numeric columns only).
#   complete_cases.csv  nrow(na.omit(lung[, cols])) for a few column sets of lung, with the
#                    number of missing values per column within that set.
options(warn = 1)
out_dir <- "tests/reference/data"
fmt <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))

datasets <- c("lung", "colon", "veteran", "ovarian", "lalonde")
rows <- list()
for (d in datasets) {
  df <- read.csv(file.path("tests/data", paste0(d, ".csv")), stringsAsFactors = FALSE)
  for (col in names(df)) {
    v <- df[[col]]
    num <- is.numeric(v)
    rows[[length(rows) + 1]] <- data.frame(
      dataset = d, nrow = nrow(df), ncol = ncol(df), column = col,
      kind = if (num) "numeric" else "categorical",
      n_missing = sum(is.na(v)),
      n_distinct = length(unique(v[!is.na(v)])),
      sum = if (num) fmt(sum(as.numeric(v), na.rm = TRUE)) else "NA")
  }
}
write.csv(do.call(rbind, rows), file.path(out_dir, "columns.csv"), row.names = FALSE, quote = FALSE)

lung <- read.csv("tests/data/lung.csv")
sets <- list(
  c("time", "status"),
  c("time", "status", "age", "sex", "ph.ecog"),
  c("time", "status", "ph.karno", "pat.karno", "meal.cal", "wt.loss"),
  c("time", "status", "inst", "wt.loss"))
cc <- list()
for (s in sets) {
  cc[[length(cc) + 1]] <- data.frame(
    columns = paste(s, collapse = " "),
    n_complete = nrow(na.omit(lung[, s])),
    n_missing_by_column = paste(colSums(is.na(lung[, s])), collapse = " "))
}
write.csv(do.call(rbind, cc), file.path(out_dir, "complete_cases.csv"), row.names = FALSE, quote = FALSE)
