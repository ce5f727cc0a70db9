# Tables for journals: table_consensus() (bands, groups and rounds as column
# groups) and the output methods of every consensr_table (flextable, knitr,
# files), which keep the note (rule, denominators, rounding) as a footnote.

cos_table_panel <- function() {
  set.seed(1)
  data.frame(
    respondent = rep(1:20, each = 3),
    group = rep(c("patients", "clinicians"), each = 30),
    item = rep(c("Pain", "Function", "Cost"), 20),
    rating = sample(1:9, 60, replace = TRUE, prob = c(1, 1, 1, 1, 1, 2, 3, 4, 4))
  )
}
bands9 <- list("1-3" = 1:3, "4-6" = 4:6, "7-9" = 7:9)

test_that("table_consensus() counts each band, overall and within each group", {
  p <- cos_table_panel()
  tab <- table_consensus(p, 7:9, threshold = 0.7, opposite = 1:3, opposite_threshold = 0.15,
                         levels = 1:9, by = "group", bands = bands9)
  expect_s3_class(tab, "consensr_table")
  cons <- consensus(p, 7:9, threshold = 0.7, opposite = 1:3, opposite_threshold = 0.15,
                    levels = 1:9, by = "group")
  items <- sub(" \\*$", "", tab$item)
  i <- match(items, cons$item)
  expect_identical(tab[["All [7-9]"]],
                   sprintf("7-9: %s%% (%d/%d)", format_pct_half_up(cons$count[i], cons$n[i], 0L),
                           cons$count[i], cons$n[i]))
  expect_identical(tab[["All [1-3]"]],
                   sprintf("1-3: %s%% (%d/%d)", format_pct_half_up(cons$opposite_count[i], cons$n[i], 0L),
                           cons$opposite_count[i], cons$n[i]))
  expect_identical(tab[["All [status]"]], as.character(cons$status[i]))
  g <- consensus_groups(cons)
  for (grp in c("patients", "clinicians")) {
    gi <- g[g$group == grp, ]
    j <- match(items, gi$item)
    expect_identical(tab[[paste0(grp, " [7-9]")]],
                     sprintf("7-9: %s%% (%d/%d)", format_pct_half_up(gi$count[j], gi$n[j], 0L),
                             gi$count[j], gi$n[j]))
    expect_identical(tab[[paste0(grp, " [status]")]], as.character(gi$status[j]))
  }
  # a band of levels = the sum of its levels; a 4-6 cell by hand
  pain <- p[p$item == "Pain", ]
  k <- sum(pain$rating %in% 4:6)
  expect_identical(tab[["All [4-6]"]][items == "Pain"],
                   sprintf("4-6: %s%% (%d/20)", format_pct_half_up(k, 20, 0L), k))
  # the column groups
  h <- attr(tab, "header")
  expect_identical(unique(h$group[h$group != ""]), c("All", "clinicians", "patients"))
  expect_identical(h$sub[h$group == "All"], c("1-3", "4-6", "7-9", "status"))
  expect_match(attr(tab, "note")[1], "in: >= 70% 7-9 and < 15% 1-3", fixed = TRUE)
  expect_match(attr(tab, "note")[2], "rounded half-up to 0 decimals", fixed = TRUE)

  # without bands: one column per level; without prefix: bare cells
  t1 <- table_consensus(p, 7:9, threshold = 0.7, levels = 1:9, prefix = FALSE)
  expect_identical(names(t1), c("item", paste0("All [", 1:9, "]"), "All [status]"))
  expect_match(t1[["All [9]"]][1], "^[0-9]+% \\([0-9]+/20\\)$")
})

test_that("consensus in is marked and rounds become column groups", {
  imp <- read_redcap(
    system.file("extdata", "atmp_delphi_records.csv", package = "consensr"),
    system.file("extdata", "atmp_delphi_dictionary.csv", package = "consensr")
  )
  tab <- table_consensus(imp, "Fundamental", threshold = 0.75, area = "area")
  s <- delphi_summary(imp$ratings, "Fundamental", threshold = 0.75, round = "round")
  expect_identical(nrow(tab), nrow(s))
  cell <- tab[["round_1_arm_1 [Fundamental]"]][tab$item == "in vitro Models for Toxicology and Mechanism Studies *"]
  expect_identical(cell, "Fundamental: 84% (21/25)")
  # items retired after round 1 are blank in round 2
  r2 <- tab[["round_2_arm_1 [status]"]]
  expect_identical(sum(nzchar(r2)), sum(!is.na(s$status_2)))
  # the marker: consensus in some round
  starred <- sub(" \\*$", "", tab$item[endsWith(tab$item, " *")])
  expect_setequal(starred, s$item[s$status_1 %in% "consensus" | s$status_2 %in% "consensus"])
  expect_identical(unique(attr(tab, "header")$group[-(1:2)]), c("round_1_arm_1", "round_2_arm_1"))
})

