#!/usr/bin/env Rscript
# gctorture(TRUE) over every .Call entry point of consensr, on small valid
# and invalid inputs: no PROTECT error, no crash, and each result identical
# to the one computed without torture.
#
#   Rscript tools/gctorture.R [n_invalid]        (default 40 invalid calls per routine)
#
# Needs consensr installed (set R_LIBS to choose the library; `make
# gctorture` installs into a temporary one).  The work runs in a child R
# process, so that a crash (segfault, "unprotected object" error, abort) is
# caught and reported here with the case that was running.
#
# The entry points are discovered at run time
# (getDLLRegisteredRoutines("consensr")$.Call); valid inputs are harvested
# by running the package examples and a small workload with a recording
# .Call, invalid ones made by mutating them (see the ffi_fuzz_* functions in
# tests/testthat/test-ffi-fuzz.R, which this script reads).
args <- commandArgs(trailingOnly = TRUE)
local({
  f <- grep("^--file=", commandArgs(FALSE), value = TRUE)
  sys.source(file.path(dirname(normalizePath(sub("^--file=", "", f[1L]))), "ffi-defs.R"),
             envir = globalenv())
})

if (length(args) >= 1L && args[1L] == "--child") {
  n_invalid <- as.integer(args[2L])
  progress <- args[3L]
  suppressPackageStartupMessages(library(consensr))
  f <- load_defs(defs)
  routines <- f$ffi_fuzz_routines()
  seeds <- f$ffi_fuzz_harvest(workload = f$ffi_fuzz_workload(n = 12L, m = 40L, B = 3L),
                              max_per_routine = 8L)
  cat(sprintf("gctorture: %d routines registered: %s\n", length(routines),
              paste(names(routines), collapse = ", ")))
  missing <- setdiff(names(routines), names(seeds))
  if (length(missing)) {
    cat("gctorture: no valid input harvested for", paste(missing, collapse = ", "),
        "(random inputs only)\n")
  }
  bad <- character()
  n_calls <- 0L
  t0 <- proc.time()[["elapsed"]]
  for (name in names(routines)) {
    # valid inputs: the recorded value must come back identical
    for (k in seq_along(seeds[[name]])) {
      s <- seeds[[name]][[k]]
      cat(name, "valid", k, "\n", file = progress)
      res <- f$ffi_fuzz_call(routines[[name]], s$args, s$rng, time_limit = Inf,
                             torture = TRUE)
      n_calls <- n_calls + 1L
      if (!identical(res$outcome, "value") || !identical(res$value, s$value)) {
        bad <- c(bad, sprintf("%s valid input %d: %s", name, k,
                              if (is.null(res$message)) "value differs from the one without gctorture" else res$message))
      }
    }
    # invalid (mutated) inputs: same outcome with and without torture
    sub <- routines[name]
    done <- 0L
    i <- 0L
    while (done < n_invalid && i < 50L * n_invalid) {
      i <- i + 1L
      case <- f$ffi_fuzz_case(sub, seeds, i, seed = 7L)
      plain <- f$ffi_fuzz_call(sub[[1L]], case$args, case$rng, time_limit = 5)
      if (plain$outcome == "timeout" || plain$elapsed > 0.5) next  # too slow to torture
      cat(name, "mutated", i, "\n", file = progress)
      tort <- f$ffi_fuzz_call(sub[[1L]], case$args, case$rng, time_limit = Inf,
                              torture = TRUE)
      n_calls <- n_calls + 1L
      done <- done + 1L
      same <- identical(plain$outcome, tort$outcome) &&
        identical(plain$value, tort$value) && identical(plain$message, tort$message)
      if (!same) {
        bad <- c(bad, sprintf("%s case %d: %s without gctorture, %s with it (%s)", name, i,
                              plain$outcome, tort$outcome,
                              if (is.null(tort$message)) "" else tort$message))
      }
    }
  }
  cat(sprintf("gctorture: %d calls under gctorture(TRUE) in %.0f s, %d failures\n",
              n_calls, proc.time()[["elapsed"]] - t0, length(bad)))
  if (length(bad)) {
    cat(paste0("  ", bad), sep = "\n")
    quit(status = 1)
  }
  quit(status = 0)
}

# parent: run the child, report a crash with the case that was running
n_invalid <- if (length(args) >= 1L) as.integer(args[1L]) else 40L
progress <- tempfile("gctorture-progress")
rscript <- file.path(R.home("bin"), "Rscript")
status <- system2(rscript, c(shQuote(script), "--child", n_invalid, shQuote(progress)))
if (status != 0L) {
  last <- if (file.exists(progress)) utils::tail(readLines(progress), 1L) else "(none)"
  cat(sprintf("gctorture: FAILED (exit status %d); last case started: %s\n", status, last))
  quit(status = 1)
}
cat("gctorture: OK\n")
