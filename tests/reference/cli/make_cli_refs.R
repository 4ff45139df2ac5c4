# End-to-end references for the survkit command line (tests/cli/test_cli.cpp).
#
# Run from the repository root:   Rscript tests/reference/cli/make_cli_refs.R
#
# It does two things, both rerunnable:
#  1. writes the crafted input variants under tests/data/cli/ (derived from tests/data):
#     other event codings, CSV dialects, shuffled rows, varied missing-value tokens,
#     a weights column, and a 0/1/2 competing-risk column derived from colon (the small
#     hand-written files there, bad_*.csv and hand_*.csv, are not produced by this script);
#  2. writes tests/reference/cli/cases.csv (one CLI command line per case, next to the R
#     call that gives its answer) and tests/reference/cli/values.csv: for each case, the
#     JSON pointer of a field of `survkit ... --json` output, its kind and R's value
#     (%.17g; NA for a value that must be null).
#     kind: num (estimate/SE/statistic), p (p-value), count (exact), str (exact text),
#           len (exact length of a JSON array).
suppressPackageStartupMessages(library(survival))
stopifnot(packageVersion("survival") == "3.5.3")

data_dir <- "tests/data"
cli_dir <- "tests/data/cli"
ref_dir <- "tests/reference/cli"
dir.create(cli_dir, showWarnings = FALSE)

lung <- read.csv(file.path(data_dir, "lung.csv"))
veteran <- read.csv(file.path(data_dir, "veteran.csv"))
colon <- read.csv(file.path(data_dir, "colon.csv"))
ovarian <- read.csv(file.path(data_dir, "ovarian.csv"))
lalonde <- read.csv(file.path(data_dir, "lalonde.csv"))

## ---------------------------------------------------------------- 1. crafted inputs
wcsv <- function(d, name, na = "") {  # (write.csv re-evaluates its call: pass plain values)
  path <- file.path(cli_dir, name)
  write.csv(d, path, row.names = FALSE, na = na)
}

# Event coded 0/1 and TRUE/FALSE (same information as lung's 1/2).
l01 <- lung; l01$status <- l01$status - 1L
wcsv(l01, "lung_01.csv", na = "")
ltf <- lung; ltf$status <- ltf$status == 2
wcsv(ltf, "lung_tf.csv", na = "")
# CSV dialects of the very same data.
write.table(lung, file.path(cli_dir, "lung_semicolon.csv"), sep = ";", row.names = FALSE, na = "")
write.table(lung, file.path(cli_dir, "lung_tab.tsv"), sep = "\t", row.names = FALSE, na = "",
            quote = FALSE)
