# data-raw/atmp.R
#
# Builds the ATMP competency datasets shipped with consensr from the
# published tables of:
#   Guillen E, Hidalgo-Simon A. Defining core competencies for advanced
#   therapy medicinal products translation.
#
# Run from the package root:
#   Rscript data-raw/atmp.R
#
# Writes data/atmp_published.rda, data/atmp_ratings.rda,
# data/atmp_participants.rda, data/atmp_soft_skills.rda,
# data/atmp_soft_skill_mentions.rda and data/atmp_reported.rda.
#
# This file must stay ASCII. The paper prints a middle dot ("\u00b7") as
# decimal mark; the data store "." instead (see `percent` below).

stopifnot(file.exists("DESCRIPTION"), dir.exists("R"))
dir.create("data", showWarnings = FALSE)


area_levels <- c(
  "Drug Discovery and Development",
  "Preclinical Development",
  "Clinical Development and Trial Innovation",
  "Technology and Analytical Tools",
  "Manufacturing/Chemistry, Manufacturing and Controls (CMC)",
  "Regulatory Process and Compliance",
  "Economic Considerations"
)
level_levels <- c("Fundamental", "Ancillary", "Less Important")

# ---------------------------------------------------------------------------
# 1. Table 2, transcribed as printed.
#
# One line per competency x category, in the table's order. Fields:
#   area (1-7, index into area_levels), item, name_source, level (F/A/L),
#   percent (as printed, "." standing for the printed middle dot),
#   count, n (both as printed inside the parentheses).
#
# Area boundaries follow the "|" separator lines of the extracted table:
# 3, 3, 2, 5, 8, 7 and 5 competencies (33 in all). The Methods plan 7
# Economic Considerations competencies (35 in all); only 5 are printed.
#
# Names not given by the table:
#  * first competency: its name is missing from the extracted table; the
#    Results name it "in vitro Models for Toxicology and Mechanism Studies"
#    (Drug Discovery and Development, Fundamental for 21 participants, 84%).
#  * "Critical Quality Attributes)" is printed truncated with a stray
#    parenthesis; the Results name it "Critical Quality Attributes".
#
# Numbers are kept exactly as printed even where they disagree with each
# other (see the checks at the end of this section).
# ---------------------------------------------------------------------------
table2_txt <- "
1|in vitro Models for Toxicology and Mechanism Studies|text|F|84%|21|25
1|in vitro Models for Toxicology and Mechanism Studies|text|A|16%|4|25
1|in vitro Models for Toxicology and Mechanism Studies|text|L|0%|0|25
1|Biomarkers and Surrogate Endpoints|table|F|56.6%|13|23
1|Biomarkers and Surrogate Endpoints|table|A|39.1%|9|23
1|Biomarkers and Surrogate Endpoints|table|L|4.3%|1|23
1|Clinical Proof of Concept & Mechanism|table|F|84%|21|25
1|Clinical Proof of Concept & Mechanism|table|A|12%|3|25
1|Clinical Proof of Concept & Mechanism|table|L|4%|1|25
2|Linking Preclinical Results to Clinical Viability|table|F|92%|23|25
2|Linking Preclinical Results to Clinical Viability|table|A|8%|2|25
2|Linking Preclinical Results to Clinical Viability|table|L|0%|0|25
2|Preclinical Models and Alternatives|table|F|64%|16|25
2|Preclinical Models and Alternatives|table|A|32%|8|25
2|Preclinical Models and Alternatives|table|L|4%|1|25
2|Good Laboratory Practices (GLP) Research Principles and Applications|table|F|84%|21|25
2|Good Laboratory Practices (GLP) Research Principles and Applications|table|A|16%|4|25
2|Good Laboratory Practices (GLP) Research Principles and Applications|table|L|0%|0|25
3|Innovative Clinical Trial Designs|table|F|60%|15|25
3|Innovative Clinical Trial Designs|table|A|32%|8|25
3|Innovative Clinical Trial Designs|table|L|8%|2|25
3|Long-Term Follow-Up in Trials|table|F|68%|17|25
3|Long-Term Follow-Up in Trials|table|A|28%|7|25
3|Long-Term Follow-Up in Trials|table|L|4%|1|25
4|Statistical Approaches for Novel Trial Designs|table|F|52%|13|25
4|Statistical Approaches for Novel Trial Designs|table|A|40%|10|25
4|Statistical Approaches for Novel Trial Designs|table|L|8%|2|25
4|Modeling & In Silico Methods|table|F|48%|12|25
4|Modeling & In Silico Methods|table|A|40%|10|25
4|Modeling & In Silico Methods|table|L|12%|3|25
4|Biobanking & Cell/Tissue Sourcing|table|F|76%|19|25
4|Biobanking & Cell/Tissue Sourcing|table|A|20%|5|25
4|Biobanking & Cell/Tissue Sourcing|table|L|4%|1|25
4|Emerging Technologies in Regulatory Science|table|F|28%|7|25
4|Emerging Technologies in Regulatory Science|table|A|68%|17|25
4|Emerging Technologies in Regulatory Science|table|L|4%|1|25
4|Platform Technology Integration|table|F|52%|13|25
4|Platform Technology Integration|table|A|44%|11|25
4|Platform Technology Integration|table|L|4%|1|25
5|Good Manufacturing Practice (GMP) Compliance|table|F|96%|24|25
5|Good Manufacturing Practice (GMP) Compliance|table|A|4%|1|25
5|Good Manufacturing Practice (GMP) Compliance|table|L|0%|0|25
5|Analytical Methods & Quality Control testing|table|F|96%|24|25
5|Analytical Methods & Quality Control testing|table|A|4%|1|25
5|Analytical Methods & Quality Control testing|table|L|0%|0|25
5|Critical Quality Attributes|text|F|91.7%|22|24
5|Critical Quality Attributes|text|A|8.3%|2|24
5|Critical Quality Attributes|text|L|0%|0|24
5|Risk Management and Contingency Planning|table|F|84%|21|25
5|Risk Management and Contingency Planning|table|A|16%|4|25
5|Risk Management and Contingency Planning|table|L|0%|0|25
5|CMC Quality Assurance Implementation|table|F|92%|23|25
5|CMC Quality Assurance Implementation|table|A|8%|2|25
5|CMC Quality Assurance Implementation|table|L|0%|0|25
5|Process Optimization & Tech Transfer|table|F|56%|14|25
5|Process Optimization & Tech Transfer|table|A|40%|10|25
5|Process Optimization & Tech Transfer|table|L|4%|1|25
5|Automation Evaluation & Implementation|table|F|44%|11|25
5|Automation Evaluation & Implementation|table|A|52%|13|25
5|Automation Evaluation & Implementation|table|L|4%|1|25
5|Process Scalability and Batch Consistency|table|F|88%|22|25
5|Process Scalability and Batch Consistency|table|A|12%|3|25
5|Process Scalability and Batch Consistency|table|L|0%|0|25
6|Regulatory Strategy Development|table|F|88%|22|25
6|Regulatory Strategy Development|table|A|12%|3|25
6|Regulatory Strategy Development|table|L|0%|0|25
6|Regulatory Science & Systems Overview|table|F|72.7%|18|25
6|Regulatory Science & Systems Overview|table|A|28%|7|25
6|Regulatory Science & Systems Overview|table|L|0%|0|25
6|Regulatory Product Classification|table|F|72%|16|25
6|Regulatory Product Classification|table|A|28%|7|25
6|Regulatory Product Classification|table|L|8%|2|25
6|Law & Policy Evaluation|table|F|44%|10|23
6|Law & Policy Evaluation|table|A|48%|11|23
6|Law & Policy Evaluation|table|L|8%|2|23
6|Post-Market Compliance & Risk Mitigation|table|F|68%|17|25
6|Post-Market Compliance & Risk Mitigation|table|A|24%|6|25
6|Post-Market Compliance & Risk Mitigation|table|L|8%|2|25
6|Risk-Benefit Assessment Innovations|table|F|84%|21|25
6|Risk-Benefit Assessment Innovations|table|A|16%|4|25
6|Risk-Benefit Assessment Innovations|table|L|0%|0|25
6|Ethical Considerations in Research & Use|table|F|84%|21|25
6|Ethical Considerations in Research & Use|table|A|12%|3|25
6|Ethical Considerations in Research & Use|table|L|4%|1|25
7|Intellectual Property Strategy|table|F|64%|16|25
7|Intellectual Property Strategy|table|A|36%|9|25
7|Intellectual Property Strategy|table|L|0%|0|25
7|Economic Viability of Novel Medical Products|table|F|80%|20|25
7|Economic Viability of Novel Medical Products|table|A|12%|3|25
7|Economic Viability of Novel Medical Products|table|L|8%|2|25
7|Funding Strategy & Sustainability|table|F|72%|18|25
7|Funding Strategy & Sustainability|table|A|28%|7|25
7|Funding Strategy & Sustainability|table|L|0%|0|25
7|Global Landscape & Commercialization Pathways|table|F|60%|15|25
7|Global Landscape & Commercialization Pathways|table|A|40%|10|25
7|Global Landscape & Commercialization Pathways|table|L|0%|0|25
7|Reimbursement Assessment & Market Access|table|F|79%|19|24
7|Reimbursement Assessment & Market Access|table|A|20.8%|5|24
7|Reimbursement Assessment & Market Access|table|L|0%|0|24
"

