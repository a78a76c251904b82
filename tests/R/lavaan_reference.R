#!/usr/bin/env Rscript
# Reference figures for the Python engine, computed with lavaan / semTools / lm (MODEL.md §2–§5).
#
#   Rscript tests/R/lavaan_reference.R DATA.csv OUT.json [--controls]
#
# Reads one survey CSV, applies MODEL.md's listwise exclusion, and writes every figure the
# engine reports — CFA (Table 1), the latent SEMs (H1, H2), the moderated-mediation regressions
# (H3–H5, PROCESS Model 21), the pilot-zone subgroups and a case-resampling bootstrap — to JSON.
# The Python tests compare against that JSON, so they never need R. Written for lavaan 0.6-14,
# semTools 0.5-6, jsonlite 1.8; see tests/R/README.md for the fixtures it produces.

suppressPackageStartupMessages({
  library(lavaan)
  library(semTools)
  library(jsonlite)
})

# ---------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------
args <- commandArgs(trailingOnly = TRUE)
use_controls <- "--controls" %in% args
paths <- setdiff(args, "--controls")
if (length(paths) != 2) {
  stop("usage: Rscript tests/R/lavaan_reference.R DATA.csv OUT.json [--controls]")
}
data_path <- paths[1]
out_path <- paths[2]

# ---------------------------------------------------------------------------------------------
# The instrument (MODEL.md §1); must agree with cbec_core/instrument.py
# ---------------------------------------------------------------------------------------------
CONSTRUCTS <- list(
  AIGC = paste0("AIGC", 1:4),
  DC   = paste0("DC", 1:3),
  IO   = paste0("IO", 1:3),
  LSC  = paste0("LSC", 1:3),
  HQD  = paste0("HQD", 1:6)
)
CODES <- names(CONSTRUCTS)
ITEMS <- unlist(CONSTRUCTS, use.names = FALSE)
CONTROL_COLUMNS <- c("firm_size", "firm_age", "region", "business_model", "pilot_zone")
# Controls as regressors: raw size, age and pilot flag; dummies for central/west (east = reference) and B2C.
CONTROL_TERMS <- c("firm_size", "firm_age", "region_central", "region_west", "business_model_B2C", "pilot_zone")

B_BOOT <- 5000     # bootstrap resamples (MODEL.md §5 default)
BOOT_SEED <- 1     # set.seed() before the full-sample bootstrap
SUBGROUP_SEEDS <- c(pilot = 2, non_pilot = 3)  # set.seed() before each subgroup's bootstrap

# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------
# A numeric matrix as a nested list (row name -> column name -> value), i.e. a JSON dict of dicts.
nested <- function(m) {
  setNames(lapply(rownames(m), function(r) as.list(setNames(as.numeric(m[r, ]), colnames(m)))), rownames(m))
}

# Percentile CI of bootstrap draws: R's default quantile (type 7) = numpy's default "linear".
pct_ci <- function(draws) {
  q <- quantile(draws, c(0.025, 0.975), type = 7, names = FALSE)
  list(lo = q[1], hi = q[2], boot_se = sd(draws))
}

# The fit indices MODEL.md §3 reports, straight from lavaan's fitMeasures().
fit_indices <- function(fit) {
  fm <- fitMeasures(fit, c("chisq", "df", "cfi", "tli", "rmsea", "srmr"))
  list(chi2 = unname(fm["chisq"]), df = unname(fm["df"]), chi2_df = unname(fm["chisq"] / fm["df"]),
       cfi = unname(fm["cfi"]), tli = unname(fm["tli"]), rmsea = unname(fm["rmsea"]),
       srmr = unname(fm["srmr"]))
}

# One parameter (lhs op rhs) with its unstandardised and std.all estimate, SE and p.
param_row <- function(fit, lhs, op, rhs) {
  pe <- parameterEstimates(fit)
  ss <- standardizedSolution(fit, type = "std.all")
  i <- which(pe$lhs == lhs & pe$op == op & pe$rhs == rhs)
  j <- which(ss$lhs == lhs & ss$op == op & ss$rhs == rhs)
  stopifnot(length(i) == 1, length(j) == 1)
  list(est = pe$est[i], se = pe$se[i], p = pe$pvalue[i],
       std = ss$est.std[j], std_se = ss$se[j], std_p = ss$pvalue[j])
}