write.csv(lung, file.path(cli_dir, "lung_crlf.csv"), row.names = FALSE, na = "", eol = "\r\n")
local({  # UTF-8 byte order mark before the header
  con <- file(file.path(cli_dir, "lung_bom.csv"), "wb")
  writeBin(as.raw(c(0xEF, 0xBB, 0xBF)), con)
  close(con)
  suppressWarnings(  # "appending column names to file" is what we want here
    write.table(lung, file.path(cli_dir, "lung_bom.csv"), sep = ",", row.names = FALSE,
                na = "", append = TRUE, col.names = TRUE))
})
# Every field quoted, numbers included, plus a text label holding the separator and a
# doubled quote, and a note column with a quoted line break inside a field.
local({
  q <- function(x) ifelse(is.na(x), "", paste0('"', gsub('"', '""', as.character(x)), '"'))
  d <- lung
  d$sexlab <- ifelse(lung$sex == 1, "male, \"M\"", "female, \"F\"")
  d$note <- ifelse(seq_len(nrow(d)) %% 50 == 0, "two\nlines", "x")
  lines <- c(paste(q(names(d)), collapse = ","),
             apply(sapply(d, q), 1, paste, collapse = ","))
  writeLines(lines, file.path(cli_dir, "lung_quoted.csv"), useBytes = TRUE)
})
# Rows in a random order.
set.seed(20240611)
wcsv(lung[sample(nrow(lung)), ], "lung_shuffled.csv", na = "")
# Missing values written four ways: "" (inst, pat.karno), NA (meal.cal), NaN (wt.loss),
# "." (ph.ecog, ph.karno).
local({
  d <- lung
  for (v in names(d)) d[[v]] <- as.character(d[[v]])
  tok <- c(inst = "", pat.karno = "", meal.cal = "NA", wt.loss = "NaN", ph.ecog = ".",
           ph.karno = ".")
  for (v in names(tok)) d[[v]][is.na(d[[v]])] <- tok[[v]]
  write.csv(d, file.path(cli_dir, "lung_missing.csv"), row.names = FALSE, quote = FALSE)
})
# Fractional case weights (as matching weights are).
lw <- lung; lw$w <- 0.5 + (seq_len(nrow(lung)) %% 4) * 0.375
wcsv(lw, "lung_w.csv", na = "")
# Competing risks from colon: recurrence (etype 1) is the event of interest; death
# without recurrence (etype 2 with no recurrence) is the competing event: cr = 0/1/2.
local({
  rec <- colon[colon$etype == 1, c("id", "rx", "age", "sex", "nodes", "time", "status")]
  dth <- colon[colon$etype == 2, c("id", "status")]
  names(dth)[2] <- "dead"
  d <- merge(rec, dth, by = "id")
  d$cr <- ifelse(d$status == 1, 1L, ifelse(d$dead == 1, 2L, 0L))
  d$status <- NULL; d$dead <- NULL
  wcsv(d[order(d$id), ], "colon_cr.csv", na = "")
})
colon_cr <- read.csv(file.path(cli_dir, "colon_cr.csv"))

## ---------------------------------------------------------------- 2. references
cases <- data.frame(case = character(), args = character())
vals <- list()
f17 <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))
put <- function(case, ptr, kind, value) {
  value <- if (kind == "str") as.character(value) else f17(as.numeric(value))
  vals[[length(vals) + 1]] <<- data.frame(case = case, pointer = ptr, kind = kind, value = value)
}
add_case <- function(case, args) {
  stopifnot(!case %in% cases$case)
  cases[nrow(cases) + 1, ] <<- c(case, args)
}
# Rows dropped for missing values: n rows with any NA in the used columns, and the NA
# count of each used column.
put_dropped <- function(case, d, cols) {
  put(case, "/dropped/n", "count", sum(!complete.cases(d[, cols, drop = FALSE])))
  for (v in cols) put(case, paste0("/dropped/by_column/", v), "count", sum(is.na(d[[v]])))
}
cc <- function(d, cols) d[complete.cases(d[, cols, drop = FALSE]), , drop = FALSE]
lvls <- function(x) as.character(sort(unique(x)))   # numbers by value, text by byte order

