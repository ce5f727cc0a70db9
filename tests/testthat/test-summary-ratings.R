# summary() of a ratings object and plot_heat(): pure-R oracles, by, round,
# exact threshold marks, a vdiffr snapshot.

test_that("summary() of ratings equals base R on random panels", {
  set.seed(41)
  for (rep in trials(25)) {
    K <- sample(2:7, 1)
    nr <- sample(1:15, 1)
    codes <- matrix(sample.int(K, nr * 4, TRUE), nr, 4,
                    dimnames = list(paste0("r", seq_len(nr)), paste0("i", 1:4)))
    codes[stats::runif(length(codes)) < 0.25] <- NA
    codes[, 2] <- NA
    values <- seq(0, by = 2, length.out = K)   # numeric levels 0, 2, 4, ...
    type <- sample(c(6L, 7L), 1)
    vals <- matrix(values[codes], nr, 4, dimnames = dimnames(codes))
    s <- summary(as_ratings(vals, levels = values, quiet = TRUE), type = type)
    for (j in 1:4) {
      x <- vals[!is.na(vals[, j]), j]
      if (length(x) == 0L) {
        expect_identical(s$n[j], 0L)
        expect_true(is.na(s$mean[j]) && is.na(s$mode[j]))
        next
      }
      expect_identical(s$n[j], length(x))
      expect_equal(s$mean[j], mean(x), tolerance = 1e-14)
      expect_equal(s$sd[j], if (length(x) > 1) stats::sd(x) else NA_real_, tolerance = 1e-13)
      expect_identical(s$median[j], stats::median(as.numeric(x)))
      expect_equal(c(s$q1[j], s$q3[j]),
                   stats::quantile(x, c(0.25, 0.75), type = type, names = FALSE), tolerance = 1e-14)
      tab <- table(factor(x, levels = values))
      expect_identical(s$mode[j], paste(names(tab)[tab == max(tab)], collapse = " / "))
      expect_identical(s$n_modes[j], sum(tab == max(tab)))
      shares <- unlist(s[j, paste0("share_", values)])
      expect_identical(unname(shares), as.vector(tab) / length(x))
    }
  }
})

test_that("summary() honours by and round and reads counts", {
  set.seed(42)
  long <- expand.grid(respondent = 1:10, item = c("a", "b"))
  long$rating <- sample(c("low", "mid", "high"), 20, TRUE)
  long$team <- ifelse(long$respondent <= 4, "t1", "t2")
  lv <- c("low", "mid", "high")
  r <- as_ratings(long, levels = lv, quiet = TRUE)
  g <- summary(r, by = "team")
  expect_identical(nrow(g), 4L)
  t1 <- summary(as_ratings(long[long$team == "t1", ], levels = lv, quiet = TRUE))
  expect_identical(g$mean[g$team == "t1"], t1$mean)
  long2 <- long
  long2$rating <- sample(lv, 20, TRUE)
  both <- rbind(cbind(long, round = 1L), cbind(long2, round = 2L))
  rr <- summary(as_ratings(both, levels = lv, round = "round", quiet = TRUE))
  expect_identical(rr$round, c(1L, 1L, 2L, 2L))
  counts <- data.frame(item = "x", level = lv, count = c(2, 3, 5))
  s <- summary(as_ratings(counts, levels = lv, quiet = TRUE))
  expect_identical(s$mean, (2 * 1 + 3 * 2 + 5 * 3) / 10)
  expect_identical(s$mode, "high")
  expect_snapshot(error = TRUE, summary(r, type = 0))
})

test_that("a subset of a per-item result prints only its rows", {
  long <- expand.grid(respondent = 1:6, item = c("a", "b"), round = 1:2)
  long$rating <- rep(c(1, 2, 3, 3, 2, 1), 4)
  res <- aiken_v(long, levels = 1:3, round = "round", quiet = TRUE)
  sub <- res[1:2, ]
  expect_null(attr(sub, "by_round"))
  out <- utils::capture.output(print(sub))
  expect_length(out, 3L)   # header and two rows
  expect_s3_class(res[, c("n", "v")], "data.frame")
  expect_false(inherits(res[, c("n", "v")], "consensr_panel_stat"))
})
