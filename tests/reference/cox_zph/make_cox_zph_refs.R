# Reference values for survkit::fit_cox_zph from R's survival::cox.zph.
#
# Pinned: R 4.2.2, survival 3.5-3 (cox.zph's exact Grambsch-Therneau score test of the
# 3.x series, with terms = TRUE: a factor's dummies form one term).
#
# Run from the repository root:   Rscript tests/reference/cox_zph/make_cox_zph_refs.R
# Rerunnable; rewrites tests/reference/cox_zph/{zph_table,zph_points,zph_y,zph_var}.csv.
# Every number is written with sprintf("%.17g") so that the C++ tests compare against
# R's doubles, not against a rounded print-out.  NA is written as NA.
#
# Conventions that the C++ tests (tests/cox_zph/test_cox_zph.cpp) mirror when they build
# the same designs from tests/data (with tests/cox/cox_designs.hpp):
#  * data are read with read.csv, so character columns become factors with
#    alphabetically sorted levels (veteran celltype: adeno, large, smallcell, squamous;
#    colon rx: Lev, Lev+5FU, Obs) and the first level is the reference; a numeric column
#    used as a factor is converted in the data frame (lung$ph.ecog), so that the row
#    name of cox.zph's table is the column name;
#  * rows with NA in any variable of the model are dropped (na.omit, R's default);
#  * weights are a deterministic function of the 1-based row number of the CSV.
#
# Files:
#  zph_table.csv  case, transform, term, chisq, df, p   (term GLOBAL = the global test)
#  zph_points.csv case, i, time, x_km, x_rank, x_identity, x_log, strata   (per death)
#  zph_y.csv      case, i, term, y    (scaled Schoenfeld residuals; they do not depend on
#                 the transform)
#  zph_var.csv    case, i, j, value   (cox.zph's var)
#  zph_smooth.csv case, transform, term, k, x, fit, upper, lower: the curves R's
#                 plot(cox.zph) draws (defaults: df = 4, nsmo = 40), captured from
#                 survival's own plot.cox.zph by running it with lines() recording
#                 its arguments (plot, points and axis do nothing); x is pred.x as
#                 lines() receives it (exp(pred.x) for the log transform)
#  zph_axis.csv   case, transform, k, x, label: the axis(1, xaxisval, xaxislab) call of
#                 plot.cox.zph (km and rank transforms)
suppressPackageStartupMessages(library(survival))
stopifnot(packageVersion("survival") == "3.5.3")

out_dir <- "tests/reference/cox_zph"
lung    <- read.csv("tests/data/lung.csv", stringsAsFactors = TRUE)
veteran <- read.csv("tests/data/veteran.csv", stringsAsFactors = TRUE)
colon   <- read.csv("tests/data/colon.csv", stringsAsFactors = TRUE)
ovarian <- read.csv("tests/data/ovarian.csv", stringsAsFactors = TRUE)

lung$row <- seq_len(nrow(lung))
lung$w_int  <- 1 + (lung$row %% 3)          # integer case weights
lung$w_frac <- 0.5 + (lung$row %% 4) / 3    # non-integer case weights
lung$ph.ecog <- factor(lung$ph.ecog)        # a factor term with 3 dummies (levels 0-3)
lung$age2 <- 2 * lung$age                   # exactly collinear with age: NA coefficient
lung$old  <- as.numeric(lung$age > 70 & lung$sex == 1)  # constant (0) in stratum sex = 2
colon$row <- seq_len(nrow(colon))
colon$w <- 1 + (colon$row %% 3)
colon_death <- subset(colon, etype == 2)

# A tiny data set checked by hand in the C++ test: 4 deaths at times 1..4, x = 1,0,1,0,
# no ties, evaluated at beta = 0 (init = 0, iter.max = 0).  With g = t - 2.5 the score
# test is U2^2 / (I22 - I12^2 / I11) = (1/9) / (1/2) = 2/9.
tiny <- data.frame(time = 1:4, status = 1, x = c(1, 0, 1, 0))

f17 <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))

tables <- list(); points <- list(); ys <- list(); vars <- list()
smooths <- list(); axes <- list()

# survival's plot.cox.zph, run as is, with graphics calls that record instead of draw.
capture_plot <- function(z) {
  got <- list(lines = list(), axis = NULL, warn = character())
  env <- new.env(parent = asNamespace("survival"))
  env$plot <- function(...) invisible(NULL)
  env$points <- function(...) invisible(NULL)
  env$axis <- function(side, at, labels, ...) got$axis <<- list(at = at, labels = labels)
  env$lines <- function(x, y, ...) got$lines[[length(got$lines) + 1]] <<- list(x = x, y = as.vector(y))
  f <- survival:::plot.cox.zph
  environment(f) <- env
  withCallingHandlers(f(z), warning = function(w) {
    got$warn <<- c(got$warn, conditionMessage(w)); invokeRestart("muffleWarning") })
  got
}

