# consensr against the tools users would otherwise pick, side by side in one
# R process on the same data.
#
#   Rscript bench/bench.R        (after installing consensr; or `make bench`)
#
# Environment:
#   CONSENSR_BENCH_MAX_SECONDS  an alternative whose estimated time per run
#                               exceeds this is skipped, with a message
#                               (default 60)
#   CONSENSR_BENCH_SIZES        which rating matrices: any of "paper",
#                               "medium", "large" (default all three)
#
# Times are medians of bench::mark() (filter_gc = FALSE, so garbage
# collection counts); "ratio" is consensr time / other time (below 1:
# consensr is faster) and "speedup" its inverse.  mem_alloc is the memory
# bench::mark() sees allocated through R during one run (C-level malloc()
# of other packages is not seen).  Every case checks once that consensr and
# the alternative give the same counts or statistics; checks are printed.
# Nothing is asserted: targets are evaluated and reported at the end.
suppressPackageStartupMessages({
  library(consensr)
  library(bench)
})
options(width = 150)

max_seconds <- as.numeric(Sys.getenv("CONSENSR_BENCH_MAX_SECONDS", "60"))
sizes_wanted <- strsplit(Sys.getenv("CONSENSR_BENCH_SIZES", "paper,medium,large"), ",")[[1L]]
has <- function(pkg) requireNamespace(pkg, quietly = TRUE)
ns <- asNamespace("consensr")

# ---- machine ---------------------------------------------------------------
cpu <- tryCatch({
  l <- grep("^model name", readLines("/proc/cpuinfo"), value = TRUE)
  sub("^model name\\s*:\\s*", "", l[1L])
}, error = function(e) NA_character_)
cat("consensr benchmark\n")
cat(sprintf("date: %s\nmachine: %s, %d cores (nproc), %s\nR: %s\n",
            format(Sys.time(), "%Y-%m-%d %H:%M %Z"), cpu,
            parallel::detectCores(), R.version$platform, R.version.string))
pkgs <- c("consensr", "bench", "matrixStats", "data.table", "dplyr", "boot", "irr", "irrCAC")
cat("packages:", paste(vapply(pkgs, function(p) {
  if (has(p)) paste(p, as.character(utils::packageVersion(p))) else paste(p, "(absent)")
}, ""), collapse = ", "), "\n")
if (has("data.table")) {
  cat(sprintf("data.table threads: %d (consensr is single-threaded)\n",
              data.table::getDTthreads()))
}

# ---- helpers ----------------------------------------------------------------
results <- list()
checks <- list()

fmt_time <- function(s) {
  ifelse(is.na(s), "-", ifelse(s < 1e-3, sprintf("%.1f us", s * 1e6),
                               ifelse(s < 1, sprintf("%.2f ms", s * 1e3), sprintf("%.2f s", s))))
}
fmt_bytes <- function(b) {
  ifelse(is.na(b), "-", ifelse(b < 1024^2, sprintf("%.1f KB", b / 1024),
                               ifelse(b < 1024^3, sprintf("%.1f MB", b / 1024^2),
                                      sprintf("%.2f GB", b / 1024^3))))
}

# One expression, timed with bench::mark(); returns median seconds and bytes.
measure <- function(case, size, tool, expr, env = parent.frame(), iterations = NULL,
                    note = "") {
  gc(FALSE)
  args <- list(exprs = list(expr), check = FALSE, filter_gc = FALSE,
               memory = TRUE, time_unit = "s", env = env)
  if (is.null(iterations)) {
    args$min_iterations <- 3L
    args$min_time <- 0.5
  } else {
    args$iterations <- iterations
  }
  b <- do.call(bench::mark, args)
  row <- data.frame(case = case, size = size, tool = tool,
                    median = as.numeric(b$median), mem = as.numeric(b$mem_alloc),
                    n_itr = b$n_itr, note = note, stringsAsFactors = FALSE)
  results[[length(results) + 1L]] <<- row
  cat(sprintf("  %-44s %10s  %10s  (%d runs)%s\n", tool, fmt_time(row$median),
              fmt_bytes(row$mem), row$n_itr, if (nzchar(note)) paste0("  ", note) else ""))
  invisible(row)
}

