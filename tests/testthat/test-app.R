# The workshop app: its data helpers in plain R, the server logic with
# shiny::testServer(), and the whole app in a real browser (Chromium driven
# by chromote) on a loopback port.

ref_70 <- c("Regulatory Science & Systems Overview", "Funding Strategy & Sustainability")

write_long_csv <- function(path, bad = FALSE) {
  d <- data.frame(
    respondent = rep(sprintf("E%d", 1:6), each = 3),
    item = rep(c("Pain relief", "Walking distance", "Cost of care"), 6),
    rating = c(9, 8, 2, 8, 9, 3, 7, 7, 4, 9, 8, 5, 8, 6, 1, 9, 9, 1)
  )
  if (bad) d$rating[5] <- 12
  utils::write.csv(d, path, row.names = FALSE)
  path
}

test_that("the reference study gives 16 items at 75% and 18 at 70%", {
  sp <- app_spec_reference()
  rd <- app_read(app_filter(sp), sp)
  a <- consensus(rd$r, target = "Fundamental", threshold = 0.75)
  b <- consensus(rd$r, target = "Fundamental", threshold = 0.70)
  expect_identical(sum(a$reached), 16L)
  expect_identical(sum(b$reached), 18L)
  expect_identical(app_changes(a, b), list(entering = ref_70, leaving = character()))
  # the same counts as the published table
  p <- consensus(atmp_published, target = "Fundamental", threshold = 0.75, quiet = TRUE)
  expect_identical(a$count, p$count)
})

test_that("data sources: rounds, panellists, leniency, uploads", {
  sp <- app_spec_delphi()
  expect_identical(sp$round, "round")
  expect_true("setting" %in% sp$groups)
  vals <- app_round_values(sp$data, sp$round)
  expect_length(vals, 2L)
  r2 <- app_filter(sp, vals[2L])
  expect_true(all(as.character(r2$round) == vals[2L]))
  # leaving panellists out
  ref <- app_spec_reference()
  kept <- app_filter(ref, drop = c("R01", "R02"))
  expect_false(any(kept$respondent %in% c("R01", "R02")))
  # the most lenient: the largest shares of target ratings
  rd <- app_read(app_filter(ref), ref)
  len <- app_leniency(rd$r, "Fundamental")
  top <- app_most_lenient(rd$r, "Fundamental", 3L)
  expect_length(top, 3L)
  expect_true(all(len$share[match(top, len$respondent)] >= max(len$share[!len$respondent %in% top])))
  # a simulated panel
  sim <- app_spec_simulate(list(seed = 3, rounds = 2, scale = "1-5", nonanswer = TRUE))
  expect_identical(sim$target, 5L)
  expect_identical(sim$opposite, 1L)
  rd <- app_read(app_filter(sim), sim)
  expect_identical(rd$r$levels, as.character(1:5))
  # an upload, with what as_ratings() says
  path <- write_long_csv(tempfile(fileext = ".csv"))
  up <- app_spec_upload(path, name = "panel.csv")
  rd <- app_read(app_filter(up), up)
  expect_identical(rd$r$items$item, c("Pain relief", "Walking distance", "Cost of care"))
  expect_match(rd$messages, "Scale 1 < 2 < 3 < ... < 9 from the numbers", fixed = TRUE,
               all = FALSE)
  # a bad file: the package's own error
  bad <- write_long_csv(tempfile(fileext = ".csv"), bad = TRUE)
  err <- app_try(app_spec_upload(bad, name = "bad.csv", levels = "1,2,3,4,5,6,7,8,9"))
  expect_s3_class(err, "app_error")
  expect_match(err$message, "12")
  expect_snapshot(cat(err$message))
  # wide and counts files are read by as_ratings() too
  wide <- tempfile(fileext = ".csv")
  utils::write.csv(data.frame(id = 1:4, Pain = c(9, 8, 7, 3), Cost = c(5, 1, 9, 9)), wide,
                   row.names = FALSE)
  up <- app_spec_upload(wide, name = "wide.csv", levels = "1,2,3,4,5,6,7,8,9")
  rd <- app_read(app_filter(up), up)
  expect_identical(rd$r$items$item, c("Pain", "Cost"))
  expect_identical(up$target, as.character(7:9))
  counts <- tempfile(fileext = ".csv")
  utils::write.csv(data.frame(item = rep(c("Q1", "Q2"), each = 2), level = rep(c("Yes", "No"), 2),
                              count = c(18, 6, 17, 7)), counts, row.names = FALSE)
  up <- app_spec_upload(counts, name = "counts.csv", levels = "No,Yes")
  rd <- app_read(app_filter(up), up)
  res <- consensus(rd$r, target = up$target, threshold = 0.75)
  expect_identical(res$reached, c(TRUE, FALSE))
  empty <- tempfile(fileext = ".csv")
  writeLines("respondent", empty)
  expect_snapshot(cat(app_try(app_spec_upload(empty, name = "empty.csv"))$message))
})

