# R-level fuzz of every registered .Call entry point (the fast run: a few
# hundred calls).  Each call must return or raise an R error, never crash:
# the calls run in this process, so a crash kills the test run, which is the
# failure signal.
#
# The entry points are discovered at run time from
# getDLLRegisteredRoutines("consensr")$.Call, so routines added later are
# fuzzed without editing this file.  Valid calls ("seeds") are harvested by
# running the package's own examples and a small workload with a recording
# `.Call` (see ffi_fuzz_harvest()); each fuzzed call mutates one or more
# arguments of a seed (types, lengths, dims, NA, extreme values) or, for a
# routine with no seed, draws every argument from a pool of odd values.
# Size claims are made through the scalar arguments (n_resp, n_level,
# n_group, B = 2^31 - 1 with short vectors): R itself refuses a dim
# attribute that does not match the length of the vector, so a matrix
# cannot lie about its size.
#
# The functions named ffi_fuzz_* below are also used by tools/fuzz-ffi.R
# (the long run, by hand), tools/gctorture.R and tools/sanitize.sh, which
# read their definitions from this file; keep them free of testthat calls.

# The registered .Call routines: a named list of NativeSymbolInfo objects
# (each with $numParameters).
ffi_fuzz_routines <- function(pkg = "consensr") {
  r <- getDLLRegisteredRoutines(pkg)$.Call
  r <- r[order(names(r))]
  r
}

# A workload that reaches every entry point through the exported functions,
# on random data of `n` respondents x `m` items (5 levels, 10% missing, an
# all-missing item, three groups).  Evaluated in an environment whose parent
# holds the recording copies of the package functions; each step is
# wrapped in try() so that an API change elsewhere skips only that step.
ffi_fuzz_workload <- function(n = 60L, m = 40L, B = 40L) {
  bquote({
    set.seed(20240501)
    n <- .(as.integer(n)); m <- .(as.integer(m)); K <- 5L
    codes <- matrix(sample.int(K, n * m, replace = TRUE), n, m)
    codes[stats::runif(n * m) < 0.1] <- NA
    codes[, 2L] <- NA
    wide <- as.data.frame(codes)
    names(wide) <- sprintf("q%03d", seq_len(m))
    grp <- wide
    grp$grp <- sample(c("a", "b", "c"), n, replace = TRUE)
    tiny <- data.frame(q1 = 5L, q2 = NA_integer_)  # one respondent, one unrated item
    # twice the items: per-item vectors of the validity routines above 1 KiB
    wide2 <- as.data.frame(cbind(codes, codes))
    names(wide2) <- sprintf("q%03d", seq_len(2L * m))
    steps <- list(
      quote(consensus(tiny, 5, threshold = 0.75, levels = 1:5)),
      quote(threshold_sensitivity(tiny, 5, threshold = 0.75, thresholds = c(0.5, 1),
              levels = 1:5)),
      quote(consensus_robustness(tiny, 5, threshold = 0.75, levels = 1:5)),
      quote(consensus_robustness(tiny, 5, threshold = 0.75, method = "bootstrap", B = 3L,
              progress = FALSE, levels = 1:5)),
      quote(agreement(tiny, levels = 1:5, B = 2L)),
      quote(tally_ratings(wide, levels = 1:5)),
      # expert-panel statistics (issue 11)
      quote(content_validity(wide, relevant = 4:5, levels = 1:5)),
      quote(lawshe_cvr(grp, 5, by = "grp", levels = 1:5)),
      quote(aiken_v(wide, levels = 1:5)),
      quote(content_validity(wide2, relevant = 4:5, levels = 1:5)),
      quote(aiken_v(wide2, levels = 1:5)),
      quote(ordinal_consensus(wide, levels = 1:5)),
      # the readers: long with and without rounds, text, non-answers, a matrix
      quote(tally_ratings(data.frame(respondent = rep(1:4, 2), item = rep(c("a", "b"), each = 4),
                                     rating = c("x", "y", NA, "z", "x", "x", "w", "y")),
                          levels = c("x", "y", "z"), missing_levels = "w")),
      quote(tally_ratings(data.frame(respondent = rep(1:3, 2), round = rep(1:2, each = 3),
                                     item = "q", rating = c(1, 2, 2, 3, NA, 1)),
                          levels = 1:3, round = "round")),
      quote(tally_ratings(codes, levels = 1:5)),
      quote(tally_ratings(data.frame(respondent = rep(seq_len(n), m),
                                     item = rep(seq_len(m), each = n),
                                     rating = as.vector(codes),
                                     round = rep(1:2, length.out = n * m)),
                          levels = 1:5, round = "round")),
      quote(tally_ratings(grp, levels = 1:5, by = "grp")),
      quote(consensus(wide, 4:5, threshold = 0.6, levels = 1:5)),
      quote(consensus(grp, 4:5, threshold = 0.6, by = "grp", levels = 1:5)),
      quote(consensus(wide, 4:5, threshold = 0.5, opposite = 1:2,
                      opposite_threshold = 0.2, strict = TRUE, levels = 1:5)),
      quote(consensus(tally_ratings(grp, levels = 1:5, by = "grp"), 5,
                      threshold = 1/3, by = "grp")),
      quote(threshold_sensitivity(wide, 4:5, threshold = 0.75, thresholds = seq(0.5,
              1, by = 0.01), levels = 1:5)),
      quote(threshold_sensitivity(wide, 4:5, threshold = 0.75, thresholds = seq(0.3,
              1, by = 0.001), strict = TRUE, levels = 1:5)),
      quote(threshold_sensitivity(grp, 4:5, threshold = 0.75, thresholds = seq(0.3,
              0.9, by = 0.05), opposite = 1:2, opposite_threshold = 0.2, by = "grp",
              levels = 1:5)),
      quote(consensus_robustness(wide, 4:5, threshold = 0.6, levels = 1:5)),
      quote(consensus_robustness(grp, 4:5, threshold = 0.5, opposite = 1:2,
                                 opposite_threshold = 0.2, by = "grp",
                                 levels = 1:5)),
      quote(consensus_robustness(wide, 4:5, threshold = 0.6, levels = 1:5,
                                 method = "bootstrap", B = .(as.integer(B)),
                                 progress = FALSE)),
      quote(consensus_robustness(grp, 4:5, threshold = 0.5, opposite = 1:2,
                                 opposite_threshold = 0.2, by = "grp",
                                 levels = 1:5, method = "bootstrap",
                                 B = .(as.integer(B)), progress = FALSE)),
      quote(agreement(wide, levels = 1:5)),
      quote(agreement(wide, levels = 1:5, metric = "ordinal",
                      missing = "listwise", B = .(as.integer(B)))),
      quote(agreement(wide, levels = 1:5, metric = "interval", B = 5L))
    )
    for (s in steps) try(eval(s), silent = TRUE)
  })
}

