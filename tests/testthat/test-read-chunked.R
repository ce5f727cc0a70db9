# Files tallied in chunks (read_ratings_chunked()): the counts of any chunk
# size equal those of the file read whole; duplicates across chunks.

skip_if_not_installed("readr")

plain <- function(x) consensr:::unclass_df(x)

chunk_panel <- function(seed, text = FALSE) {
  set.seed(seed)
  n_resp <- sample(3:30, 1)
  m <- sample(1:7, 1)
  items <- sprintf("Q%02d", seq_len(m))
  grid <- expand.grid(item = items, respondent = seq_len(n_resp), round = 1:2,
                      stringsAsFactors = FALSE)
  grid <- grid[!(grid$round == 2L & grid$item %in% items[seq_len(m %/% 3)]), ]
  grid <- grid[sample.int(nrow(grid), ceiling(nrow(grid) * 0.85)), ]
  grid$group <- sample(c("clinician", "patient"), n_resp, TRUE)[grid$respondent]
  grid$area <- c("A", "B")[(match(grid$item, items) %% 2) + 1]
  lv <- if (text) c("Low", "Mid", "High") else 1:9
  grid$rating <- sample(c(as.character(lv), if (text) "Unable to score" else "99", NA),
                        nrow(grid), TRUE)
  # sorted by item: the in-memory order of first appearance is then the
  # sorted order of the chunked reader
  grid <- grid[order(grid$item), ]
  f <- tempfile(fileext = ".csv")
  readr::write_csv(grid, f, na = "")
  list(file = f, levels = lv, missing = if (text) "Unable to score" else 99,
       target = if (text) "High" else 7:9)
}

test_that("any chunk size gives the counts of the file read whole", {
  for (seed in trials(10)) {
    p <- chunk_panel(seed, text = seed %% 2 == 0)
    whole <- readr::read_csv(p$file, show_col_types = FALSE, progress = FALSE)
    for (chunk in c(1, 7, 1000)) {
      for (by in list(NULL, "group")) {
        r <- read_ratings_chunked(p$file, levels = p$levels, missing_levels = p$missing,
                                  round = "round", by = by, item_data = "area",
                                  chunk_size = chunk, quiet = TRUE)
        mem <- as_ratings(whole, levels = p$levels, missing_levels = p$missing,
                          round = "round", by = by, quiet = TRUE)
        label <- sprintf("seed %d, chunk %d, by %s", seed, chunk, format(by))
        expect_identical(plain(consensus(r, p$target, 0.6, by = by)),
                         plain(consensus(mem, p$target, 0.6, by = by)), label = label)
        expect_identical(plain(tally_ratings(r, by = by)), plain(tally_ratings(mem, by = by)),
                         label = label)
      }
    }
    unlink(p$file)
  }
})

test_that("the scale is read from the answers and the reading is said", {
  p <- chunk_panel(3)
  expect_snapshot(r <- read_ratings_chunked(p$file, missing_levels = 99, round = "round",
                                            chunk_size = 10, progress = FALSE),
                  transform = function(x) sub("file[0-9a-f]+\\.csv", "FILE.csv", x))
  whole <- readr::read_csv(p$file, show_col_types = FALSE, progress = FALSE)
  expect_identical(r$levels, as_ratings(whole, missing_levels = 99, round = "round",
                                        quiet = TRUE)$levels)
  expect_identical(names(r$items), "item")
})

test_that("a respondent who rates an item twice is found across chunks", {
  f <- tempfile(fileext = ".csv")
  d <- data.frame(respondent = c(1, 1, 2, 2, 3, 1), item = c("Q1", "Q2", "Q1", "Q2", "Q1", "Q1"),
                  rating = c(1, 2, 3, 3, 1, 2))
  readr::write_csv(d, f)
  for (chunk in c(1, 2, 10)) {
    expect_error(read_ratings_chunked(f, levels = 1:3, chunk_size = chunk, quiet = TRUE),
                 class = "consensr_error_duplicate")
  }
  expect_snapshot(read_ratings_chunked(f, levels = 1:3, chunk_size = 2), error = TRUE)
  # not checked: the counts of every row
  r <- read_ratings_chunked(f, levels = 1:3, chunk_size = 2, duplicates = "none", quiet = TRUE)
  expect_identical(sum(r$n), 6L)
  # within a chunk, and per round
  d$wave <- c(1, 1, 1, 1, 1, 2)
  readr::write_csv(d, f)
  expect_silent(read_ratings_chunked(f, levels = 1:3, round = "wave", chunk_size = 3, quiet = TRUE))
  d$wave[6] <- 1
  readr::write_csv(d, f)
  expect_snapshot(read_ratings_chunked(f, levels = 1:3, round = "wave", chunk_size = 10),
                  error = TRUE)
  unlink(f)
})

test_that("bad input: columns, groups that vary, item metadata, no rows", {
  f <- tempfile(fileext = ".csv")
  d <- data.frame(respondent = c(1, 1, 2, 2), item = c("Q1", "Q2", "Q1", "Q2"),
                  rating = c(1, 2, 3, 3), grp = c("a", "b", "a", "a"), area = c("x", "y", "z", "y"))
  readr::write_csv(d, f)
  expect_snapshot(read_ratings_chunked(f, rating = "score"), error = TRUE)
  expect_snapshot(read_ratings_chunked(f, levels = 1:3, by = "grp", chunk_size = 1), error = TRUE)
  expect_snapshot(read_ratings_chunked(f, levels = 1:3, item_data = "area"), error = TRUE)
  expect_snapshot(read_ratings_chunked(f, levels = 1:2), error = TRUE)
  readr::write_csv(d[0, ], f)
  expect_snapshot(read_ratings_chunked(f, levels = 1:3), error = TRUE)
  unlink(f)
})

test_that("a progress bar can be shown", {
  p <- chunk_panel(4)
  withr_opts <- options(cli.progress_show_after = 0, cli.dynamic = FALSE)
  on.exit(options(withr_opts), add = TRUE)
  out <- capture.output(
    r <- read_ratings_chunked(p$file, levels = 1:9, missing_levels = 99, round = "round",
                              chunk_size = 5, quiet = TRUE, progress = TRUE),
    type = "message")
  expect_s3_class(r, "consensr_ratings")
  expect_match(paste(out, collapse = "\n"), "rows read")
})