measurement_syntax <- function(codes) {
  paste(sprintf("%s =~ %s", codes, sapply(CONSTRUCTS[codes], paste, collapse = " + ")), collapse = "\n")
}

# ---------------------------------------------------------------------------------------------
# 1. Read the CSV and exclude rows listwise (MODEL.md §2)
# ---------------------------------------------------------------------------------------------
# Everything is read as text so that blanks, "2.5" or "7" can be told apart from valid answers.
raw <- read.csv(data_path, colClasses = "character", na.strings = character(0),
                check.names = FALSE, encoding = "UTF-8", strip.white = TRUE)
missing_cols <- setdiff(c(ITEMS, if (use_controls) CONTROL_COLUMNS), names(raw))
if (length(missing_cols)) stop("missing columns: ", paste(missing_cols, collapse = ", "))

is_blank <- function(x) is.na(x) | trimws(x) == ""
as_num <- function(x) suppressWarnings(as.numeric(trimws(x)))

# An item is valid when it is a whole number 1..5; a row needs all 19 valid items.
item_values <- sapply(ITEMS, function(col) as_num(raw[[col]]))
item_ok <- !is.na(item_values) & item_values == round(item_values) & item_values >= 1 & item_values <= 5
keep <- rowSums(!item_ok) == 0
if (use_controls) {
  # With controls, a row with any blank control is excluded too.
  control_missing <- sapply(CONTROL_COLUMNS, function(col) {
    if (col %in% c("region", "business_model")) is_blank(raw[[col]]) else is.na(as_num(raw[[col]]))
  })
  keep <- keep & rowSums(control_missing) == 0
}
used <- raw[keep, , drop = FALSE]
n <- nrow(used)
items <- as.data.frame(item_values[keep, , drop = FALSE])

# Controls as regressors (only built when asked for).
control_frame <- function(d) {
  data.frame(
    firm_size = as_num(d$firm_size),
    firm_age = as_num(d$firm_age),
    region_central = as.numeric(trimws(tolower(d$region)) == "central"),
    region_west = as.numeric(trimws(tolower(d$region)) == "west"),
    business_model_B2C = as.numeric(toupper(trimws(d$business_model)) == "B2C"),
    pilot_zone = as_num(d$pilot_zone)
  )
}
controls <- if (use_controls) control_frame(used) else NULL

# ---------------------------------------------------------------------------------------------
# 2. Measurement model: five correlated factors, ML, lavaan defaults (MODEL.md §3)
# ---------------------------------------------------------------------------------------------
cfa_syntax <- measurement_syntax(CODES)
cfa_fit <- cfa(cfa_syntax, data = items, estimator = "ML")
stopifnot(lavInspect(cfa_fit, "converged"))

ss_cfa <- standardizedSolution(cfa_fit, type = "std.all")
load_rows <- ss_cfa[ss_cfa$op == "=~", ]
loadings <- setNames(load_rows$est.std, load_rows$rhs)[ITEMS]

# Cronbach's alpha from the item covariance matrix (n - 1).
cronbach_alpha <- function(x) {
  s <- cov(x)
  k <- ncol(x)
  k / (k - 1) * (1 - sum(diag(s)) / sum(s))
}
alpha <- lapply(CONSTRUCTS, function(cols) cronbach_alpha(items[, cols]))
cr <- lapply(CONSTRUCTS, function(cols) {
  l <- loadings[cols]
  sum(l)^2 / (sum(l)^2 + sum(1 - l^2))
})
ave <- lapply(CONSTRUCTS, function(cols) mean(loadings[cols]^2))

# Latent correlations: the standardised latent covariance matrix.
latent_corr <- lavInspect(cfa_fit, "std")$psi[CODES, CODES]

