# Reading ratings, timed from the user's own data frame (not from a
# prepared ratings object), side by side in one R process with what a user
# would otherwise run.  Medians of 3 runs (bench::mark, garbage collection
# included); "ratio" is consensr time / other time.
#
#   Rscript bench/read.R         (after installing consensr; or `make bench-read`)
#
# CONSENSR_BENCH_READ_SCALE (default 1) divides the sizes, for a quick run.
suppressPackageStartupMessages({
  library(consensr)
  library(bench)
})
options(width = 150, consensr.quiet = TRUE)
scale <- as.numeric(Sys.getenv("CONSENSR_BENCH_READ_SCALE", "1"))
has <- function(pkg) requireNamespace(pkg, quietly = TRUE)
cat(sprintf("consensr read benchmark, %s, R %s, %d cores\n",
            format(Sys.time(), "%Y-%m-%d %H:%M %Z"), getRversion(), parallel::detectCores()))
if (has("data.table")) data.table::setDTthreads(0L)
med <- function(expr_list) {
  res <- bench::mark(exprs = expr_list, iterations = 3L, check = FALSE,
                     filter_gc = FALSE, memory = TRUE)
  data.frame(case = names(expr_list), seconds = as.numeric(res$median),
             mem_alloc_MB = round(as.numeric(res$mem_alloc) / 2^20, 1))
}
show <- function(tab, ref) {
  tab$ratio_vs <- ref
  tab$ratio <- round(tab$seconds[1L] / tab$seconds, 2)
  tab$seconds <- signif(tab$seconds, 3)
  print(tab, row.names = FALSE)
  cat("\n")
  tab
}

# ---- wide: 10^5 respondents x 10^3 items, integer ratings 1..3 -------------
n <- 1e5 / scale
m <- 1e3 / scale
set.seed(1)
mat <- matrix(sample.int(3L, n * m, TRUE), n, m)
df <- as.data.frame(mat)
items <- names(df)
cat(sprintf("wide data frame: %d x %d integer ratings (%.0f MB)\n", n, m,
            as.numeric(object.size(df)) / 2^20))
# check once: the same counts
tb <- tally_ratings(df, items = items, levels = 1:3)
stopifnot(all(matrix(tb$count, 3L) == t(unname(matrixStats::colTabulates(mat, values = 1:3)))))
plain_pass <- function() .Call(consensr:::ffi_tally, mat, NULL, 1L, 3L)
wide <- med(list(
  "consensr tally_ratings(df, items, levels = 1:3)" = quote(tally_ratings(df, items = items, levels = 1:3)),
  "matrixStats::colTabulates(ready matrix)" = quote(matrixStats::colTabulates(mat, values = 1:3)),
  "one plain C pass over the ready matrix" = quote(plain_pass())
))
wide <- show(wide, "consensr / other")
rm(tb)

# ---- long: 10^7 rows (10^5 respondents x 100 items), 5% missing -------------
nr <- 1e5 / scale
ni <- 100
lv <- c("Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree")
set.seed(2)
codes <- sample.int(5L, nr * ni, TRUE)
codes[sample.int(length(codes), length(codes) %/% 20)] <- NA
long_chr <- data.frame(respondent = rep(seq_len(nr), each = ni),
                       item = rep(sprintf("Q%03d", seq_len(ni)), nr),
                       rating = lv[codes], stringsAsFactors = FALSE)
cat(sprintf("long data frame: %d rows (character items; ratings as %s)\n",
            nrow(long_chr), "character, double, factor"))
long_dbl <- long_chr
long_dbl$rating <- as.double(codes)
long_fct <- long_chr
long_fct$rating <- factor(lv[codes], levels = lv)
dt_chr <- if (has("data.table")) data.table::as.data.table(long_chr)

long_rows <- list()
for (kind in c("character", "double", "factor")) {
  d <- switch(kind, character = long_chr, double = long_dbl, factor = long_fct)
  lev <- if (kind == "double") 1:5 else lv
  # check once: the same counts as table()
  tb <- tally_ratings(d, levels = lev)
  ref <- table(factor(d$item), factor(d$rating, levels = lev))
  stopifnot(identical(tb$count, as.vector(t(unclass(ref)))))
  exprs <- list(quote(tally_ratings(d, levels = lev)))
  names(exprs) <- sprintf("consensr tally_ratings(long, levels) [%s]", kind)
  if (has("dplyr")) exprs[["dplyr::count(long, item, rating)"]] <- quote(dplyr::count(d, item, rating))
  if (has("data.table")) {
    dtd <- data.table::as.data.table(d)
    exprs[["data.table dt[, .N, by = .(item, rating)]"]] <- quote(dtd[, .N, by = .(item, rating)])
  }
  long_rows[[kind]] <- show(med(exprs), "consensr / other")
}

# ---- bootstrap: 1,000 x 200 wide data frame, B = 10,000 ---------------------
boot_rows <- NULL
if (has("boot")) {
  set.seed(3)
  bm <- matrix(sample.int(3L, 1000 * 200, TRUE, prob = c(0.6, 0.3, 0.1)), 1000, 200)
  bm[sample.int(length(bm), length(bm) %/% 20)] <- NA
  bdf <- as.data.frame(bm)
  stat <- function(dd, i) {
    s <- dd[i, , drop = FALSE]
    colSums(s == 1L, na.rm = TRUE) / colSums(!is.na(s))
  }
  cat("bootstrap: 1,000 x 200 wide data frame, B = 10,000 (consensr also computes\n",
      "  the percentile intervals and the share of panels reaching consensus)\n", sep = "")
  res_c <- bench::mark(consensus_robustness(bdf, 1, 0.75, levels = 1:3, method = "bootstrap",
                                            B = 10000, progress = FALSE),
                       iterations = 3L, check = FALSE, filter_gc = FALSE)
  res_b <- bench::mark(boot::boot(bm, stat, R = 10000), iterations = 1L, check = FALSE,
                       filter_gc = FALSE)
  boot_rows <- data.frame(case = c("consensr consensus_robustness(df, bootstrap, B = 1e4)",
                                   "boot::boot(matrix, R statistic, R = 1e4)"),
                          seconds = c(as.numeric(res_c$median), as.numeric(res_b$median)),
                          mem_alloc_MB = round(c(as.numeric(res_c$mem_alloc), as.numeric(res_b$mem_alloc)) / 2^20, 1))
  boot_rows <- show(boot_rows, "consensr / other")
}

cat("## Targets (issue: read ratings once)\n")
w <- wide$seconds
cat(sprintf("wide: consensr vs matrixStats::colTabulates: %.1fx faster (target >= 15x)\n", w[2] / w[1]))
cat(sprintf("wide: consensr vs one plain C pass: %.2fx the time (target <= 2.5x)\n", w[1] / w[3]))
for (kind in names(long_rows)) {
  t <- long_rows[[kind]]$seconds
  cat(sprintf("long [%s]: consensr %.2f s, fastest other %.2f s: %.2fx (target <= 1)\n",
              kind, t[1], min(t[-1]), t[1] / min(t[-1])))
}
if (!is.null(boot_rows)) {
  t <- boot_rows$seconds
  cat(sprintf("bootstrap: consensr %.2f s, boot::boot %.2f s: %.1fx faster (target >= 30x)\n",
              t[1], t[2], t[2] / t[1]))
}
