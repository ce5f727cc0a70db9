# The ACCORD reporting checklist for consensus methods (Gattrell et al.
# 2024): the 35 items with a short topic in the package's own words, and
# which of them an analysis with consensr fills.

# Items: number, section and a short topic (paraphrased; see the published
# checklist for the full wording). The sections hold 1, 3, 21, 5, 2 and 3
# items, as published.
accord_items <- function() {
  x <- rbind(
    c("Title", "Title names the study as a consensus exercise and its method"),
    c("Introduction", "Background: the question and why evidence alone cannot settle it"),
    c("Introduction", "Why a consensus method was chosen"),
    c("Introduction", "Aim and objectives of the exercise"),
    c("Methods", "Registration of the study or its protocol"),
    c("Methods", "Who ran the exercise: steering group, how it was chosen"),
    c("Methods", "Role of the steering group and of any facilitator or chair"),
    c("Methods", "Who was eligible to take part, and why"),
    c("Methods", "How panellists were identified, invited and recruited"),
    c("Methods", "Panel size and its composition by stakeholder group"),
    c("Methods", "Preparatory work: literature or evidence review behind the items"),
    c("Methods", "How the items or statements were generated and worded"),
    c("Methods", "Piloting of the questionnaire or materials"),
    c("Methods", "The consensus method and any modification of it"),
    c("Methods", "Number of rounds or meetings, their timing and how each ran"),
    c("Methods", "Rating scale and the options panellists had (incl. unable to rate)"),
    c("Methods", "Definition of consensus, fixed in advance"),
    c("Methods", "What happened to items with and without consensus between rounds"),
    c("Methods", "Feedback given to panellists between rounds"),
    c("Methods", "Anonymity of panellists and of their answers"),
    c("Methods", "Analysis of ratings and of open answers, incl. missing data"),
    c("Methods", "Criteria for stopping the exercise"),
    c("Methods", "Changes to the planned methods"),
    c("Methods", "Ethics approval and consent"),
    c("Methods", "Involvement of patients or the public"),
    c("Results", "Panellists per round: invited, responding, dropping out (flow)"),
    c("Results", "Characteristics of the panellists"),
    c("Results", "Results of each round, with denominators"),
    c("Results", "Final outcome: the items agreed, and those that were not"),
    c("Results", "Any deviation from the methods, and items added or dropped"),
    c("Discussion", "Summary and interpretation of the findings"),
    c("Discussion", "Strengths and limitations of the exercise"),
    c("Other information", "Funding and role of the funder"),
    c("Other information", "Conflicts of interest and how they were managed"),
    c("Other information", "Availability of protocol, materials and data")
  )
  data.frame(number = seq_len(nrow(x)), section = x[, 1L], topic = x[, 2L],
             stringsAsFactors = FALSE)
}

# What the analysis can fill: item number -> list(need = kinds of result,
# where = section of the report / function, write = what authors add).
accord_fills <- list(
  "10" = list(need = "groups", where = "Participants: panel composition by group",
              write = "How the group sizes were chosen."),
  "15" = list(need = "rounds", where = "Methods paragraph (rounds) and Rounds section",
              write = "Dates of each round and how it was run (online, meeting)."),
  "16" = list(need = "scale", where = "Methods paragraph (scale)",
              write = "The wording of the rating question."),
  "17" = list(need = "rule", where = "Methods paragraph (rule) and The rule, fixed in advance",
              write = "Where and when the rule was fixed (protocol, registration)."),
  "18" = list(need = "carry", where = "Methods paragraph (rounds)",
              write = "Whether panellists could propose new items."),
  "19" = list(need = "feedback", where = "feedback_data() / render_feedback()",
              write = "When and how feedback was sent."),
  "21" = list(need = "denominator", where = "Methods paragraph (denominators, sensitivity, robustness, stability)",
              write = "How open answers were analysed, and by whom."),
  "26" = list(need = "attrition", where = "Rounds: invited, responded, attrition and flow diagram",
              write = "Reasons for dropping out, where known."),
  "27" = list(need = "participants", where = "Participants table",
              write = "Characteristics not collected in the data."),
  "28" = list(need = "result", where = "Results per round (tables and figures)",
              write = "Comments on items close to the threshold."),
  "29" = list(need = "final", where = "Final list",
              write = "The final wording of the agreed items.")
)