t2 <- utils::read.table(
  text = table2_txt, sep = "|", header = FALSE, quote = "",
  comment.char = "", strip.white = TRUE, stringsAsFactors = FALSE,
  col.names = c("area", "item", "name_source", "level", "percent",
                "count", "n"),
  colClasses = c("integer", "character", "character", "character",
                 "character", "integer", "integer")
)

atmp_published <- data.frame(
  area = factor(area_levels[t2$area], levels = area_levels),
  item = t2$item,
  level = factor(
    c(F = "Fundamental", A = "Ancillary", L = "Less Important")[t2$level],
    levels = level_levels, ordered = TRUE # the scale's order is declared
  ),
  count = t2$count,
  n = t2$n,
  # The paper prints a middle dot as decimal mark; it is stored as "." so
  # that the shipped data stay ASCII (marked UTF-8 strings in data are a
  # NOTE in R CMD check). table_ratings(decimal_mark = "\u00b7") prints it
  # back the paper's way, and check_reported() reads either mark.
  percent = t2$percent,
  name_source = t2$name_source,
  stringsAsFactors = FALSE
)
rownames(atmp_published) <- NULL

# --- structural checks on the transcription --------------------------------
items <- unique(atmp_published$item)
stopifnot(
  nrow(atmp_published) == 99L,
  length(items) == 33L,
  # each item appears as one F, A, L triple, in that order
  identical(as.character(atmp_published$level),
            rep(level_levels, times = 33L)),
  identical(atmp_published$item, rep(items, each = 3L)),
  # areas are contiguous and have the printed sizes
  identical(as.integer(table(atmp_published$area[!duplicated(atmp_published$item)])),
            c(3L, 3L, 2L, 5L, 8L, 7L, 5L)),
  # the denominator is printed identically on the three lines of each item
  all(tapply(atmp_published$n, atmp_published$item,
             function(x) length(unique(x))) == 1L),
  sum(atmp_published$name_source == "text") == 6L,
  all(atmp_published$count <= atmp_published$n)
)

