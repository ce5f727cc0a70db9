# Tests for the shipped ATMP datasets (built by data-raw/atmp.R).

area_levels <- c(
  "Drug Discovery and Development",
  "Preclinical Development",
  "Clinical Development and Trial Innovation",
  "Technology and Analytical Tools",
  "Manufacturing/Chemistry, Manufacturing and Controls (CMC)",
  "Regulatory Process and Compliance",
  "Economic Considerations"
)
rating_levels <- c("Fundamental", "Ancillary", "Less Important")

test_that("atmp_published has the expected structure", {
  pub <- consensr::atmp_published
  expect_s3_class(pub, "data.frame")
  expect_false(inherits(pub, "tbl_df"))
  expect_identical(
    names(pub),
    c("area", "item", "level", "count", "n", "percent", "name_source")
  )
  expect_identical(nrow(pub), 99L)
  expect_identical(levels(pub$area), area_levels)
  expect_identical(levels(pub$level), rating_levels)
  expect_type(pub$item, "character")
  expect_type(pub$count, "integer")
  expect_type(pub$n, "integer")
  expect_type(pub$percent, "character")
  expect_type(pub$name_source, "character")
  expect_false(anyNA(pub))

  items <- unique(pub$item)
  expect_length(items, 33L)
  # one F/A/L triple per item, in that order
  expect_identical(pub$item, rep(items, each = 3L))
  expect_identical(as.character(pub$level), rep(rating_levels, times = 33L))
  # areas in order, with the printed sizes
  first <- pub[pub$level == "Fundamental", ]
  expect_false(is.unsorted(as.integer(first$area)))
  expect_identical(
    as.vector(table(first$area)),
    c(3L, 3L, 2L, 5L, 8L, 7L, 5L)
  )
  # denominator constant within item
  expect_true(all(tapply(pub$n, pub$item, function(x) length(unique(x))) == 1L))
  expect_true(all(pub$count >= 0L & pub$count <= pub$n))
  expect_true(all(pub$n <= 25L))
  # percentages look like printed percentages
  expect_true(all(grepl("^[0-9]+(\\.[0-9])?%$", pub$percent)))
})

test_that("atmp_published keeps the printed values", {
  pub <- consensr::atmp_published
  row <- function(item, level) pub[pub$item == item & pub$level == level, ]

  x <- row("in vitro Models for Toxicology and Mechanism Studies", "Fundamental")
  expect_identical(c(x$count, x$n), c(21L, 25L))
  expect_identical(x$percent, "84%")
  expect_identical(x$name_source, "text")

  x <- row("Critical Quality Attributes", "Fundamental")
  expect_identical(c(x$count, x$n), c(22L, 24L))
  expect_identical(x$percent, "91.7%")
  expect_identical(x$name_source, "text")

  expect_identical(
    sort(unique(pub$item[pub$name_source == "text"])),
    sort(c("in vitro Models for Toxicology and Mechanism Studies",
           "Critical Quality Attributes"))
  )

  # inconsistencies kept as printed
  x <- row("Regulatory Product Classification", "Fundamental")
  expect_identical(c(x$count, x$n), c(16L, 25L))
  expect_identical(x$percent, "72%")
  x <- row("Regulatory Science & Systems Overview", "Fundamental")
  expect_identical(c(x$count, x$n), c(18L, 25L))
  expect_identical(x$percent, "72.7%")
  x <- row("Law & Policy Evaluation", "Fundamental")
  expect_identical(c(x$count, x$n), c(10L, 23L))
  expect_identical(x$percent, "44%")
  x <- row("Biomarkers and Surrogate Endpoints", "Fundamental")
  expect_identical(c(x$count, x$n), c(13L, 23L))
  expect_identical(x$percent, "56.6%")
  x <- row("Reimbursement Assessment & Market Access", "Ancillary")
  expect_identical(c(x$count, x$n), c(5L, 24L))
  expect_identical(x$percent, "20.8%")

  # in every printed row the counts add up to the denominator
  sums <- c(tapply(pub$count, pub$item, sum))
  dens <- c(tapply(pub$n, pub$item, function(x) x[1L]))
  expect_identical(sums[names(dens)], dens)

  # denominators other than 25
  short <- dens[dens != 25L]
  expect_identical(
    short[order(names(short))],
    c("Biomarkers and Surrogate Endpoints" = 23L,
      "Critical Quality Attributes" = 24L,
      "Law & Policy Evaluation" = 23L,
      "Reimbursement Assessment & Market Access" = 24L)
  )

  # 16 competencies at >= 75% Fundamental, from the counts
  fund <- pub[pub$level == "Fundamental", ]
  expect_identical(sum(fund$count * 100L >= 75L * fund$n), 16L)
})

