# Documentation for the ATMP competency datasets. The data are built by
# data-raw/atmp.R from the tables of Guillen and Hidalgo-Simon (see @source).

#' ATMP translation competencies: published ratings (Table 2)
#'
#' The rating table of an expert consensus survey on competencies for
#' translating advanced therapy medicinal products (ATMPs), in long form:
#' one row per competency and rating category, transcribed number by number
#' from Table 2 of the source paper and kept in the table's order.
#'
#' @format A data frame with 99 rows (33 competencies times 3 categories)
#'   and 7 columns:
#' \describe{
#'   \item{area}{Factor. Thematic area of the competency. Levels, in the
#'     order used by the paper: "Drug Discovery and Development",
#'     "Preclinical Development", "Clinical Development and Trial
#'     Innovation", "Technology and Analytical Tools",
#'     "Manufacturing/Chemistry, Manufacturing and Controls (CMC)",
#'     "Regulatory Process and Compliance", "Economic Considerations".}
#'   \item{item}{Character. Name of the competency.}
#'   \item{level}{Ordered factor (the scale's order). Rating category, levels "Fundamental",
#'     "Ancillary", "Less Important" (printed as F, A and L).}
#'   \item{count}{Integer. Number of experts choosing this category, as
#'     printed.}
#'   \item{n}{Integer. Denominator printed next to the count: the number of
#'     experts who rated the competency (25 unless some did not answer).}
#'   \item{percent}{Character. The percentage exactly as printed, e.g.
#'     "84%" or "91.7%". The paper prints a middle dot as decimal mark
#'     ("91\\u00b77%"); it is stored as "." so that the data stay ASCII.
#'     It is not recomputed from \code{count} and \code{n}.}
#'   \item{name_source}{Character. \code{"table"} when the competency name
#'     is taken from the table; \code{"text"} when the table does not give a
#'     usable name and the name is taken from the paper's Results section.}
#' }
#'
#' @details
#' Study facts, as reported by the paper (also available as data in
#' \code{\link{atmp_reported}}):
#' \itemize{
#'   \item 25 experts took part (anonymous online survey).
#'   \item 35 competencies were planned, in 7 thematic areas of 3, 3, 2, 5,
#'     8, 7 and 7 competencies.
#'   \item Table 2 holds only 33 competencies: its areas have 3, 3, 2, 5, 8,
#'     7 and 5 rows, so two of the seven planned Economic Considerations
#'     competencies are not in the table. This dataset ships the 33 that
#'     are printed.
#'   \item Consensus rule: a competency is retained when at least 75% of
#'     the experts who rated it chose Fundamental. The paper reports 16
#'     competencies (45%) meeting it.
#'   \item Sensitivity analysis reported: with an 80% threshold,
#'     Reimbursement Assessment & Market Access and Biobanking & Cell/Tissue
#'     Sourcing drop out; with a 70% threshold, Funding Strategy &
#'     Sustainability, Regulatory Product Classification and Regulatory
#'     Science & Systems Overview are added.
#' }
#'
#' Names recovered from the text (\code{name_source == "text"}): the first
#' competency has no name in the table; the Results identify it as
#' "in vitro Models for Toxicology and Mechanism Studies" (Drug Discovery
#' and Development, Fundamental for 21 of 25 experts). The table prints
#' "Critical Quality Attributes)" with a stray parenthesis; the name used
#' here, "Critical Quality Attributes", is the one in the Results.
#'
#' Every number is kept as printed, including ones that do not agree with
#' each other. In every row the three counts add up to the denominator, but
#' some printed percentages do not equal \code{count / n}: Biomarkers and
#' Surrogate Endpoints, Fundamental (56.6% printed for 13/23); Regulatory
#' Science & Systems Overview, Fundamental (72.7% for 18/25); Regulatory
#' Product Classification, Fundamental (72% for 16/25, i.e. 64%); Law &
#' Policy Evaluation, Fundamental (44% for 10/23) and Less Important (8%
#' for 2/23). Whether a competency passes a threshold can therefore depend
#' on whether the printed percentage or the counts are used. The Results
#' also state that 21 of 35 competencies were never rated Less Important;
#' in the 33 printed rows this holds for 16.
#'
#' @source Guillen E, Hidalgo-Simon A. Defining core competencies for
#'   advanced therapy medicinal products translation. Table 2, with the
#'   Methods and Results sections for area sizes, study facts and the two
#'   recovered names.
#'
#' @seealso \code{\link{atmp_ratings}} for a respondent-level
#'   reconstruction with the same margins, \code{\link{atmp_reported}} for
#'   the summary figures stated in the text,
#'   \code{\link{atmp_participants}}, \code{\link{atmp_soft_skills}}.
#'
#' @examples
#' head(atmp_published)
#' # number of competencies per thematic area
#' table(atmp_published$area[atmp_published$level == "Fundamental"])
#' # Fundamental counts and denominators
#' fund <- atmp_published[atmp_published$level == "Fundamental", ]
#' # at least 75% Fundamental, compared in integers (what consensus() does)
#' fund[4 * fund$count >= 3 * fund$n, c("item", "count", "n")]
"atmp_published"