# --- km: one survfit per group level (identical to the stratified fit)
km_case <- function(case, args, d, time, ev, group = NULL, times = NULL, conf.type = "log",
                    conf.int = 0.95, rmean = NULL, weights = NULL, event_cols,
                    curve_detail = TRUE) {
  add_case(case, args)
  used <- c(event_cols, group, weights)
  put_dropped(case, d, used)
  d <- cc(d, used)
  d$.t <- d[[time]]; d$.e <- ev(d)
  d$.w <- if (is.null(weights)) 1 else d[[weights]]
  put(case, "/n", "count", nrow(d))
  wcount <- if (is.null(weights)) "count" else "num"
  put(case, "/events", wcount, sum(d$.w * d$.e))
  levs <- if (is.null(group)) "all" else lvls(d[[group]])
  put(case, "/groups", "len", length(levs))
  for (i in seq_along(levs)) {
    g <- paste0("/groups/", i - 1)
    s <- if (is.null(group)) d else d[as.character(d[[group]]) == levs[i], ]
    fit <- survfit(Surv(.t, .e) ~ 1, data = s, weights = .w, conf.type = conf.type,
                   conf.int = conf.int)
    put(case, paste0(g, "/group"), "str", levs[i])
    put(case, paste0(g, "/n"), "count", nrow(s))
    put(case, paste0(g, "/events"), wcount, sum(fit$n.event))
    tab <- summary(fit)$table
    put(case, paste0(g, "/median/estimate"), "num", tab[["median"]])
    put(case, paste0(g, "/median/lower"), "num", tab[[grep("LCL", names(tab))]])
    put(case, paste0(g, "/median/upper"), "num", tab[[grep("UCL", names(tab))]])
    if (!is.null(rmean)) {  # what print(fit, rmean = TAU) prints
      m <- survival:::survmean(fit, scale = 1, rmean = rmean)$matrix
      put(case, paste0(g, "/rmst/tau"), "num", rmean)
      put(case, paste0(g, "/rmst/estimate"), "num", m[["rmean"]])
      put(case, paste0(g, "/rmst/se"), "num", m[["se(rmean)"]])
    } else {
      put(case, paste0(g, "/rmst"), "num", NA)
    }
    if (!is.null(times)) {
      sm <- summary(fit, times = times)
      put(case, paste0(g, "/at"), "len", length(sm$time))
      for (j in seq_along(sm$time)) {
        a <- paste0(g, "/at/", j - 1)
        put(case, paste0(a, "/time"), "num", sm$time[j])
        put(case, paste0(a, "/n_risk"), wcount, sm$n.risk[j])
        put(case, paste0(a, "/n_event"), wcount, sm$n.event[j])
        put(case, paste0(a, "/survival"), "num", sm$surv[j])
        put(case, paste0(a, "/std_err"), "num", sm$std.err[j])
        put(case, paste0(a, "/lower"), "num", sm$lower[j])
        put(case, paste0(a, "/upper"), "num", sm$upper[j])
      }
    } else {
      put(case, paste0(g, "/at"), "len", 0)
    }
    put(case, paste0(g, "/curve"), "len", length(fit$time))
    # (curve_detail = FALSE: only the length, for the 929-row colon curves that would
    # swell the reference file; the curve itself is checked on lung/veteran/ovarian.)
    for (j in seq_along(fit$time)[curve_detail]) {
      a <- paste0(g, "/curve/", j - 1)
      put(case, paste0(a, "/time"), "num", fit$time[j])
      put(case, paste0(a, "/n_risk"), wcount, fit$n.risk[j])
      put(case, paste0(a, "/n_event"), wcount, fit$n.event[j])
      put(case, paste0(a, "/n_censor"), wcount, fit$n.censor[j])
      put(case, paste0(a, "/survival"), "num", fit$surv[j])
      # summary.survfit's std.err, the SE of S(t): survfit's std.err is the SE of -log S
      # (Greenwood, logse TRUE) times S, or already the SE of S (robust IJ variance for
      # fractional weights, logse FALSE).
      put(case, paste0(a, "/std_err"), "num",
          if (fit$logse) fit$std.err[j] * fit$surv[j] else fit$std.err[j])
      put(case, paste0(a, "/lower"), "num", fit$lower[j])
      put(case, paste0(a, "/upper"), "num", fit$upper[j])
    }
  }
}
st12 <- function(d) as.integer(d$status == 2)
km_case("km_lung", "km {data}/lung.csv --time time --event status --json",
        lung, "time", st12, event_cols = c("time", "status"))
km_case("km_lung_sex", "km {data}/lung.csv --time time --event status --group sex --times 100,365,1100 --rmst 500 --json",
        lung, "time", st12, group = "sex", times = c(100, 365, 1100), rmean = 500,
        event_cols = c("time", "status"))
