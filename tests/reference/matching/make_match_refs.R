# Reference values for survkit's nearest-neighbour matching and balance (MatchIt 4.5.1).
#
# Run from the repository root:
#   Rscript tests/reference/matching/make_match_refs.R
# Rewrites every CSV in tests/reference/matching/.  Deterministic: every matchit() call
# is preceded by set.seed(config seed), so m.order = "random" is reproducible.
#
# Outputs (all 1-based row numbers refer to the rows of units_<dataset>.csv):
#   units_<ds>.csv    : the analysed rows (treat, covariates) and the two distances R
#                       used: ps = m$distance with link "logit", lin = with "linear.logit".
#   configs.csv       : one line per matchit() configuration.
#   matches.csv       : long match.matrix: config, treated row, slot, control row (NA).
#   unit_results.csv  : config, row, weight, subclass (NA when none / replace), discarded.
#   balance.csv       : summary(m) numbers (sum.all and sum.matched) for a few configs.
#   chisq.csv         : Pearson chi-square (no correction) treat x level, all / matched.
suppressMessages(library(MatchIt))
stopifnot(packageVersion("MatchIt") == "4.5.1")
out_dir <- "tests/reference/matching"
f17 <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))

# ---- data -------------------------------------------------------------------------
lalonde <- read.csv("tests/data/lalonde.csv")
lalonde$race <- factor(lalonde$race)          # levels: black hispan white
f_lal <- treat ~ age + educ + race + married + nodegree + re74 + re75

colon <- read.csv("tests/data/colon.csv")
colon <- colon[colon$etype == 2 & colon$rx %in% c("Obs", "Lev+5FU"), ]
colon$treat <- as.integer(colon$rx == "Lev+5FU")
cvars <- c("age", "sex", "obstruct", "perfor", "adhere", "nodes", "differ", "extent", "surg")
colon <- colon[complete.cases(colon[, cvars]), c("treat", cvars)]
colon$differ <- factor(colon$differ)          # 1 2 3
colon$extent <- factor(colon$extent)          # 1 2 3 4
rownames(colon) <- NULL
f_col <- treat ~ age + sex + obstruct + perfor + adhere + nodes + differ + extent + surg

datasets <- list(lalonde = list(data = lalonde, f = f_lal, cov = c("age", "educ", "race", "married", "nodegree", "re74", "re75")),
                 colon = list(data = colon, f = f_col, cov = cvars))

dist_of <- list()
for (ds in names(datasets)) {
  D <- datasets[[ds]]
  ps <- matchit(D$f, data = D$data, method = NULL, distance = "glm")$distance
  lin <- matchit(D$f, data = D$data, method = NULL, distance = "glm", link = "linear.logit")$distance
  dist_of[[ds]] <- list(ps = unname(ps), lin = unname(lin))
  u <- D$data[, c("treat", D$cov)]
  for (v in names(u)) if (is.numeric(u[[v]])) u[[v]] <- f17(u[[v]]) else u[[v]] <- as.character(u[[v]])
  u$ps <- f17(ps); u$lin <- f17(lin)
  write.csv(cbind(row = seq_len(nrow(u)), u), file.path(out_dir, sprintf("units_%s.csv", ds)),
            row.names = FALSE, quote = FALSE)
}

# ---- configurations -----------------------------------------------------------------
cfg <- list()
add <- function(ds, link, m.order, caliper, ratio, replace, exact = "", discard = "none")
  cfg[[length(cfg) + 1]] <<- data.frame(dataset = ds, link = link, m_order = m.order, caliper = caliper,
                                        ratio = ratio, replace = replace, exact = exact, discard = discard)
for (ds in names(datasets)) for (link in c("ps", "lin")) for (mo in c("largest", "smallest", "data", "random"))
  for (cal in c(NA, 0.2)) for (ratio in 1:2) for (rep in c(FALSE, TRUE)) add(ds, link, mo, cal, ratio, rep)
for (link in c("ps", "lin")) for (mo in c("largest", "smallest", "data", "random")) for (cal in c(NA, 0.2))
  for (ratio in 1:2) for (rep in c(FALSE, TRUE)) add("lalonde", link, mo, cal, ratio, rep, exact = "race")