add_plot <- function(name, tr, z) {
  got <- capture_plot(z)
  terms <- colnames(z$y)
  # plot.cox.zph skips a term with a singular spline fit (with a warning): 3 lines per drawn term.
  skipped <- as.integer(sub(".*variable ([0-9]+) skipped.*", "\\1", got$warn[grepl("skipped", got$warn)]))
  drawn <- setdiff(seq_along(terms), skipped)
  stopifnot(length(got$lines) == 3 * length(drawn))
  for (k in seq_along(drawn)) {
    l <- got$lines[(3 * k - 2):(3 * k)]
    smooths[[length(smooths) + 1]] <<- data.frame(
      case = name, transform = tr, term = terms[drawn[k]], k = seq_along(l[[1]]$x) - 1,
      x = f17(l[[1]]$x), fit = f17(l[[1]]$y), upper = f17(l[[2]]$y), lower = f17(l[[3]]$y),
      stringsAsFactors = FALSE)
  }
  if (!is.null(got$axis))
    axes[[length(axes) + 1]] <<- data.frame(
      case = name, transform = tr, k = seq_along(got$axis$at) - 1, x = f17(got$axis$at),
      label = got$axis$labels, stringsAsFactors = FALSE)
}
transforms <- c("km", "rank", "identity", "log")

add_case <- function(name, expr) {
  fit <- suppressWarnings(eval(expr))
  for (tr in transforms) {
    z <- cox.zph(fit, transform = tr)
    tables[[length(tables) + 1]] <<- data.frame(
      case = name, transform = tr, term = rownames(z$table),
      chisq = f17(z$table[, "chisq"]), df = z$table[, "df"], p = f17(z$table[, "p"]),
      stringsAsFactors = FALSE)
  }
  zs <- lapply(transforms, function(tr) cox.zph(fit, transform = tr))
  for (k in seq_along(transforms)) add_plot(name, transforms[k], zs[[k]])
  z <- zs[[1]]
  nd <- length(z$time)
  points[[length(points) + 1]] <<- data.frame(
    case = name, i = seq_len(nd) - 1, time = f17(z$time),
    x_km = f17(zs[[1]]$x), x_rank = f17(zs[[2]]$x), x_identity = f17(zs[[3]]$x),
    x_log = f17(zs[[4]]$x),
    strata = if (is.null(z$strata)) "" else as.character(z$strata),
    stringsAsFactors = FALSE)
  y <- z$y
  ys[[length(ys) + 1]] <<- data.frame(
    case = name, i = rep(seq_len(nd) - 1, ncol(y)), term = rep(colnames(y), each = nd),
    y = f17(as.vector(y)), stringsAsFactors = FALSE)
  v <- z$var
  k <- nrow(v)
  vars[[length(vars) + 1]] <<- data.frame(
    case = name, i = rep(seq_len(k) - 1, k), j = rep(seq_len(k) - 1, each = k),
    value = f17(as.vector(v)), stringsAsFactors = FALSE)
}

add_case("lung_efron",
  quote(coxph(Surv(time, status == 2) ~ age + sex + ph.ecog, data = lung)))
add_case("lung_breslow",
  quote(coxph(Surv(time, status == 2) ~ age + sex + ph.ecog, data = lung, ties = "breslow")))
add_case("lung_strata_inst",
  quote(coxph(Surv(time, status == 2) ~ age + sex + ph.karno + strata(inst), data = lung)))
# A covariate constant within a stratum (its scaled residuals are NA there), and a
# factor with a level absent from a stratum (R's "used" fix-up for multi-column terms).
add_case("lung_strata_sex_constant",
  quote(coxph(Surv(time, status == 2) ~ age + old + strata(sex), data = lung)))
add_case("lung_strata_sex_factor_breslow",
  quote(coxph(Surv(time, status == 2) ~ age + ph.ecog + strata(sex), data = lung,
              ties = "breslow")))
# An aliased column: R drops its NA coefficient (and the term) from the test.
add_case("lung_collinear",
  quote(coxph(Surv(time, status == 2) ~ age + sex + age2, data = lung)))
add_case("lung_weighted",
  quote(coxph(Surv(time, status == 2) ~ age + sex + ph.ecog, data = lung, weights = w_int)))
add_case("lung_weighted_frac_breslow",
  quote(coxph(Surv(time, status == 2) ~ age + sex + ph.karno, data = lung, weights = w_frac,
              ties = "breslow")))
add_case("colon_death",
  quote(coxph(Surv(time, status) ~ rx + sex + age + nodes, data = colon_death)))
add_case("colon_death_weighted_strata",
  quote(coxph(Surv(time, status) ~ rx + age + strata(sex), data = colon_death, weights = w)))
add_case("veteran",
  quote(coxph(Surv(time, status) ~ celltype + karno + trt, data = veteran)))
add_case("veteran_breslow",
  quote(coxph(Surv(time, status) ~ karno + age, data = veteran, ties = "breslow")))
add_case("ovarian",
  quote(coxph(Surv(futime, fustat) ~ age + rx + ecog.ps, data = ovarian)))
add_case("tiny_beta0",
  quote(coxph(Surv(time, status) ~ x, data = tiny, init = 0, iter.max = 0)))

# The classic violation: karno in veteran (Grambsch & Therneau) must reject PH.
vk <- cox.zph(coxph(Surv(time, status) ~ celltype + karno + trt, data = veteran))
stopifnot(vk$table["karno", "p"] < 0.05)

write.csv(do.call(rbind, tables), file.path(out_dir, "zph_table.csv"), row.names = FALSE)
write.csv(do.call(rbind, points), file.path(out_dir, "zph_points.csv"), row.names = FALSE)
write.csv(do.call(rbind, ys), file.path(out_dir, "zph_y.csv"), row.names = FALSE)
write.csv(do.call(rbind, vars), file.path(out_dir, "zph_var.csv"), row.names = FALSE)
write.csv(do.call(rbind, smooths), file.path(out_dir, "zph_smooth.csv"), row.names = FALSE)
write.csv(do.call(rbind, axes), file.path(out_dir, "zph_axis.csv"), row.names = FALSE)
