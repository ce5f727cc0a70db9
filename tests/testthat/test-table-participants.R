# --- table_participants -------------------------------------------------------

test_that("table_participants reproduces Table 1", {
  tab <- table_participants(consensr::atmp_participants)
  expect_s3_class(tab, "consensr_table")
  expected <- data.frame(
    setting = c("Academia/Hospital", "Industry", "Patient Organization", "Other",
                "  CDMO/Biotech", "  Non-profit blood bank", "  Regulatory Agency",
                "Not specified"),
    `n (%)` = c("9 (36%)", "6 (24%)", "4 (16%)", "3 (12%)", "1", "1", "1", "3 (12%)"),
    check.names = FALSE, stringsAsFactors = FALSE
  )
  expect_identical(as.data.frame(tab), expected)
  tab1 <- table_participants(consensr::atmp_participants, decimals = 1)
  expect_identical(tab1$`n (%)`[1L], "9 (36.0%)")
  tab0 <- table_participants(consensr::atmp_participants, detail = NULL)
  expect_identical(nrow(tab0), 5L)
})

test_that("table_participants keeps empty levels and counts missing settings", {
  x <- data.frame(setting = factor(c("B", "A", "A", NA), levels = c("A", "B", "C")),
                  setting_detail = NA)
  tab <- table_participants(x)
  # of 4 rows: 2 (50%), 1 (25%), 0 (0%), missing 1 (25%)
  expect_identical(tab$setting, c("A", "B", "C", "(missing)"))
  expect_identical(tab$`n (%)`, c("2 (50%)", "1 (25%)", "0 (0%)", "1 (25%)"))
  # 2 of 3 = 66.67% -> 67; character columns keep the order of appearance
  x <- data.frame(role = c("x", "y", "x"), what = c(NA, "z", NA))
  tab <- table_participants(x, setting = "role", detail = "what", indent = "- ")
  expect_identical(as.data.frame(tab)$role, c("x", "y", "- z"))
  expect_identical(tab$`n (%)`, c("2 (67%)", "1 (33%)", "1"))
})

test_that("table_participants validates its arguments", {
  p <- consensr::atmp_participants
  expect_error(table_participants(1:3), "data frame")
  expect_error(table_participants(p, setting = "role"), "role")
  expect_error(table_participants(p, detail = "nope"), "detail")
  expect_error(table_participants(p[0, ]), "no rows")
  expect_error(table_participants(p, decimals = -1), "decimals")
})
