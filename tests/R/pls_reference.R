# PLS-SEM reference figures computed by seminr's own estimation code (see tests/R/README.md).
#
#   SEMINR_SRC=/path/to/seminr/R Rscript tests/R/pls_reference.R DATA.csv OUT.json
#
# seminr is not packaged for Debian and is GPL-3, so it is neither installed nor vendored here:
# SEMINR_SRC points at the R/ folder of a seminr source checkout (2.3.x), whose files are
# sourced into this session (only the plotting files that need DiagrammeR are skipped, and the
# `seminr::` prefixes dropped so the sourced functions call each other).
#
# Model: the five constructs as composites estimated with Mode A (`composite(..., weights =
# mode_A)`), DC ~ AIGC + IO, HQD ~ DC + AIGC + LSC, estimate_pls() defaults: path weighting,
# indicators scaled with sd (n - 1), maxIt = 300, stopCriterion = 7 (summed |change of the weights|
# < 1e-7). That is SmartPLS's "PLS-SEM algorithm" and seminr's classic PLS. seminr's
# `reflective()` would add the PLSc (consistent PLS) correction on top; those figures are written
# too, under `plsc`, for reference only.
suppressPackageStartupMessages(library(jsonlite))

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 2) stop("usage: SEMINR_SRC=... Rscript tests/R/pls_reference.R DATA.csv OUT.json")
data_path <- args[1]
out_path <- args[2]
src <- Sys.getenv("SEMINR_SRC")
if (!nzchar(src) || !dir.exists(src)) stop("set SEMINR_SRC to the R/ folder of a seminr source checkout")

files <- list.files(src, pattern = "\\.R$", full.names = TRUE)
files <- files[!grepl("^(plot_(htmt|lastplot|results|test)|theme|zzz|documentation_)", basename(files))]
for (f in files) eval(parse(text = gsub("seminr::", "", readLines(f, warn = FALSE), fixed = TRUE)), envir = globalenv())
seminr_version <- read.dcf(file.path(dirname(src), "DESCRIPTION"), fields = "Version")[1, 1]

CONSTRUCTS <- list(AIGC = paste0("AIGC", 1:4), DC = paste0("DC", 1:3), IO = paste0("IO", 1:3),
                   LSC = paste0("LSC", 1:3), HQD = paste0("HQD", 1:6))
ITEMS <- unlist(CONSTRUCTS, use.names = FALSE)
PATHS <- list(c("DC", "AIGC"), c("DC", "IO"), c("HQD", "DC"), c("HQD", "AIGC"), c("HQD", "LSC"))
B <- 2000

# MODEL.md §2: a row is used when all 19 items are whole numbers 1..5 (as tests/R/lavaan_reference.R).
raw <- read.csv(data_path, colClasses = "character", na.strings = character(0), check.names = FALSE)
values <- sapply(ITEMS, function(col) suppressWarnings(as.numeric(trimws(raw[[col]]))))
ok <- !is.na(values) & values == round(values) & values >= 1 & values <= 5
items <- as.data.frame(values[rowSums(!ok) == 0, , drop = FALSE])

measurement <- function(kind) {
  do.call(constructs, lapply(names(CONSTRUCTS), function(c) {
    if (kind == "composite") composite(c, CONSTRUCTS[[c]], weights = mode_A) else reflective(c, CONSTRUCTS[[c]])
  }))
}
structure <- relationships(paths(from = c("AIGC", "IO"), to = "DC"), paths(from = c("DC", "AIGC", "LSC"), to = "HQD"))
estimate <- function(d, kind = "composite") suppressMessages(estimate_pls(d, measurement(kind), structure))

path_values <- function(m) {
  pc <- m$path_coef
  p <- setNames(sapply(PATHS, function(k) pc[k[2], k[1]]), sapply(PATHS, paste, collapse = "~"))
  indirect <- p[["DC~AIGC"]] * p[["HQD~DC"]]
  total <- indirect + p[["HQD~AIGC"]]
  c(p, indirect = indirect, total = total, share_mediated = indirect / total)
}
by_item <- function(m, what) {
  setNames(lapply(ITEMS, function(i) sum(m[[what]][i, ])), ITEMS)
}
summarise <- function(m) {
  v <- path_values(m)
  rel <- rhoC_AVE(m, names(CONSTRUCTS))
  list(paths = as.list(v[1:5]), indirect = v[["indirect"]], total = v[["total"]], share_mediated = v[["share_mediated"]],
       loadings = by_item(m, "outer_loadings"), weights = by_item(m, "outer_weights"),
       r2 = list(DC = m$rSquared["Rsq", "DC"], HQD = m$rSquared["Rsq", "HQD"]),
       rhoc = as.list(rel[, "rhoC"]), ave = as.list(rel[, "AVE"]),
       iterations = m$iterations)
}

model <- estimate(items)
result <- summarise(model)
fsq <- unclass(model_fsquares(model))
result$f2 <- setNames(lapply(PATHS, function(k) fsq[k[2], k[1]]), sapply(PATHS, paste, collapse = "~"))
ht <- unclass(HTMT(model))
result$htmt <- setNames(lapply(names(CONSTRUCTS), function(a) setNames(lapply(names(CONSTRUCTS), function(b) {
  if (a == b) NA else if (!is.na(ht[a, b])) ht[a, b] else ht[b, a]
}), names(CONSTRUCTS))), names(CONSTRUCTS))

# Case-resampling bootstrap, percentile CIs (quantile type 7, as seminr's summary and numpy).
set.seed(1)
draws <- t(sapply(seq_len(B), function(b) path_values(estimate(items[sample.int(nrow(items), replace = TRUE), ]))))
result$bootstrap <- c(list(resamples = B, seed = 1), setNames(lapply(colnames(draws), function(k) {
  q <- stats::quantile(draws[, k], c(0.025, 0.975), names = FALSE)
  list(lo = q[1], hi = q[2], boot_se = stats::sd(draws[, k]))
}), colnames(draws)))
result$plsc <- summarise(estimate(items, "reflective"))
result$meta <- list(source = basename(data_path), generator = "tests/R/pls_reference.R", R = R.version.string,
                    seminr = seminr_version, n_used = nrow(items),
                    settings = "composite(weights = mode_A), path_weighting, maxIt = 300, stopCriterion = 7")

dir.create(dirname(out_path), showWarnings = FALSE, recursive = TRUE)
write_json(result, out_path, auto_unbox = TRUE, digits = NA, na = "null", pretty = TRUE)
cat(sprintf("%s: n=%d iterations=%d share mediated=%.4f -> %s\n", basename(data_path), nrow(items),
            model$iterations, result$share_mediated, out_path))
