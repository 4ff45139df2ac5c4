# Reference values for survkit's Kaplan-Meier (tests/km/test_km.cpp).
# Run from the repository root:  Rscript tests/reference/km/make_km_refs.R
# (R survival 3.5-3).  Writes, next to this script:
#   km_curve.csv   : summary(fit, censored = TRUE) rows (every distinct time of each curve)
#   km_table.csv   : print(fit, rmean = tau) table (survival:::survmean, as print.survfit
#                    calls it): n, events, median and limits, rmean and se(rmean)
#   km_at.csv      : summary(fit, times = TIMES) rows (default extend = FALSE)
# Each case is one survfit call; its setup (data, subset, weights, options) is repeated by
# the C++ test under the same case name.
suppressPackageStartupMessages(library(survival))
stopifnot(packageVersion("survival") == "3.5.3")
out_dir <- "tests/reference/km"
num <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))

TIMES <- c(-5, 0, 30, 100, 180.5, 365, 400, 730, 1000, 5000)
curve_rows <- list(); table_rows <- list(); at_rows <- list()

run_case <- function(case, time, status, group, weights = NULL, conf.type = "log",
                     conf.int = 0.95, tau) {
  d <- data.frame(time = time, status = status, group = factor(group))
  d$w <- if (is.null(weights)) rep(1, nrow(d)) else weights
  fit <- if (is.null(weights)) {
    survfit(Surv(time, status) ~ group, data = d, conf.type = conf.type, conf.int = conf.int)
  } else {
    survfit(Surv(time, status) ~ group, data = d, weights = w, conf.type = conf.type,
            conf.int = conf.int)
  }
  # Curve names: strata "group=xxx" -> "xxx"; a single level gives no strata.
  gname <- function(s) sub("^group=", "", as.character(s))
  s <- summary(fit, censored = TRUE)
  g <- if (is.null(s$strata)) rep(levels(d$group)[1], length(s$time)) else gname(s$strata)
  curve_rows[[length(curve_rows) + 1]] <<- data.frame(
    case = case, group = g, time = num(s$time), n_risk = num(s$n.risk),
    n_event = num(s$n.event), n_censor = num(s$n.censor), surv = num(s$surv),
    std_err = num(s$std.err), lower = num(s$lower), upper = num(s$upper))
  # print(fit, rmean = tau) prints survmean(fit, rmean = tau)$matrix.
  m <- survival:::survmean(fit, rmean = tau)$matrix
  if (!is.matrix(m)) m <- matrix(m, nrow = 1, dimnames = list(levels(d$group)[1], names(m)))
  table_rows[[length(table_rows) + 1]] <<- data.frame(
    case = case, group = gname(rownames(m)), n = num(m[, "records"]),
    n_start = num(m[, "n.start"]), events = num(m[, "events"]), tau = num(tau),
    rmean = num(m[, "rmean"]), se_rmean = num(m[, "se(rmean)"]), median = num(m[, "median"]),
    median_lower = num(m[, paste0(conf.int, "LCL")]),
    median_upper = num(m[, paste0(conf.int, "UCL")]))
  # summary(times =) stops when a curve has no time left; every case here has some.
  a <- summary(fit, times = TIMES)
  ga <- if (is.null(a$strata)) rep(levels(d$group)[1], length(a$time)) else gname(a$strata)
  at_rows[[length(at_rows) + 1]] <<- data.frame(
    case = case, group = ga, time = num(a$time), n_risk = num(a$n.risk),
    n_event = num(a$n.event), surv = num(a$surv), std_err = num(a$std.err),
    lower = num(a$lower), upper = num(a$upper))
}

lung <- read.csv("tests/data/lung.csv")
veteran <- read.csv("tests/data/veteran.csv")
ovarian <- read.csv("tests/data/ovarian.csv")
colon <- read.csv("tests/data/colon.csv")

ev <- lung$status == 2
run_case("lung_all", lung$time, ev, rep("all", nrow(lung)), tau = 365)
run_case("lung_sex", lung$time, ev, lung$sex, tau = 365)
run_case("lung_sex_loglog", lung$time, ev, lung$sex, conf.type = "log-log", tau = 500)
run_case("lung_sex_plain", lung$time, ev, lung$sex, conf.type = "plain", tau = 1000)
run_case("lung_sex_ci90", lung$time, ev, lung$sex, conf.int = 0.9, tau = 365)
ok <- !is.na(lung$ph.ecog)  # rows with missing ph.ecog dropped, as model.frame does
run_case("lung_ecog", lung$time[ok], ev[ok], lung$ph.ecog[ok], tau = 400)
# Case weights: whole numbers -> Greenwood on weighted counts; fractional -> robust (IJ) SE.
w_int <- 1 + (seq_len(nrow(lung)) %% 3)
run_case("lung_sex_wint", lung$time, ev, lung$sex, weights = w_int, tau = 365)
w_frac <- 0.5 + (seq_len(nrow(lung)) %% 7) / 4
run_case("lung_sex_wfrac", lung$time, ev, lung$sex, weights = w_frac, tau = 365)
run_case("lung_sex_wfrac_plain", lung$time, ev, lung$sex, weights = w_frac,
         conf.type = "plain", tau = 365)
run_case("veteran_celltype", veteran$time, veteran$status, veteran$celltype, tau = 365)
run_case("veteran_celltype_loglog", veteran$time, veteran$status, veteran$celltype,
         conf.type = "log-log", tau = 180.5)
run_case("veteran_trt_plain", veteran$time, veteran$status, veteran$trt, conf.type = "plain",
         tau = 730)
w_vet <- 0.25 + (seq_len(nrow(veteran)) %% 5) / 3
run_case("veteran_celltype_wfrac", veteran$time, veteran$status, veteran$celltype,
         weights = w_vet, tau = 365)
run_case("ovarian_rx", ovarian$futime, ovarian$fustat, ovarian$rx, tau = 400)
death <- colon[colon$etype == 2, ]
run_case("colon_death_rx", death$time, death$status, death$rx, tau = 1500)
# Tiny curves: the half-way median (S = 0.5 on [2, 3)), and a curve that ends at 0.
run_case("tiny_halfway", c(1, 2, 3, 4), c(1, 1, 1, 1), rep("all", 4), tau = 3.5)
for (ct in c("log", "log-log", "plain"))
  run_case(paste0("tiny_zero_", ct), c(1, 2, 2, 3, 4, 5), c(1, 1, 0, 1, 0, 1), rep("all", 6),
           conf.type = ct, tau = 10)

write.csv(do.call(rbind, curve_rows), file.path(out_dir, "km_curve.csv"), row.names = FALSE,
          quote = FALSE)
write.csv(do.call(rbind, table_rows), file.path(out_dir, "km_table.csv"), row.names = FALSE,
          quote = FALSE)
write.csv(do.call(rbind, at_rows), file.path(out_dir, "km_at.csv"), row.names = FALSE,
          quote = FALSE)