test_that("the server: threshold, rules, groups, panellists, sources, uploads", {
  skip_if_not_installed("shiny")
  skip_if_not_installed("bslib")
  shiny::testServer(app_server, {
    session$setInputs(source = "reference", rule = "one", threshold = 75, reference = 75)
    expect_identical(n_reached(), 16L)
    expect_identical(output$n_items, "33")
    session$setInputs(threshold = 70)
    expect_identical(n_reached(), 18L)
    expect_identical(changes()$entering, ref_70)
    expect_match(output$changes$html, "Funding Strategy &amp; Sustainability", fixed = TRUE)
    session$setInputs(threshold = 80)
    # the paper's sensitivity analysis: these two drop out at 80%
    expect_setequal(changes()$leaving, c("Reimbursement Assessment & Market Access",
                                         "Biobanking & Cell/Tissue Sourcing"))
    expect_length(changes()$entering, 0L)
    # two-sided: in and out
    session$setInputs(threshold = 75, rule = "two", opposite = "Less Important",
                      opposite_threshold = 15)
    expect_true("consensus out" %in% levels(result()$status))
    expect_match(output$rule_text, "out:")
    # within every group
    session$setInputs(rule = "one", within = TRUE, group = "setting")
    expect_identical(attr(result(), "rule")$by, "setting")
    expect_lte(n_reached(), 16L)
    session$setInputs(within = FALSE)
    # the views render
    expect_match(output$plot_infogram$src, "^data:image/png")
    expect_match(output$plot_bars$src, "^data:image/png")
    expect_match(output$plot_sensitivity$src, "^data:image/png")
    expect_match(output$plot_robustness$src, "^data:image/png")
    expect_match(output$plot_groups$src, "^data:image/png")
    expect_match(output$agreement, "fleiss")
    # robustness: the close calls (18 of 25 at 75%: 7 panellists can flip each)
    close <- app_close_calls(robustness())
    expect_setequal(close$item, ref_70)
    expect_identical(close$n_flips, c(7L, 7L))
    session$setInputs(rob_method = "bootstrap")
    expect_true(all(app_close_calls(robustness())$p_reached > 0.1))
    expect_match(output$plot_robustness$src, "^data:image/png")
    session$setInputs(rob_method = "jackknife")
    # leave out the three most lenient panellists
    session$setInputs(drop_lenient = 1)
    expect_length(rv$drop, 3L)
    expect_identical(nrow(ratings()$codes), 22L)
    expect_match(output$source_label, "3 panellist")
    session$setInputs(drop_none = 1)
    expect_length(rv$drop, 0L)
    # the two-round Delphi: rounds view
    session$setInputs(source = "delphi")
    expect_match(output$source_label, "Two-round Delphi")
    expect_match(output$plot_rounds$src, "^data:image/png")
    expect_match(output$attrition, "responded")
    session$setInputs(round = app_round_values(spec()$data, "round")[2L])
    expect_lt(nrow(ratings()$items), 33L)
    # a simulated panel, RAND/UCLA on its 1-9 scale
    session$setInputs(source = "simulate", sim_items = 12, sim_panellists = 20, sim_rounds = 2,
                      sim_scale = "1-9", sim_pull = 0.5, sim_attrition = 0.1,
                      sim_missing = 0.02, sim_shift = 0, sim_nonanswer = TRUE,
                      sim_seed = 7, sim_draw = 0)
    expect_identical(nrow(ratings()$items), 12L)
    expect_identical(target(), c("7", "8", "9"))
    session$setInputs(rule = "rand")
    expect_identical(n_reached(), sum(rand()$classification == "appropriate"))
    # median and IQR, checked against quantile() on the codes (1-9 = codes)
    session$setInputs(rule = "median", median_min = 7, iqr_max = 2)
    codes <- ratings()$codes
    q <- apply(codes, 2, stats::quantile, probs = c(0.25, 0.5, 0.75), na.rm = TRUE, type = 7)
    expect_identical(n_reached(), sum(q[2, ] >= 7 & q[3, ] - q[1, ] <= 2))
    expect_match(output$rule_text, "median >= 7 and IQR <= 2")
    session$setInputs(rule = "one")
    # an upload
    path <- write_long_csv(tempfile(fileext = ".csv"))
    session$setInputs(source = "upload", upload_kind = "csv", upload_format = "auto",
                      upload_levels = "", upload_missing = "", upload_round = "",
                      upload_file = list(name = "panel.csv", datapath = path))
    expect_match(output$source_label, "panel.csv")
    expect_match(output$results, "Walking distance")
    expect_match(output$read_messages, "Scale 1 < 2 < 3 < ... < 9 from the numbers",
                 fixed = TRUE)
    # a bad file: the error is shown, the app runs on
    bad <- write_long_csv(tempfile(fileext = ".csv"), bad = TRUE)
    session$setInputs(upload_levels = "1,2,3,4,5,6,7,8,9",
                      upload_file = list(name = "bad.csv", datapath = bad))
    expect_match(output$read_messages, "^Error:.*12")
    expect_error(output$results, "could not be read")
    # a REDCap export with its dictionary
    ext <- function(x) system.file("extdata", x, package = "consensr")
    session$setInputs(upload_kind = "redcap",
                      redcap_records = list(name = "records.csv",
                                            datapath = ext("atmp_delphi_records.csv")),
                      redcap_dictionary = list(name = "dictionary.csv",
                                               datapath = ext("atmp_delphi_dictionary.csv")))
    expect_match(output$source_label, "Your REDCap export: records.csv")
    expect_identical(spec()$round, "round")
    rounds <- app_round_values(spec()$data, "round")
    session$setInputs(round = rounds[1L])
    expect_identical(nrow(ratings()$items), 33L)
    session$setInputs(round = rounds[2L])
    expect_identical(nrow(ratings()$items), 33L - 16L) # round 2: the items without consensus
    session$setInputs(source = "reference", threshold = 75)
    expect_identical(n_reached(), 16L)
    # downloads
    csv <- output$csv_results
    expect_identical(nrow(utils::read.csv(csv)), 33L)
    if (requireNamespace("flextable", quietly = TRUE)) {
      expect_gt(file.size(output$docx_results), 1000)
    }
    png <- output$png_infogram
    expect_identical(readBin(png, "raw", 4L), as.raw(c(0x89, 0x50, 0x4e, 0x47)))
  })
})