km_case("km_lung_loglog", "km {data}/lung.csv --time time --event status --group ph.ecog --conf-type log-log --conf-level 0.9 --times 30,200 --json",
        lung, "time", st12, group = "ph.ecog", times = c(30, 200), conf.type = "log-log",
        conf.int = 0.9, event_cols = c("time", "status"))
km_case("km_vet_plain", "km {data}/veteran.csv --time time --event status --group celltype --conf-type plain --times 50,100 --rmst 200 --json",
        veteran, "time", function(d) d$status, group = "celltype", times = c(50, 100),
        conf.type = "plain", rmean = 200, event_cols = c("time", "status"))
km_case("km_ovarian", "km {data}/ovarian.csv --time futime --event fustat --group rx --rmst 1000 --json",
        ovarian, "futime", function(d) d$fustat, group = "rx", rmean = 1000,
        event_cols = c("futime", "fustat"))
km_case("km_weights", "km {data}/cli/lung_w.csv --time time --event status --group sex --weights w --times 200 --rmst 600 --json",
        lw, "time", st12, group = "sex", weights = "w", times = 200, rmean = 600,
        event_cols = c("time", "status"))
km_case("km_01", "km {data}/cli/lung_01.csv --time time --event status --group sex --json",
        l01, "time", function(d) d$status, group = "sex", event_cols = c("time", "status"))
km_case("km_tf", "km {data}/cli/lung_tf.csv --time time --event status --group sex --json",
        ltf, "time", function(d) as.integer(d$status), group = "sex",
        event_cols = c("time", "status"))
km_case("km_eq", "km {data}/lung.csv --time time --event status=2 --group ph.ecog --json",
        lung, "time", st12, group = "ph.ecog", event_cols = c("time", "status"))
km_case("km_cr1", "km {data}/cli/colon_cr.csv --time time --event cr=1 --group rx --times 365,1825 --json",
        colon_cr, "time", function(d) as.integer(d$cr == 1), group = "rx", times = c(365, 1825),
        event_cols = c("time", "cr"), curve_detail = FALSE)
km_case("km_cr2", "km {data}/cli/colon_cr.csv --time time --event cr=2 --json",
        colon_cr, "time", function(d) as.integer(d$cr == 2), event_cols = c("time", "cr"),
        curve_detail = FALSE)
km_case("km_quoted_label", "km {data}/cli/lung_quoted.csv --time time --event status --group sexlab --json",
        transform(lung, sexlab = ifelse(sex == 1, "male, \"M\"", "female, \"F\"")), "time", st12,
        group = "sexlab", event_cols = c("time", "status"))

# --- logrank
lr_case <- function(case, args, d, time, ev, group, strata = NULL, rho = 0, event_cols) {
  add_case(case, args)
  used <- c(event_cols, group, strata)
  put_dropped(case, d, used)
  d <- cc(d, used)
  d$.t <- d[[time]]; d$.e <- ev(d); d$.g <- factor(d[[group]], levels = lvls(d[[group]]))
  fit <- if (is.null(strata)) survdiff(Surv(.t, .e) ~ .g, data = d, rho = rho) else {
    d$.s <- d[[strata]]; survdiff(Surv(.t, .e) ~ .g + strata(.s), data = d, rho = rho) }
  obs <- if (is.matrix(fit$obs)) rowSums(fit$obs) else fit$obs
  ex <- if (is.matrix(fit$exp)) rowSums(fit$exp) else fit$exp
  df <- sum(ex > 0) - 1
  put(case, "/n", "count", nrow(d))
  put(case, "/chisq", "num", fit$chisq)
  put(case, "/df", "count", df)
  put(case, "/p", "p", pchisq(fit$chisq, df, lower.tail = FALSE))
  put(case, "/groups", "len", nlevels(d$.g))
  for (i in seq_len(nlevels(d$.g))) {
    g <- paste0("/groups/", i - 1)
    put(case, paste0(g, "/group"), "str", levels(d$.g)[i])
    put(case, paste0(g, "/n"), "count", fit$n[i])
    put(case, paste0(g, "/observed"), if (rho == 0) "count" else "num", obs[i])
    put(case, paste0(g, "/expected"), "num", ex[i])
    put(case, paste0(g, "/variance"), "num", fit$var[i, i])
  }
}
lr_case("lr_lung_sex", "logrank {data}/lung.csv --time time --event status --group sex --json",
        lung, "time", st12, "sex", event_cols = c("time", "status"))
