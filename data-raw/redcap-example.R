# data-raw/redcap-example.R
#
# Builds the example REDCap project shipped in inst/extdata/: a two-round
# Delphi on the instrument of the reference study (Guillen and
# Hidalgo-Simon, competencies for ATMP translation), as a longitudinal
# REDCap project with one event per round.
#
#   inst/extdata/atmp_delphi_dictionary.csv      data dictionary (18 columns)
#   inst/extdata/atmp_delphi_records.csv         records, raw codes
#   inst/extdata/atmp_delphi_records_labels.csv  the same records, labels
#
# Run from the package root:  Rscript data-raw/redcap-example.R
#
# The data are synthetic:
# * round 1 (event round_1_arm_1): 26 records; records 1-25 rate the 33
#   competencies exactly as consensr::atmp_ratings (R01-R25), so round-1
#   consensus reproduces the published table; record 26 filled in the
#   profile only (no rating). 32 experts were invited.
# * round 2 (event round_2_arm_1): the 25 round-1 raters were invited, 20
#   answered; only the 17 competencies without consensus in round 1
#   (>= 75% Fundamental) are asked again (branching logic on the event),
#   with some ratings moving towards the round-1 majority.
# * setting of work as in consensr::atmp_participants, soft skills drawn
#   from consensr::atmp_soft_skills; expertise, experience, e-mail
#   addresses (an identifier field) and timestamps are invented.
#
# Deterministic (set.seed). The CSV files are written as REDCap writes
# them: UTF-8 with a byte-order mark, values quoted only when needed.
# This file must stay ASCII.

stopifnot(file.exists("DESCRIPTION"), dir.exists("data"))
dir.create(file.path("inst", "extdata"), recursive = TRUE, showWarnings = FALSE)
for (f in c("atmp_published", "atmp_ratings", "atmp_participants",
            "atmp_soft_skills")) {
  load(file.path("data", paste0(f, ".rda")))
}
set.seed(20240315)

scale <- c("Fundamental", "Ancillary", "Less Important")
scale_choices <- "1, Fundamental | 2, Ancillary | 3, Less Important"
events <- c("round_1_arm_1", "round_2_arm_1")
event_labels <- c("Round 1 (Arm 1: Arm 1)", "Round 2 (Arm 1: Arm 1)")

# ---------------------------------------------------------------------------
# The instrument

items <- unique(atmp_published[c("area", "item")])
rownames(items) <- NULL
stopifnot(nrow(items) == 33L)
items$area <- as.character(items$area)
items$field <- sprintf("comp_%02d", seq_len(nrow(items)))
items$label <- items$item
items$label[items$item == "in vitro Models for Toxicology and Mechanism Studies"] <-
  "<i>in vitro</i> Models for Toxicology and Mechanism Studies"
# two areas are shown as REDCap matrices
matrix_names <- c(
  "Manufacturing/Chemistry, Manufacturing and Controls (CMC)" = "cmc",
  "Regulatory Process and Compliance" = "regulatory"
)
items$matrix <- unname(matrix_names[items$area])
items$matrix[is.na(items$matrix)] <- ""

# round 1 consensus (>= 75% Fundamental of those who rated)
r1 <- atmp_ratings
r1$code <- as.integer(r1$rating)
fund <- tapply(r1$code == 1L, r1$item, sum, na.rm = TRUE)
rated <- tapply(!is.na(r1$code), r1$item, sum)
reached_r1 <- names(fund)[fund * 4 >= 3 * rated]
items$reached_r1 <- items$item %in% reached_r1
stopifnot(sum(items$reached_r1) == 16L)

settings <- c("Academia/Hospital", "Industry", "Patient Organization",
              "Other", "Not specified")
expertise <- c("Cell therapy", "Gene therapy", "Tissue engineering",
               "Manufacturing/CMC", "Regulatory affairs", "Clinical research",
               "Health economics, market access")
experience <- c("Less than 5 years", "5 to 10 years", "More than 10 years")

