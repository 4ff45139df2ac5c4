// The fixed parts of reproduce.R: the comparison with results.json and the analysis
// helpers (see reproduce_script.cpp for the parts written from the spec).
#include "study/reproduce_parts.hpp"

namespace survkit::study {

const char* const kReproduceCompare = R"RSCRIPT(
## ============================================================ comparison with results.json
## results.json holds every number of the report at full precision (shortest round-trip
## decimals), so the comparison is not limited by the printed digits.  A number agrees
## when |survkit - R| <= 1e-6 * max(|survkit|, |R|).  Why 1e-6: survkit and R reach the
## same estimates by different code -- Cox models are iterated until the log-likelihood
## stops changing, sums run in another order -- so equal methods agree to about 1e-10 or
## better (survkit's bundled studies: 3e-12 at worst), far inside 1e-6; a real difference
## (another tie rule, one patient more or less, another reference level or test) moves a
## number by much more than 1e-6.  A blank cell (NA) agrees only with NA.
tolerance <- 1e-6
report <- fromJSON(file.path(folder, "results.json"), simplifyVector = FALSE)
tables <- setNames(report$tables, vapply(report$tables, function(t) t$id, ""))
n_checked <- 0
disagreements <- character()
compared_cells <- character()  # "id row column" of every cell compared

agree <- function(survkit, r) {
  if (is.na(survkit) || is.na(r)) return(is.na(survkit) && is.na(r))
  abs(survkit - r) <= tolerance * max(abs(survkit), abs(r))
}

record <- function(where, survkit, r) {
  n_checked <<- n_checked + 1
  if (!agree(survkit, r))
    disagreements <<- c(disagreements, sprintf("%s: survkit %s, R %s", where,
                                               format(survkit, digits = 10), format(r, digits = 10)))
}

## The cell of table `id` in the row labelled `row` under the heading row `heading` (a
## variable or an endpoint; row = NA: the heading row itself), column `col` (1-based).
find_cell <- function(id, heading, row, col) {
  rows <- tables[[id]]$rows
  text <- vapply(rows, function(x) x$cells[[1]]$text, "")
  is_heading <- vapply(rows, function(x) x$level == 0, TRUE)
  k <- which(is_heading & text == heading)
  if (length(k) != 1) return(NULL)
  if (!is.na(row)) {
    after <- seq_along(rows) > k
    next_heading <- c(which(is_heading & after), length(rows) + 1)[1]
    k <- which(after & seq_along(rows) < next_heading & text == row)
    if (length(k) != 1) return(NULL)
  }
  compared_cells <<- c(compared_cells, paste(id, k, col))
  rows[[k]]$cells[[col]]
}

## Compares R's `r_value` with the `field` ("value", or "lower" / "upper" of an interval)
## of a reported cell.  A results.json written before survkit reported interval limits
## has no "lower" / "upper": those are then not compared.
check <- function(id, heading, row, col, r_value, field = "value") {
  where <- sprintf("%s, %s%s, %s%s", id, heading, if (is.na(row)) "" else paste0(" / ", row),
                   tables[[id]]$header[[col]], if (field == "value") "" else paste0(" (", field, ")"))
  cell <- find_cell(id, heading, row, col)
  if (is.null(cell)) {
    n_checked <<- n_checked + 1
    disagreements <<- c(disagreements, paste0(where, ": no such cell in results.json"))
  } else if (field %in% names(cell)) {
    record(where, if (is.null(cell[[field]])) NA_real_ else cell[[field]], r_value)
  }
}

## An estimate with its interval (a median and its CI, a median follow-up and its IQR, a
## HR and its CI).  The limits are compared only where the estimate exists: survkit
## reports "NR" alone.
check_interval <- function(id, heading, row, col, estimate, lower, upper) {
  check(id, heading, row, col, estimate)
  if (!is.na(estimate)) {
    check(id, heading, row, col, lower, "lower")
    check(id, heading, row, col, upper, "upper")
  }
}

## Patient by patient against analysis_data.csv (the propensity scores, the matching).
n_patient_values <- 0
check_patients <- function(what, survkit, r, line) {
  n_patient_values <<- n_patient_values + length(survkit)
  for (i in seq_along(survkit)) record(sprintf("analysis_data.csv, data line %d, %s", line[i], what), survkit[i], r[i])
}
)RSCRIPT";