lr_case("lr_vet_cell", "logrank {data}/veteran.csv --time time --event status --group celltype --json",
        veteran, "time", function(d) d$status, "celltype", event_cols = c("time", "status"))
lr_case("lr_lung_ecog_strata", "logrank {data}/lung.csv --time time --event status --group sex --strata ph.ecog --json",
        lung, "time", st12, "sex", strata = "ph.ecog", event_cols = c("time", "status"))
lr_case("lr_vet_strata", "logrank {data}/veteran.csv --time time --event status --group trt --strata celltype --json",
        veteran, "time", function(d) d$status, "trt", strata = "celltype",
        event_cols = c("time", "status"))
lr_case("lr_rho1", "logrank {data}/lung.csv --time time --event status --group sex --rho 1 --json",
        lung, "time", st12, "sex", rho = 1, event_cols = c("time", "status"))
lr_case("lr_tf_4", "logrank {data}/cli/lung_tf.csv --time time --event status --group ph.ecog --json",
        ltf, "time", function(d) as.integer(d$status), "ph.ecog",
        event_cols = c("time", "status"))
lr_case("lr_cr1", "logrank {data}/cli/colon_cr.csv --time time --event cr=1 --group rx --json",
        colon_cr, "time", function(d) as.integer(d$cr == 1), "rx", event_cols = c("time", "cr"))

# --- cox.  `terms` are survkit's names of R's coefficients, in R's order.
cox_case <- function(case, args, d, formula, terms, used, ties = "efron", weights = NULL,
                     cluster = NULL) {
  add_case(case, args)
  put_dropped(case, d, c(used, weights, cluster))
  d <- cc(d, c(used, weights, cluster))
  d$.w <- if (is.null(weights)) 1 else d[[weights]]
  fit <- if (is.null(cluster)) coxph(formula, data = d, ties = ties, weights = .w) else {
    d$.c <- d[[cluster]]
    coxph(update(formula, . ~ . + cluster(.c)), data = d, ties = ties, weights = .w) }
  s <- summary(fit)
  # coxph's variance is robust with a cluster and also, by default, with fractional
  # case weights; fit$naive.var then holds the model-based one.
  robust <- !is.null(fit$naive.var)
  put(case, "/n", "count", fit$n)
  put(case, "/events", "count", fit$nevent)
  put(case, "/ties", "str", ties)
  put(case, "/converged", "str", "true")
  put(case, "/iterations", "count", fit$iter)
  put(case, "/warnings", "len", 0)
  stopifnot(length(terms) == length(coef(fit)))
  put(case, "/terms", "len", length(terms))
  se <- sqrt(diag(if (robust) fit$naive.var else fit$var))
  for (i in seq_along(terms)) {
    g <- paste0("/terms/", i - 1)
    put(case, paste0(g, "/term"), "str", terms[i])
    put(case, paste0(g, "/coef"), "num", coef(fit)[i])
    put(case, paste0(g, "/hr"), "num", exp(coef(fit)[i]))
    put(case, paste0(g, "/se"), "num", se[i])
    put(case, paste0(g, "/robust_se"), "num", if (robust) sqrt(fit$var[i, i]) else NA)
    put(case, paste0(g, "/z"), "num", s$coefficients[i, "z"])
    put(case, paste0(g, "/p"), "p", s$coefficients[i, "Pr(>|z|)"])
    put(case, paste0(g, "/lower"), "num", s$conf.int[i, "lower .95"])
    put(case, paste0(g, "/upper"), "num", s$conf.int[i, "upper .95"])
  }
  put(case, "/loglik/null", "num", fit$loglik[1])
  put(case, "/loglik/model", "num", fit$loglik[2])
  # Statistics from the fit: summary.coxph rounds the Wald statistic to 2 decimals.
  stat <- c(likelihood_ratio = 2 * diff(fit$loglik), wald = fit$wald.test, score = fit$score)
  for (tst in list(c("likelihood_ratio", "logtest"), c("wald", "waldtest"), c("score", "sctest"))) {
    v <- s[[tst[2]]]
    put(case, paste0("/tests/", tst[1], "/stat"), "num", stat[[tst[1]]])
    put(case, paste0("/tests/", tst[1], "/df"), "count", v[["df"]])
    put(case, paste0("/tests/", tst[1], "/p"), "p", v[["pvalue"]])
  }
  if (robust) {
    put(case, "/robust", "str", "true")
    put(case, "/tests/robust_score/stat", "num", fit$rscore)
    put(case, "/tests/robust_score/p", "p", s$robscore[["pvalue"]])
  }
  put(case, "/concordance/estimate", "num", s$concordance[[1]])
  put(case, "/concordance/se", "num", s$concordance[[2]])
}
lung$ev <- st12(lung)
cox_case("cox_efron", "cox {data}/lung.csv --time time --event status --covariates age,sex,ph.ecog --json",
         lung, Surv(time, ev) ~ age + sex + ph.ecog, c("age", "sex", "ph.ecog"),
         c("time", "status", "age", "sex", "ph.ecog"))