dict_row <- function(field, form, type, label, section = "", choices = "",
                     note = "", validation = "", identifier = "",
                     branching = "", required = "", matrix = "",
                     annotation = "") {
  data.frame(
    "Variable / Field Name" = field, "Form Name" = form,
    "Section Header" = section, "Field Type" = type, "Field Label" = label,
    "Choices, Calculations, OR Slider Labels" = choices, "Field Note" = note,
    "Text Validation Type OR Show Slider Number" = validation,
    "Text Validation Min" = "", "Text Validation Max" = "",
    "Identifier?" = identifier,
    "Branching Logic (Show field only if...)" = branching,
    "Required Field?" = required, "Custom Alignment" = "",
    "Question Number (surveys only)" = "", "Matrix Group Name" = matrix,
    "Matrix Ranking?" = "", "Field Annotation" = annotation,
    check.names = FALSE, stringsAsFactors = FALSE
  )
}

first_of_area <- !duplicated(items$area)
comp_rows <- dict_row(
  field = items$field, form = "competencies", type = "radio",
  label = items$label,
  section = ifelse(first_of_area, items$area, ""),
  choices = scale_choices,
  branching = ifelse(items$reached_r1, "[event-name] = 'round_1_arm_1'", ""),
  matrix = items$matrix
)
calc <- paste0("sum(", paste0("if([", items$field, "] = '1', 1, 0)", collapse = ", "), ")")

dictionary <- rbind(
  dict_row("record_id", "participant", "text", "Record ID"),
  dict_row("setting", "participant", "radio",
           "What is your main setting of work?", section = "About you",
           choices = paste0(seq_along(settings), ", ", settings, collapse = " | "),
           required = "y"),
  dict_row("setting_other", "participant", "text",
           "Other setting, please specify", branching = "[setting] = '4'"),
  dict_row("experience", "participant", "dropdown",
           "Years of experience with ATMPs",
           choices = paste0(seq_along(experience), ", ", experience, collapse = " | ")),
  dict_row("expertise", "participant", "checkbox",
           "Areas of expertise (tick all that apply)",
           choices = paste0(seq_along(expertise), ", ", expertise, collapse = " | ")),
  dict_row("contact_email", "participant", "text",
           "E-mail address, for the invitation to the next round",
           validation = "email", identifier = "y"),
  dict_row("intro", "competencies", "descriptive",
           "<p>Please rate each competency as <b>Fundamental</b>, <b>Ancillary</b> or <b>Less Important</b> for the translation of ATMPs.</p>"),
  dict_row("round2_feedback", "competencies", "descriptive",
           "Round 2: the competencies below did not reach consensus (at least 75% Fundamental) in round 1. Please rate them again in the light of the group's results.",
           branching = "[event-name] = 'round_2_arm_1'"),
  comp_rows,
  dict_row("n_fundamental", "competencies", "calc",
           "Number of competencies rated Fundamental", choices = calc,
           annotation = "@HIDDEN-SURVEY"),
  dict_row("other_competencies", "competencies", "notes",
           "Are competencies missing from the list? Please describe them.",
           section = "Comments", branching = "[event-name] = 'round_1_arm_1'"),
  dict_row("soft_skills", "competencies", "notes",
           "Which soft skills are essential for ATMP translation?",
           branching = "[event-name] = 'round_1_arm_1'"),
  dict_row("round2_comments", "competencies", "notes",
           "Comments on your round-2 ratings (optional)",
           branching = "[event-name] = 'round_2_arm_1'")
)

# ---------------------------------------------------------------------------
# Round 1

n1 <- 26L                    # records; 26 has no rating
ratings1 <- matrix(NA_integer_, n1, nrow(items), dimnames = list(NULL, items$field))
resp_num <- as.integer(sub("^R", "", r1$respondent))
ratings1[cbind(resp_num, match(r1$item, items$item))] <- r1$code
stopifnot(sum(!is.na(ratings1)) == sum(!is.na(atmp_ratings$rating)))

part <- atmp_participants
setting1 <- c(match(as.character(part$setting), settings), 5L)
setting_other1 <- c(part$setting_detail, NA)
experience1 <- sample(seq_along(experience), n1, replace = TRUE, prob = c(2, 4, 5))
expertise1 <- t(vapply(seq_len(n1), function(i) {
  k <- sample(1:3, 1L, prob = c(3, 4, 2))
  seq_along(expertise) %in% sample(seq_along(expertise), k)
}, logical(length(expertise))))
email1 <- sprintf("expert%02d@example.org", seq_len(n1))

