#!/usr/bin/env Rscript
# Reference figures for the robustness checks (issue 13): measurement invariance and MLR.
#
#   Rscript tests/R/lavaan_robustness.R DATA.csv OUT.json
#
# Reads one survey CSV, applies MODEL.md's listwise exclusion (19 valid items), and writes
#  - `invariance.<grouping>`: configural / metric / scalar multi-group CFA of the five factors,
#    `cfa(model, data, group =, group.equal =)` with ML (mean structure, marker variables), for
#    pilot_zone and business_model (group levels sorted, so the first is the reference group);
#    fit indices, Δχ² (lavTestLRT), ΔCFI, ΔRMSEA, the verdict by the rule in docs/MODEL.md §3a and
#    the scalar model's latent means of the second group (est, se, p, std.all);
#    region has three levels and is recorded as not run;
#  - `mlr.measurement` and `mlr.structural`: the CFA and the H2 SEM with estimator = "MLR"
#    (Huber–White SEs from the observed information, Yuan–Bentler "mplus" scaled test):
#    chisq, chisq.scaled, its scaling factor, cfi/tli/rmsea .robust, and per path est/se/p/std/std_se/std_p;
#  - `monte_carlo`: semTools::monteCarloCI of ind := a*b (ML fit, set.seed(4), 20 000 draws), unstandardised
#    and standardised (each draw standardised with its own implied variances).
# Written for lavaan 0.6-14; see tests/R/README.md.