#' ATMP translation competencies: reconstructed respondent-level ratings
#'
#' A respondent-by-competency version of \code{\link{atmp_published}} for
#' 25 anonymous respondents and the 33 printed competencies, with one
#' rating (or \code{NA}) per respondent and competency.
#'
#' This is a reconstruction, not the study's raw data. Only the margins
#' were published (per competency: how many experts chose each category
#' and how many rated it); the combination of answers given by any single
#' expert was not. The rows here are one arrangement chosen to match those
#' margins exactly, so per-competency tallies are faithful, but anything
#' that depends on how one respondent's answers relate to each other
#' (respondent scores, agreement between respondents, correlations between
#' competencies, subgroup analyses) reflects the construction, not the
#' panel.
#'
#' @format A data frame with 825 rows (25 respondents times 33
#'   competencies), ordered by competency (in table order) and then by
#'   respondent, and 4 columns:
#' \describe{
#'   \item{respondent}{Character. Respondent id, "R01" to "R25".}
#'   \item{area}{Factor. Thematic area, with the same levels as
#'     \code{atmp_published$area}.}
#'   \item{item}{Character. Competency name, identical to
#'     \code{atmp_published$item}.}
#'   \item{rating}{Ordered factor (the scale's order) with levels "Fundamental", "Ancillary",
#'     "Less Important"; \code{NA} when the respondent did not rate the
#'     competency.}
#' }
#'
#' @details
#' Construction (deterministic, see \file{data-raw/atmp.R} in the package
#' sources): for the j-th competency the respondents are taken in the
#' order R01 to R25 rotated by \code{(7 * j) \%\% 25} places; the first
#' respondents in that order receive Fundamental (as many as the published
#' count), the next ones Ancillary, then Less Important, and the remaining
#' \code{25 - n} are \code{NA}. The rotation spreads the Less Important and
#' missing ratings over many respondents. In every published row the
#' three counts sum to the denominator, so no adjustment was needed.
#'
#' Tallying \code{rating} by \code{item} (ignoring \code{NA}) gives every
#' count in \code{atmp_published}, and the number of non-missing ratings
#' per item equals its published denominator (23 or 24 for four
#' competencies, 25 for the rest). Printed percentages that disagree with
#' the counts (see \code{\link{atmp_published}}) are of course not
#' reproduced.
#'
#' @source Reconstructed from Table 2 of Guillen E, Hidalgo-Simon A.
#'   Defining core competencies for advanced therapy medicinal products
#'   translation.
#'
#' @seealso \code{\link{atmp_published}}, \code{\link{atmp_participants}}.
#'
#' @examples
#' head(atmp_ratings)
#' # tally back to the published counts
#' tab <- table(atmp_ratings$item, atmp_ratings$rating)
#' head(tab)
#' # number of experts who rated each competency
#' head(tapply(!is.na(atmp_ratings$rating), atmp_ratings$item, sum))
"atmp_ratings"

