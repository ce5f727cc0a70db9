# The report template renders out of the box on the example Delphi data,
# to Word and HTML; the Word file is read back with officer.

template_path <- function() {
  system.file("rmarkdown", "templates", "consensus-report", "skeleton", "skeleton.Rmd",
              package = "consensr")
}

test_that("the template is registered for rmarkdown::draft()", {
  tpl <- system.file("rmarkdown", "templates", "consensus-report", package = "consensr")
  expect_true(file.exists(file.path(tpl, "template.yaml")))
  expect_true(file.exists(file.path(tpl, "skeleton", "skeleton.Rmd")))
  yaml <- readLines(file.path(tpl, "template.yaml"))
  expect_true(any(grepl("^name:", yaml)))
  expect_true(any(grepl("^description:", yaml)))
})

test_that("the template renders to .docx and .html with the rule, results, a table cell and the ACCORD table", {
  skip_on_cran()
  skip_if_not_installed("rmarkdown")
  skip_if_not(rmarkdown::pandoc_available(), "pandoc is not available")
  skip_if_not_installed("officer")
  dir <- tempfile("report")
  dir.create(dir)
  rmd <- file.path(dir, "my-study.Rmd")
  drafted <- tryCatch({
    rmarkdown::draft(rmd, template = "consensus-report", package = "consensr", edit = FALSE)
    TRUE
  }, error = function(e) FALSE)
  # under pkgload::load_all() the template is not installed: copy it
  if (!drafted) file.copy(template_path(), rmd)
  expect_true(file.exists(rmd))
  # the template sets options (consensr.quiet); keep them out of later tests
  op <- options()
  on.exit(options(op), add = TRUE)
  out <- rmarkdown::render(rmd, output_format = "all", quiet = TRUE, envir = new.env())
  expect_setequal(tools::file_ext(out), c("docx", "html"))

  imp <- read_redcap(
    system.file("extdata", "atmp_delphi_records.csv", package = "consensr"),
    system.file("extdata", "atmp_delphi_dictionary.csv", package = "consensr")
  )
  s <- delphi_summary(imp$ratings, "Fundamental", threshold = 0.75, round = "round")
  n1 <- sum(s$status_1 %in% "consensus")

  doc <- officer::docx_summary(officer::read_docx(out[tools::file_ext(out) == "docx"]))
  txt <- paste(doc$text, collapse = "\n")
  expect_match(txt, "An item reached consensus when at least 75% of the panellists who rated it chose Fundamental.",
               fixed = TRUE)
  expect_match(txt, "The rule was: >= 75% Fundamental.", fixed = TRUE)
  expect_match(txt, sprintf("In round 1 (round_1_arm_1), %d items reached consensus.", n1), fixed = TRUE)
  expect_match(txt, sprintf("The final list holds %d of the %d items.", sum(s$in_final_list), nrow(s)),
               fixed = TRUE)
  cells <- doc$text[doc$content_type == "table cell"]
  expect_true(any(grepl("84% (21/25)", cells, fixed = TRUE)))
  # the ACCORD table: 35 items, with its header
  expect_true(all(c("Item", "Topic", "Still to write") %in% cells))
  expect_true("Title names the study as a consensus exercise and its method" %in% cells)
  expect_true("Availability of protocol, materials and data" %in% cells)
  expect_match(txt, "9 of 35 items filled by the analysis", fixed = TRUE)

  html <- paste(readLines(out[tools::file_ext(out) == "html"], warn = FALSE), collapse = "\n")
  expect_match(html, "84% (21/25)", fixed = TRUE)
  expect_match(html, "ACCORD checklist", fixed = TRUE)
})
