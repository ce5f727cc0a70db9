# Ratings in a database (as_ratings.tbl_lazy): counts from one grouped
# query give the results of the same ratings read in memory; the duplicate
# and `by` checks run in the database; analyses that need respondent-level
# data refuse, or collect what they need; the SQL of simulated backends.

skip_if_not_installed("dbplyr")
skip_if_not_installed("RSQLite")
skip_if_not_installed("dplyr")

plain <- function(x) consensr:::unclass_df(x)

# A random long panel: respondents in groups, one or two rounds (some items
# not presented in round 2), NA, declared non-answers and (text) blanks.
random_panel <- function(seed, text = FALSE, rounds = TRUE) {
  set.seed(seed)
  n_resp <- sample(5:40, 1)
  m <- sample(2:9, 1)
  items <- sprintf("Q%02d", seq_len(m))
  grid <- expand.grid(item = items, respondent = seq_len(n_resp),
                      round = if (rounds) 1:2 else 1L, stringsAsFactors = FALSE)
  grid <- grid[!(grid$round == 2L & grid$item %in% items[seq_len(m %/% 3)]), ]
  grid <- grid[sample.int(nrow(grid), floor(nrow(grid) * 0.9)), ]
  grp <- sample(c("clinician", "patient", "researcher"), n_resp, TRUE)
  grid$group <- grp[grid$respondent]
  grid$area <- c("A", "B", "C")[(match(grid$item, items) %% 3) + 1]
  lv <- if (text) c("Low", "Mid", "High", "Top") else 1:9
  pool <- c(as.character(lv), if (text) c("Unable to score", "") else "99", NA)
  grid$rating <- sample(pool, nrow(grid), TRUE)
  if (!text) grid$rating <- as.integer(grid$rating)
  grid$respondent <- sprintf("r%03d", grid$respondent)
  # in memory, items come in order of first appearance: sort by item so that
  # it is the database reader's sorted order
  grid <- grid[order(grid$item, grid$round, grid$respondent), ]
  rownames(grid) <- NULL
  list(data = grid, levels = lv, missing = if (text) "Unable to score" else 99L,
       target = if (text) c("High", "Top") else 7:9,
       opposite = if (text) "Low" else 1:3)
}

db_of <- function(con, d, name = "ratings") {
  DBI::dbWriteTable(con, name, d, overwrite = TRUE)
  dplyr::tbl(con, name)
}

sqlite <- function() DBI::dbConnect(RSQLite::SQLite(), ":memory:")

# Every counts analysis on the table and on the data frame.
expect_same_results <- function(db, d, p, by, round, label) {
  args <- list(levels = p$levels, missing_levels = p$missing, quiet = TRUE)
  run <- function(f, x, ...) do.call(f, c(list(x), list(...), args))
  both <- function(f, ...) {
    list(db = run(f, db, ...), mem = run(f, d, ...))
  }
  res <- both("tally_ratings", by = by, round = round)
  expect_identical(plain(res$db), plain(res$mem), label = paste(label, "tally"))
  res <- both("consensus", target = p$target, threshold = 0.6, by = by, round = round)
  expect_identical(plain(res$db), plain(res$mem), label = paste(label, "consensus"))
  res <- both("consensus", target = p$target, threshold = 0.5, opposite = p$opposite,
              opposite_threshold = 0.2, by = by, round = round)
  expect_identical(plain(res$db), plain(res$mem), label = paste(label, "two-sided"))
  expect_identical(plain(add_intervals(res$db)), plain(add_intervals(res$mem)),
                   label = paste(label, "intervals"))
  res <- both("threshold_sensitivity", thresholds = c(0.5, 0.7, 0.9), target = p$target,
              threshold = 0.7, by = by, round = round)
  for (part in c("summary", "status", "items")) {
    expect_identical(plain(res$db[[part]]), plain(res$mem[[part]]),
                     label = paste(label, "sensitivity", part))
  }
  if (!is.null(by)) {
    res <- both("compare_groups", target = p$target, threshold = 0.7, by = by, round = round)
    expect_identical(plain(res$db), plain(res$mem), label = paste(label, "compare_groups"))
  }
  if (is.null(round) && is.null(by)) {
    res <- both("plot_bars_data", target = p$target, threshold = 0.6)
    expect_identical(plain(res$db), plain(res$mem), label = paste(label, "plot_bars_data"))
    res <- both("table_ratings", target = p$target, threshold = 0.6)
    expect_identical(plain(res$db), plain(res$mem), label = paste(label, "table_ratings"))
  }
  if (!is.null(round) && is.null(by)) {
    res <- suppressMessages(list(
      db = do.call(delphi_summary, c(list(db, p$target, 0.6, round = round), args[1:2])),
      mem = do.call(delphi_summary, c(list(d, p$target, 0.6, round = round), args[1:2]))))
    expect_identical(plain(res$db), plain(res$mem), label = paste(label, "delphi_summary"))
  }
}