# --- internal-consistency report (informational, nothing is changed) -------
# Sum of the three counts versus the printed denominator: all 33 rows add
# up (checked here). Printed percentages versus count/n: a few disagree
# (Biomarkers F 56.6% for 13/23 = 56.5%; Regulatory Science & Systems
# Overview F 72.7% for 18/25 = 72%; Regulatory Product Classification F 72%
# for 16/25 = 64%; Law & Policy Evaluation F 44% for 10/23 = 43.5% and
# L 8% for 2/23 = 8.7%). They are kept as printed.
sums <- tapply(atmp_published$count, factor(atmp_published$item, items), sum)
dens <- tapply(atmp_published$n, factor(atmp_published$item, items), `[`, 1L)
stopifnot(all(sums == dens))

pct_num <- as.numeric(sub("%", "", atmp_published$percent, fixed = TRUE))
pct_dec <- ifelse(grepl(".", atmp_published$percent, fixed = TRUE), 1L, 0L)
pct_exact <- 100 * atmp_published$count / atmp_published$n
pct_ok <- abs(pct_num - pct_exact) <= 0.5 * 10^(-pct_dec) + 1e-9
if (any(!pct_ok)) {
  message("Printed percentages that do not match count/n (kept as printed):")
  message(paste(utils::capture.output(print(
    cbind(atmp_published[!pct_ok, c("item", "level", "count", "n", "percent")],
          exact = round(pct_exact[!pct_ok], 2))
  )), collapse = "\n"))
}

