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
## better (survkit's bundled studies: 2.4e-11 at worst, a residual figure's SE band), far
## inside 1e-6; a real difference (another tie rule, one patient more or less, another
## reference level or test) moves a number by much more than 1e-6.  A blank cell (NA) agrees only with NA.
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

worst <- list(difference = 0, where = "")  # the largest relative difference of agreeing numbers
record <- function(where, survkit, r) {
  n_checked <<- n_checked + 1
  if (!is.na(survkit) && !is.na(r) && max(abs(survkit), abs(r)) > 0) {
    difference <- abs(survkit - r) / max(abs(survkit), abs(r))
    if (difference > worst$difference && agree(survkit, r)) worst <<- list(difference = difference, where = where)
  }
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
  rows[[k]]$cells[[col]]
}

## The row index of a cell found by find_cell() (for the record of compared cells).
cell_row <- function(id, heading, row) {
  rows <- tables[[id]]$rows
  text <- vapply(rows, function(x) x$cells[[1]]$text, "")
  is_heading <- vapply(rows, function(x) x$level == 0, TRUE)
  k <- which(is_heading & text == heading)
  if (is.na(row)) return(k)
  after <- seq_along(rows) > k
  next_heading <- c(which(is_heading & after), length(rows) + 1)[1]
  which(after & seq_along(rows) < next_heading & text == row)
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
    compared_cells <<- c(compared_cells, paste(id, cell_row(id, heading, row), col, field))
    record(where, if (is.null(cell[[field]])) NA_real_ else cell[[field]], r_value)
  }
}

## A number the report prints only in a table note (the global test of proportional
## hazards of a multivariable model, the test of the matched sample's weighted model):
## results.json has no number for it, so it is compared as printed -- R's value, formatted
## as survkit prints it, must appear in the note.
n_note_values <- 0
p_clause <- function(p) if (is.na(p)) "NA" else if (p < 0.001) "P < 0.001" else sprintf("P = %.3f", p)
## printed = NA: R could not compute the number; it agrees only when no note prints the
## number, i.e. has `anchor`.
check_note <- function(id, what, printed, anchor) {
  n_checked <<- n_checked + 1
  n_note_values <<- n_note_values + 1
  notes <- unlist(tables[[id]]$notes)
  if (is.na(printed)) {
    if (any(grepl(anchor, notes, fixed = TRUE)))
      disagreements <<- c(disagreements, sprintf("%s, note, %s: R cannot compute it (see the messages above)", id, what))
  } else if (!any(grepl(printed, notes, fixed = TRUE))) {
    disagreements <<- c(disagreements, sprintf("%s, note, %s: R gives \"%s\", which the note does not print",
                                               id, what, printed))
  }
}

## The numbers of the report's text outside the tables (results.json "numbers": counts
## of notes and paragraphs, group sizes), by name, as R recomputes them; compared at the
## end (check_numbers()).
text_numbers <- list()
n_flow_values <- 0
text_number <- function(name, value) text_numbers[[name]] <<- value

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

## The Grambsch-Therneau test of proportional hazards of a Cox model, one row per variable
## (terms = TRUE: a factor's coefficients tested together) and the GLOBAL row; NULL when
## R cannot compute it (survkit then leaves the PH P blank).
ph_test <- function(cox) tryCatch(cox.zph(cox, transform = ph_transform, terms = TRUE)$table,
                                  error = function(e) { message("cox.zph: ", conditionMessage(e)); NULL })