suppressPackageStartupMessages({
  library(lavaan)
  library(semTools)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 2) stop("usage: Rscript tests/R/lavaan_robustness.R DATA.csv OUT.json")
data_path <- args[1]
out_path <- args[2]

CONSTRUCTS <- list(
  AIGC = paste0("AIGC", 1:4), DC = paste0("DC", 1:3), IO = paste0("IO", 1:3),
  LSC = paste0("LSC", 1:3), HQD = paste0("HQD", 1:6)
)
CODES <- names(CONSTRUCTS)
ITEMS <- unlist(CONSTRUCTS, use.names = FALSE)
PATHS <- list(c("DC", "AIGC"), c("DC", "IO"), c("HQD", "DC"), c("HQD", "AIGC"), c("HQD", "LSC"))
# The verdict rule (docs/MODEL.md §3a): a step fails when ΔCFI <= -.010 together with ΔRMSEA >= .015
# (Chen 2007), or when the Δχ² test has p < .05; configural needs CFI >= .90 and RMSEA <= .08.
DELTA_CFI <- -0.010; DELTA_RMSEA <- 0.015; ALPHA <- 0.05
MIN_GROUP <- 30

raw <- read.csv(data_path, colClasses = "character", na.strings = character(0),
                check.names = FALSE, encoding = "UTF-8", strip.white = TRUE)
as_num <- function(x) suppressWarnings(as.numeric(trimws(x)))
item_values <- sapply(ITEMS, function(col) as_num(raw[[col]]))
item_ok <- !is.na(item_values) & item_values == round(item_values) & item_values >= 1 & item_values <= 5
keep <- rowSums(!item_ok) == 0
used <- raw[keep, , drop = FALSE]
items <- as.data.frame(item_values[keep, , drop = FALSE])

measurement <- paste(sprintf("%s =~ %s", CODES, sapply(CONSTRUCTS, paste, collapse = " + ")), collapse = "\n")
structural <- paste(measurement, "DC ~ AIGC + IO", "HQD ~ DC + AIGC + LSC", sep = "\n")

fit_row <- function(fit) {
  fm <- fitMeasures(fit, c("chisq", "df", "pvalue", "cfi", "tli", "rmsea", "srmr"))
  list(chi2 = unname(fm["chisq"]), df = unname(fm["df"]), p = unname(fm["pvalue"]), cfi = unname(fm["cfi"]),
       tli = unname(fm["tli"]), rmsea = unname(fm["rmsea"]), srmr = unname(fm["srmr"]),
       converged = lavInspect(fit, "converged"))
}

invariance <- function(grouping) {
  labels <- trimws(used[[grouping]])
  ok <- labels != "" & !is.na(labels)
  levels <- sort(unique(labels[ok]))
  counts <- table(factor(labels[ok], levels = levels))
  if (length(levels) != 2) return(list(group = grouping, available = FALSE, reason = "levels", n_levels = length(levels)))
  if (any(counts < MIN_GROUP)) return(list(group = grouping, available = FALSE, reason = "small", counts = as.list(counts)))
  d <- items[ok, , drop = FALSE]
  d$.group <- labels[ok]
  equal <- list(configural = "", metric = "loadings", scalar = c("loadings", "intercepts"))
  fits <- lapply(equal, function(e) cfa(measurement, data = d, group = ".group", group.label = levels, group.equal = e))
  models <- lapply(fits, fit_row)
  step <- function(a, b) {
    lrt <- lavTestLRT(fits[[a]], fits[[b]])
    d_cfi <- models[[b]]$cfi - models[[a]]$cfi
    d_rmsea <- models[[b]]$rmsea - models[[a]]$rmsea
    p <- lrt[["Pr(>Chisq)"]][2]
    list(from = a, to = b, delta_chi2 = lrt[["Chisq diff"]][2], delta_df = lrt[["Df diff"]][2], p = p,
         delta_cfi = d_cfi, delta_rmsea = d_rmsea,
         holds = !(d_cfi <= DELTA_CFI && d_rmsea >= DELTA_RMSEA) && p >= ALPHA)
  }
  steps <- list(step("configural", "metric"), step("metric", "scalar"))
  verdict <- if (models$configural$cfi < 0.90 || models$configural$rmsea > 0.08) "none" else
    if (!steps[[1]]$holds) "configural" else if (!steps[[2]]$holds) "metric" else "scalar"
  pe <- parameterEstimates(fits$scalar)
  ss <- standardizedSolution(fits$scalar, type = "std.all")
  latent_means <- lapply(setNames(CODES, CODES), function(cc) {
    i <- which(pe$lhs == cc & pe$op == "~1" & pe$group == 2)
    j <- which(ss$lhs == cc & ss$op == "~1" & ss$group == 2)
    list(est = pe$est[i], se = pe$se[i], p = pe$pvalue[i], std = ss$est.std[j])
  })
  list(group = grouping, available = TRUE, levels = lapply(levels, function(l) list(label = l, n = counts[[l]])),
       models = models, steps = steps, verdict = verdict, latent_means = latent_means)
}

mlr <- function(syntax, fn, paths) {
  fit <- fn(syntax, data = items, estimator = "MLR")
  fm <- fitMeasures(fit, c("chisq", "df", "chisq.scaled", "chisq.scaling.factor", "cfi", "tli", "rmsea",
                           "cfi.robust", "tli.robust", "rmsea.robust", "baseline.chisq.scaling.factor"))
  pe <- parameterEstimates(fit)
  ss <- standardizedSolution(fit, type = "std.all")
  out <- list(fit = as.list(fm))
  rows <- lapply(paths, function(p) {
    i <- which(pe$lhs == p[1] & pe$op == p[2] & pe$rhs == p[3])
    j <- which(ss$lhs == p[1] & ss$op == p[2] & ss$rhs == p[3])
    list(est = pe$est[i], se = pe$se[i], p = pe$pvalue[i], std = ss$est.std[j], std_se = ss$se[j], std_p = ss$pvalue[j])
  })
  names(rows) <- sapply(paths, function(p) if (p[2] == "~") paste0(p[1], "~", p[3]) else paste0(p[1], p[2], p[3]))
  out$paths <- rows
  out
}

loading_paths <- unlist(lapply(CODES, function(cc) lapply(CONSTRUCTS[[cc]][-1], function(it) c(cc, "=~", it))), recursive = FALSE)
struct_paths <- lapply(PATHS, function(p) c(p[1], "~", p[2]))

labelled <- paste(measurement, "DC ~ a*AIGC + IO", "HQD ~ b*DC + AIGC + LSC", "ind := a*b", sep = "\n")
ml_fit <- sem(labelled, data = items)
set.seed(4)
mc_raw <- monteCarloCI(ml_fit, nRep = 20000)
set.seed(4)
mc_std <- monteCarloCI(ml_fit, nRep = 20000, standardized = TRUE)
monte_carlo <- list(draws = 20000, seed = 4,
                    est = mc_raw["ind", "est"], lo = mc_raw["ind", "ci.lower"], hi = mc_raw["ind", "ci.upper"],
                    std = mc_std["ind", "est.std"], std_lo = mc_std["ind", "ci.lower"], std_hi = mc_std["ind", "ci.upper"])

result <- list(
  meta = list(source = basename(data_path), generator = "tests/R/lavaan_robustness.R", R = R.version.string,
              lavaan = as.character(packageVersion("lavaan"))),
  n_used = nrow(items),
  invariance = lapply(setNames(c("pilot_zone", "business_model", "region"), c("pilot_zone", "business_model", "region")), invariance),
  mlr = list(measurement = mlr(measurement, cfa, loading_paths),
             structural = mlr(structural, sem, c(struct_paths, loading_paths))),
  monte_carlo = monte_carlo
)
dir.create(dirname(out_path), showWarnings = FALSE, recursive = TRUE)
write_json(result, out_path, auto_unbox = TRUE, digits = NA, na = "null", pretty = TRUE)
inv <- result$invariance$pilot_zone
cat(sprintf("%s: invariance(pilot_zone) chi2 %.3f / %.3f / %.3f, verdict %s; MLR chisq.scaled %.3f -> %s\n",
            basename(data_path), inv$models$configural$chi2, inv$models$metric$chi2, inv$models$scalar$chi2,
            inv$verdict, result$mlr$structural$fit$chisq.scaled, out_path))