# soft skills: the 40 published answers spread over 22 respondents, 1 to 3
# answers each, one per line
answers <- sample(atmp_soft_skills$answer)
who <- sort(sample(seq_len(25), 22))
sizes <- sample(c(rep(3L, 4), rep(2L, 10), rep(1L, 8)))
stopifnot(sum(sizes) == 40L)
split_at <- rep(seq_along(sizes), sizes)
soft1 <- rep(NA_character_, n1)
soft1[who] <- vapply(split(answers, split_at), paste, character(1), collapse = "\n")
other1 <- rep(NA_character_, n1)
other1[c(4, 17)] <- c(
  "None, the list looks complete.",
  "Perhaps \"bioinformatics\", although it overlaps with Modeling & In Silico Methods."
)

# ---------------------------------------------------------------------------
# Round 2: the 25 round-1 raters invited, 20 answer; the 17 items without
# consensus are rated again

carried <- which(!items$reached_r1)
dropouts <- sort(sample(25, 5))
resp2 <- setdiff(seq_len(25), dropouts)
ratings2 <- matrix(NA_integer_, length(resp2), nrow(items),
                   dimnames = list(NULL, items$field))
for (j in carried) {
  prev <- ratings1[resp2, j]
  mode_j <- which.max(tabulate(ratings1[1:25, j], 3L))
  dist_j <- tabulate(ratings1[1:25, j], 3L)
  new <- prev
  for (i in seq_along(prev)) {
    if (is.na(prev[i])) {
      if (runif(1) < 0.5) new[i] <- sample(3L, 1L, prob = dist_j + 0.5)
      next
    }
    u <- runif(1)
    if (prev[i] != mode_j && u < 0.3) {
      new[i] <- prev[i] + sign(mode_j - prev[i])      # towards the majority
    } else if (u > 0.95) {
      new[i] <- if (prev[i] == 1L) 2L else prev[i] - 1L # a change of mind
    }
  }
  ratings2[, j] <- new
}
# two respondents skip an item
skip <- cbind(sample(length(resp2), 2), sample(carried, 2))
ratings2[skip] <- NA_integer_
comments2 <- rep(NA_character_, length(resp2))
comments2[sample(length(resp2), 3)] <- c(
  "I moved closer to the group on the clinical items.",
  "Keeping my ratings: context matters,\nespecially for platform technologies.",
  "Hard to rate \"emerging technologies\" without a definition."
)

# ---------------------------------------------------------------------------
# Records, raw codes (REDCap export order)

stamp <- function(day, n) {
  sprintf("2024-%s %02d:%02d:%02d", day, sample(8:19, n, TRUE),
          sample(0:59, n, TRUE), sample(0:59, n, TRUE))
}
days1 <- sprintf("03-%02d", sample(4:22, n1, TRUE))
days2 <- sprintf("04-%02d", sample(8:26, length(resp2), TRUE))

chr <- function(x) ifelse(is.na(x), NA_character_, as.character(x))

round1 <- data.frame(record_id = as.character(seq_len(n1)),
                     redcap_event_name = events[1], stringsAsFactors = FALSE)
round1$redcap_survey_identifier <- NA_character_
round1$participant_timestamp <- stamp(days1, n1)
round1$setting <- chr(setting1)
round1$setting_other <- setting_other1
round1$experience <- chr(experience1)
for (k in seq_along(expertise)) {
  round1[[paste0("expertise___", k)]] <- ifelse(expertise1[, k], "1", "0")
}
round1$contact_email <- email1
round1$participant_complete <- "2"
round1$competencies_timestamp <- ifelse(seq_len(n1) <= 25, stamp(days1, n1), NA)
for (j in seq_len(nrow(items))) round1[[items$field[j]]] <- chr(ratings1[, j])
round1$n_fundamental <- ifelse(seq_len(n1) <= 25,
                               as.character(rowSums(ratings1 == 1L, na.rm = TRUE)), NA)