# ---------------------------------------------------------------------------
# 2. Respondent-level reconstruction.
#
# The joint pattern of answers was not published; this is one deterministic
# data set whose per-item margins (count per category, number of non-missing
# ratings) equal the published counts and denominators. For item j
# (j = 1..33, table order) the 25 respondents are taken in the order
# R01..R25 rotated by (7 * j) %% 25 positions; the first count_F of them get
# Fundamental, the next count_A Ancillary, the next count_L Less Important
# and the remaining 25 - n get NA (did not rate the item). Every published
# row's counts add up to its denominator, so no adjustment was needed.
# ---------------------------------------------------------------------------
n_resp <- 25L
resp_ids <- sprintf("R%02d", seq_len(n_resp))

wide_counts <- function(lev) {
  x <- atmp_published[atmp_published$level == lev, ]
  stats::setNames(x$count, x$item)[items]
}
cF <- wide_counts("Fundamental")
cA <- wide_counts("Ancillary")
cL <- wide_counts("Less Important")
nn <- dens[items]
item_area <- atmp_published$area[match(items, atmp_published$item)]

rows <- vector("list", length(items))
for (j in seq_along(items)) {
  offset <- (7L * j) %% n_resp
  ord <- ((seq_len(n_resp) - 1L + offset) %% n_resp) + 1L
  stopifnot(cF[j] + cA[j] + cL[j] == nn[j], nn[j] <= n_resp)
  lab <- c(rep("Fundamental", cF[j]), rep("Ancillary", cA[j]),
           rep("Less Important", cL[j]), rep(NA_character_, n_resp - nn[j]))
  rating <- character(n_resp)
  rating[ord] <- lab
  rows[[j]] <- data.frame(
    respondent = resp_ids,
    area = item_area[j],
    item = items[j],
    rating = factor(rating, levels = level_levels, ordered = TRUE),
    stringsAsFactors = FALSE
  )
}
atmp_ratings <- do.call(rbind, rows)
rownames(atmp_ratings) <- NULL

# reproduce every published count and denominator
tally <- table(factor(atmp_ratings$item, items), atmp_ratings$rating)
stopifnot(
  nrow(atmp_ratings) == 825L,
  identical(unname(tally[, "Fundamental"]), unname(cF)),
  identical(unname(tally[, "Ancillary"]), unname(cA)),
  identical(unname(tally[, "Less Important"]), unname(cL)),
  identical(as.integer(rowSums(tally)), as.integer(nn))
)