cox_case("cox_breslow", "cox {data}/lung.csv --time time --event status --covariates age,sex,ph.ecog,wt.loss --ties breslow --json",
         lung, Surv(time, ev) ~ age + sex + ph.ecog + wt.loss,
         c("age", "sex", "ph.ecog", "wt.loss"), c("time", "status", "age", "sex", "ph.ecog", "wt.loss"),
         ties = "breslow")
cox_case("cox_factor_num", "cox {data}/lung.csv --time time --event status --covariates age,ph.ecog --factor ph.ecog --json",
         lung, Surv(time, ev) ~ age + factor(ph.ecog),
         c("age", "ph.ecog=1", "ph.ecog=2", "ph.ecog=3"), c("time", "status", "age", "ph.ecog"))
cox_case("cox_factor_ref", "cox {data}/lung.csv --time time --event status --covariates age,ph.ecog --factor ph.ecog:ref=1 --json",
         lung, Surv(time, ev) ~ age + relevel(factor(ph.ecog), ref = "1"),
         c("age", "ph.ecog=0", "ph.ecog=2", "ph.ecog=3"), c("time", "status", "age", "ph.ecog"))
cox_case("cox_vet_cell", "cox {data}/veteran.csv --time time --event status --covariates celltype,karno,trt --json",
         veteran, Surv(time, status) ~ factor(celltype) + karno + trt,
         c("celltype=large", "celltype=smallcell", "celltype=squamous", "karno", "trt"),
         c("time", "status", "celltype", "karno", "trt"))
cox_case("cox_vet_cell_ref", "cox {data}/veteran.csv --time time --event status --covariates celltype,karno --factor celltype:ref=squamous --ties breslow --json",
         veteran, Surv(time, status) ~ relevel(factor(celltype), ref = "squamous") + karno,
         c("celltype=adeno", "celltype=large", "celltype=smallcell", "karno"),
         c("time", "status", "celltype", "karno"), ties = "breslow")
cox_case("cox_strata", "cox {data}/lung.csv --time time --event status --covariates age,ph.ecog --strata sex --json",
         lung, Surv(time, ev) ~ age + ph.ecog + strata(sex), c("age", "ph.ecog"),
         c("time", "status", "age", "ph.ecog", "sex"))
