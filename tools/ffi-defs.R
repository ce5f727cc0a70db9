# Shared by tools/fuzz-ffi.R and tools/gctorture.R: find the package root
# from the running script and load the ffi_fuzz_* definitions of
# tests/testthat/test-ffi-fuzz.R (assignments only, not its tests).
file_arg <- grep("^--file=", commandArgs(FALSE), value = TRUE)
script <- normalizePath(sub("^--file=", "", file_arg[1L]))
root <- dirname(dirname(script))
defs <- file.path(root, "tests", "testthat", "test-ffi-fuzz.R")

load_defs <- function(file) {
  env <- new.env()
  for (e in parse(file)) {
    if (is.call(e) && identical(e[[1L]], as.name("<-"))) eval(e, env)
  }
  env
}