test_that("item names are ASCII and well formed", {
  pub <- consensr::atmp_published
  items <- unique(pub$item)
  expect_false(any(grepl("[^ -~]", items)))
  expect_false(any(grepl("^\\s|\\s$", items)))
  expect_false(any(grepl(")", items, fixed = TRUE) &
                     !grepl("(", items, fixed = TRUE)))
})

test_that("atmp_ratings reproduces every published count and denominator", {
  pub <- consensr::atmp_published
  rat <- consensr::atmp_ratings
  expect_s3_class(rat, "data.frame")
  expect_false(inherits(rat, "tbl_df"))
  expect_identical(names(rat), c("respondent", "area", "item", "rating"))
  expect_identical(nrow(rat), 825L)
  expect_identical(levels(rat$area), area_levels)
  expect_identical(levels(rat$rating), rating_levels)
  expect_type(rat$respondent, "character")
  expect_type(rat$item, "character")

  items <- unique(pub$item)
  expect_identical(unique(rat$item), items)
  expect_setequal(rat$item, pub$item)
  expect_identical(sort(unique(rat$respondent)), sprintf("R%02d", 1:25))
  # ordered by item (table order), then respondent
  expect_identical(rat$item, rep(items, each = 25L))
  expect_identical(rat$respondent, rep(sprintf("R%02d", 1:25), times = 33L))
  # one row per respondent x item
  expect_false(anyDuplicated(rat[, c("respondent", "item")]) > 0L)
  # area consistent with atmp_published
  expect_identical(
    as.character(rat$area),
    as.character(pub$area[match(rat$item, pub$item)])
  )
  expect_false(anyNA(rat$respondent))
  expect_false(anyNA(rat$item))
  expect_false(anyNA(rat$area))

  tab <- table(factor(rat$item, levels = items), rat$rating)
  for (lev in rating_levels) {
    published <- pub$count[pub$level == lev]
    names(published) <- pub$item[pub$level == lev]
    expect_identical(as.vector(tab[items, lev]), unname(published[items]))
  }

  rated <- tapply(!is.na(rat$rating), factor(rat$item, levels = items), sum)
  den <- pub$n[pub$level == "Fundamental"]
  names(den) <- pub$item[pub$level == "Fundamental"]
  expect_identical(as.vector(rated), unname(den[items]))
})

test_that("atmp_ratings spreads Less Important and missing ratings", {
  rat <- consensr::atmp_ratings
  li <- table(rat$respondent[!is.na(rat$rating) &
                               rat$rating == "Less Important"])
  miss <- table(rat$respondent[is.na(rat$rating)])
  expect_gt(length(li), 5L)
  expect_gt(length(miss), 1L)
  expect_lt(max(li), sum(li))
})

test_that("atmp_participants matches Table 1", {
  par <- consensr::atmp_participants
  expect_s3_class(par, "data.frame")
  expect_identical(names(par), c("respondent", "setting", "setting_detail"))
  expect_identical(nrow(par), 25L)
  expect_identical(par$respondent, sprintf("R%02d", 1:25))
  expect_identical(
    levels(par$setting),
    c("Academia/Hospital", "Industry", "Patient Organization", "Other",
      "Not specified")
  )
  expect_identical(as.vector(table(par$setting)), c(9L, 6L, 4L, 3L, 3L))
  expect_type(par$setting_detail, "character")
  expect_identical(
    sort(par$setting_detail[par$setting == "Other"]),
    c("CDMO/Biotech", "Non-profit blood bank", "Regulatory Agency")
  )
  expect_true(all(is.na(par$setting_detail[par$setting != "Other"])))
  expect_true(all(par$respondent %in% consensr::atmp_ratings$respondent))
})