round1$other_competencies <- other1
round1$soft_skills <- soft1
round1$round2_comments <- NA_character_
round1$competencies_complete <- ifelse(seq_len(n1) <= 25, "2", "0")

round2 <- round1[rep(1L, length(resp2)), ]
round2[] <- NA_character_
round2$record_id <- as.character(resp2)
round2$redcap_event_name <- events[2]
round2$competencies_timestamp <- stamp(days2, length(resp2))
for (j in seq_len(nrow(items))) round2[[items$field[j]]] <- chr(ratings2[, j])
round2$n_fundamental <- as.character(rowSums(ratings2 == 1L, na.rm = TRUE))
round2$round2_comments <- comments2
round2$competencies_complete <- "2"

records <- rbind(round1, round2)
# REDCap sorts by record, then event
records <- records[order(as.integer(records$record_id),
                         match(records$redcap_event_name, events)), ]
rownames(records) <- NULL

# ---------------------------------------------------------------------------
# The same records as a labels export: labels in the header and the values

labels <- records
labels$redcap_event_name <- event_labels[match(records$redcap_event_name, events)]
decode <- function(v, lab) ifelse(is.na(v), NA_character_, lab[as.integer(v)])
labels$setting <- decode(records$setting, settings)
labels$experience <- decode(records$experience, experience)
for (k in seq_along(expertise)) {
  col <- paste0("expertise___", k)
  labels[[col]] <- ifelse(is.na(records[[col]]), NA,
                          ifelse(records[[col]] == "1", "Checked", "Unchecked"))
}
for (f in items$field) labels[[f]] <- decode(records[[f]], scale)
complete <- c("0" = "Incomplete", "1" = "Unverified", "2" = "Complete")
for (f in c("participant_complete", "competencies_complete")) {
  labels[[f]] <- ifelse(is.na(records[[f]]), NA, complete[records[[f]]])
}
strip <- function(x) trimws(gsub("[[:space:]]+", " ", gsub("<[^>]*>", " ", x)))
lab_of <- function(f) strip(dictionary$`Field Label`[match(f, dictionary$`Variable / Field Name`)])
header <- vapply(names(records), function(col) {
  if (col == "redcap_event_name") return("Event Name")
  if (col == "redcap_survey_identifier") return("Survey Identifier")
  if (grepl("_timestamp$", col)) return("Survey Timestamp")
  if (grepl("_complete$", col)) return("Complete?")
  if (grepl("___", col)) {
    k <- as.integer(sub(".*___", "", col))
    return(paste0(lab_of(sub("___.*", "", col)), " (choice=", expertise[k], ")"))
  }
  lab_of(col)
}, character(1))
names(labels) <- header

# ---------------------------------------------------------------------------
# Writing CSV as REDCap does

csv_cell <- function(x) {
  x <- ifelse(is.na(x), "", x)
  needs <- grepl("[\",\r\n]", x) | grepl("^\\s|\\s$", x)
  x[needs] <- paste0("\"", gsub("\"", "\"\"", x[needs], fixed = TRUE), "\"")
  x
}
write_redcap_csv <- function(df, path) {
  lines <- c(paste(csv_cell(names(df)), collapse = ","),
             do.call(paste, c(lapply(df, csv_cell), sep = ",")))
  txt <- paste0("\ufeff", paste(lines, collapse = "\n"), "\n")
  con <- file(path, "wb")
  on.exit(close(con))
  writeBin(charToRaw(enc2utf8(txt)), con)
}

write_redcap_csv(dictionary, file.path("inst", "extdata", "atmp_delphi_dictionary.csv"))
write_redcap_csv(records, file.path("inst", "extdata", "atmp_delphi_records.csv"))
write_redcap_csv(labels, file.path("inst", "extdata", "atmp_delphi_records_labels.csv"))

# what the example holds
r2_fund <- colSums(ratings2[, carried] == 1L, na.rm = TRUE)
r2_n <- colSums(!is.na(ratings2[, carried]))
message(sprintf("round 2: %d respondents, %d items; %d newly reach consensus: %s",
                length(resp2), length(carried), sum(r2_fund * 4 >= 3 * r2_n),
                paste(items$item[carried][r2_fund * 4 >= 3 * r2_n], collapse = "; ")))
