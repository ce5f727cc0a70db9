# Tests for table_ratings(), table_participants() and table_open_text().
# Expected values are worked out by hand in the comments.

mid <- "\u00b7"
pub <- consensr::atmp_published
fund_levels <- c("Fundamental", "Ancillary", "Less Important")

counts_df <- function(item, level, count, levels = NULL) {
  d <- data.frame(item = item, level = level, count = count,
                  stringsAsFactors = FALSE)
  if (!is.null(levels)) d$level <- factor(d$level, levels = levels)
  d
}

# --- table_ratings: values ----------------------------------------------------

test_that("table_ratings reproduces the cells of Table 2", {
  tab <- table_ratings(pub)
  expect_s3_class(tab, c("consensr_table", "data.frame"), exact = TRUE)
  expect_identical(names(tab), c("area", "item", fund_levels, "n"))
  expect_identical(nrow(tab), 33L)
  # first item: 21, 4 and 0 of 25
  expect_identical(unlist(tab[1L, fund_levels], use.names = FALSE),
                   c("F 84% (21/25)", "A 16% (4/25)", "L 0% (0/25)"))
  # Biomarkers: 13, 9, 1 of 23 -> 56.52, 39.13, 4.35
  bio <- tab[tab$item == "Biomarkers and Surrogate Endpoints", ]
  expect_identical(unlist(bio[fund_levels], use.names = FALSE),
                   c("F 57% (13/23)", "A 39% (9/23)", "L 4% (1/23)"))
  expect_identical(bio$n, 23L)
  expect_identical(as.character(tab$area), as.character(pub$area[pub$level == "Fundamental"]))
})

test_that("one decimal with a middle dot gives the exact half-up value, not the printed one", {
  tab <- table_ratings(pub, decimals = 1, decimal_mark = mid)
  bio <- tab[tab$item == "Biomarkers and Surrogate Endpoints", ]
  # 1300 / 23 = 56.52... -> 56.5; the paper printed 56.6
  expect_identical(bio$Fundamental, paste0("F 56", mid, "5% (13/23)"))
  expect_identical(bio$Ancillary, paste0("A 39", mid, "1% (9/23)"))
  expect_identical(bio$`Less Important`, paste0("L 4", mid, "3% (1/23)"))
  expect_identical(tab$Fundamental[1L], paste0("F 84", mid, "0% (21/25)"))
  # ... which check_reported() flags as impossible
  chk <- check_reported(13, 23, paste0("56", mid, "6%"))
  expect_false(chk$consistent)
  chk <- check_reported(13, 23, gsub("^F | \\(13/23\\)$", "", bio$Fundamental))
  expect_true(chk$consistent)
})

test_that("trim_whole prints exact whole percentages without decimals, as the paper", {
  tab <- table_ratings(pub, decimals = 1, trim_whole = TRUE, abbreviate = "")
  long <- data.frame(item = rep(tab$item, each = 3L),
                     level = rep(fund_levels, 33L),
                     ours = as.vector(t(as.matrix(tab[fund_levels]))),
                     stringsAsFactors = FALSE)
  long$ours <- sub(" \\(.*$", "", long$ours)
  expect_identical(long$item, pub$item)
  expect_identical(long$level, as.character(pub$level))
  # the paper mixes precisions: compare each printed value at its own
  # precision (the data may store the paper's middle dot as ".")
  printed <- gsub(mid, ".", pub$percent, fixed = TRUE)
  one_dec <- grepl(".", printed, fixed = TRUE)
  zero <- table_ratings(pub, abbreviate = "")
  z <- sub(" \\(.*$", "", as.vector(t(as.matrix(zero[fund_levels]))))
  ours <- ifelse(one_dec, long$ours, z)
  bad <- paste(pub$item, pub$level)[ours != printed]
  # exactly the printed values that are not count / n (see ?atmp_published)
  expect_setequal(bad, c(
    "Biomarkers and Surrogate Endpoints Fundamental",
    "Regulatory Science & Systems Overview Fundamental",
    "Regulatory Product Classification Fundamental",
    "Law & Policy Evaluation Fundamental",
    "Law & Policy Evaluation Less Important"
  ))
  expect_identical(tab$Fundamental[tab$item == "Critical Quality Attributes"],
                   "91.7% (22/24)")
  expect_identical(tab$Fundamental[1L], "84% (21/25)")
})