# Run the package's examples (and a workload) with a recording `.Call`:
# every package function is copied into an environment whose parent is the
# namespace and where `.Call` records the routine, its arguments, the RNG
# state and the result before returning it.  Returns a named list, per
# routine name, of seeds list(args, rng, value).  Routines no example
# reaches have no entry.
ffi_fuzz_harvest <- function(pkg = "consensr", examples = TRUE,
                             workload = ffi_fuzz_workload(),
                             max_per_routine = 40L) {
  ns <- asNamespace(pkg)
  rec <- new.env()
  rec$calls <- list()
  E <- new.env(parent = ns)
  E$.Call <- function(.NAME, ...) {
    args <- list(...)
    rng <- get0(".Random.seed", envir = globalenv(), inherits = FALSE)
    value <- base::.Call(.NAME, ...)
    if (inherits(.NAME, "NativeSymbolInfo")) {
      rec$calls[[length(rec$calls) + 1L]] <-
        list(name = .NAME$name, args = args, rng = rng, value = value)
    }
    value
  }
  for (f in ls(ns, all.names = TRUE)) {
    obj <- get(f, envir = ns)
    if (is.function(obj) && !is.primitive(obj) &&
        identical(environment(obj), ns)) {
      environment(obj) <- E
      assign(f, obj, envir = E)
    }
  }
  run <- function(expr) {
    env <- new.env(parent = E)
    grDevices::pdf(NULL)
    on.exit(grDevices::dev.off(), add = TRUE)
    try(suppressWarnings(suppressMessages(utils::capture.output(
      eval(expr, env)))), silent = TRUE)
  }
  if (examples) {
    db <- tryCatch(tools::Rd_db(pkg), error = function(e) list())
    for (rd in db) {
      file <- tempfile(fileext = ".R")
      ok <- tryCatch({
        tools::Rd2ex(rd, file, commentDontrun = TRUE, commentDonttest = FALSE)
        file.exists(file)
      }, error = function(e) FALSE)
      if (!ok) next
      exprs <- tryCatch(parse(file), error = function(e) expression())
      unlink(file)
      for (e in exprs) run(e)
    }
  }
  if (!is.null(workload)) run(workload)
  calls <- rec$calls
  by_name <- split(calls, vapply(calls, `[[`, "", "name"))
  lapply(by_name, function(cs) {
    # distinct argument lists, the largest few first, then a spread
    key <- vapply(cs, function(c) ffi_fuzz_digest(c$args), "")
    cs <- cs[!duplicated(key)]
    size <- vapply(cs, function(c) as.numeric(utils::object.size(c$args)), 0)
    cs <- cs[order(-size)]
    if (length(cs) > max_per_routine) {
      keep <- c(seq_len(5L), round(seq(6, length(cs), length.out = max_per_routine - 5L)))
      cs <- cs[unique(keep)]
    }
    lapply(cs, function(c) c[c("args", "rng", "value")])
  })
}