const char* const kReproduceAnalyses = R"RSCRIPT(
## ============================================================ the analyses
surv <- function(endpoint, rhs) as.formula(sprintf("Surv(%s, %s) ~ %s", endpoint[["time"]], endpoint[["event"]], rhs))
reverse_surv <- function(endpoint, rhs) as.formula(sprintf("Surv(%s, 1 - %s) ~ %s", endpoint[["time"]], endpoint[["event"]], rhs))
curve_names <- function(names) sub("^[^=]*=", "", names)  # "group=Chemotherapy" -> "Chemotherapy"

## One row per curve: N at the start, events, median and its CI (log transform).
km_table <- function(fit) {
  tab <- summary(fit)$table
  if (is.null(dim(tab))) return(t(tab))
  rownames(tab) <- curve_names(rownames(tab))
  tab
}

## KM estimates at the landmarks, one row per curve: summary(fit, times =), which leaves
## out a time beyond the curve's last time (NA here), except that a curve that ended at 0
## with an event stays 0.
landmark_rates <- function(fit) {
  curves <- if (is.null(fit$strata)) list(fit) else lapply(seq_along(fit$strata), function(k) fit[k])
  rates <- do.call(rbind, lapply(curves, function(f) {
    rate <- rep(NA_real_, length(landmarks))
    inside <- landmarks <= max(f$time)
    if (any(inside)) rate[inside] <- summary(f, times = landmarks[inside])$surv
    if (tail(f$surv, 1) == 0) rate[!inside] <- 0
    rate
  }))
  if (!is.null(fit$strata)) rownames(rates) <- curve_names(names(fit$strata))
  rates
}

## Reverse Kaplan-Meier quartiles of follow-up (censoring as the event), one row per curve.
followup_quartiles <- function(fit) {
  q <- quantile(fit, probs = c(0.25, 0.5, 0.75), conf.int = FALSE)
  if (is.null(dim(q))) return(t(q))
  rownames(q) <- curve_names(rownames(q))
  q
}

## HR, CI and Wald P of the coefficients of `var` in a Cox model (robust SE when it has
## them), one row per non-reference level, named by the level (found through the
## contrasts, not the coefficient names, which some locales spell differently).
hr_terms <- function(fit, var) {
  s <- summary(fit, conf.int = conf_level)
  k <- fit$assign[[var]]
  cm <- contrasts(d[[var]])
  data.frame(hr = s$conf.int[k, 1], lower = s$conf.int[k, 3], upper = s$conf.int[k, 4],
             p = s$coefficients[k, "Pr(>|z|)"], row.names = rownames(cm)[apply(cm, 2, which.max)])
}

logrank_p <- function(formula, data) {
  x <- survdiff(formula, data = data)
  expected <- if (is.matrix(x$exp)) rowSums(x$exp) else x$exp  # stratified: by group and stratum
  pchisq(x$chisq, sum(expected > 0) - 1, lower.tail = FALSE)  # df as print.survdiff()
}

## Tables 1 and 2: one variable's rows (N, landmark rates and its univariate Cox model),
## on the patients who have the variable.
univariate <- function(id, endpoint, var) {
  heading <- headings[[var]]
  L <- length(landmarks)
  sub <- d[!is.na(d[[var]]), ]
  rates <- landmark_rates(survfit(surv(endpoint, var), data = sub, conf.int = conf_level))
  cox <- coxph(surv(endpoint, var), data = sub, ties = ties)
  hr <- hr_terms(cox, var)
  n <- table(sub[[var]])
  for (level in levels(d[[var]])) {
    check(id, heading, level, 2, n[[level]])
    for (k in seq_len(L))
      check(id, heading, level, 2 + k, if (level %in% rownames(rates)) 100 * rates[level, k] else NA)
    if (level %in% rownames(hr)) {
      check(id, heading, level, 3 + L, hr[level, "hr"])
      check(id, heading, level, 4 + L, hr[level, "lower"], "lower")
      check(id, heading, level, 4 + L, hr[level, "upper"], "upper")
      check(id, heading, level, 5 + L, hr[level, "p"])
    }
  }
  if (anyNA(d[[var]])) {
    check(id, heading, NA, 2, cox$n)
    check(id, heading, "Missing", 2, sum(is.na(d[[var]])))
  }
}