ph_p <- function(z, var) if (is.null(z) || !(var %in% rownames(z))) NA else z[var, "p"]

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
  cox <- coxph(surv(endpoint, var), data = sub, ties = ties, model = TRUE)  # model: for cox.zph()
  hr <- hr_terms(cox, var)
  check(id, heading, NA, 6 + L, ph_p(ph_test(cox), var))  # PH P, on the variable's row
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
multivariable <- function(id, endpoint, vars, numbers) {
  cox <- coxph(surv(endpoint, paste(vars, collapse = " + ")), data = d, ties = ties)
  z <- ph_test(cox)
  check_note(id, "global test of proportional hazards",
             if (is.null(z)) NA else sprintf("chi-square = %.2f, df = %.0f, %s.", z["GLOBAL", "chisq"],
                                             z["GLOBAL", "df"], p_clause(z["GLOBAL", "p"])),
             "Global test of proportional hazards")
  if (!is.null(z)) {
    text_number(paste0(numbers, "ph_global.chisq"), z["GLOBAL", "chisq"])
    text_number(paste0(numbers, "ph_global.df"), z["GLOBAL", "df"])
    text_number(paste0(numbers, "ph_global.p"), z["GLOBAL", "p"])
  }
  text_number(paste0(numbers, "n"), cox$n)
  text_number(paste0(numbers, "events"), cox$nevent)
  text_number(paste0(numbers, "terms_below_alpha"), sum(summary(cox)$coefficients[, "Pr(>|z|)"] < alpha, na.rm = TRUE))
  for (var in vars) {
    check(id, headings[[var]], NA, 5, ph_p(z, var))  # PH P, on the variable's row
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

smd_after <- numeric()  # every SMD after matching (the text states the largest)

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
      if (with_matching) {
        smd <- level_smd(var, level, if (s$first == 2) rep(1, nrow(d)) else d$weight)
        check(id, heading, level, s$first + G + 1, smd)
        if (s$first != 2) smd_after <<- c(smd_after, smd)
      }
    }
    if (anyNA(d[[var]])) {
      missing <- tapply(s$w * is.na(s$data[[var]]), s$data$group, sum, default = 0)
      for (g in seq_len(G)) check(id, heading, "Missing", s$first + g - 1, missing[[g]])
    }
  }
}

## A figure of scaled Schoenfeld residuals, against the model it names: the residuals
## drawn (cox.zph's x, on the transformed time scale, and y of the variable; every k-th
## beyond 2000, as the caption says) and the natural-spline smooth (4 df, 40 points) with
## +-2 SE, computed as survival's plot.cox.zph() does.  Each plotted value is compared.
n_figure_values <- 0
checked_figures <- character()
check_values <- function(where, survkit, r) {
  survkit <- vapply(survkit, function(v) if (is.null(v)) NA_real_ else v, 0)
  if (length(survkit) != length(r)) {
    n_checked <<- n_checked + 1
    n_figure_values <<- n_figure_values + 1
    disagreements <<- c(disagreements, sprintf("%s: survkit %d values, R %d", where, length(survkit), length(r)))
    return(invisible())
  }
  n_figure_values <<- n_figure_values + length(r)
  for (k in seq_along(r)) record(sprintf("%s[%d]", where, k), survkit[k], r[k])
}
zph_smooth <- function(x, y, variance, df = 4, nsmo = 40) {
  pred_x <- seq(from = min(x), to = max(x), length = nsmo)
  lmat <- splines::ns(c(pred_x, x), df = df, intercept = TRUE)
  pmat <- lmat[1:nsmo, ]
  qmat <- qr(lmat[-(1:nsmo), ])
  if (qmat$rank < df) return(NULL)  # plot.cox.zph skips the smooth
  yhat <- as.vector(pmat %*% qr.coef(qmat, y))
  bk <- backsolve(qmat$qr[1:df, 1:df], diag(df))
  se <- as.vector(2 * sqrt(variance * ((pmat %*% (bk %*% t(bk))) * pmat) %*% rep(1, df)))
  list(x = pred_x, fit = yhat, lower = yhat - se, upper = yhat + se)
}
residual_figure <- function(id, endpoint, model, var, vars = var) {
  checked_figures <<- c(checked_figures, id)
  fig <- Filter(function(f) identical(f$id, id), report$figures)[[1]]$zph
  f <- surv(endpoint, if (model == "matched") "group" else paste(vars, collapse = " + "))
  cox <- switch(model,
                univariate = coxph(f, data = d[!is.na(d[[var]]), ], ties = ties, model = TRUE),
                multivariable = coxph(f, data = d, ties = ties),
                matched = if (has_pairs) coxph(f, data = dm, weights = weight, cluster = subclass, ties = ties)
                          else coxph(f, data = dm, weights = weight, robust = TRUE, ties = ties))
  z <- tryCatch(cox.zph(cox, transform = ph_transform, terms = TRUE), error = function(e) conditionMessage(e))
  if (is.character(z)) {
    n_checked <<- n_checked + 1
    n_figure_values <<- n_figure_values + 1
    disagreements <<- c(disagreements, sprintf("results.json, figure %s: R's cox.zph fails (%s)", id, z))
    return(invisible())
  }
  i <- match(var, colnames(z$y))
  keep <- seq(1, length(z$x), by = max(1, ceiling(length(z$x) / 2000)))
  where <- paste0("results.json, figure ", id, ", ")
  check_values(paste0(where, "x"), fig$x, z$x[keep])
  check_values(paste0(where, "y"), fig$y, z$y[keep, i])
  s <- zph_smooth(z$x, z$y[, i], z$var[i, i])
  if (is.null(s)) s <- list(x = numeric(), fit = numeric(), lower = numeric(), upper = numeric())
  check_values(paste0(where, "fit_x"), fig$fit_x, s$x)
  for (part in c("fit", "lower", "upper")) check_values(paste0(where, part), fig[[part]], s[[part]])
}