ffi_fuzz_digest <- function(args) {
  s <- as.integer(serialize(args, NULL))
  paste(length(s), sum(s * (seq_along(s) %% 65521)))
}

# Odd values an argument may be replaced with (built once per session).
ffi_fuzz_pool <- function() {
  if (is.null(ffi_fuzz_cache$pool)) ffi_fuzz_cache$pool <- ffi_fuzz_pool_build()
  ffi_fuzz_cache$pool
}

ffi_fuzz_cache <- new.env()

ffi_fuzz_pool_build <- function() {
  big <- .Machine$integer.max
  list(
    NULL, TRUE, FALSE, NA, 0L, 1L, 2L, 3L, -1L, NA_integer_, big, -big,
    0, 1, 2, 0.75, -1, NaN, Inf, -Inf, NA_real_, 2^31, 2^31 - 1, 2^53,
    1e308, -0, 5e-324, "a", NA_character_, "", c("a", "b"), list(),
    list(1L), list(NULL, "a"), raw(0), as.raw(0:3), as.raw(c(0, 255)),
    as.raw(rep(0:3, 250)), integer(0), double(0), character(0), logical(0),
    1i, c(3, 4), c(1, 1), c(0, 1), c(1, 0), c(big, big), c(1, 2^31),
    c(NA, 1), c(3, 4, 5), c(1, 2, 1, 3), matrix(integer(0), 0, 0),
    matrix(integer(0), 2, 0), matrix(integer(0), 0, 2),
    matrix(c(1L, NA, 3L, 2L), 2), matrix(c(1, 2, 3, 4), 2), matrix(1:6, 3),
    matrix(rep(c(1:3, NA), 750), 100), matrix(c(big, 1L, -big, 0L), 2),
    array(1L, c(2, 2, 2)), factor(c("a", "b")), data.frame(a = 1:2),
    quote(x), quote(f(x)), function(x) x, new.env(), emptyenv(), 1:1000,
    rep(big, 1000), seq(0.5, 1, by = 0.01), c(TRUE, NA), as.raw(255)
  )
}

ffi_fuzz_extremes <- function() {
  big <- .Machine$integer.max
  list(NA, NA_integer_, NA_real_, NaN, Inf, -Inf, 0L, -1L, 1L, 2L, big, -big,
       2^31, -2^31, 1e308, 2^53 + 2, 0.5, -0.5, 4L, 255L, 256L)
}

# One mutation of one argument (a pool value when the mutation does not
# apply to x).
ffi_fuzz_mutate_arg <- function(x) {
  tryCatch(suppressWarnings(ffi_fuzz_mutate_arg1(x)), error = function(e) {
    pool <- ffi_fuzz_pool()
    pool[[sample.int(length(pool), 1L)]]
  })
}

