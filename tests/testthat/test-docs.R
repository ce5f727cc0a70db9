# Documentation users copy from: the help pages show their percent signs and
# the vignettes' code runs in a fresh session (no helpers hidden from view).

pkg_root <- function() {
  root <- testthat::test_path("..", "..")
  if (!file.exists(file.path(root, "DESCRIPTION")) || !dir.exists(file.path(root, "man"))) {
    return(NULL)
  }
  root
}

rd_text <- function(root, name) {
  paste(utils::capture.output(tools::Rd2txt(file.path(root, "man", paste0(name, ".Rd")),
                                            options = list(underline_titles = FALSE))),
        collapse = "\n")
}

test_that("help pages show percentages in full (no \\% cut off as an Rd comment)", {
  root <- pkg_root()
  skip_if(is.null(root), "package sources not available")
  txt <- gsub("\\s+", " ", rd_text(root, "check_reported"))
  expect_match(txt, "1 of 8 is 12.5%, printed", fixed = TRUE)
  txt <- gsub("\\s+", " ", rd_text(root, "atmp_published"))
  expect_match(txt, "at least 75% of", fixed = TRUE)
  # no help page shows a backslash right after a number (a cut-off "\%")
  for (f in list.files(file.path(root, "man"), pattern = "[.]Rd$")) {
    txt <- rd_text(root, sub("[.]Rd$", "", f))
    expect_false(grepl("[0-9]\\\\( |$)", txt), label = f)
  }
})

vignette_chunks <- function(path) {
  lines <- readLines(path, warn = FALSE)
  starts <- grep("^```\\{r", lines)
  ends <- grep("^```\\s*$", lines)
  lapply(starts, function(s) {
    e <- min(ends[ends > s])
    list(header = lines[s], code = lines[seq_len(e - s - 1L) + s])
  })
}

test_that("the vignettes hide no code a reader needs", {
  root <- pkg_root()
  skip_if(is.null(root), "package sources not available")
  for (v in list.files(file.path(root, "vignettes"), pattern = "[.]Rmd$", full.names = TRUE)) {
    ch <- vignette_chunks(v)
    hidden <- vapply(ch, function(k) grepl("include *= *FALSE|echo *= *FALSE", k$header), logical(1))
    # the only hidden chunk sets knitr's options
    for (k in ch[hidden]) {
      code <- k$code[nzchar(trimws(k$code))]
      expect_true(all(grepl("^(knitr::opts_chunk\\$set\\(|\\s)", code)), label = basename(v))
    }
    expect_lte(sum(hidden), 1L)
  }
})

test_that("the vignettes' shown code runs when pasted into a fresh session", {
  skip_on_cran()
  root <- pkg_root()
  skip_if(is.null(root), "package sources not available")
  for (v in list.files(file.path(root, "vignettes"), pattern = "[.]Rmd$", full.names = TRUE)) {
    ch <- vignette_chunks(v)
    shown <- !vapply(ch, function(k) grepl("include *= *FALSE|echo *= *FALSE|eval *= *FALSE", k$header), logical(1))
    code <- unlist(lapply(ch[shown], `[[`, "code"))
    env <- new.env(parent = globalenv())
    pdf(NULL)
    res <- tryCatch({
      suppressMessages(eval(parse(text = code), envir = env))
      TRUE
    }, error = function(e) conditionMessage(e))
    dev.off()
    expect_true(isTRUE(res), label = paste(basename(v), res))
  }
})