test_that("table_ratings() cells on a numeric scale read unambiguously", {
  p <- cos_table_panel()
  tab <- table_ratings(p[c("respondent", "item", "rating")], levels = 1:9)
  expect_match(tab[["1"]], "^1: [0-9]+% \\(")
  expect_match(tab[["9"]], "^9: [0-9]+% \\(")
  # labelled scales keep their first letters
  expect_match(table_ratings(atmp_published)$Fundamental[1], "^F [0-9]")
})

test_that("bands are checked", {
  p <- cos_table_panel()
  expect_snapshot(error = TRUE, table_consensus(p, 7:9, threshold = 0.7, levels = 1:9,
                                                bands = list(low = 1:4, high = 4:9)))
  expect_snapshot(error = TRUE, table_consensus(p, 7:9, threshold = 0.7, levels = 1:9,
                                                bands = list(1:3, 4:9)))
  expect_snapshot(error = TRUE, table_consensus(p, 7:9, threshold = 0.7, levels = 1:9,
                                                bands = list(low = 0:3)))
  expect_snapshot(error = TRUE, save_table(data.frame(a = 1), tempfile(fileext = ".csv")))
  tab <- table_consensus(p, 7:9, threshold = 0.7, levels = 1:9)
  expect_snapshot(error = TRUE, save_table(tab, "table2.xlsx"))
})

test_that("as_flextable() keeps the column groups, marks consensus and has the note as footer", {
  skip_if_not_installed("flextable")
  p <- cos_table_panel()
  tab <- table_consensus(p, 7:9, threshold = 0.7, opposite = 1:3, opposite_threshold = 0.15,
                         levels = 1:9, by = "group", bands = bands9)
  ft <- flextable::as_flextable(tab)
  expect_s3_class(ft, "flextable")
  expect_identical(nrow(ft$header$dataset), 2L)
  skip_if_not_installed("officer")
  f <- save_table(tab, tempfile(fileext = ".docx"))
  s <- officer::docx_summary(officer::read_docx(f))
  hdr <- s[s$content_type == "table cell" & s$is_header, ]
  row1 <- hdr$text[hdr$row_id == 1][order(hdr$cell_id[hdr$row_id == 1])]
  row2 <- hdr$text[hdr$row_id == 2][order(hdr$cell_id[hdr$row_id == 2])]
  expect_identical(unique(row1[!is.na(row1) & nzchar(row1)]), c("All", "clinicians", "patients"))
  expect_identical(row2[2:5], c("1-3", "4-6", "7-9", "status"))
  foot <- unlist(ft$footer$dataset[, 1])
  expect_identical(unname(foot), attr(tab, "note"))
  t2 <- table_ratings(atmp_published, target = "Fundamental", threshold = 0.75)
  ft2 <- flextable::as_flextable(t2)
  expect_identical(unname(unlist(ft2$footer$dataset[, 1])), attr(t2, "note"))
  bold <- ft2$body$styles$text$bold$data[, "item"]
  expect_identical(which(bold), which(endsWith(t2$item, " *")))
})

test_that("knit_print() gives a kable table followed by the note", {
  skip_if_not_installed("knitr")
  tab <- table_ratings(atmp_published, target = "Fundamental", threshold = 0.75)
  out <- knitr::knit_print(tab)
  expect_s3_class(out, "knit_asis")
  expect_match(out, "|Fundamental", fixed = TRUE)
  expect_match(out, "F 84% (21/25)", fixed = TRUE)
  expect_match(out, "consensus: >= 75% Fundamental", fixed = TRUE)
  expect_match(out, "rounded half-up to 0 decimals", fixed = TRUE)
})

test_that("save_table() writes one .docx, .html or .csv file with the note", {
  tab <- table_ratings(atmp_published, target = "Fundamental", threshold = 0.75)
  dir <- tempfile("tables")
  dir.create(dir)
  csv <- save_table(tab, file.path(dir, "table2.csv"))
  back <- utils::read.csv(csv, check.names = FALSE, stringsAsFactors = FALSE)
  expect_identical(back$Fundamental, tab$Fundamental)
  expect_identical(readLines(paste0(csv, ".note.txt")), attr(tab, "note"))

  skip_if_not_installed("flextable")
  skip_if_not_installed("officer")
  docx <- save_table(tab, file.path(dir, "table2.docx"))
  s <- officer::docx_summary(officer::read_docx(docx))
  expect_true("F 84% (21/25)" %in% s$text)
  txt <- paste(s$text, collapse = "\n")
  expect_match(txt, "consensus: >= 75% Fundamental", fixed = TRUE)
  expect_match(txt, "rounded half-up to 0 decimals", fixed = TRUE)
  html <- save_table(tab, file.path(dir, "table2.html"))
  h <- paste(readLines(html, warn = FALSE), collapse = "\n")
  expect_match(h, "F 84% (21/25)", fixed = TRUE)
  expect_match(h, "rounded half-up to 0 decimals", fixed = TRUE)
  expect_setequal(list.files(dir), c("table2.csv", "table2.csv.note.txt", "table2.docx", "table2.html"))
})