skipped <- function(case, size, tool, why) {
  results[[length(results) + 1L]] <<- data.frame(
    case = case, size = size, tool = tool, median = NA_real_, mem = NA_real_,
    n_itr = 0L, note = paste("skipped:", why), stringsAsFactors = FALSE)
  cat(sprintf("  %-44s skipped: %s\n", tool, why))
}

check <- function(case, size, what, ok, detail = "") {
  checks[[length(checks) + 1L]] <<- data.frame(case = case, size = size, what = what,
                                               ok = ok, detail = detail,
                                               stringsAsFactors = FALSE)
  cat(sprintf("  check %-50s %s %s\n", what, if (isTRUE(ok)) "OK" else "MISMATCH", detail))
}

# Time one run of `expr` quickly (for the skip decisions).
once <- function(expr, env = parent.frame()) {
  gc(FALSE)
  t0 <- proc.time()[["elapsed"]]
  eval(expr, env)
  proc.time()[["elapsed"]] - t0
}

# ---- the floor: one plain C pass over the matrix --------------------------
floor_dir <- file.path(tempdir(), "consensr-floor")
dir.create(floor_dir, showWarnings = FALSE)
writeLines(c(
  "#include <R.h>",
  "#include <Rinternals.h>",
  "/* The sum of all cells of an integer matrix: one read of every cell. */",
  "SEXP sum_cells(SEXP x) {",
  "  const int *p = INTEGER(x);",
  "  R_xlen_t n = XLENGTH(x);",
  "  long long s = 0;",
  "  for (R_xlen_t i = 0; i < n; i++) s += p[i];",
  "  return Rf_ScalarReal((double)s);",
  "}"), file.path(floor_dir, "floor.c"))
shlib <- system2(file.path(R.home("bin"), "R"),
                 c("CMD", "SHLIB", shQuote(file.path(floor_dir, "floor.c"))),
                 stdout = TRUE, stderr = TRUE)
floor_so <- file.path(floor_dir, paste0("floor", .Platform$dynlib.ext))
dll <- dyn.load(floor_so)
sum_cells <- getNativeSymbolInfo("sum_cells", dll)
cat("floor: a plain C pass (the sum of all cells), built with:",
    grep("gcc|clang|cc ", shlib, value = TRUE)[1L], "\n")

# ---- data --------------------------------------------------------------------
lv <- c("Fundamental", "Ancillary", "Less Important")
make_case <- function(n, m, p_na = 0.05, seed = 1L) {
  set.seed(seed)
  x <- matrix(sample.int(3L, n * m, replace = TRUE, prob = c(0.6, 0.25, 0.15)), n, m)
  x[sample.int(n * m, round(n * m * p_na))] <- NA
  # x stays a plain matrix without dimnames: removing attributes later
  # would make it an ALTREP wrapper, which INTEGER() copies
  wide <- lapply(seq_len(m), function(j) structure(x[, j], levels = lv, class = "factor"))
  names(wide) <- sprintf("item%05d", seq_len(m))
  wide <- as.data.frame(wide, optional = TRUE)
  list(x = x, wide = wide, n = n, m = m)
}
sizes <- list(
  paper = c(25L, 35L),
  medium = c(1000L, 200L),
  large = c(100000L, 1000L)
)
sizes <- sizes[names(sizes) %in% sizes_wanted]

# counts K x m from each tool, for the checks
counts_table <- function(tabs) unname(vapply(tabs, function(t) as.integer(t[lv]), integer(3)))
counts_long <- function(res, item, rating, N, m) {
  ok <- !is.na(res[[rating]])
  out <- matrix(0L, 3L, m)
  out[cbind(res[[rating]][ok], res[[item]][ok])] <- as.integer(res[[N]][ok])
  out
}

estimates <- list()  # seconds per cell of the slow alternatives, from smaller cases