colon_d <- colon[colon$etype == 2, ]
colon$ev <- colon$status
cox_case("cox_cluster", "cox {data}/colon.csv --time time --event status --covariates rx,age,sex,nodes --cluster id --json",
         colon, Surv(time, ev) ~ factor(rx) + age + sex + nodes,
         c("rx=Lev+5FU", "rx=Obs", "age", "sex", "nodes"),
         c("time", "status", "rx", "age", "sex", "nodes"), cluster = "id")
lw$ev <- st12(lw)
cox_case("cox_weights", "cox {data}/cli/lung_w.csv --time time --event status --covariates age,sex,ph.ecog --weights w --json",
         lw, Surv(time, ev) ~ age + sex + ph.ecog, c("age", "sex", "ph.ecog"),
         c("time", "status", "age", "sex", "ph.ecog"), weights = "w")
cox_case("cox_weights_breslow_strata", "cox {data}/cli/lung_w.csv --time time --event status --covariates age,ph.ecog --weights w --strata sex --ties breslow --json",
         lw, Surv(time, ev) ~ age + ph.ecog + strata(sex), c("age", "ph.ecog"),
         c("time", "status", "age", "ph.ecog", "sex"), weights = "w", ties = "breslow")
ltf$ev <- as.integer(ltf$status)
cox_case("cox_tf", "cox {data}/cli/lung_tf.csv --time time --event status --covariates age,sex --json",
         ltf, Surv(time, ev) ~ age + sex, c("age", "sex"), c("time", "status", "age", "sex"))
l01$ev <- l01$status
cox_case("cox_01", "cox {data}/cli/lung_01.csv --time time --event status --covariates age,sex --json",
         l01, Surv(time, ev) ~ age + sex, c("age", "sex"), c("time", "status", "age", "sex"))
colon_cr$ev <- as.integer(colon_cr$cr == 1)
cox_case("cox_cr1", "cox {data}/cli/colon_cr.csv --time time --event cr=1 --covariates rx,age,nodes --json",
         colon_cr, Surv(time, ev) ~ factor(rx) + age + nodes, c("rx=Lev+5FU", "rx=Obs", "age", "nodes"),
         c("time", "cr", "rx", "age", "nodes"))
colon_cr$ev <- as.integer(colon_cr$cr == 2)
cox_case("cox_cr2", "cox {data}/cli/colon_cr.csv --time time --event cr=2 --covariates age,sex --ties breslow --json",
         colon_cr, Surv(time, ev) ~ age + sex, c("age", "sex"), c("time", "cr", "age", "sex"),
         ties = "breslow")
ovarian$ev <- ovarian$fustat
cox_case("cox_ovarian", "cox {data}/ovarian.csv --time futime --event fustat --covariates age,rx,ecog.ps --json",
         ovarian, Surv(futime, ev) ~ age + rx + ecog.ps, c("age", "rx", "ecog.ps"),
         c("futime", "fustat", "age", "rx", "ecog.ps"))

# --- logistic
lg_case <- function(case, args, d, formula, terms, used) {
  add_case(case, args)
  put_dropped(case, d, used)
  d <- cc(d, used)
  fit <- glm(formula, family = binomial, data = d)
  cf <- summary(fit)$coefficients
  ci <- confint.default(fit)
  put(case, "/n", "count", nrow(d))
  put(case, "/converged", "str", "true")
  put(case, "/iterations", "count", fit$iter)
  put(case, "/terms", "len", length(terms))
  stopifnot(length(terms) == nrow(cf))
  for (i in seq_along(terms)) {
    g <- paste0("/terms/", i - 1)
    put(case, paste0(g, "/term"), "str", terms[i])
    put(case, paste0(g, "/coef"), "num", cf[i, 1])
    put(case, paste0(g, "/se"), "num", cf[i, 2])
    put(case, paste0(g, "/z"), "num", cf[i, 3])
    put(case, paste0(g, "/p"), "p", cf[i, 4])
    put(case, paste0(g, "/or"), "num", exp(cf[i, 1]))
    put(case, paste0(g, "/lower"), "num", exp(ci[i, 1]))
    put(case, paste0(g, "/upper"), "num", exp(ci[i, 2]))
  }
  put(case, "/deviance/null", "num", fit$null.deviance)
  put(case, "/deviance/residual", "num", fit$deviance)
  put(case, "/df/null", "count", fit$df.null)
  put(case, "/df/residual", "count", fit$df.residual)
  put(case, "/aic", "num", fit$aic)
}
lg_case("lg_lalonde", "logistic {data}/lalonde.csv --outcome treat --covariates age,educ,race,married,nodegree,re74,re75 --json",
        lalonde, treat ~ age + educ + race + married + nodegree + re74 + re75,
        c("(Intercept)", "age", "educ", "race=hispan", "race=white", "married", "nodegree", "re74", "re75"),
        c("treat", "age", "educ", "race", "married", "nodegree", "re74", "re75"))