ffi_fuzz_mutate_arg1 <- function(x) {
  pick <- function(l) l[[sample.int(length(l), 1L)]]
  op <- sample.int(9L, 1L)
  if (op == 1L || (!is.atomic(x) && op <= 6L)) return(pick(ffi_fuzz_pool()))
  n <- length(x)
  if (op == 2L && n > 0L) {
    # extreme values in place, in the type of x when it converts
    at <- sample.int(n, min(n, sample.int(3L, 1L)))
    v <- pick(ffi_fuzz_extremes())
    if (is.raw(x)) v <- as.raw(sample(c(0, 3, 4, 255), 1L))
    x[at] <- suppressWarnings(methods::as(v, typeof(x)))
    return(x)
  }
  if (op == 3L) {
    to <- pick(list(as.double, as.integer, as.character, as.logical, as.list,
                    as.complex, function(v) as.raw(pmin(pmax(v, 0), 255))))
    y <- tryCatch(suppressWarnings(to(x)), error = function(e) NULL)
    if (!is.null(y) && !is.list(y) && length(y) == n) dim(y) <- dim(x)
    return(y)
  }
  if (op == 4L) {
    # lengths: drop one, add one, empty, double
    d <- dim(x)
    y <- switch(sample.int(4L, 1L),
                if (n > 0L) x[-n] else x,
                c(x, if (n > 0L) x[1L] else 1L),
                x[0L],
                c(x, x))
    if (!is.null(d) && sample.int(2L, 1L) == 1L && length(y) > 0L) {
      dim(y) <- c(length(y), 1L)
    }
    return(y)
  }
  if (op == 5L) {
    # dims: transpose, flatten, one column, one row, zero rows
    return(switch(sample.int(5L, 1L),
                  if (length(dim(x)) == 2L) t(x) else x,
                  as.vector(x),
                  if (n > 0L) matrix(x, ncol = 1L) else x,
                  if (n > 0L) matrix(x, nrow = 1L) else x,
                  x[0L]))
  }
  if (op == 6L && n == 1L && is.numeric(x)) {
    v <- pick(list(x + 1, x - 1, 0, -x, x * 2^20, x + 0.5))
    if (is.integer(x)) v <- suppressWarnings(as.integer(v))
    return(v)
  }
  if (op == 7L && !is.null(x)) {
    attr(x, "class") <- "ffi_fuzz"
    return(x)
  }
  if (op == 8L && n > 0L) {
    # NA everywhere
    x[] <- NA
    return(x)
  }
  pick(ffi_fuzz_pool())
}

# The arguments of fuzz case `i` (a pure function of seed and i, so any
# case can be reproduced alone): list(name, args, rng, kind).
ffi_fuzz_case <- function(routines, seeds, i, seed = 1L) {
  set.seed(seed * 100003 + i)
  name <- names(routines)[sample.int(length(routines), 1L)]
  np <- routines[[name]]$numParameters
  s <- seeds[[name]]
  if (length(s) == 0L || stats::runif(1) < 0.1) {
    pool <- ffi_fuzz_pool()
    args <- lapply(seq_len(np), function(k) pool[[sample.int(length(pool), 1L)]])
    rng <- NULL
    kind <- "random"
  } else {
    base <- s[[sample.int(length(s), 1L)]]
    args <- base$args
    rng <- base$rng
    n_mut <- sample(1:4, 1L, prob = c(0.55, 0.25, 0.12, 0.08))
    for (k in seq_len(n_mut)) {
      at <- sample.int(np, 1L)
      a <- ffi_fuzz_mutate_arg(args[[at]])
      if (is.null(a)) args[at] <- list(NULL) else args[[at]] <- a
    }
    kind <- "mutated"
  }
  u <- stats::runif(1)
  if (u < 0.02) {
    args <- args[-length(args)]  # one argument too few
  } else if (u < 0.04) {
    args <- c(args, list(1L))    # one too many
  } else if (u < 0.07 && np >= 2L) {
    sw <- sample.int(np, 2L)
    args[sw] <- args[rev(sw)]
  }
  list(name = name, args = args, rng = rng, kind = kind)
}

# Call one routine; returns list(outcome = "value" / "error" / "timeout",
# value or message, elapsed).  A value is serialized once (walking it would
# expose a malformed object).
# With `torture = TRUE` the call runs under gctorture(TRUE) (a garbage
# collection at every allocation: an unprotected object is then freed and
# reused at once).
ffi_fuzz_call <- function(sym, args, rng = NULL, time_limit = 10,
                          torture = FALSE) {
  if (!is.null(rng)) assign(".Random.seed", rng, envir = globalenv())
  call <- as.call(c(list(.Call, sym), lapply(args, function(a) {
    if (is.language(a)) call("quote", a) else a
  })))
  t0 <- proc.time()[["elapsed"]]
  res <- tryCatch({
    setTimeLimit(elapsed = time_limit, transient = TRUE)
    on.exit(setTimeLimit(elapsed = Inf), add = TRUE)
    if (torture) {
      gctorture(TRUE)
      v <- eval(call)
      gctorture(FALSE)
    } else {
      v <- suppressWarnings(eval(call))
    }
    setTimeLimit(elapsed = Inf)
    invisible(serialize(v, NULL))
    list(outcome = "value", value = v)
  }, error = function(e) {
    gctorture(FALSE)
    setTimeLimit(elapsed = Inf)
    msg <- conditionMessage(e)
    list(outcome = if (grepl("elapsed time limit", msg)) "timeout" else "error",
         message = msg)
  })
  res$elapsed <- proc.time()[["elapsed"]] - t0
  res
}