for (size in names(sizes)) {
  n <- sizes[[size]][1L]
  m <- sizes[[size]][2L]
  label <- sprintf("%s x %s", format(n, big.mark = ","), format(m, big.mark = ","))
  cat(sprintf("\n== %s: %s rating matrix, 3 levels, 5%% missing\n", size, label))
  d <- make_case(n, m)
  x <- d$x
  wide <- d$wide
  cells <- as.numeric(n) * m
  r <- as_ratings(wide, levels = lv)
  cat(sprintf("  rating matrix: %s (%s); as_ratings(wide) built once\n",
              fmt_bytes(as.numeric(utils::object.size(x))), typeof(x)))
  matrix_bytes <- as.numeric(utils::object.size(x))

  # ---- tally ----
  cat("-- tally: counts per item and level\n")
  ref <- unname(matrix(consensr:::ratings_table(r, FALSE)$counts, 3L))
  measure("tally", label, "consensr tally_ratings()", quote(tally_ratings(r)))
  measure("tally", label, "consensr C tally (ratings_table)", quote(consensr:::ratings_table(r, FALSE)))
  measure("tally", label, "floor: plain C sum of all cells", quote(.Call(sum_cells, x)))
  tab_tabulate <- quote(vapply(seq_len(ncol(x)), function(j) tabulate(x[, j], nbins = 3L), integer(3)))
  check("tally", label, "tabulate() per column", identical(eval(tab_tabulate), ref))
  measure("tally", label, "tabulate() per column", tab_tabulate)
  if (has("matrixStats")) {
    cst <- quote(matrixStats::colTabulates(x, values = 1:3))
    check("tally", label, "matrixStats::colTabulates()",
          identical(unname(t(eval(cst))), ref))
    measure("tally", label, "matrixStats::colTabulates()", cst)
  }
  tab_table <- quote(lapply(wide, table))
  est <- if (!is.null(estimates$table)) estimates$table * cells else 0
  if (est > max_seconds) {
    skipped("tally", label, "table() per item",
            sprintf("estimated %.0f s per run from the smaller case", est))
  } else {
    check("tally", label, "table() per item", identical(counts_table(eval(tab_table)), ref))
    t1 <- once(tab_table)
    estimates$table <- t1 / cells
    measure("tally", label, "table() per item", tab_table,
            iterations = if (t1 > 5) 1L else NULL)
  }
  long <- NULL
  if (has("data.table") || has("dplyr")) {
    long <- data.frame(item = rep(seq_len(m), each = n), rating = as.vector(x))
  }
  if (has("data.table")) {
    dt <- data.table::as.data.table(long)
    dtq <- quote(dt[, .N, by = .(item, rating)])
    check("tally", label, "data.table dt[, .N, by = .(item, rating)]",
          identical(counts_long(eval(dtq), "item", "rating", "N", m), ref))
    measure("tally", label, "data.table dt[, .N, by = .(item, rating)]", dtq,
            note = "long format built beforehand")
    rm(dt)
  }
  if (has("dplyr")) {
    dpq <- quote(dplyr::count(long, item, rating))
    est <- if (!is.null(estimates$dplyr)) estimates$dplyr * cells else 0
    if (est > max_seconds) {
      skipped("tally", label, "dplyr::count(long, item, rating)",
              sprintf("estimated %.0f s per run from the smaller case", est))
    } else {
      check("tally", label, "dplyr::count(long, item, rating)",
            identical(counts_long(eval(dpq), "item", "rating", "n", m), ref))
      t1 <- once(dpq)
      estimates$dplyr <- t1 / cells
      measure("tally", label, "dplyr::count(long, item, rating)", dpq,
              iterations = if (t1 > 5) 1L else NULL, note = "long format built beforehand")
    }
  }
  rm(long)

  # ---- consensus + 51-threshold sweep ----
  cat("-- consensus at 75% and a 51-threshold sweep (seq(0.5, 1, by = 0.01))\n")
  thr <- seq(0.5, 1, by = 0.01)
  cq <- quote(list(consensus(r, "Fundamental", threshold = 0.75),
                   threshold_sensitivity(r, thr, "Fundamental")))
  base_q <- quote({
    k <- colSums(x == 1L, na.rm = TRUE)
    nn <- colSums(!is.na(x))
    p <- k / nn
    reached <- p >= 0.75
    sweep <- matrix(FALSE, length(p), length(thr))
    for (i in seq_along(thr)) sweep[, i] <- p >= thr[i]
    list(reached = reached, sweep = sweep)
  })
  cres <- eval(cq)
  bres <- eval(base_q)
  st <- cres[[2L]]$status
  csweep <- matrix(st$reached, m)
  check("consensus", label, "decision at 75%: consensr vs base R",
        identical(unname(cres[[1L]]$reached), unname(bres$reached)))
  n_diff <- sum(csweep != bres$sweep)
  ties <- which(csweep != bres$sweep, arr.ind = TRUE)
  check("consensus", label, "51-threshold sweep: consensr vs base R", n_diff == 0L,
        if (n_diff > 0L) sprintf("(%d item x threshold pairs differ: exact ties such as %s at %.2f, where p >= %s in doubles is FALSE)",
                                 n_diff, cres[[2L]]$items$switch_at[ties[1L, 1L]],
                                 thr[ties[1L, 2L]], format(thr[ties[1L, 2L]], digits = 17)) else "")
  measure("consensus", label, "consensr consensus() + threshold_sensitivity()", cq)
  measure("consensus", label, "base R colSums + loop over thresholds", base_q)

  # ---- bootstrap ----
  if (exists("consensus_robustness", ns) && size %in% c("paper", "medium")) {
    for (B in c(2000L, 10000L)) {
      cat(sprintf("-- bootstrap of the respondents, B = %s\n", format(B, big.mark = ",")))
      rq <- bquote({
        set.seed(1)
        consensus_robustness(r, "Fundamental", method = "bootstrap", B = .(B), progress = FALSE)
      })
      stat <- function(dd, i) {
        s <- dd[i, , drop = FALSE]
        colSums(s == 1L, na.rm = TRUE) / colSums(!is.na(s))
      }
      bq <- bquote({
        set.seed(1)
        boot::boot(x, stat, R = .(B))
      })
      if (has("boot")) {
        rb <- eval(rq)
        bb <- eval(bq)
        same_obs <- isTRUE(all.equal(unname(bb$t0), unname(rb$prop)))
        z <- (rb$mean_prop - colMeans(bb$t)) /
          sqrt(apply(bb$t, 2, stats::var) / B * 2)
        check("bootstrap", label, sprintf("B = %d: observed shares, bootstrap means", B),
              same_obs && max(abs(z)) < 5,
              sprintf("(max |z| of the mean shares %.2f; different draws, same statistic)", max(abs(z))))
        t1 <- once(bq)
        measure("bootstrap", label, sprintf("consensr consensus_robustness(B = %d)", B), rq,
                iterations = if (t1 > 5) 3L else NULL)
        measure("bootstrap", label, sprintf("boot::boot(R = %d), R statistic", B), bq,
                iterations = if (t1 > 5) 1L else NULL)
      } else {
        skipped("bootstrap", label, "boot::boot()", "package boot not installed")
      }
    }
  }

  # ---- agreement ----
  if (exists("agreement", ns) && size == "medium") {
    cat("-- agreement: Fleiss' kappa, Gwet's AC1, Krippendorff's alpha (nominal)\n")
    aq <- quote(agreement(r))
    a <- eval(aq)
    est_of <- function(method) a$estimate[a$method == method]
    measure("agreement", label, "consensr agreement() (4 statistics + SEs)", aq)
    measure("agreement", label, "consensr agreement(\"fleiss\")", quote(agreement(r, "fleiss")))
    if (has("irrCAC")) {
      subj <- as.data.frame(t(x))  # irrCAC: subjects (items) x raters
      f <- irrCAC::fleiss.kappa.raw(subj)$est$coeff.val
      g <- irrCAC::gwet.ac1.raw(subj)$est$coeff.val
      k <- irrCAC::krippen.alpha.raw(subj)$est$coeff.val
      check("agreement", label, "irrCAC: Fleiss, AC1, alpha (irrCAC rounds to 1e-5)",
            all(abs(c(f, g, k) - c(est_of("fleiss"), est_of("gwet_ac1"), est_of("krippendorff"))) < 1e-5),
            sprintf("(consensr %.6f %.6f %.6f, irrCAC %s %s %s)", est_of("fleiss"),
                    est_of("gwet_ac1"), est_of("krippendorff"), f, g, k))
      measure("agreement", label, "irrCAC fleiss + gwet.ac1 + krippen.alpha .raw()",
              quote(list(irrCAC::fleiss.kappa.raw(subj), irrCAC::gwet.ac1.raw(subj),
                         irrCAC::krippen.alpha.raw(subj))))
      measure("agreement", label, "irrCAC::fleiss.kappa.raw()",
              quote(irrCAC::fleiss.kappa.raw(subj)))
    } else {
      skipped("agreement", label, "irrCAC", "package irrCAC not installed")
    }
    if (has("irr")) {
      # irr::kappam.fleiss() drops subjects with a missing rating (every item
      # here), so it is timed on the complete ratings of the same shape
      xc <- x
      set.seed(2)
      xc[is.na(xc)] <- sample.int(3L, sum(is.na(xc)), replace = TRUE)
      rc <- as_ratings(as.data.frame(lapply(seq_len(m), function(j)
        structure(xc[, j], levels = lv, class = "factor")), col.names = names(wide)),
        levels = lv)
      fc <- irr::kappam.fleiss(t(xc))$value
      ac <- agreement(rc, "fleiss", missing = "listwise")
      check("agreement", label, "irr::kappam.fleiss() on complete ratings",
            abs(fc - ac$estimate) < 1e-12, sprintf("(%.10f vs %.10f)", ac$estimate, fc))
      measure("agreement", label, "consensr agreement(\"fleiss\"), complete ratings",
              quote(agreement(rc, "fleiss", missing = "listwise")))
      measure("agreement", label, "irr::kappam.fleiss(), complete ratings",
              quote(irr::kappam.fleiss(t(xc))))
      # irr::kripp.alpha() is quadratic in the raters: time it on 100 raters
      # first and run it on all 1,000 only when that is estimated to be quick
      x100 <- x[seq_len(100L), ]
      t100 <- once(quote(irr::kripp.alpha(x100, "nominal")))
      est <- t100 * (nrow(x) / 100)^2
      if (est > max_seconds) {
        skipped("agreement", label, "irr::kripp.alpha()",
                sprintf("estimated %.0f s per run (%.1f s on 100 raters, quadratic in raters)", est, t100))
        r100 <- as_ratings(as.data.frame(lapply(seq_len(m), function(j)
          structure(x100[, j], levels = lv, class = "factor")), col.names = names(wide)),
          levels = lv)
        ka <- irr::kripp.alpha(x100, "nominal")$value
        a100 <- agreement(r100, "krippendorff")
        check("agreement", "100 x 200", "irr::kripp.alpha() (with missing values)",
              abs(ka - a100$estimate) < 1e-10, sprintf("(%.10f vs %.10f)", a100$estimate, ka))
        measure("agreement", "100 x 200", "consensr agreement(\"krippendorff\")",
                quote(agreement(r100, "krippendorff")))
        measure("agreement", "100 x 200", "irr::kripp.alpha()",
                quote(irr::kripp.alpha(x100, "nominal")), iterations = 1L)
      } else {
        measure("agreement", label, "irr::kripp.alpha()", quote(irr::kripp.alpha(x, "nominal")),
                iterations = 1L)
      }
    } else {
      skipped("agreement", label, "irr", "package irr not installed")
    }
  }

  cat(sprintf("  memory: the rating matrix is %s\n", fmt_bytes(matrix_bytes)))
  res_size <- do.call(rbind, results)
  res_size <- res_size[res_size$size == label & !is.na(res_size$mem), ]
  for (i in seq_len(nrow(res_size))) {
    cp <- res_size$mem[i] / matrix_bytes
    if (cp >= 0.9) {
      cat(sprintf("  memory: %-48s allocates %s = %.1f x the rating matrix\n",
                  res_size$tool[i], fmt_bytes(res_size$mem[i]), cp))
    }
  }
  rm(d, x, wide, r)
  gc(FALSE)
}