test_that("ties are rounded half-up exactly", {
  # 1/8 = 12.5% -> 13 (sprintf gives 12); 3/8 = 37.5 -> 38; 5/8 = 62.5 -> 63
  x <- counts_df(c("a", "a", "b", "b", "c", "c"), rep(c("yes", "no"), 3),
                 c(1, 7, 3, 5, 5, 3))
  tab <- table_ratings(x)
  expect_identical(tab$yes, c("y 13% (1/8)", "y 38% (3/8)", "y 63% (5/8)"))
  expect_identical(tab$no, c("n 88% (7/8)", "n 63% (5/8)", "n 38% (3/8)"))
  # 1/16 = 6.25% -> 6.3 at one decimal (sprintf gives 6.2); 3/16 = 18.75 -> 18.8
  x <- counts_df(c("a", "a", "b", "b"), rep(c("yes", "no"), 2), c(1, 15, 3, 13))
  tab <- table_ratings(x, decimals = 1)
  expect_identical(tab$yes, c("y 6.3% (1/16)", "y 18.8% (3/16)"))
  expect_identical(tab$no, c("n 93.8% (15/16)", "n 81.3% (13/16)"))
  # 1/32 = 3.125% -> 3.13 at two decimals, with a comma
  x <- counts_df(c("a", "a"), c("yes", "no"), c(1, 31))
  expect_identical(table_ratings(x, decimals = 2, decimal_mark = ",")$yes,
                   "y 3,13% (1/32)")
})

test_that("the exact rounding agrees with an integer oracle", {
  oracle <- function(k, n, d) {
    s <- 100L * 10L^d
    v <- (2L * k * s + n) %/% (2L * n)
    ip <- v %/% 10L^d
    fp <- v %% 10L^d
    if (d == 0L) as.character(v) else sprintf("%d.%0*d", ip, d, fp)
  }
  set.seed(42)
  for (d in 0:2) {
    n <- sample(1:200, 300, replace = TRUE)
    k <- vapply(n, function(m) sample(0:m, 1L), integer(1))
    expect_identical(format_pct_half_up(k, n, d), mapply(oracle, k, n, d, USE.NAMES = FALSE))
  }
  expect_identical(format_pct_half_up(c(1, 0), c(0, NA), 0L), c(NA_character_, NA_character_))
})

test_that("items nobody rated show `empty` and undecided consensus", {
  x <- data.frame(respondent = rep(1:4, 2), item = rep(c("Q1", "Q2"), each = 4),
                  rating = c(1, 1, 1, 2, NA, NA, NA, NA))
  tab <- table_ratings(x, 1, threshold = 0.75, levels = 1:2)
  expect_identical(tab$`1`, c("1: 75% (3/4)", "-"))
  expect_identical(tab$`2`, c("2: 25% (1/4)", "-"))
  expect_identical(tab$n, c(4L, 0L))
  expect_identical(tab$consensus, c(TRUE, NA))
  expect_identical(tab$item, c("Q1 *", "Q2"))
  tab <- table_ratings(x, levels = 1:2, empty = NA)
  expect_identical(tab$`1`, c("1: 75% (3/4)", NA))
})

test_that("consensus is flagged from target or from a consensus() result", {
  tab <- table_ratings(pub, target = "Fundamental", threshold = 0.75)
  expect_identical(sum(tab$consensus), 16L)
  fund <- pub[pub$level == "Fundamental", ]
  hand <- fund$item[fund$count * 4L >= 3L * fund$n]
  expect_identical(sub(" \\*$", "", tab$item[tab$consensus]), hand)
  expect_identical(tab$item[tab$consensus], paste0(hand, " *"))
  expect_true(all(!grepl("\\*", tab$item[!tab$consensus])))

  res <- consensus(pub, "Fundamental", threshold = 0.75)
  tab2 <- table_ratings(pub, result = res)
  expect_identical(tab2, tab)
  # a consensus result in another item order is matched by item
  tab3 <- table_ratings(pub, result = res[rev(seq_len(nrow(res))), ])
  expect_identical(tab3$consensus, tab$consensus)

  tab4 <- table_ratings(pub, target = "Fundamental", threshold = 0.8, marker = "")
  expect_identical(sum(tab4$consensus), 14L)
  expect_false(any(grepl("\\*", tab4$item)))
  expect_match(attr(tab4, "note")[1L], "80% Fundamental", fixed = TRUE)
})

test_that("respondent-level data, counts and a tally give the same table", {
  a <- table_ratings(pub, "Fundamental", threshold = 0.75)
  b <- table_ratings(consensr::atmp_ratings, "Fundamental", threshold = 0.75)
  c <- table_ratings(tally_ratings(consensr::atmp_ratings), "Fundamental", threshold = 0.75)
  expect_identical(as.data.frame(b), as.data.frame(a))
  expect_identical(as.data.frame(c), as.data.frame(a))
  # a tally made within groups is summed over the groups
  panel <- merge(consensr::atmp_ratings, consensr::atmp_participants, by = "respondent")
  d <- table_ratings(tally_ratings(panel, by = "setting"), "Fundamental", threshold = 0.75)
  d <- as.data.frame(d)[match(a$item, d$item), ]
  rownames(d) <- NULL
  expect_identical(d, as.data.frame(a))
})