# ---- end to end, in Chromium ---------------------------------------------------

e2e_responds <- function(u) {
  tryCatch({
    con <- url(u)
    on.exit(try(close(con), silent = TRUE))
    length(suppressWarnings(readLines(con, n = 1L, warn = FALSE))) > 0L
  }, error = function(e) FALSE)
}

e2e_until <- function(cond, what, timeout) {
  deadline <- Sys.time() + timeout
  while (!isTRUE(cond())) {
    if (Sys.time() > deadline) stop("Timed out waiting for ", what, call. = FALSE)
    Sys.sleep(0.2)
  }
}

# Evaluate JavaScript in the page and return its value.
e2e_js <- function(b, js) {
  res <- b$Runtime$evaluate(js, returnByValue = TRUE, timeout_ = 20)
  if (!is.null(res$exceptionDetails)) {
    stop("JavaScript error: ", res$exceptionDetails$exception$description %||% js)
  }
  res$result$value
}

# Wait until a JavaScript condition holds (polling), or fail with `what`.
e2e_wait <- function(b, js, what, timeout = 60) {
  deadline <- Sys.time() + timeout
  repeat {
    ok <- tryCatch(isTRUE(e2e_js(b, js)), error = function(e) FALSE)
    if (ok) return(invisible(TRUE))
    if (Sys.time() > deadline) {
      stop(sprintf("Timed out after %ds waiting for %s", timeout, what), call. = FALSE)
    }
    Sys.sleep(0.25)
  }
}

