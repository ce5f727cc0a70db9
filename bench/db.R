# Ratings that never leave the database: as_ratings() on a lazy table
# tallies in the database (one grouped query) and brings back only the
# counts, against collecting the table into R first and reading it there.
#
#   Rscript bench/db.R            (after installing consensr; or `make bench-db`)
#
# CONSENSR_BENCH_DB_N (default 1e8) is the number of long ratings: 100 items
# x N/100 respondents in 3 groups, ratings 1..9 with 5% NULL, written to an
# on-disk SQLite database (and DuckDB, when the duckdb package is installed)
# in CONSENSR_BENCH_DB_DIR (default tempdir(); 10^8 rows take about 2.5 GB
# in SQLite).  Each case runs in a fresh R process, which reports the
# elapsed time and the peak resident memory of that process (VmHWM of
# /proc/self/status, Linux), before and after the read; the counts of the
# two paths are checked to be identical.  At the end: the SQL dbplyr
# generates for SQLite, PostgreSQL and Hive (dbplyr's simulate_postgres()
# and simulate_hive()).
suppressPackageStartupMessages({
  library(consensr)
  library(DBI)
})
n_total <- as.numeric(Sys.getenv("CONSENSR_BENCH_DB_N", "1e8"))
dir <- Sys.getenv("CONSENSR_BENCH_DB_DIR", tempdir())
m <- 100L
n_resp <- ceiling(n_total / m)
has <- function(pkg) requireNamespace(pkg, quietly = TRUE)
cat(sprintf("consensr database benchmark, %s, R %s, %d cores, %s ratings (%s respondents x %d items)\n",
            format(Sys.time(), "%Y-%m-%d %H:%M %Z"), getRversion(), parallel::detectCores(),
            format(n_resp * m, big.mark = ","), format(n_resp, big.mark = ","), m))

# ---- the data: written in batches of respondents, never whole in R ---------
write_panel <- function(con) {
  if (dbExistsTable(con, "ratings")) dbRemoveTable(con, "ratings")
  batch <- max(1L, floor(1e6 / m))
  set.seed(1)
  for (first in seq(1, n_resp, by = batch)) {
    ids <- first:min(n_resp, first + batch - 1)
    k <- length(ids) * m
    rating <- sample.int(9L, k, TRUE)
    rating[sample.int(k, floor(k * 0.05))] <- NA
    d <- data.frame(respondent = rep(ids, each = m),
                    item = rep(sprintf("Q%03d", seq_len(m)), length(ids)),
                    rating = rating,
                    grp = rep(c("clinician", "patient", "researcher")[ids %% 3 + 1], each = m))
    if (!dbExistsTable(con, "ratings")) dbCreateTable(con, "ratings", d)
    dbAppendTable(con, "ratings", d)
  }
  invisible()
}

backends <- list(sqlite = list(
  file = file.path(dir, "consensr-bench.sqlite"),
  connect = "DBI::dbConnect(RSQLite::SQLite(), FILE)"
))
if (has("duckdb")) {
  backends$duckdb <- list(
    file = file.path(dir, "consensr-bench.duckdb"),
    connect = "DBI::dbConnect(duckdb::duckdb(), FILE)"
  )
} else {
  cat("duckdb is not installed: SQLite only\n")
}

for (b in names(backends)) {
  f <- backends[[b]]$file
  unlink(f)
  con <- eval(parse(text = sub("FILE", deparse(f), backends[[b]]$connect)))
  t0 <- Sys.time()
  write_panel(con)
  dbDisconnect(con, shutdown = TRUE)
  cat(sprintf("%s: wrote %s in %.1f s (%.0f MB on disk)\n", b, basename(f),
              as.numeric(Sys.time() - t0, units = "secs"), file.size(f) / 2^20))
}

# ---- one case in a fresh R process ------------------------------------------
run_case <- function(backend, how) {
  out <- tempfile(fileext = ".rds")
  read <- switch(how,
    database = "r <- as_ratings(dplyr::tbl(con, 'ratings'), levels = 1:9, by = 'grp', item_data = character(), quiet = TRUE)",
    collect = "d <- as.data.frame(dplyr::collect(dplyr::tbl(con, 'ratings'))); r <- as_ratings(d, levels = 1:9, by = 'grp', item_data = character(), quiet = TRUE)"
  )
  code <- sprintf('
    suppressPackageStartupMessages({library(consensr); library(DBI); library(dbplyr)})
    hwm <- function() { s <- readLines("/proc/self/status"); as.numeric(gsub("[^0-9]", "", grep("^VmHWM", s, value = TRUE))) / 1024 }
    con <- %s
    before <- hwm()
    t0 <- proc.time()[["elapsed"]]
    %s
    tab <- tally_ratings(r, by = "grp")
    secs <- proc.time()[["elapsed"]] - t0
    saveRDS(list(seconds = secs, before = before, peak = hwm(),
                 counts = tab$count, n = tab$n), %s)
    DBI::dbDisconnect(con, shutdown = TRUE)',
    sub("FILE", deparse(backends[[backend]]$file), backends[[backend]]$connect),
    read, deparse(out))
  status <- system2(file.path(R.home("bin"), "Rscript"), c("-e", shQuote(code)))
  if (status != 0) stop("case ", backend, "/", how, " failed")
  res <- readRDS(out)
  unlink(out)
  res
}

rows <- list()
for (b in names(backends)) {
  res <- list(database = run_case(b, "database"), collect = run_case(b, "collect"))
  stopifnot(identical(res$database$counts, res$collect$counts),
            identical(res$database$n, res$collect$n))
  for (how in names(res)) {
    rows[[length(rows) + 1L]] <- data.frame(
      backend = b,
      path = if (how == "database") "as_ratings(tbl): tally in the database" else
        "dplyr::collect() then as_ratings()",
      seconds = round(res[[how]]$seconds, 2),
      peak_MB_before = round(res[[how]]$before),
      peak_MB = round(res[[how]]$peak))
  }
}
cat("\nTally by group (tally_ratings(r, by = 'grp')), counts identical on both paths:\n")
print(do.call(rbind, rows), row.names = FALSE)

# ---- the SQL -----------------------------------------------------------------
cat("\nThe SQL of as_ratings(tbl, by = 'grp', round = 'round'):\n")
cols <- list(respondent = 1L, item = "Q001", rating = 1L, grp = "a", round = 1L)
con <- dbConnect(RSQLite::SQLite(), ":memory:")
dbWriteTable(con, "ratings", as.data.frame(cols))
sims <- list(SQLite = dplyr::tbl(con, "ratings"),
             PostgreSQL = do.call(dbplyr::lazy_frame, c(cols, list(con = dbplyr::simulate_postgres()))),
             Hive = do.call(dbplyr::lazy_frame, c(cols, list(con = dbplyr::simulate_hive()))))
for (k in names(sims)) {
  cat(sprintf("\n-- %s\n", k))
  sql <- ratings_sql(sims[[k]], by = "grp", round = "round")
  for (q in names(sql)) cat(sprintf("-- %s\n%s;\n", q, sql[[q]]))
}
dbDisconnect(con)
if (Sys.getenv("CONSENSR_BENCH_DB_KEEP") != "true") for (b in backends) unlink(b$file)