test_that("grouping, blanking and abbreviations", {
  tab <- table_ratings(pub, repeat_group = FALSE)
  expect_type(tab$area, "character")
  expect_identical(sum(nzchar(tab$area)), 7L)
  expect_identical(tab$area[1:4], c("Drug Discovery and Development", "", "",
                                    "Preclinical Development"))
  tab <- table_ratings(pub, area = FALSE)
  expect_identical(names(tab), c("item", fund_levels, "n"))
  tab <- table_ratings(pub, area = "name_source")
  expect_identical(names(tab)[1L], "name_source")
  # groups made contiguous, input order kept within a group
  expect_identical(tab$name_source, sort(tab$name_source, decreasing = TRUE))
  expect_identical(tab$item[1:2], c("in vitro Models for Toxicology and Mechanism Studies",
                                    "Critical Quality Attributes"))

  tab <- table_ratings(pub, abbreviate = FALSE)
  expect_identical(tab$Fundamental[1L], "Fundamental 84% (21/25)")
  tab <- table_ratings(pub, abbreviate = c("Fund.", "Anc.", "LI"))
  expect_identical(tab$`Less Important`[1L], "LI 0% (0/25)")
  # first letters that collide fall back to the full names
  x <- counts_df(rep("a", 2), c("Agree", "Absolutely"), c(1, 3))
  expect_identical(table_ratings(x)$Agree, "Agree 25% (1/4)")
})

test_that("an unused level gets 0% cells and the print method works", {
  x <- counts_df(c("a", "a"), c("hi", "mid"), c(2, 2), levels = c("hi", "mid", "lo"))
  tab <- table_ratings(x)
  expect_identical(tab$lo, "l 0% (0/4)")
  out <- capture.output(res <- print(tab))
  expect_identical(res, tab)
  expect_true(any(grepl("rounded half-up to 0 decimals", out)))
  skip_if_not_installed("knitr")
  md <- as.character(knitr::kable(table_ratings(pub)[1:2, ]))
  expect_true(any(grepl("F 84% (21/25)", md, fixed = TRUE)))
})

test_that("table_ratings validates its arguments", {
  expect_error(table_ratings(pub, decimals = 7), "decimals")
  expect_error(table_ratings(pub, decimals = 0.5), "decimals")
  expect_error(table_ratings(pub, decimal_mark = 1), "decimal_mark")
  expect_error(table_ratings(pub, area = "nope"), "area")
  expect_error(table_ratings(pub, abbreviate = c("a", "b")), "abbreviate")
  expect_error(table_ratings(pub, repeat_group = NA), "repeat_group")
  expect_error(table_ratings(pub, marker = NULL), "marker")
  expect_error(table_ratings(pub, "Fundamental", threshold = 0.75, result = consensus(pub,
                 "Fundamental", 0.75)),
               "consensus")
  expect_error(table_ratings(pub, result = pub), "consensus")
  expect_error(table_ratings(pub, result = consensus(pub[1:9, ], "Fundamental", 0.75)),
               "same items")
  # a consensus() result is read through its reference to the ratings
  res <- consensus(pub, "Fundamental", threshold = 0.75)
  expect_identical(table_ratings(res)$consensus, table_ratings(pub, result = res)$consensus)
  expect_identical(table_ratings(res[1:3, ], area = FALSE)$item,
                   table_ratings(res, area = FALSE)$item[1:3])
  expect_error(table_ratings(pub, "Essential", threshold = 0.75), "consensus rule")
  expect_error(table_ratings(pub, target = "Fundamental", threshold = 75), "consensus rule")
  expect_error(table_ratings(list(1)), "as ratings")
})

test_that("table_ratings() takes a two-sided rule and shows three outcomes", {
  panel <- data.frame(respondent = rep(1:10, 3), item = rep(c("In", "Out", "None"), each = 10),
                      rating = c(rep(8, 10), rep(2, 10), rep(5, 10)))
  tb <- table_ratings(panel, levels = 1:9, target = 7:9, threshold = 0.7, opposite = 1:3,
                      opposite_threshold = 0.15)
  expect_identical(as.character(tb$consensus), c("consensus in", "consensus out", "no consensus"))
  expect_identical(tb$item, c("In *", "Out", "None"))
  res <- consensus(panel, 7:9, 0.7, opposite = 1:3, opposite_threshold = 0.15, levels = 1:9)
  expect_identical(table_ratings(res)$consensus, tb$consensus)
  expect_identical(table_ratings(panel, levels = 1:9, result = res)$consensus, tb$consensus)
  # one-sided rules keep the logical column
  expect_identical(table_ratings(panel, levels = 1:9, target = 7:9, threshold = 0.7)$consensus,
                   c(TRUE, FALSE, FALSE))
})