# ---------------------------------------------------------------------------
# 3. Table 1: participant setting of work.
# Printed: Academia/Hospital 9 (36%), Industry 6 (24%), Patient
# Organization 4 (16%), Other 3 (12%: 1 CDMO/Biotech, 1 Non-profit blood
# bank, 1 Regulatory Agency), Not specified 3 (12%).
# The survey was anonymous: the assignment of settings to respondent ids
# below is arbitrary (blocks in table order).
# ---------------------------------------------------------------------------
setting_levels <- c("Academia/Hospital", "Industry", "Patient Organization",
                    "Other", "Not specified")
setting_counts <- c(9L, 6L, 4L, 3L, 3L)
atmp_participants <- data.frame(
  respondent = resp_ids,
  setting = factor(rep(setting_levels, times = setting_counts),
                   levels = setting_levels),
  setting_detail = NA_character_,
  stringsAsFactors = FALSE
)
atmp_participants$setting_detail[atmp_participants$setting == "Other"] <-
  c("CDMO/Biotech", "Non-profit blood bank", "Regulatory Agency")
stopifnot(identical(as.integer(table(atmp_participants$setting)),
                    setting_counts))

# ---------------------------------------------------------------------------
# 4. Table 3: soft skills, one row per published answer.
# The extracted table runs the answers of each category together on one
# line; they are split where one answer ends and the next (capitalised)
# begins. The last category label is printed with a trailing period, which
# is dropped here.
# ---------------------------------------------------------------------------
ss <- list(
  "Communication & Collaboration" = list(
    "Communication" = c(
      "Influential/Tailored communication (audience dependent)",
      "Interdisciplinary Communication",
      "Cross-functional Communication",
      "Communication is always key",
      "Communication (as cross-functional, multidisciplinary teamwork is needed)",
      "Stakeholder engagement"
    ),
    "Collaboration & Teamwork" = c(
      "Cross-functional collaboration",
      "Collaborative teamwork",
      "Teamwork/collaborative spirit",
      "Collaboration",
      "An ability to admit one does not know everything and can ask for assistance",
      "Multidisciplinarity, teamwork",
      "Teamwork"
    ),
    "Patient-centric Collaboration" = c(
      "Patient involvement",
      "Patient involvement in ATMP life-cycle (esp. economic evaluations)"
    )
  ),
  "Thinking Skills & Insight" = list(
    "Critical Thinking" = c(
      "Critical thinking (repeated frequently)",
      "Critical thinking & adaptability",
      "Attention to detail",
      "Ethical judgment"
    ),
    "Creative/Strategic Thinking" = c(
      "Strategic thinking/Strategic leadership",
      "Strategic thinking with scientific insight",
      "Think outside the box",
      "Innovative thinking/Creative thinking",
      "Understanding of business scaling"
    ),
    "Problem Solving" = c(
      "Problem-solving mindset",
      "Problem-solving across regulatory and scientific barriers",
      "Risk prevention",
      "Freedom to operate challenge"
    ),
    "Scientific & Systems Insight" = c(
      "Scientific literacy",
      "Focus on the final goal: to treat the patient"
    )
  ),
  "Adaptability & Growth" = list(
    "Flexibility, self-awareness, and continuous improvement" = c(
      "Adaptability/Learning agility",
      "Open-mindedness",
      "Long-term resilience",
      "Commitment to a common mission",
      "Ability to ask for help/humility",
      "Results focus",
      "Planning and organizing (project management)",
      "Resilience",
      "Leadership",
      "The funding cliff for translation"
    )
  )
)