# HTMT with semTools. htmt2 = FALSE is Henseler et al.'s (2015) original ratio (arithmetic means of
# absolute item correlations); htmt2 = TRUE (semTools' default) is the geometric-mean HTMT2.
symmetric <- function(m) {
  m <- unclass(m)[CODES, CODES]
  m[upper.tri(m)] <- t(m)[upper.tri(m)]
  m
}
htmt_classic <- symmetric(htmt(cfa_syntax, data = items, htmt2 = FALSE))
htmt_geometric <- symmetric(htmt(cfa_syntax, data = items, htmt2 = TRUE))

measurement <- list(
  fit = fit_indices(cfa_fit),
  alpha = alpha, cr = cr, ave = ave,
  loadings = as.list(loadings),
  latent_corr = nested(latent_corr),
  htmt = nested(htmt_classic),
  htmt2 = nested(htmt_geometric)
)

# ---------------------------------------------------------------------------------------------
# 3. Structural models (MODEL.md §4)
# ---------------------------------------------------------------------------------------------
# (a) Total effect (H1): AIGC and HQD measured, HQD ~ AIGC.
total_fit <- sem(paste(measurement_syntax(c("AIGC", "HQD")), "HQD ~ AIGC", sep = "\n"),
                 data = items, estimator = "ML")
stopifnot(lavInspect(total_fit, "converged"))

# (b) Mediation (H2): all five factors; AIGC, IO, LSC covary (lavaan's default for exogenous latents).
mediation_syntax <- paste(cfa_syntax,
                          "DC ~ a*AIGC + IO",
                          "HQD ~ b*DC + AIGC + LSC",
                          "ind := a*b", sep = "\n")
med_fit <- sem(mediation_syntax, data = items, estimator = "ML")
stopifnot(lavInspect(med_fit, "converged"))

indirect <- param_row(med_fit, "ind", ":=", "a*b")
structural <- list(
  total = list("HQD~AIGC" = param_row(total_fit, "HQD", "~", "AIGC")),
  total_fit = fit_indices(total_fit),
  fit = fit_indices(med_fit),
  paths = list(
    "DC~AIGC" = param_row(med_fit, "DC", "~", "AIGC"),
    "DC~IO" = param_row(med_fit, "DC", "~", "IO"),
    "HQD~DC" = param_row(med_fit, "HQD", "~", "DC"),
    "HQD~AIGC" = param_row(med_fit, "HQD", "~", "AIGC"),
    "HQD~LSC" = param_row(med_fit, "HQD", "~", "LSC")
  ),
  indirect = indirect  # est, se (delta method), p, std, std_se, std_p
)

# ---------------------------------------------------------------------------------------------
# 4. Moderated mediation on construct scores (MODEL.md §5, PROCESS Model 21)
# ---------------------------------------------------------------------------------------------
# Construct score = mean of its items.
construct_scores <- function(it) sapply(CONSTRUCTS, function(cols) rowMeans(it[, cols, drop = FALSE]))

# Regression data: A, M, W, Z centred on this sample's means, Y raw, explicit product columns.
moderation_frame <- function(scores, ctrl) {
  centre <- function(x) x - mean(x)
  d <- data.frame(A = centre(scores[, "AIGC"]), M = centre(scores[, "DC"]),
                  W = centre(scores[, "IO"]), Z = centre(scores[, "LSC"]), Y = scores[, "HQD"])
  d$AW <- d$A * d$W
  d$MZ <- d$M * d$Z
  d$WZ <- d$W * d$Z
  if (!is.null(ctrl)) d <- cbind(d, ctrl)
  d
}
# Coefficient names as the engine spells them.
TERM_NAMES <- c(AW = "A:W", MZ = "M:Z", WZ = "W:Z")
rename_terms <- function(x) {
  hit <- names(x) %in% names(TERM_NAMES)
  names(x)[hit] <- TERM_NAMES[names(x)[hit]]
  x
}