test_that("a database table gives the in-memory results on random panels (by, round, non-answers)", {
  con <- sqlite()
  on.exit(DBI::dbDisconnect(con), add = TRUE)
  for (seed in trials(12)) {
    text <- seed %% 2 == 0
    p <- random_panel(seed, text = text)
    db <- db_of(con, p$data)
    for (by in list(NULL, "group")) for (round in list(NULL, "round")) {
      d <- p$data
      if (is.null(round)) {
        d <- d[d$round == 1L, ]
        db_use <- dplyr::filter(db, round == 1L)
      } else db_use <- db
      label <- sprintf("seed %d, by %s, round %s", seed, format(by), format(round))
      expect_same_results(db_use, d, p, by, round, label)
    }
  }
})

test_that("rand_ucla() works from the counts of a table", {
  con <- sqlite()
  on.exit(DBI::dbDisconnect(con), add = TRUE)
  p <- random_panel(3)
  d <- p$data
  db <- db_of(con, d)
  expect_identical(plain(rand_ucla(db, round = "round", missing_levels = 99, quiet = TRUE)),
                   plain(rand_ucla(d, round = "round", missing_levels = 99, quiet = TRUE)))
})

test_that("the read object holds the counts and says what it read", {
  con <- sqlite()
  on.exit(DBI::dbDisconnect(con), add = TRUE)
  d <- data.frame(respondent = rep(1:3, each = 2), item = rep(c("Q2", "Q1"), 3),
                  rating = c("Agree", "Agree", "Disagree", NA, "", "Neutral"),
                  area = rep(c("Pain", "Sleep"), 3))
  db <- db_of(con, d)
  expect_snapshot(r <- as_ratings(db))
  expect_identical(r$levels, c("Agree", "Disagree", "Neutral"))
  expect_identical(r$items$item, c("Q1", "Q2"))
  expect_identical(r$items$area, c("Sleep", "Pain"))
  expect_identical(unname(r$n[1, ]), c(2L, 2L))
  expect_identical(r$format, "database")
  expect_snapshot(print(as_ratings(db, levels = c("Disagree", "Neutral", "Agree"))))
  # numbers: the scale from the numbers, as in memory
  d2 <- data.frame(respondent = 1:4, item = "Q", rating = c(3, 1, 2, NA))
  db2 <- db_of(con, d2, "numbers")
  expect_identical(as_ratings(db2, quiet = TRUE)$levels,
                   as_ratings(d2, quiet = TRUE)$levels)
})

test_that("a grouped table groups the analysis", {
  con <- sqlite()
  on.exit(DBI::dbDisconnect(con), add = TRUE)
  p <- random_panel(5, rounds = FALSE)
  db <- dplyr::group_by(db_of(con, p$data), group)
  res <- consensus(db, p$target, threshold = 0.6, levels = p$levels,
                   missing_levels = p$missing, quiet = TRUE)
  mem <- consensus(p$data, p$target, threshold = 0.6, levels = p$levels,
                   missing_levels = p$missing, by = "group", quiet = TRUE)
  expect_identical(plain(res), plain(mem))
})

test_that("a table of counts is read as counts", {
  con <- sqlite()
  on.exit(DBI::dbDisconnect(con), add = TRUE)
  counts <- data.frame(item = rep(c("Q1", "Q2"), each = 2), level = rep(c("Yes", "No"), 2),
                       count = c(18L, 6L, 17L, 7L))
  db <- db_of(con, counts, "counts")
  expect_identical(plain(consensus(db, "Yes", threshold = 0.7, levels = c("Yes", "No"), quiet = TRUE)),
                   plain(consensus(counts, "Yes", threshold = 0.7, levels = c("Yes", "No"), quiet = TRUE)))
})