#' ATMP translation competencies: participants' work setting (Table 1)
#'
#' The work setting of the 25 experts of the survey, one row per
#' respondent id.
#'
#' @format A data frame with 25 rows and 3 columns:
#' \describe{
#'   \item{respondent}{Character. Respondent id, "R01" to "R25", matching
#'     \code{atmp_ratings$respondent}.}
#'   \item{setting}{Factor. Setting of work, levels in table order:
#'     "Academia/Hospital" (9 experts), "Industry" (6), "Patient
#'     Organization" (4), "Other" (3), "Not specified" (3).}
#'   \item{setting_detail}{Character. For the three "Other" respondents the
#'     sub-setting listed under Other in the table: "CDMO/Biotech",
#'     "Non-profit blood bank", "Regulatory Agency". \code{NA} for everyone
#'     else.}
#' }
#'
#' @details
#' The printed shares are 36%, 24%, 16%, 12% and 12% of 25.
#'
#' The survey was anonymous and the paper gives only the counts per
#' setting, not which expert gave which ratings. The settings are assigned
#' to respondent ids arbitrarily (in blocks, in table order). Joining this
#' table to \code{\link{atmp_ratings}} is therefore useful to demonstrate
#' grouped analyses, but differences between settings found that way say
#' nothing about the real panel.
#'
#' @source Guillen E, Hidalgo-Simon A. Defining core competencies for
#'   advanced therapy medicinal products translation. Table 1.
#'
#' @seealso \code{\link{atmp_ratings}}.
#'
#' @examples
#' table(atmp_participants$setting)
#' atmp_participants[!is.na(atmp_participants$setting_detail), ]
"atmp_participants"

#' ATMP translation: soft skills named by the experts (Table 3)
#'
#' The open-text answers on soft skills, as grouped by the authors, one row
#' per published answer.
#'
#' @format A data frame with 40 rows and 3 columns:
#' \describe{
#'   \item{group}{Factor. Top-level grouping, levels in table order:
#'     "Communication & Collaboration", "Thinking Skills & Insight",
#'     "Adaptability & Growth".}
#'   \item{category}{Factor. Category within the group, levels in table
#'     order: "Communication", "Collaboration & Teamwork", "Patient-centric
#'     Collaboration" (first group); "Critical Thinking",
#'     "Creative/Strategic Thinking", "Problem Solving", "Scientific &
#'     Systems Insight" (second group); "Flexibility, self-awareness, and
#'     continuous improvement" (third group; printed with a final period,
#'     dropped here).}
#'   \item{answer}{Character. One answer, worded as published.}
#' }
#'
#' @details
#' In the available text of the table the answers of a category run
#' together on one line; they were separated where one answer ends and the
#' next, capitalised, answer begins. The category sizes are 6, 7, 2, 4, 5,
#' 4, 2 and 10 answers.
#'
#' The table lists distinct answers; it does not say how many experts gave
#' each one (one entry reads "Critical thinking (repeated frequently)").
#' The only counts published are the theme-level mention counts in
#' \code{\link{atmp_soft_skill_mentions}}, and they do not equal the
#' number of rows per category here.
#'
#' @source Guillen E, Hidalgo-Simon A. Defining core competencies for
#'   advanced therapy medicinal products translation. Table 3.
#'
#' @seealso \code{\link{atmp_soft_skill_mentions}}.
#'
#' @examples
#' table(atmp_soft_skills$category)
#' atmp_soft_skills[atmp_soft_skills$group == "Thinking Skills & Insight", ]
"atmp_soft_skills"

