# The random trials of a randomised reference test: `seq_len(n)`, or fewer
# when CONSENSR_TEST_SCALE (a number in (0, 1], default 1) asks for it, never
# fewer than min(n, 3).  tools/valgrind.sh sets it to 0.1 so that the tests of
# the C routines against their pure-R references run under valgrind in
# bounded time; every other run draws all n.
trials <- function(n) {
  scale <- Sys.getenv("CONSENSR_TEST_SCALE", "1")
  s <- suppressWarnings(as.numeric(scale))
  if (is.na(s) || s <= 0 || s > 1) {
    stop("CONSENSR_TEST_SCALE must be a number in (0, 1], not \"", scale, "\"", call. = FALSE)
  }
  seq_len(max(min(n, 3L), ceiling(n * s)))
}