# lm formulas; `terms` lists the control regressors (possibly none).
rhs <- function(main, terms) paste(c(main, terms), collapse = " + ")
mediator_formula <- function(terms) as.formula(paste("M ~", rhs(c("A", "W", "AW"), terms)))
outcome_formula <- function(terms) as.formula(paste("Y ~", rhs(c("A", "M", "Z", "MZ", "W", "WZ"), terms)))

fit_pair <- function(d, terms) {
  med <- lm(mediator_formula(terms), data = d)
  out <- lm(outcome_formula(terms), data = d)
  if (anyNA(coef(med)) || anyNA(coef(out))) stop("rank-deficient moderation model")
  list(med = med, out = out)
}

# Hierarchical steps: R², ΔR², F-change (anova of nested lm's) and its p. Step 1 is the controls,
# or the intercept alone (then R² = 0 and there is no F test).
hierarchical <- function(d, response, blocks, terms) {
  prev <- lm(as.formula(paste(response, "~ 1")), data = d)
  steps <- list()
  added <- terms
  for (k in seq_along(blocks)) {
    if (k > 1) added <- c(added, blocks[[k]])
    f <- as.formula(paste(response, "~", if (length(added)) paste(added, collapse = " + ") else "1"))
    cur <- lm(f, data = d)
    r2 <- if (length(added)) summary(cur)$r.squared else 0
    r2_prev <- if (length(coef(prev)) > 1) summary(prev)$r.squared else 0
    df1 <- length(coef(cur)) - length(coef(prev))
    if (df1 > 0) {
      a <- anova(prev, cur)
      f_change <- a$F[2]
      p <- a$`Pr(>F)`[2]
    } else {
      f_change <- NA_real_
      p <- NA_real_
    }
    steps[[k]] <- list(r2 = r2, delta_r2 = r2 - r2_prev, f_change = f_change,
                       df1 = df1, df2 = df.residual(cur), p = p)
    prev <- cur
  }
  steps
}

# Simple slope b0 + b1·m with SE from the lm covariance, t and p on the residual df.
simple_slopes <- function(fit, main, inter, at) {
  b <- coef(fit)
  v <- vcov(fit)
  df <- df.residual(fit)
  lapply(at, function(m) {
    slope <- b[[main]] + b[[inter]] * m
    se <- sqrt(v[main, main] + 2 * m * v[main, inter] + m^2 * v[inter, inter])
    t <- slope / se
    list(at = m, slope = slope, se = se, t = t, p = 2 * pt(-abs(t), df))
  })
}

# Johnson–Neyman: moderator values m where (b0 + b1·m)² = t²·Var(b0 + b1·m), t the 97.5% quantile
# on the residual df, i.e. where the slope's 95% CI just touches zero. Real roots, sorted.
johnson_neyman <- function(fit, main, inter) {
  b <- coef(fit)
  v <- vcov(fit)
  t2 <- qt(0.975, df.residual(fit))^2
  qa <- b[[inter]]^2 - t2 * v[inter, inter]
  qb <- 2 * (b[[main]] * b[[inter]] - t2 * v[main, inter])
  qc <- b[[main]]^2 - t2 * v[main, main]
  disc <- qb^2 - 4 * qa * qc
  if (abs(qa) < 1e-15 || disc < 0) return(list())
  as.list(sort(c((-qb - sqrt(disc)) / (2 * qa), (-qb + sqrt(disc)) / (2 * qa))))
}

theta <- function(a1, a3, b1, b3, w, z) (a1 + a3 * w) * (b1 + b3 * z)