# ---- summary ----------------------------------------------------------------
res <- do.call(rbind, results)
consensr_tool <- c(tally = "consensr tally_ratings()",
                   consensus = "consensr consensus() + threshold_sensitivity()")
res$ratio <- NA_real_
for (i in seq_len(nrow(res))) {
  if (grepl("^consensr", res$tool[i]) || is.na(res$median[i])) next
  same <- res[res$case == res$case[i] & res$size == res$size[i] & grepl("^consensr", res$tool), ]
  if (res$case[i] == "bootstrap") {
    B <- sub(".*R = ([0-9]+).*", "\\1", res$tool[i])
    same <- same[grepl(paste0("B = ", B, ")"), same$tool, fixed = TRUE), ]
  } else if (res$case[i] == "agreement") {
    pick <- if (grepl("kappam", res$tool[i])) "complete" else if (grepl("fleiss.kappa.raw()", res$tool[i], fixed = TRUE)) "agreement(\"fleiss\")$" else if (grepl("kripp.alpha", res$tool[i])) "krippendorff" else "4 statistics"
    same <- same[grepl(pick, same$tool), ]
  } else if (grepl("^floor", res$tool[i])) {
    same <- same[same$tool == "consensr C tally (ratings_table)", ]  # tally time / floor time
  } else {
    same <- same[same$tool == consensr_tool[[res$case[i]]], ]
  }
  if (nrow(same) >= 1L) res$ratio[i] <- same$median[1L] / res$median[i]
}
cat("\n== summary (ratio = consensr / other: below 1 means consensr is faster;",
    "for the floor row, C tally / plain C pass)\n")