lg_case("lg_lalonde_ref", "logistic {data}/lalonde.csv --outcome race=black --covariates age,educ,re78 --json",
        transform(lalonde, black = race == "black"), black ~ age + educ + re78,
        c("(Intercept)", "age", "educ", "re78"), c("race", "age", "educ", "re78"))
lg_case("lg_lung_factor", "logistic {data}/lung.csv --outcome status --covariates age,ph.ecog,wt.loss --factor ph.ecog:ref=1 --json",
        transform(lung, dead = status == 2, ecog = relevel(factor(ph.ecog), ref = "1")),
        dead ~ age + ecog + wt.loss,
        c("(Intercept)", "age", "ph.ecog=0", "ph.ecog=2", "ph.ecog=3", "wt.loss"),
        c("status", "age", "ph.ecog", "wt.loss"))

# --- crosstab
ct_case <- function(case, args, d, rows, cols) {
  add_case(case, args)
  put_dropped(case, d, c(rows, cols))
  d <- cc(d, c(rows, cols))
  tab <- table(factor(d[[rows]], levels = lvls(d[[rows]])), factor(d[[cols]], levels = lvls(d[[cols]])))
  ch <- suppressWarnings(chisq.test(tab, correct = FALSE))
  put(case, "/n", "count", nrow(d))
  put(case, "/rows", "len", nrow(tab)); put(case, "/cols", "len", ncol(tab))
  for (i in seq_len(nrow(tab))) put(case, paste0("/rows/", i - 1), "str", rownames(tab)[i])
  for (j in seq_len(ncol(tab))) put(case, paste0("/cols/", j - 1), "str", colnames(tab)[j])
  for (i in seq_len(nrow(tab))) for (j in seq_len(ncol(tab)))
    put(case, sprintf("/counts/%d/%d", i - 1, j - 1), "count", tab[i, j])
  put(case, "/chisq/stat", "num", ch$statistic)
  put(case, "/chisq/df", "count", ch$parameter)
  put(case, "/chisq/p", "p", ch$p.value)
  put(case, "/min_expected", "num", min(ch$expected))
  put(case, "/fisher/p", "p", fisher.test(tab)$p.value)
}
ct_case("ct_2x2", "crosstab {data}/lalonde.csv --rows treat --cols married --json",
        lalonde, "treat", "married")
ct_case("ct_rxc", "crosstab {data}/lung.csv --rows sex --cols ph.ecog --json", lung, "sex", "ph.ecog")
ct_case("ct_text", "crosstab {data}/veteran.csv --rows celltype --cols prior --json",
        veteran, "celltype", "prior")
ct_case("ct_race", "crosstab {data}/lalonde.csv --rows race --cols treat --json", lalonde, "race", "treat")

write.csv(cases, file.path(ref_dir, "cases.csv"), row.names = FALSE)
write.csv(do.call(rbind, vals), file.path(ref_dir, "values.csv"), row.names = FALSE)
cat(nrow(cases), "cases,", length(vals), "values\n")