moderation <- function(d, terms) {
  fits <- fit_pair(d, terms)
  cm <- coef(fits$med)
  co <- coef(fits$out)
  a1 <- cm[["A"]]; a3 <- cm[["AW"]]; b1 <- co[["M"]]; b3 <- co[["MZ"]]
  sds <- sapply(d[c("A", "M", "W", "Z")], sd)
  w_sd <- c(-1, 0, 1) * sds[["W"]]
  z_sd <- c(-1, 0, 1) * sds[["Z"]]
  # PROCESS's percentiles: rank (n + 1)·p, interpolated = quantile type 6.
  w_pct <- quantile(d$W, c(0.16, 0.50, 0.84), type = 6, names = FALSE)
  z_pct <- quantile(d$Z, c(0.16, 0.50, 0.84), type = 6, names = FALSE)
  grid <- function(ws, zs) {
    out <- list()
    for (w in ws) for (z in zs) out[[length(out) + 1]] <- list(w = w, z = z, effect = theta(a1, a3, b1, b3, w, z))
    out
  }
  list(
    mediator = as.list(rename_terms(cm)),
    mediator_se = as.list(rename_terms(sqrt(diag(vcov(fits$med))))),
    outcome = as.list(rename_terms(co)),
    outcome_se = as.list(rename_terms(sqrt(diag(vcov(fits$out))))),
    r2 = list(mediator = summary(fits$med)$r.squared, outcome = summary(fits$out)$r.squared),
    df_resid = list(mediator = df.residual(fits$med), outcome = df.residual(fits$out)),
    steps = list(
      mediator = hierarchical(d, "M", list(character(0), c("A", "W"), "AW"), terms),
      outcome = hierarchical(d, "Y", list(character(0), c("A", "M", "W", "Z"), "MZ", "WZ"), terms)
    ),
    sd = as.list(sds),
    conditional_indirect = grid(w_sd, z_sd),
    conditional_indirect_pct = grid(w_pct, z_pct),
    pct_values = list(w = as.list(w_pct), z = as.list(z_pct)),
    index_mmm = a3 * b3,
    indices_cmm = list(
      by_W_at_z = lapply(z_sd, function(z) list(z = z, effect = a3 * (b1 + b3 * z))),
      by_Z_at_w = lapply(w_sd, function(w) list(w = w, effect = (a1 + a3 * w) * b3))
    ),
    simple_slopes = list(a = simple_slopes(fits$med, "A", "AW", w_sd),
                         b = simple_slopes(fits$out, "M", "MZ", z_sd)),
    johnson_neyman = list(a = johnson_neyman(fits$med, "A", "AW"),
                          b = johnson_neyman(fits$out, "M", "MZ")),
    johnson_neyman_range = list(w = list(min(d$W), max(d$W)), z = list(min(d$Z), max(d$Z))),
    .fits = fits  # kept for the bootstrap, dropped before writing
  )
}

# Case-resampling bootstrap of both regressions on the same rows. The data are the already
# centred ones (centring is done once on the fitting sample, not per resample). Each resample
# refits with lm.fit — the QR least-squares routine inside lm() — on the resampled model matrices.
bootstrap_coefs <- function(fits, B, seed) {
  xm <- model.matrix(fits$med); ym <- model.response(model.frame(fits$med))
  xo <- model.matrix(fits$out); yo <- model.response(model.frame(fits$out))
  nn <- nrow(xm)
  set.seed(seed)
  draws <- matrix(NA_real_, B, 5, dimnames = list(NULL, c("a1", "a3", "b1", "b3", "c")))
  for (r in seq_len(B)) {
    idx <- sample.int(nn, nn, replace = TRUE)
    cm <- lm.fit(xm[idx, , drop = FALSE], ym[idx])$coefficients
    co <- lm.fit(xo[idx, , drop = FALSE], yo[idx])$coefficients
    draws[r, ] <- c(cm[["A"]], cm[["AW"]], co[["M"]], co[["MZ"]], co[["A"]])
  }
  draws
}

scores <- construct_scores(items)
mod_data <- moderation_frame(scores, controls)
terms <- if (use_controls) CONTROL_TERMS else character(0)
mm <- moderation(mod_data, terms)
mm$means <- as.list(colMeans(scores)[c("AIGC", "DC", "IO", "LSC", "HQD")])
names(mm$means) <- c("A", "M", "W", "Z", "Y")