test_that("repeated respondent x item pairs are found in the database and reported", {
  con <- sqlite()
  on.exit(DBI::dbDisconnect(con), add = TRUE)
  d <- data.frame(respondent = c(1, 1, 2, 2, 2, 3), item = c("Q1", "Q2", "Q1", "Q1", "Q2", "Q1"),
                  rating = c(1, 2, 3, 3, 1, 2), wave = c(1, 1, 1, 2, 1, 1))
  db <- db_of(con, d)
  expect_error(as_ratings(db, levels = 1:3, quiet = TRUE), class = "consensr_error_duplicate")
  expect_snapshot(as_ratings(db, levels = 1:3), error = TRUE)
  # with the round, the rows are apart
  expect_silent(as_ratings(db, levels = 1:3, round = "wave", quiet = TRUE))
  # many pairs: the first ten and the totals
  many <- data.frame(respondent = rep(1:12, each = 2), item = "Q1", rating = 1)
  expect_snapshot(as_ratings(db_of(con, many, "many"), levels = 1:3), error = TRUE)
  # the database query returns only the offending pairs
  q <- consensr:::db_queries(db, "respondent", "item", "rating")
  off <- dplyr::collect(q$duplicates)
  expect_identical(nrow(off), 1L)
  expect_identical(as.double(off$respondent), 2)
})

test_that("missing keys, a `by` that varies within respondents and bad answers are errors", {
  con <- sqlite()
  on.exit(DBI::dbDisconnect(con), add = TRUE)
  d <- data.frame(respondent = c(1, 1, 2, 2), item = c("Q1", "Q2", "Q1", "Q2"),
                  rating = c(1, 2, 3, 7), grp = c("a", "b", "a", "a"))
  db <- db_of(con, d)
  expect_snapshot(as_ratings(db, levels = 1:3, by = "grp"), error = TRUE)
  d$rating[4] <- 2
  db <- db_of(con, d)
  expect_error(as_ratings(db, levels = 1:3, by = "grp"), class = "consensr_error_by")
  expect_snapshot(as_ratings(db, levels = 1:3, by = "grp"), error = TRUE)
  d$grp <- "a"
  d$item[2] <- NA
  expect_snapshot(as_ratings(db_of(con, d), levels = 1:3), error = TRUE)
  d$item[2] <- "Q2"
  d$respondent[2] <- NA
  expect_error(as_ratings(db_of(con, d), levels = 1:3), class = "consensr_error_input")
  expect_snapshot(as_ratings(db_of(con, d), rating = "score"), error = TRUE)
  expect_snapshot(as_ratings(db_of(con, d[0, ]), levels = 1:3), error = TRUE)
})

test_that("analyses that need respondent-level data name dplyr::collect()", {
  con <- sqlite()
  on.exit(DBI::dbDisconnect(con), add = TRUE)
  p <- random_panel(7)
  db <- db_of(con, p$data)
  lv <- list(levels = p$levels, missing_levels = p$missing, quiet = TRUE)
  expect_error(do.call(consensus_robustness, c(list(db, p$target, 0.7, round = "round"), lv)),
               class = "consensr_error_database")
  expect_error(do.call(consensus_robustness, c(list(db, p$target, 0.7, method = "bootstrap",
                                                    round = "round"), lv)),
               class = "consensr_error_database")
  expect_error(do.call(agreement, c(list(db, round = "round"), lv)),
               class = "consensr_error_database")
  expect_error(round_stability(db, levels = p$levels, missing_levels = p$missing),
               class = "consensr_error_database")
  expect_error(attrition(db, levels = p$levels, missing_levels = p$missing),
               class = "consensr_error_database")
  expect_error(consensus_completers(db, p$target, 0.7, levels = p$levels, missing_levels = p$missing),
               class = "consensr_error_database")
  expect_error(round_flow(db, p$target, 0.7, levels = p$levels, missing_levels = p$missing),
               class = "consensr_error_database")
  expect_snapshot(consensus_robustness(db, 7:9, threshold = 0.7, levels = 1:9,
                                       missing_levels = 99, round = "round", quiet = TRUE),
                  error = TRUE)
  expect_snapshot(round_stability(db, levels = 1:9, missing_levels = 99), error = TRUE)
})