## The follow-up table: all patients and each group: N, events, median (CI), landmark
## rates, and the median follow-up (IQR) by the reverse Kaplan-Meier method.
followup <- function(id, heading, endpoint) {
  L <- length(landmarks)
  all <- survfit(surv(endpoint, "1"), data = d, conf.int = conf_level)
  by_group <- survfit(surv(endpoint, "group"), data = d, conf.int = conf_level)
  tab <- rbind(km_table(all), km_table(by_group))
  rates <- rbind(landmark_rates(all), landmark_rates(by_group))
  fu <- rbind(followup_quartiles(survfit(reverse_surv(endpoint, "1"), data = d)),
              followup_quartiles(survfit(reverse_surv(endpoint, "group"), data = d)))
  rownames(tab)[1] <- rownames(rates)[1] <- rownames(fu)[1] <- "All patients"
  lcl <- grep("LCL$", colnames(tab))
  ucl <- grep("UCL$", colnames(tab))
  for (row in rownames(tab)) {
    check(id, heading, row, 2, tab[row, "n.start"])
    check(id, heading, row, 3, tab[row, "events"])
    check_interval(id, heading, row, 4, tab[row, "median"], tab[row, lcl], tab[row, ucl])
    for (k in seq_len(L)) check(id, heading, row, 4 + k, 100 * rates[row, k])
    check_interval(id, heading, row, 5 + L, fu[row, 2], fu[row, 1], fu[row, 3])
  }
}

## The medians table: each group's N, events and median (CI), and the log-rank P, in all
## patients or (matched = TRUE) in the matched sample, weighted by the matching weights.
medians <- function(id, heading, endpoint, matched = FALSE) {
  data <- if (matched) dm else d
  fit <- if (matched) survfit(surv(endpoint, "group"), data = data, weights = weight, conf.int = conf_level)
         else survfit(surv(endpoint, "group"), data = data, conf.int = conf_level)
  tab <- km_table(fit)
  if (!matched || all(data$weight == 1))  # survdiff() has no weights: see matched_results()
    check(id, heading, NA, 5, logrank_p(surv(endpoint, "group"), data))
  for (row in rownames(tab)) {
    check(id, heading, row, 2, tab[row, "n.start"])
    check(id, heading, row, 3, tab[row, "events"])
    check_interval(id, heading, row, 4, tab[row, "median"], tab[row, grep("LCL$", colnames(tab))],
                   tab[row, grep("UCL$", colnames(tab))])
  }
}

## Table 3 and 4: the multivariable Cox model (complete cases, as coxph's default).
multivariable <- function(id, endpoint, vars) {
  cox <- coxph(surv(endpoint, paste(vars, collapse = " + ")), data = d, ties = ties)
  for (var in vars) {
    hr <- hr_terms(cox, var)
    for (level in rownames(hr)) {
      check(id, headings[[var]], level, 2, hr[level, "hr"])
      check(id, headings[[var]], level, 3, hr[level, "lower"], "lower")
      check(id, headings[[var]], level, 3, hr[level, "upper"], "upper")
      check(id, headings[[var]], level, 4, hr[level, "p"])
    }
  }
}

## The Table-1 test of a table of counts: chi-square without continuity correction, or
## Fisher's exact test, by the spec's rule (table1_test).  Levels absent from the table
## are left out.  Weighted counts (fractional matching weights) get the chi-square test.
group_test_p <- function(tab, whole = TRUE) {
  tab <- tab[rowSums(tab) > 0, colSums(tab) > 0, drop = FALSE]
  if (nrow(tab) < 2 || ncol(tab) < 2) return(NA)
  expected <- outer(rowSums(tab), colSums(tab)) / sum(tab)
  fisher <- whole && (table1_test == "fisher" || (table1_test == "auto" && min(expected) < 5))
  if (fisher) fisher.test(tab)$p.value else suppressWarnings(chisq.test(tab, correct = FALSE))$p.value
}

## The standardized mean difference of a level indicator, as MatchIt's summary():
## weighted mean among the treated minus among the controls, over the SD of the treated
## before matching, sqrt(p (1 - p)) (the pooled SD when that is 0), on the patients who
## have the variable.
level_smd <- function(var, level, w) {
  has <- !is.na(d[[var]])
  x <- as.numeric(d[[var]][has] == level)
  treated <- d$treated[has] == 1
  w <- w[has]
  p1 <- mean(x[treated])
  sd <- sqrt(p1 * (1 - p1))
  if (!is.finite(sd) || sd < sqrt(.Machine$double.eps))
    sd <- sqrt((sum(x[treated]) * (1 - p1) + sum(x[!treated]) * (1 - mean(x[!treated]))) / length(x))
  difference <- weighted.mean(x[treated], w[treated]) - weighted.mean(x[!treated], w[!treated])
  if (abs(difference) <= sqrt(.Machine$double.eps)) difference else difference / sd
}