cat(sprintf("%-10s %-15s %-50s %10s %10s %8s %8s  %s\n", "case", "size", "tool",
            "median", "mem_alloc", "ratio", "speedup", "note"))
cat(sprintf("%-10s %-15s %-50s %10s %10s %8s %8s  %s\n", res$case, res$size, res$tool,
            fmt_time(res$median), fmt_bytes(res$mem),
            ifelse(is.na(res$ratio), "", sprintf("%.3g", res$ratio)),
            ifelse(is.na(res$ratio), "", sprintf("%.1fx", 1 / res$ratio)), res$note), sep = "")

cat("\n== checks\n")
ch <- do.call(rbind, checks)
cat(sprintf("%-10s %-15s %-55s %-8s %s\n", ch$case, ch$size, ch$what,
            ifelse(ch$ok, "OK", "MISMATCH"), ch$detail), sep = "")

# ---- targets ----------------------------------------------------------------
cat("\n== targets (evaluated, not asserted)\n")
get_t <- function(case, size, tool) {
  v <- res$median[res$case == case & res$size == size & res$tool == tool]
  if (length(v)) v[1L] else NA_real_
}
largest <- utils::tail(unique(res$size[res$case == "tally"]), 1L)
target <- function(what, value, goal, ok) {
  cat(sprintf("  %-70s %8s  (target %s)  %s\n", what,
              if (is.na(value)) "n/a" else sprintf("%.1f", value), goal,
              if (is.na(ok)) "not measured" else if (ok) "MET" else "MISSED"))
}
if (length(largest)) {
  full <- get_t("tally", largest, "consensr tally_ratings()")
  ctal <- get_t("tally", largest, "consensr C tally (ratings_table)")
  cst <- get_t("tally", largest, "matrixStats::colTabulates()")
  flo <- get_t("tally", largest, "floor: plain C sum of all cells")
  target(sprintf("tally_ratings() speedup over colTabulates(), %s", largest), cst / full, ">= 15", cst / full >= 15)
  target(sprintf("C tally speedup over colTabulates(), %s", largest), cst / ctal, ">= 15", cst / ctal >= 15)
  target(sprintf("tally_ratings() time / plain C pass, %s", largest), full / flo, "<= 2", full / flo <= 2)
  target(sprintf("C tally time / plain C pass, %s", largest), ctal / flo, "<= 2", ctal / flo <= 2)
}
for (B in c(2000L, 10000L)) {
  for (size in unique(res$size[res$case == "bootstrap"])) {
    cr <- get_t("bootstrap", size, sprintf("consensr consensus_robustness(B = %d)", B))
    bt <- get_t("bootstrap", size, sprintf("boot::boot(R = %d), R statistic", B))
    target(sprintf("bootstrap B = %d speedup over boot::boot(), %s", B, size), bt / cr, ">= 30", bt / cr >= 30)
  }
}
for (size in unique(res$size[res$case == "agreement" & grepl("irrCAC", res$tool)])) {
  ca <- get_t("agreement", size, "consensr agreement() (4 statistics + SEs)")
  ic <- get_t("agreement", size, "irrCAC fleiss + gwet.ac1 + krippen.alpha .raw()")
  target(sprintf("agreement speedup over irrCAC (3 statistics), %s", size), ic / ca, ">= 20", ic / ca >= 20)
}
invisible(res)