## The matching's counts (the text and the patient flow): eligible, matched and unmatched
## patients per arm, and the patients not eligible, each under the first matching
## covariate (in the propensity model's order) they lack.
matching_numbers <- function(eligible) {
  treated <- d$treated == 1
  text_number("matching.treated.all", sum(eligible & treated))
  text_number("matching.treated.matched", sum(d$weight > 0 & treated))
  text_number("matching.treated.unmatched", sum(eligible & treated) - sum(d$weight > 0 & treated))
  text_number("matching.control.all", sum(eligible & !treated))
  text_number("matching.control.matched", sum(d$weight > 0 & !treated))
  text_number("matching.not_eligible", sum(!eligible))
  first_missing <- apply(is.na(d[covariates]), 1, function(x) if (any(x)) which(x)[1] else NA)
  steps <- report$flow$matching_steps
  remaining <- nrow(d)
  k <- 0
  for (c in seq_along(covariates)) {
    excluded <- sum(first_missing == c, na.rm = TRUE)
    if (excluded == 0) next
    k <- k + 1
    remaining <- remaining - excluded
    where <- sprintf("results.json, flow, matching step %d (missing %s)", k, headings[[covariates[c]]])
    n_flow_values <<- n_flow_values + 2
    if (k > length(steps)) {
      n_checked <<- n_checked + 2
      disagreements <<- c(disagreements, paste0(where, ": not in results.json"), paste0(where, ": not in results.json"))
      next
    }
    record(paste0(where, ", excluded"), steps[[k]]$excluded, excluded)
    record(paste0(where, ", remaining"), steps[[k]]$remaining, remaining)
  }
  if (length(steps) > k) {
    n_checked <<- n_checked + 1
    n_flow_values <<- n_flow_values + 1
    disagreements <<- c(disagreements, sprintf("results.json, flow: %d matching steps, R finds %d",
                                               length(steps), k))
  }
}