#' The ACCORD checklist: what the analysis filled and what is left to write
#'
#' The 35 items of the ACCORD reporting guideline for consensus methods
#' (Gattrell et al. 2024), each with its section and a short topic written
#' for this package (the published checklist has the full wording), and
#' whether the analysis given fills it, where in the report, and what the
#' authors must still write.
#'
#' @section What the analysis can fill:
#' From a [consensus()] or [delphi_summary()] result (through
#' [report_methods()]): the rating scale (item 16), the consensus definition
#' (17), the rounds (15) and what happened to items between rounds (18,
#' [delphi_summary()] only), the analysis and the denominators (21), the
#' panel composition by stakeholder group (10, with `by`), the results of
#' each round (28) and the final list (29, [delphi_summary()]). From an
#' [attrition()] result in `...`: the panellists per round (26). From
#' `participants` (a [table_participants()] table): their characteristics
#' (27). From `feedback` (a [feedback_data()] result): the feedback between
#' rounds (19). Everything else (registration, ethics, recruitment,
#' funding, interpretation, ...) is for the authors to write.
#'
#' @param x A [consensus()] or [delphi_summary()] result, or a
#'   [report_methods()] result; `NULL` for the bare checklist.
#' @param ... Further results passed to [report_methods()] (sensitivity,
#'   robustness, stability, agreement, attrition).
#' @param participants Optional [table_participants()] table of the panel.
#' @param feedback Optional [feedback_data()] result.
#' @return A data frame of class `consensr_accord`, one row per item:
#'   `number` (1-35), `section`, `topic`, `filled` (logical), `where` (the
#'   part of the report or the function that fills it) and `to_write` (what
#'   the authors must still add). It prints as a table and has the table
#'   output methods of the package ([save_table()], `as_flextable()`,
#'   `knit_print()`) through [as_accord_table()].
#' @references Gattrell WT, Logullo P, van Zuuren EJ, et al. (2024). ACCORD
#'   (ACcurate COnsensus Reporting Document): a reporting guideline for
#'   consensus methods in biomedicine developed via a modified Delphi. *PLoS
#'   Medicine*, 21(1), e1004326. \doi{10.1371/journal.pmed.1004326}
#'
#'   Logullo P, van Zuuren EJ, Winchester CC, et al. (2024). ACcurate
#'   COnsensus Reporting Document (ACCORD) explanation and elaboration:
#'   guidance and examples to support reporting consensus methods. *PLoS
#'   Medicine*, 21(5), e1004390. \doi{10.1371/journal.pmed.1004390}
#' @seealso [report_methods()], the report template
#'   (`rmarkdown::draft("my-study.Rmd", template = "consensus-report",
#'   package = "consensr")`)
#' @examples
#' accord_checklist()[1:5, c("number", "section", "topic")]
#'
#' imp <- read_redcap(
#'   system.file("extdata", "atmp_delphi_records.csv", package = "consensr"),
#'   system.file("extdata", "atmp_delphi_dictionary.csv", package = "consensr")
#' )
#' s <- delphi_summary(imp$ratings, "Fundamental", threshold = 0.75, round = "round")
#' chk <- accord_checklist(s, attrition(imp$ratings, round = "round"))
#' chk[chk$filled, c("number", "topic", "where")]
#' @export
accord_checklist <- function(x = NULL, ..., participants = NULL, feedback = NULL) {
  call <- rlang::current_env()
  have <- character()
  if (!is.null(x)) {
    m <- if (inherits(x, "consensr_methods")) x else report_methods(x, ...)
    have <- names(m)
    if (inherits(x, "consensr_delphi_summary") || identical(attr(m, "source"), "delphi_summary")) {
      have <- c(have, "carry", "final")
    }
  }
  if (!is.null(participants)) {
    if (!inherits(participants, "consensr_table")) {
      abort("{.arg participants} must be a {.fn table_participants} table, not {.obj_type_friendly {participants}}.",
            call = call, class = "consensr_error_accord")
    }
    have <- c(have, "participants")
  }
  if (!is.null(feedback)) {
    if (!inherits(feedback, "consensr_feedback")) {
      abort("{.arg feedback} must be a {.fn feedback_data} result, not {.obj_type_friendly {feedback}}.",
            call = call, class = "consensr_error_accord")
    }
    have <- c(have, "feedback")
  }
  out <- accord_items()
  out$filled <- FALSE
  out$where <- ""
  out$to_write <- "All of it."
  for (k in names(accord_fills)) {
    f <- accord_fills[[k]]
    i <- as.integer(k)
    if (f$need %in% have) {
      out$filled[i] <- TRUE
      out$where[i] <- f$where
      out$to_write[i] <- f$write
    }
  }
  structure(out, class = c("consensr_accord", "data.frame"))
}

#' @export
print.consensr_accord <- function(x, ...) {
  if (!all(c("number", "section", "topic", "filled") %in% names(x))) {
    print(unclass_df(x), ...)
    return(invisible(x))
  }
  cat(sprintf("<consensr_accord> ACCORD checklist: %d of %d items filled by the analysis\n",
              sum(x$filled), nrow(x)))
  y <- unclass_df(x)
  y$filled <- ifelse(y$filled, "yes", "")
  print(y[c("number", "section", "topic", "filled")], row.names = FALSE, right = FALSE, ...)
  invisible(x)
}

#' The ACCORD checklist as a table for the report
#'
#' @param x An [accord_checklist()] result.
#' @return A `consensr_table` (see [save_table()]) with the columns `Item`,
#'   `Section`, `Topic`, `Filled by the analysis` and `Still to write`.
#' @examples
#' as_accord_table(accord_checklist())[1:3, ]
#' @export
as_accord_table <- function(x) {
  if (!inherits(x, "consensr_accord")) {
    abort("{.arg x} must be an {.fn accord_checklist} result, not {.obj_type_friendly {x}}.",
          class = "consensr_error_accord")
  }
  out <- data.frame(Item = x$number, Section = x$section, Topic = x$topic,
                    `Filled by the analysis` = ifelse(x$filled, x$where, ""),
                    `Still to write` = x$to_write, check.names = FALSE,
                    stringsAsFactors = FALSE)
  new_consensr_table(out, paste0("ACCORD checklist (Gattrell et al. 2024, PLoS Med 21:e1004326); ",
                                 "topics abridged: see the published checklist for each item's wording. ",
                                 sum(x$filled), " of ", nrow(x), " items filled by the analysis."))
}