# Shiny idle: connected, not busy, no output recalculating.
e2e_idle_js <- paste(
  "window.Shiny && Shiny.shinyapp && Shiny.shinyapp.isConnected() &&",
  "!document.documentElement.classList.contains('shiny-busy') &&",
  "document.querySelectorAll('.recalculating').length === 0"
)

e2e_text <- function(b, id) {
  e2e_js(b, sprintf("(document.getElementById('%s') || {}).innerText || ''", id))
}

# Wait for idle and then for an output's text to satisfy a regular expression.
e2e_wait_text <- function(b, id, pattern, timeout = 60) {
  js <- sprintf("(%s) && new RegExp(%s).test((document.getElementById('%s') || {}).innerText || '')",
                e2e_idle_js, encodeString(pattern, quote = '"'), id)
  e2e_wait(b, js, sprintf("#%s to match /%s/ (it shows \"%s\")", id, pattern,
                          tryCatch(e2e_text(b, id), error = function(e) "?")), timeout)
}

e2e_app_test <- function(chrome) {
  # the app, in a background R process on a loopback port
  ns_path <- getNamespaceInfo("consensr", "path")
  dev <- file.exists(file.path(ns_path, "R", "app.R"))
  port <- httpuv::randomPort(min = 20000, max = 40000)
  out <- tempfile("app-stdout-")
  err <- tempfile("app-stderr-")
  launched <- tempfile("app-url-")
  proc <- callr::r_bg(function(path, port, launched) {
    if (nzchar(path)) pkgload::load_all(path, quiet = TRUE) else library(consensr)
    options(shiny.autoreload = FALSE)
    # run_app() passes port, host and launch.browser on to shiny::runApp():
    # the "browser" launched here only writes down the URL it was given
    consensr::run_app(port = port, host = "127.0.0.1",
                      launch.browser = function(url) writeLines(url, launched))
  }, args = list(path = if (dev) ns_path else "", port = port, launched = launched),
  stdout = out, stderr = err, supervise = TRUE)
  withr::defer(if (proc$is_alive()) proc$kill())
  url <- sprintf("http://127.0.0.1:%d/", port)
  deadline <- Sys.time() + 120
  repeat {
    up <- e2e_responds(url)
    if (up) break
    if (!proc$is_alive() || Sys.time() > deadline) {
      fail(paste0("The app did not start on ", url, ":\n",
                  paste(utils::tail(readLines(err, warn = FALSE), 20), collapse = "\n")))
      return(invisible())
    }
    Sys.sleep(0.5)
  }

  e2e_until(function() file.exists(launched), "the app to launch its browser", 30)
  expect_match(readLines(launched), sprintf("^http://127\\.0\\.0\\.1:%d", port))

  # the browser
  b <- chromote::ChromoteSession$new(width = 1400, height = 1000)
  withr::defer(try(b$close(), silent = TRUE))
  b$Page$navigate(url, timeout_ = 60)
  e2e_wait(b, e2e_idle_js, "Shiny to connect", timeout = 90)

  # choose another source first, then the reference study
  e2e_js(b, "document.querySelector('input[name=source][value=simulate]').click(); true")
  e2e_wait_text(b, "source_label", "^Simulated panel")
  e2e_js(b, "document.querySelector('input[name=source][value=reference]').click(); true")
  e2e_wait_text(b, "source_label", "^Reference study")
  e2e_wait_text(b, "n_reached", "^16$")
  expect_identical(e2e_text(b, "n_reached"), "16")
  expect_identical(e2e_text(b, "n_items"), "33")

  # open the Sensitivity tab and move the threshold slider from 75% to 70%
  e2e_js(b, "document.querySelector('a[data-value=Sensitivity]').click(); true")
  expect_identical(e2e_js(b, "$('#threshold').data('ionRangeSlider').result.from"), 75L)
  e2e_js(b, "$('#threshold').data('ionRangeSlider').update({from: 70}); $('#threshold').trigger('change'); true")
  e2e_wait_text(b, "n_reached", "^18$")
  expect_identical(e2e_text(b, "n_reached"), "18")
  e2e_wait_text(b, "entering", "Funding Strategy")
  entering <- e2e_text(b, "entering")
  for (it in ref_70) expect_match(entering, it, fixed = TRUE)
  e2e_wait(b, paste(e2e_idle_js, "&& document.querySelector('#plot_sensitivity img') !== null"),
           "the sensitivity plot")

  # upload a CSV file: its items are shown
  e2e_js(b, "document.querySelector('input[name=source][value=upload]').click(); true")
  e2e_wait(b, paste(e2e_idle_js, "&& document.getElementById('upload_file').offsetParent !== null"),
           "the file input to be shown")
  dir <- tempfile("upload-")
  dir.create(dir)
  path <- normalizePath(write_long_csv(file.path(dir, "panel.csv")))
  doc <- b$DOM$getDocument()
  node <- b$DOM$querySelector(doc$root$nodeId, "#upload_file")
  b$DOM$setFileInputFiles(files = list(path), nodeId = node$nodeId)
  e2e_wait_text(b, "source_label", "Your file: panel.csv")
  e2e_js(b, "document.querySelector('a[data-value=Results]').click(); true")
  e2e_wait_text(b, "results", "Walking distance")
  results <- e2e_text(b, "results")
  for (it in c("Pain relief", "Walking distance", "Cost of care")) expect_match(results, it, fixed = TRUE)
  expect_identical(e2e_text(b, "n_items"), "3")
  # at 70% of 7-9 (the top third of the scale read): Pain relief 6/6, Walking
  # distance 5/6, Cost of care 0/6
  e2e_wait_text(b, "n_reached", "^2$")

  # a screenshot of the app
  # kept where CONSENSR_SCREENSHOT_DIR points (e.g. for CI artifacts)
  shot_dir <- Sys.getenv("CONSENSR_SCREENSHOT_DIR", tempdir())
  dir.create(shot_dir, showWarnings = FALSE, recursive = TRUE)
  shot <- file.path(shot_dir, "consensr-app.png")
  b$screenshot(shot, show = FALSE)
  expect_true(file.exists(shot))
  expect_identical(readBin(shot, "raw", 4L), as.raw(c(0x89, 0x50, 0x4e, 0x47)))
  expect_gt(file.size(shot), 10000)
  message("Screenshot of the app: ", shot)
  # the app is still running
  expect_true(proc$is_alive())
}

test_that("end to end in a real browser: reference study, threshold, upload, screenshot", {
  skip_on_cran()
  skip_if_not_installed("shiny")
  skip_if_not_installed("bslib")
  skip_if_not_installed("callr")
  skip_if_not_installed("chromote")
  if (!nzchar(Sys.getenv("CHROMOTE_CHROME")) && nzchar(Sys.which("chromium"))) {
    withr::local_envvar(CHROMOTE_CHROME = unname(Sys.which("chromium")))
  }
  chrome <- tryCatch(chromote::find_chrome(), error = function(e) NULL)
  if (is.null(chrome) || !nzchar(chrome) || !file.exists(chrome)) {
    skip("No Chromium/Chrome browser found (install Debian's chromium, see tools/setup.sh).")
  }
  e2e_app_test(chrome)
})