group_levels <- names(ss)
category_levels <- unlist(lapply(ss, names), use.names = FALSE)
ss_rows <- list()
for (g in group_levels) {
  for (cat in names(ss[[g]])) {
    a <- ss[[g]][[cat]]
    ss_rows[[length(ss_rows) + 1L]] <- data.frame(
      group = g, category = cat, answer = a, stringsAsFactors = FALSE
    )
  }
}
atmp_soft_skills <- do.call(rbind, ss_rows)
atmp_soft_skills$group <- factor(atmp_soft_skills$group, levels = group_levels)
atmp_soft_skills$category <- factor(atmp_soft_skills$category,
                                    levels = category_levels)
rownames(atmp_soft_skills) <- NULL
stopifnot(
  nrow(atmp_soft_skills) == 40L,
  identical(as.integer(table(atmp_soft_skills$category)),
            c(6L, 7L, 2L, 4L, 5L, 4L, 2L, 10L)),
  !anyDuplicated(atmp_soft_skills$answer)
)

# ---------------------------------------------------------------------------
# 5. Soft-skill theme counts reported in the Results/Discussion text
# (communication 11; critical thinking and collaboration/teamwork 6 each;
# adaptability/learning agility, strategic thinking, problem-solving 4 each).
# ---------------------------------------------------------------------------
atmp_soft_skill_mentions <- data.frame(
  theme = c("Communication", "Critical thinking", "Collaboration/teamwork",
            "Adaptability/learning agility", "Strategic thinking",
            "Problem-solving"),
  mentions = c(11L, 6L, 6L, 4L, 4L, 4L),
  category = c("Communication", "Critical Thinking",
               "Collaboration & Teamwork",
               "Flexibility, self-awareness, and continuous improvement",
               "Creative/Strategic Thinking", "Problem Solving"),
  stringsAsFactors = FALSE
)
stopifnot(all(atmp_soft_skill_mentions$category %in% category_levels))

# ---------------------------------------------------------------------------
# 6. Summary claims reported in the paper's text, for comparison with
#    results computed from the tables. Values are character, as reported.
# ---------------------------------------------------------------------------
atmp_reported <- data.frame(
  claim = c(
    "n_experts",
    "n_competencies_planned",
    "n_areas",
    "area_sizes_planned",
    "consensus_threshold",
    "n_consensus_75",
    "pct_consensus_75",
    "leave_at_80",
    "enter_at_70",
    "n_never_less_important",
    "max_less_important"
  ),
  value = c(
    "25",
    "35",
    "7",
    "3; 3; 2; 5; 8; 7; 7",
    "75%",
    "16",
    "45%",
    "Reimbursement Assessment & Market Access; Biobanking & Cell/Tissue Sourcing",
    paste("Funding Strategy & Sustainability",
          "Regulatory Product Classification",
          "Regulatory Science & Systems Overview", sep = "; "),
    "21",
    "3"
  ),
  source = c(
    "Results",
    "Methods",
    "Methods",
    "Methods",
    "Methods",
    "Results",
    "Results",
    "Methods",
    "Methods",
    "Results",
    "Results"
  ),
  stringsAsFactors = FALSE
)
stopifnot(
  !anyDuplicated(atmp_reported$claim),
  all(unlist(strsplit(atmp_reported$value[atmp_reported$claim %in%
                                            c("leave_at_80", "enter_at_70")],
                      "; ", fixed = TRUE)) %in% items)
)

# ---------------------------------------------------------------------------
# Write
# ---------------------------------------------------------------------------
save(atmp_published, file = "data/atmp_published.rda", compress = "xz")
save(atmp_ratings, file = "data/atmp_ratings.rda", compress = "xz")
save(atmp_participants, file = "data/atmp_participants.rda", compress = "xz")
save(atmp_soft_skills, file = "data/atmp_soft_skills.rda", compress = "xz")
save(atmp_soft_skill_mentions, file = "data/atmp_soft_skill_mentions.rda",
     compress = "xz")
save(atmp_reported, file = "data/atmp_reported.rda", compress = "xz")

message("Wrote ", length(list.files("data", pattern = "^atmp_.*[.]rda$")),
        " atmp_*.rda files to data/")