#' ATMP translation: soft-skill themes and their mention counts
#'
#' How often the most frequent soft-skill themes were mentioned, as stated
#' in the Results and Discussion of the paper.
#'
#' @format A data frame with 6 rows and 3 columns:
#' \describe{
#'   \item{theme}{Character. Theme as named in the text: "Communication",
#'     "Critical thinking", "Collaboration/teamwork",
#'     "Adaptability/learning agility", "Strategic thinking",
#'     "Problem-solving".}
#'   \item{mentions}{Integer. Reported number of mentions (11, 6, 6, 4, 4,
#'     4).}
#'   \item{category}{Character. The \code{atmp_soft_skills$category} the
#'     theme falls under (for example "Creative/Strategic Thinking" for
#'     strategic thinking).}
#' }
#'
#' @details
#' Only these theme totals were published. How many experts gave each
#' individual answer in \code{\link{atmp_soft_skills}} is not known, and
#' themes not listed here have no published count.
#'
#' @source Guillen E, Hidalgo-Simon A. Defining core competencies for
#'   advanced therapy medicinal products translation. Results and
#'   Discussion sections.
#'
#' @seealso \code{\link{atmp_soft_skills}}.
#'
#' @examples
#' atmp_soft_skill_mentions
#' merge(atmp_soft_skill_mentions,
#'       as.data.frame(table(category = atmp_soft_skills$category)),
#'       by = "category")
"atmp_soft_skill_mentions"

#' ATMP translation: summary figures reported in the paper's text
#'
#' The headline numbers that the paper states in words, stored as data so
#' that results recomputed from \code{\link{atmp_published}} or
#' \code{\link{atmp_ratings}} can be compared with what was reported,
#' without retyping them.
#'
#' @format A data frame with 11 rows and 3 columns:
#' \describe{
#'   \item{claim}{Character. Short identifier of the reported figure:
#'     \describe{
#'       \item{\code{n_experts}}{number of participating experts;}
#'       \item{\code{n_competencies_planned}}{number of competencies in
#'         the survey;}
#'       \item{\code{n_areas}}{number of thematic areas;}
#'       \item{\code{area_sizes_planned}}{competencies per area, in area
#'         order;}
#'       \item{\code{consensus_threshold}}{minimum share of Fundamental
#'         ratings for consensus;}
#'       \item{\code{n_consensus_75}}{number of competencies reaching
#'         it;}
#'       \item{\code{pct_consensus_75}}{the same as a percentage of the
#'         planned competencies;}
#'       \item{\code{leave_at_80}}{competencies lost with an 80%
#'         threshold;}
#'       \item{\code{enter_at_70}}{competencies gained with a 70%
#'         threshold;}
#'       \item{\code{n_never_less_important}}{competencies that no expert
#'         rated Less Important;}
#'       \item{\code{max_less_important}}{largest number of Less Important
#'         ratings any competency received.}
#'     }}
#'   \item{value}{Character. The value as reported: a number ("25"), a
#'     percentage ("45%"), or several values or competency names separated
#'     by "; ".}
#'   \item{source}{Character. Section of the paper stating it: "Methods"
#'     or "Results".}
#' }
#'
#' @details
#' Values are stored exactly as stated and are not checked against the
#' tables. Some refer to all 35 planned competencies while Table 2 prints
#' 33 (see \code{\link{atmp_published}}), and \code{n_never_less_important}
#' ("21") does not match the 16 competencies with no Less Important rating
#' in the printed table.
#'
#' @source Guillen E, Hidalgo-Simon A. Defining core competencies for
#'   advanced therapy medicinal products translation. Methods and Results
#'   sections.
#'
#' @seealso \code{\link{atmp_published}}.
#'
#' @examples
#' atmp_reported
#' strsplit(atmp_reported$value[atmp_reported$claim == "enter_at_70"], "; ")
"atmp_reported"
