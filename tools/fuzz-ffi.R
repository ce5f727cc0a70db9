#!/usr/bin/env Rscript
# The long R-level fuzz of consensr's .Call entry points, run by hand:
#
#   Rscript tools/fuzz-ffi.R [N] [seed] [chunk]
#       N      fuzzed calls in all (default 50000)
#       seed   base seed (default 1); case i of a seed is always the same call
#       chunk  calls per child R process (default 5000)
#   Rscript tools/fuzz-ffi.R --case SEED I     show and run one case
#
# Needs consensr installed (set R_LIBS to choose the library).  Every
# registered routine (getDLLRegisteredRoutines("consensr")$.Call) is called
# with arguments mutated from valid calls recorded while running the
# package's examples and a workload (types, lengths, dims, NA, NaN, Inf,
# .Machine$integer.max, -1, 2^31, ...), or drawn from a pool of odd values.
# Each call must return or raise an R error.  Calls run in child R processes
# of `chunk` calls; a child that dies (segfault, abort, R's "unprotected"
# errors) is reported with the case that killed it and the command that
# replays it, and the run continues after that case.  Allocation is limited
# (mem.maxVSize) so that a size argument of 2^31 - 1 gives R's error.
#
# The generator and harness are the ffi_fuzz_* functions of
# tests/testthat/test-ffi-fuzz.R (the fast version in the test suite).
args <- commandArgs(trailingOnly = TRUE)
local({
  f <- grep("^--file=", commandArgs(FALSE), value = TRUE)
  sys.source(file.path(dirname(normalizePath(sub("^--file=", "", f[1L]))), "ffi-defs.R"),
             envir = globalenv())
})

setup <- function() {
  suppressPackageStartupMessages(library(consensr))
  f <- load_defs(defs)
  routines <- f$ffi_fuzz_routines()
  seeds <- f$ffi_fuzz_harvest(workload = f$ffi_fuzz_workload(n = 60L, m = 40L, B = 20L))
  list(f = f, routines = routines, seeds = seeds)
}

if (length(args) >= 1L && args[1L] == "--child") {
  seed <- as.integer(args[2L])
  from <- as.integer(args[3L])
  to <- as.integer(args[4L])
  progress <- args[5L]
  out <- args[6L]
  s <- setup()
  res <- s$f$ffi_fuzz_run(s$routines, s$seeds, from, to, seed = seed,
                          time_limit = 10, mem_mb = 2048, log = progress)
  saveRDS(res, out)
  quit(status = 0)
}

if (length(args) >= 1L && args[1L] == "--case") {
  seed <- as.integer(args[2L])
  i <- as.integer(args[3L])
  s <- setup()
  case <- s$f$ffi_fuzz_case(s$routines, s$seeds, i, seed)
  cat(sprintf("case %d of seed %d: %s (%s)\n", i, seed, case$name, case$kind))
  utils::str(case$args)
  res <- s$f$ffi_fuzz_call(s$routines[[case$name]], case$args, case$rng)
  utils::str(res)
  quit(status = 0)
}

n <- if (length(args) >= 1L) as.integer(args[1L]) else 50000L
seed <- if (length(args) >= 2L) as.integer(args[2L]) else 1L
chunk <- if (length(args) >= 3L) as.integer(args[3L]) else 5000L
rscript <- file.path(R.home("bin"), "Rscript")

s <- setup()
cat(sprintf("fuzz-ffi: %d routines: %s\n", length(s$routines),
            paste(sprintf("%s/%d", names(s$routines),
                          vapply(s$routines, `[[`, 0L, "numParameters")), collapse = ", ")))
cat(sprintf("fuzz-ffi: valid calls harvested: %s\n",
            paste(sprintf("%s %d", names(s$seeds), lengths(s$seeds)), collapse = ", ")))
no_seed <- setdiff(names(s$routines), names(s$seeds))
if (length(no_seed)) {
  cat("fuzz-ffi: no valid call harvested for", paste(no_seed, collapse = ", "),
      "(random arguments only)\n")
}

t0 <- proc.time()[["elapsed"]]
results <- list()
crashes <- character()
i <- 1L
while (i <= n) {
  to <- min(n, i + chunk - 1L)
  progress <- tempfile("fuzz-progress")
  out <- tempfile("fuzz-out", fileext = ".rds")
  status <- system2(rscript, c(shQuote(script), "--child", seed, i, to,
                               shQuote(progress), shQuote(out)),
                    stdout = FALSE, stderr = FALSE)
  if (status == 0L && file.exists(out)) {
    results[[length(results) + 1L]] <- readRDS(out)
    i <- to + 1L
  } else {
    started <- if (file.exists(progress)) as.integer(utils::tail(readLines(progress), 1L)) else i
    case <- s$f$ffi_fuzz_case(s$routines, s$seeds, started, seed)
    msg <- sprintf("case %d (%s, %s): child died with status %d; replay: Rscript tools/fuzz-ffi.R --case %d %d",
                   started, case$name, case$kind, status, seed, started)
    crashes <- c(crashes, msg)
    cat("fuzz-ffi: CRASH", msg, "\n")
    i <- started + 1L
  }
  cat(sprintf("fuzz-ffi: %d / %d calls, %.0f s\n", min(i - 1L, n), n,
              proc.time()[["elapsed"]] - t0))
}
res <- do.call(rbind, results)
cat("\nfuzz-ffi: outcomes per routine\n")
print(table(res$routine, res$outcome))
slow <- res[res$outcome == "timeout", , drop = FALSE]
if (nrow(slow)) {
  cat("\nfuzz-ffi: calls stopped by the 10 s time limit (at an interrupt check):\n")
  print(utils::head(slow[, c("i", "routine", "elapsed")], 10L))
}
late <- res$elapsed[res$outcome == "timeout"] > 30
cat(sprintf("\nfuzz-ffi: %d calls (seed %d) in %.0f s: %d crashes, %d values, %d R errors, %d timeouts\n",
            nrow(res) + length(crashes), seed, proc.time()[["elapsed"]] - t0,
            length(crashes), sum(res$outcome == "value"), sum(res$outcome == "error"),
            sum(res$outcome == "timeout")))
if (length(crashes) || any(late)) quit(status = 1)