test_that("atmp_soft_skills follows the structure of Table 3", {
  ss <- consensr::atmp_soft_skills
  expect_s3_class(ss, "data.frame")
  expect_identical(names(ss), c("group", "category", "answer"))
  expect_identical(
    levels(ss$group),
    c("Communication & Collaboration", "Thinking Skills & Insight",
      "Adaptability & Growth")
  )
  cats <- c("Communication", "Collaboration & Teamwork",
            "Patient-centric Collaboration", "Critical Thinking",
            "Creative/Strategic Thinking", "Problem Solving",
            "Scientific & Systems Insight",
            "Flexibility, self-awareness, and continuous improvement")
  expect_identical(levels(ss$category), cats)
  expect_type(ss$answer, "character")
  expect_false(anyNA(ss))
  expect_identical(nrow(ss), 40L)
  expect_identical(as.vector(table(ss$category)),
                   c(6L, 7L, 2L, 4L, 5L, 4L, 2L, 10L))

  # each category belongs to exactly one group, in table order
  grp <- c(tapply(as.character(ss$group), ss$category,
                  function(x) unique(x)))
  expect_identical(
    unname(grp[cats]),
    rep(levels(ss$group), times = c(3L, 4L, 1L))
  )
  expect_false(is.unsorted(as.integer(ss$category)))

  comm <- ss$answer[ss$category == "Communication"]
  expect_identical(comm, c(
    "Influential/Tailored communication (audience dependent)",
    "Interdisciplinary Communication",
    "Cross-functional Communication",
    "Communication is always key",
    "Communication (as cross-functional, multidisciplinary teamwork is needed)",
    "Stakeholder engagement"
  ))
  # category labels are not answers
  expect_false("Communication" %in% ss$answer)
  expect_false(any(grepl("^\\s|\\s$", ss$answer)))
})

test_that("atmp_soft_skill_mentions lists the reported theme counts", {
  m <- consensr::atmp_soft_skill_mentions
  expect_identical(names(m), c("theme", "mentions", "category"))
  expect_identical(
    m$theme,
    c("Communication", "Critical thinking", "Collaboration/teamwork",
      "Adaptability/learning agility", "Strategic thinking",
      "Problem-solving")
  )
  expect_identical(m$mentions, c(11L, 6L, 6L, 4L, 4L, 4L))
  expect_type(m$category, "character")
  expect_true(all(m$category %in%
                    levels(consensr::atmp_soft_skills$category)))
})

test_that("atmp_reported holds the reported claims", {
  r <- consensr::atmp_reported
  expect_identical(names(r), c("claim", "value", "source"))
  expect_type(r$value, "character")
  expect_false(anyDuplicated(r$claim) > 0L)
  expect_true(all(r$source %in% c("Abstract", "Methods", "Results")))
  v <- stats::setNames(r$value, r$claim)
  expect_identical(v[["n_experts"]], "25")
  expect_identical(v[["n_competencies_planned"]], "35")
  expect_identical(v[["n_consensus_75"]], "16")
  expect_identical(v[["pct_consensus_75"]], "45%")
  expect_identical(v[["n_never_less_important"]], "21")
  expect_identical(v[["max_less_important"]], "3")
  items <- unique(consensr::atmp_published$item)
  leave <- strsplit(v[["leave_at_80"]], "; ", fixed = TRUE)[[1]]
  enter <- strsplit(v[["enter_at_70"]], "; ", fixed = TRUE)[[1]]
  expect_length(leave, 2L)
  expect_length(enter, 3L)
  expect_true(all(c(leave, enter) %in% items))
  # the largest printed Less Important count equals the reported maximum
  pub <- consensr::atmp_published
  expect_identical(
    as.character(max(pub$count[pub$level == "Less Important"])),
    v[["max_less_important"]]
  )
})