## Table 5: counts per group, the test and (with matching) the SMDs, before and after
## matching (the matched sample weighted by the matching weights).
balance <- function(id, var) {
  heading <- headings[[var]]
  G <- nlevels(d$group)
  with_matching <- matching
  sections <- list(list(data = d, w = rep(1, nrow(d)), first = 2))
  if (with_matching) sections[[2]] <- list(data = dm, w = dm$weight, first = G + 4)
  for (s in sections) {
    counts <- tapply(s$w, list(s$data[[var]], s$data$group), sum, default = 0)
    p <- group_test_p(counts, all(s$w == 1))
    for (l in seq_len(nlevels(d[[var]]))) {
      level <- levels(d[[var]])[l]
      for (g in seq_len(G)) check(id, heading, level, s$first + g - 1, counts[level, g])
      if (l == 1) check(id, heading, level, s$first + G, p)
      if (with_matching)
        check(id, heading, level, s$first + G + 1,
              level_smd(var, level, if (s$first == 2) rep(1, nrow(d)) else d$weight))
    }
    if (anyNA(d[[var]])) {
      missing <- tapply(s$w * is.na(s$data[[var]]), s$data$group, sum, default = 0)
      for (g in seq_len(G)) check(id, heading, "Missing", s$first + g - 1, missing[[g]])
    }
  }
}

## The matched-sample table: KM in the matched sample (weighted by the matching weights),
## the Cox model weighted by them with robust SE clustered on the pairs, its robust score
## test, the log-rank test stratified on the pairs, and the log-rank test.
matched_results <- function(id, heading, endpoint) {
  L <- length(landmarks)
  f <- surv(endpoint, "group")
  fit <- survfit(f, data = dm, weights = weight, conf.int = conf_level)
  cox <- if (has_pairs) coxph(f, data = dm, weights = weight, cluster = subclass, ties = ties)
         else coxph(f, data = dm, weights = weight, robust = TRUE, ties = ties)
  check(id, heading, NA, 7 + L, summary(cox)$robscore[["pvalue"]])
  if (all(dm$weight == 1)) {  # survdiff() has no weights: with fractional weights these stay unchecked
    if (has_pairs) check(id, heading, NA, 8 + L, logrank_p(surv(endpoint, "group + strata(subclass)"), dm))
    check(id, heading, NA, 9 + L, logrank_p(f, dm))
  }
  tab <- km_table(fit)
  rates <- landmark_rates(fit)
  hr <- hr_terms(cox, "group")
  for (row in rownames(tab)) {
    check(id, heading, row, 2, tab[row, "n.start"])
    check(id, heading, row, 3, tab[row, "events"])
    check_interval(id, heading, row, 4, tab[row, "median"], tab[row, grep("LCL$", colnames(tab))],
                   tab[row, grep("UCL$", colnames(tab))])
    for (k in seq_len(L)) check(id, heading, row, 4 + k, 100 * rates[row, k])
    if (row %in% rownames(hr)) {
      check_interval(id, heading, row, 5 + L, hr[row, "hr"], hr[row, "lower"], hr[row, "upper"])
      check(id, heading, row, 6 + L, hr[row, "p"])
    }
  }
}
)RSCRIPT";

const char* const kReproduceSummary = R"RSCRIPT(
## ============================================================ the verdict
## Every number of the report's tables must have been recomputed above.
for (id in names(tables))
  for (k in seq_along(tables[[id]]$rows))
    for (col in seq_along(tables[[id]]$rows[[k]]$cells))
      if (!is.null(tables[[id]]$rows[[k]]$cells[[col]]$value) && !(paste(id, k, col) %in% compared_cells)) {
        n_checked <- n_checked + 1
        disagreements <- c(disagreements, sprintf("%s, row %d (%s), %s: not recomputed by this script", id, k,
                                                  tables[[id]]$rows[[k]]$cells[[1]]$text, tables[[id]]$header[[col]]))
      }
cat(sprintf("%d of %d numbers agree with survkit\n", n_checked - length(disagreements), n_checked))
cat(sprintf("(%d numbers of the report's tables in results.json, %d patient values of analysis_data.csv)\n",
            n_checked - n_patient_values, n_patient_values))
if (length(disagreements) > 0) {
  cat("Disagreements (relative tolerance ", tolerance, "):\n", sep = "")
  cat(paste0("  ", disagreements, "\n"), sep = "")
  if (!interactive()) quit(status = 1)
}
)RSCRIPT";

}  // namespace survkit::study