for (ds in names(datasets)) for (link in c("ps", "lin")) for (disc in c("both", "treated", "control"))
  for (cal in c(NA, 0.2)) for (ratio in 1:2) add(ds, link, "largest", cal, ratio, FALSE, discard = disc)
for (ds in names(datasets)) for (disc in c("both", "control")) add(ds, "ps", "random", 0.2, 2, FALSE, discard = disc)
cfg <- do.call(rbind, cfg)
cfg$config <- seq_len(nrow(cfg))
cfg$seed <- 1000L + cfg$config
balance_configs <- c(1L, 4L, 14L, 27L, 40L, 65L, 71L, 129L)  # 1:1, 1:2 replace, caliper, random, logit, colon, exact

matches <- list(); units <- list(); bal <- list(); chi <- list()
chisq_rows <- function(id, ds, data, w, section) {
  res <- list()
  for (v in names(data)) if (is.factor(data[[v]])) {
    tab <- xtabs(w ~ data$treat + data[[v]])
    tab <- tab[, colSums(tab) > 0, drop = FALSE]
    ct <- suppressWarnings(chisq.test(tab, correct = FALSE))
    res[[length(res) + 1]] <- data.frame(config = id, variable = v, section = section,
                                         stat = f17(unname(ct$statistic)), df = unname(ct$parameter),
                                         p = f17(ct$p.value))
  }
  do.call(rbind, res)
}
for (i in seq_len(nrow(cfg))) {
  C <- cfg[i, ]
  D <- datasets[[C$dataset]]
  args <- list(formula = D$f, data = D$data, method = "nearest", distance = "glm",
               link = if (C$link == "lin") "linear.logit" else "logit",
               m.order = C$m_order, ratio = C$ratio, replace = C$replace, discard = C$discard)
  if (!is.na(C$caliper)) args$caliper <- C$caliper
  if (C$exact != "") args$exact <- reformulate(C$exact)
  set.seed(C$seed)
  m <- suppressWarnings(do.call(matchit, args))
  stopifnot(isTRUE(all.equal(unname(m$distance), dist_of[[C$dataset]][[C$link]], tolerance = 0)))
  n <- nrow(D$data); t1 <- which(D$data$treat == 1)
  mm <- matrix(as.integer(m$match.matrix), nrow = nrow(m$match.matrix))
  stopifnot(identical(as.integer(rownames(m$match.matrix)), t1))
  matches[[i]] <- data.frame(config = i, treated = rep(t1, ncol(mm)), slot = rep(seq_len(ncol(mm)), each = length(t1)),
                             control = ifelse(is.na(as.vector(mm)), "NA", as.vector(mm)))
  sub <- if (is.null(m$subclass)) rep(NA_integer_, n) else as.integer(as.character(m$subclass))
  units[[i]] <- data.frame(config = i, row = seq_len(n), weight = f17(unname(m$weights)),
                           subclass = ifelse(is.na(sub), "NA", sub), discarded = as.integer(m$discarded))
  if (i %in% balance_configs) {
    s <- summary(m)
    for (sec in c("all", "matched")) {
      S <- if (sec == "all") s$sum.all else s$sum.matched
      b <- data.frame(config = i, section = sec, term = rownames(S))
      cn <- c("mean_treated", "mean_control", "std_mean_diff", "var_ratio", "ecdf_mean", "ecdf_max", "std_pair_dist")
      for (j in seq_along(cn)) b[[cn[j]]] <- f17(unname(S[, j]))
      bal[[length(bal) + 1]] <- b
    }
    chi[[length(chi) + 1]] <- chisq_rows(i, C$dataset, D$data, rep(1, n), "all")
    chi[[length(chi) + 1]] <- chisq_rows(i, C$dataset, D$data, unname(m$weights), "matched")
  }
}
cfg$caliper <- ifelse(is.na(cfg$caliper), "NA", cfg$caliper)
write.csv(cfg[, c("config", "dataset", "link", "m_order", "caliper", "ratio", "replace", "exact", "discard", "seed")],
          file.path(out_dir, "configs.csv"), row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, matches), file.path(out_dir, "matches.csv"), row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, units), file.path(out_dir, "unit_results.csv"), row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, bal), file.path(out_dir, "balance.csv"), row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, chi), file.path(out_dir, "chisq.csv"), row.names = FALSE, quote = FALSE)
cat("configurations:", nrow(cfg), "\n")