test_that("collect = TRUE pulls the columns needed and gives the in-memory results", {
  con <- sqlite()
  on.exit(DBI::dbDisconnect(con), add = TRUE)
  p <- random_panel(9)
  d <- p$data
  db <- db_of(con, d)
  expect_snapshot(r <- as_ratings(db, levels = 1:9, missing_levels = 99, collect = TRUE,
                                  round = "round", by = "group"))
  expect_true(consensr:::has_codes(r))
  expect_identical(r$items, as_ratings(d, levels = 1:9, missing_levels = 99, round = "round",
                                      quiet = TRUE)$items)
  args <- list(levels = 1:9, missing_levels = 99, quiet = TRUE)
  jk_db <- consensus_robustness(db, 7:9, 0.6, levels = 1:9, missing_levels = 99, quiet = TRUE,
                                collect = TRUE, round = "round")
  jk_mem <- consensus_robustness(d, 7:9, 0.6, levels = 1:9, missing_levels = 99, quiet = TRUE,
                                 round = "round")
  expect_identical(plain(jk_db), plain(jk_mem))
  one <- d[d$round == 1L, ]
  expect_identical(plain(agreement(dplyr::filter(db, round == 1L), levels = 1:9,
                                   missing_levels = 99, quiet = TRUE, collect = TRUE)),
                   plain(agreement(one, levels = 1:9, missing_levels = 99, quiet = TRUE)))
  expect_message(stab <- round_stability(db, levels = 1:9, missing_levels = 99, collect = TRUE),
                 "Collecting 63 rows", class = "consensr_message_collect")
  expect_identical(plain(stab),
                   plain(suppressMessages(round_stability(d, levels = 1:9, missing_levels = 99))))
})

test_that("the SQL for simulated PostgreSQL and Hive holds the grouped count", {
  for (con in list(dbplyr::simulate_postgres(), dbplyr::simulate_hive())) {
    lf <- dbplyr::lazy_frame(respondent = "r1", item = "Q1", rating = 1L, group = "a",
                             round = 1L, con = con)
    sql <- ratings_sql(lf, by = "group", round = "round")
    expect_match(sql$tally, "COUNT(*)", fixed = TRUE)
    expect_match(sql$tally, "GROUP BY `item`, `round`, `group`, `rating`", fixed = TRUE)
    expect_match(sql$duplicates, "HAVING (COUNT(*) > 1", fixed = TRUE)
    expect_match(sql$by_check, "COUNT(DISTINCT `group`)", fixed = TRUE)
  }
  lf <- dbplyr::lazy_frame(respondent = "r1", item = "Q1", rating = 1L, group = "a",
                           round = 1L, con = dbplyr::simulate_postgres())
  expect_snapshot(ratings_sql(lf, by = "group", round = "round"))
  lf <- dbplyr::lazy_frame(respondent = "r1", item = "Q1", rating = 1L,
                           con = dbplyr::simulate_hive())
  expect_snapshot(ratings_sql(lf))
  con <- sqlite()
  on.exit(DBI::dbDisconnect(con), add = TRUE)
  db <- db_of(con, data.frame(respondent = 1, item = "Q1", rating = 1))
  expect_snapshot(ratings_sql(db)$tally)
  expect_error(ratings_sql(data.frame()), class = "consensr_error_input")
})

test_that("DuckDB gives the in-memory results", {
  # duckdb is not in Suggests: it can't be installed on the CI machine, and
  # R CMD check would then look it up in a repository; hence no `duckdb::`
  pkg <- "duckdb"
  skip_if_not_installed(pkg)
  con <- DBI::dbConnect(getExportedValue(pkg, "duckdb")())
  on.exit(DBI::dbDisconnect(con, shutdown = TRUE), add = TRUE)
  for (seed in 21:24) {
    p <- random_panel(seed, text = seed %% 2 == 0)
    db <- db_of(con, p$data)
    expect_same_results(db, p$data, p, "group", "round", sprintf("duckdb seed %d", seed))
  }
})

test_that("item metadata: found, named, or not looked for", {
  con <- sqlite()
  on.exit(DBI::dbDisconnect(con), add = TRUE)
  d <- data.frame(respondent = rep(1:3, each = 2), item = rep(c("Q1", "Q2"), 3),
                  rating = c(1, 2, 3, 1, 2, 3), area = rep(c("Pain", NA), 3),
                  note = c("a", "b", "c", "d", "e", "f"))
  db <- db_of(con, d)
  mem <- as_ratings(d, levels = 1:3, quiet = TRUE)$items
  expect_identical(as_ratings(db, levels = 1:3, quiet = TRUE)$items, mem)
  expect_identical(names(mem), c("item", "area"))
  expect_identical(names(as_ratings(db, levels = 1:3, item_data = character(), quiet = TRUE)$items),
                   "item")
  expect_identical(as_ratings(db, levels = 1:3, item_data = "area", quiet = TRUE)$items,
                   as_ratings(d, levels = 1:3, item_data = "area", quiet = TRUE)$items)
  expect_snapshot(as_ratings(db, levels = 1:3, item_data = "note"), error = TRUE)
  meta <- data.frame(item = c("Q2", "Q1"), domain = c("Sleep", "Pain"))
  expect_identical(as_ratings(db, levels = 1:3, item_data = meta, quiet = TRUE)$items,
                   as_ratings(d, levels = 1:3, item_data = meta, quiet = TRUE)$items)
})