# Run cases from..to; `log` (a file) gets each case number before the call
# so that the parent of a crashed child knows which case crashed.
# Vectors the calls allocate are limited to `mem_mb` MB above what is in use
# (mem.maxVSize()), so that a size argument of 2^31 - 1 gives R's
# allocation error instead of taking the machine's memory.
ffi_fuzz_run <- function(routines, seeds, from = 1L, to = 300L, seed = 1L,
                         time_limit = 10, mem_mb = 2048, log = NULL) {
  old_mem <- mem.maxVSize()
  mem.maxVSize(mem_mb + as.numeric(gc()[2L, 2L]))
  on.exit(mem.maxVSize(old_mem), add = TRUE)
  out <- vector("list", to - from + 1L)
  for (i in from:to) {
    case <- ffi_fuzz_case(routines, seeds, i, seed)
    if (!is.null(log)) cat(i, "\n", file = log, append = TRUE)
    res <- ffi_fuzz_call(routines[[case$name]], case$args, case$rng,
                         time_limit)
    out[[i - from + 1L]] <- data.frame(
      i = i, routine = case$name, kind = case$kind, outcome = res$outcome,
      message = if (is.null(res$message)) NA_character_ else substr(res$message, 1, 200),
      elapsed = res$elapsed, stringsAsFactors = FALSE)
  }
  do.call(rbind, out)
}

# Replay every seed with its RNG state: the value must be identical to the
# one recorded (catches reads of uninitialised memory and unprotected
# objects when run under gctorture / valgrind).
ffi_fuzz_replay <- function(routines, seeds) {
  bad <- character()
  for (name in intersect(names(seeds), names(routines))) {
    for (s in seeds[[name]]) {
      res <- ffi_fuzz_call(routines[[name]], s$args, s$rng, time_limit = Inf)
      if (!identical(res$outcome, "value") || !identical(res$value, s$value)) {
        bad <- c(bad, sprintf("%s: %s", name,
                              if (is.null(res$message)) "different value" else res$message))
      }
    }
  }
  bad
}

test_that("every registered .Call routine survives a few hundred fuzzed calls", {
  routines <- ffi_fuzz_routines()
  expect_gt(length(routines), 0L)
  seeds <- ffi_fuzz_harvest(workload = ffi_fuzz_workload(n = 40L, m = 30L, B = 10L))
  # every routine is reached with valid arguments by the examples or the
  # workload; if not, add a step that reaches it to ffi_fuzz_workload()
  expect_identical(setdiff(names(routines), names(seeds)), character())
  n <- as.integer(Sys.getenv("CONSENSR_FFI_FUZZ_N", "400"))
  res <- ffi_fuzz_run(routines, seeds, 1L, n, seed = 1L, time_limit = 10, mem_mb = 256)
  # the run reached this line: no call crashed the process
  expect_identical(nrow(res), n)
  expect_true(all(res$outcome %in% c("value", "error", "timeout")))
  # every routine was called, and some calls get past the argument checks
  expect_setequal(unique(res$routine), names(routines))
  expect_gt(sum(res$outcome == "value"), 0L)
  # a call that ran out of time was stopped at an interrupt check, not later
  expect_true(all(res$elapsed[res$outcome == "timeout"] < 30))
  # errors are R errors with a message
  expect_true(all(nzchar(res$message[res$outcome == "error"])))
})

test_that("replaying the recorded calls gives identical results", {
  routines <- ffi_fuzz_routines()
  seeds <- ffi_fuzz_harvest(examples = FALSE,
                            workload = ffi_fuzz_workload(n = 30L, m = 20L, B = 5L))
  expect_gt(length(seeds), 0L)
  expect_identical(ffi_fuzz_replay(routines, seeds), character())
})