# ---------------------------------------------------------------------------------------------
# 5. Bootstrap of the full-sample moderated mediation
# ---------------------------------------------------------------------------------------------
draws <- bootstrap_coefs(mm$.fits, B_BOOT, BOOT_SEED)
boot_theta <- function(w, z) theta(draws[, "a1"], draws[, "a3"], draws[, "b1"], draws[, "b3"], w, z)
bootstrap <- list(
  B = B_BOOT, seed = BOOT_SEED, quantile_type = 7,
  centring = "once, on the full fitting sample",
  conditional_indirect = lapply(mm$conditional_indirect, function(g) c(list(w = g$w, z = g$z), pct_ci(boot_theta(g$w, g$z)))),
  index_mmm = pct_ci(draws[, "a3"] * draws[, "b3"]),
  direct_effect = pct_ci(draws[, "c"]),
  a1 = pct_ci(draws[, "a1"]), a3 = pct_ci(draws[, "a3"]),
  b1 = pct_ci(draws[, "b1"]), b3 = pct_ci(draws[, "b3"])
)

# ---------------------------------------------------------------------------------------------
# 6. Pilot-zone subgroups (the paper's Figure 3): same regressions, centred within each group
# ---------------------------------------------------------------------------------------------
# pilot_zone is constant within a group, so it is dropped from the controls there.
pilot_flag <- as_num(used$pilot_zone)
sub_terms <- setdiff(terms, "pilot_zone")
subgroups <- list()
sub_draws <- list()
for (label in c("pilot", "non_pilot")) {
  rows <- which(pilot_flag == if (label == "pilot") 1 else 0)
  ctrl <- if (use_controls) control_frame(used[rows, , drop = FALSE]) else NULL
  d <- moderation_frame(scores[rows, , drop = FALSE], ctrl)
  fits <- fit_pair(d, sub_terms)
  a1 <- coef(fits$med)[["A"]]; a3 <- coef(fits$med)[["AW"]]
  b1 <- coef(fits$out)[["M"]]; b3 <- coef(fits$out)[["MZ"]]
  # Stratified bootstrap: each group resampled on its own, centring fixed at the group's means.
  dr <- bootstrap_coefs(fits, B_BOOT, SUBGROUP_SEEDS[[label]])
  sub_draws[[label]] <- dr[, "a1"] * dr[, "b1"]
  subgroups[[label]] <- c(list(n = length(rows), a1 = a1, a3 = a3, b1 = b1, b3 = b3, theta00 = a1 * b1,
                               r2_mediator = summary(fits$med)$r.squared,
                               r2_outcome = summary(fits$out)$r.squared),
                          pct_ci(sub_draws[[label]]))
}
subgroups$difference <- subgroups$pilot$theta00 - subgroups$non_pilot$theta00
subgroups$difference_boot <- pct_ci(sub_draws$pilot - sub_draws$non_pilot)
subgroups$control_terms <- as.list(sub_terms)
subgroups$seeds <- as.list(SUBGROUP_SEEDS)

# ---------------------------------------------------------------------------------------------
# 7. Write the JSON (full precision; NA -> null)
# ---------------------------------------------------------------------------------------------
mm$.fits <- NULL
result <- list(
  meta = list(
    source = basename(data_path), controls = use_controls, control_terms = as.list(terms),
    generator = "tests/R/lavaan_reference.R",
    R = R.version.string,
    lavaan = as.character(packageVersion("lavaan")),
    semTools = as.character(packageVersion("semTools"))
  ),
  n_rows = nrow(raw),
  n_used = n,
  n_excluded = nrow(raw) - n,
  excluded_firm_ids = as.list(raw$firm_id[!keep]),
  measurement = measurement,
  structural = structural,
  moderated_mediation = mm,
  bootstrap = bootstrap,
  subgroups = subgroups
)
dir.create(dirname(out_path), showWarnings = FALSE, recursive = TRUE)
write_json(result, out_path, auto_unbox = TRUE, digits = NA, na = "null", pretty = TRUE)
cat(sprintf("%s: n_used=%d n_excluded=%d chi2=%.4f cfi=%.4f srmr=%.4f a3=%.4f b3=%.4f -> %s\n",
            basename(data_path), n, nrow(raw) - n, measurement$fit$chi2, measurement$fit$cfi,
            measurement$fit$srmr, mm$mediator[["A:W"]], mm$outcome[["M:Z"]], out_path))