## The matched-sample table: KM in the matched sample (weighted by the matching weights),
## the Cox model weighted by them with robust SE clustered on the pairs, its robust score
## test, the log-rank test stratified on the pairs, and the log-rank test.
matched_results <- function(id, heading, endpoint, short) {
  L <- length(landmarks)
  f <- surv(endpoint, "group")
  fit <- survfit(f, data = dm, weights = weight, conf.int = conf_level)
  cox <- if (has_pairs) coxph(f, data = dm, weights = weight, cluster = subclass, ties = ties)
         else coxph(f, data = dm, weights = weight, robust = TRUE, ties = ties)
  check(id, heading, NA, 7 + L, summary(cox)$robscore[["pvalue"]])
  z <- ph_test(cox)
  ph <- ph_p(z, "group")
  check_note(id, paste(short, "test of proportional hazards of the weighted model"),
             if (is.na(ph)) NA else paste(short, p_clause(ph)), paste0(" ", short, " P"))
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
## ============================================================ the text's numbers
## results.json "numbers": the counts of the notes and paragraphs and the group sizes are
## recomputed here; the spec's settings it echoes (spec.*, convention.*) are compared with
## the values this script analyses with (see `settings`).  A name this script does not
## know is a disagreement ("not recomputed"), never skipped.
text_number("flow.n_analysed", nrow(d))
for (g in levels(d$group)) {
  text_number(paste0("group.n_before.", g), sum(d$group == g))
  if (matching) text_number(paste0("group.n_after.", g), sum(dm$weight[dm$group == g]))
}
if (matching) text_number("matching.largest_abs_smd_after", max(abs(smd_after), na.rm = TRUE))
n_text_values <- 0
n_setting_values <- 0
check_number <- function(name, survkit) {
  where <- paste0("results.json, numbers, ", name)
  if (name %in% names(settings)) {
    n_setting_values <<- n_setting_values + 1
    record(paste0(where, " (setting)"), survkit, settings[[name]])
  } else if (name %in% names(text_numbers)) {
    n_text_values <<- n_text_values + 1
    record(where, survkit, text_numbers[[name]])
  } else {
    n_checked <<- n_checked + 1
    n_text_values <<- n_text_values + 1
    disagreements <<- c(disagreements, paste0(where, ": not recomputed by this script"))
  }
}
for (x in report$numbers) check_number(x$name, if (is.null(x$value)) NA_real_ else x$value)
check_number("flow.n_analysed", report$flow$n_analysed)
n_steps <- length(report$flow$steps)
if (n_steps > 0) {  # the last filter leaves the analysed patients
  n_flow_values <- n_flow_values + 1
  record("results.json, flow, patients left by the last filter", report$flow$steps[[n_steps]]$remaining, nrow(d))
}

## ============================================================ the verdict
## Every number of the report's tables (its value and, for an interval, its limits) must
## have been recomputed above.
for (id in names(tables))
  for (k in seq_along(tables[[id]]$rows))
    for (col in seq_along(tables[[id]]$rows[[k]]$cells))
      for (field in c("value", "lower", "upper")) {
        cell <- tables[[id]]$rows[[k]]$cells[[col]]
        if (!is.null(cell[[field]]) && !(paste(id, k, col, field) %in% compared_cells)) {
          n_checked <- n_checked + 1
          disagreements <- c(disagreements, sprintf("%s, row %d (%s), %s%s: not recomputed by this script", id, k,
                                                    tables[[id]]$rows[[k]]$cells[[1]]$text,
                                                    tables[[id]]$header[[col]],
                                                    if (field == "value") "" else paste0(" (", field, ")")))
        }
      }
n_table_values <- n_checked - n_patient_values - n_note_values - n_text_values - n_setting_values - n_flow_values -
  n_figure_values
cat(sprintf("%d of %d numbers agree with survkit\n", n_checked - length(disagreements), n_checked))
cat(sprintf(paste("(%d numbers of the report's tables in results.json, %d printed in table notes, %d of the",
                  "text, %d of the patient flow, %d settings echoed, %d plotted in the residual figures,",
                  "%d patient values of analysis_data.csv)\n"),
            n_table_values, n_note_values, n_text_values, n_flow_values, n_setting_values, n_figure_values,
            n_patient_values))
cat(sprintf("Largest relative difference among the agreeing numbers: %.2g%s\n", worst$difference,
            if (worst$difference > 0) paste0(" (", worst$where, ")") else ""))
cat("Not checked:\n")
if (!is.null(report$published))
  cat("  published values: not survkit estimates, not checked\n")
cat("  the patient flow before the analysed set (rows read, exclusions per filter): needs the data file\n")
other_figures <- Filter(function(f) !identical(f$kind, "zph"), report$figures)
if (length(other_figures) > 0)
  cat(sprintf(paste("  %d figures (Kaplan-Meier curves, Love plot): skipped (their medians, rates, tests and SMDs",
                    "are the tables' numbers, checked above)\n"), length(other_figures)))
for (f in report$figures)
  if (identical(f$kind, "zph") && !(f$id %in% checked_figures)) {
    n_checked <- n_checked + 1
    n_figure_values <- n_figure_values + 1
    disagreements <- c(disagreements, sprintf("results.json, figure %s: not recomputed by this script", f$id))
  }
if (length(disagreements) > 0) {
  cat("Disagreements (relative tolerance ", tolerance, "):\n", sep = "")
  cat(paste0("  ", disagreements, "\n"), sep = "")
  if (!interactive()) quit(status = 1)
}
)RSCRIPT";

}  // namespace survkit::study
