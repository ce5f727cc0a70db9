#' A methods paragraph written from the analysis
#'
#' Writes the statistical methods of a consensus study as Markdown text,
#' sentence by sentence from the result objects: nothing is typed in, so the
#' text cannot drift from what was computed. Give the main result (a
#' [consensus()] or [delphi_summary()] result) and, in `...`, any of the
#' other analyses that were run ([threshold_sensitivity()],
#' [consensus_robustness()], [round_stability()], [agreement()],
#' [attrition()]); each adds its sentence.
#'
#' @section Where each sentence comes from:
#' * `scale`: the levels of the scale the ratings were read with
#'   (`attr(x, "rule")$levels`, from the `levels` argument or the data).
#' * `rule`: the rule's `target`, `threshold`, `strict`, `opposite`,
#'   `opposite_threshold` and `by` (`attr(x, "rule")`), with the exact
#'   boundary ("at least 70%" for `>=`, "more than 70%" for `strict = TRUE`,
#'   "fewer than 15%" for the cap, which is always strict).
#' * `denominator`: who is in the denominators: the raters of each item;
#'   declared non-answers (`missing_levels` of [as_ratings()], kept in
#'   `attr(x, "ratings")`) are left out and counted; the range of `n`.
#' * `groups`: the `by` column and its groups (`attr(x, "groups")`).
#' * `rounds`: the `round` column and its values; for [delphi_summary()]
#'   results the `carry` design.
#' * `result`: how many items reached consensus (in/out), per round.
#' * `sensitivity`: the `thresholds` and `reference` of a
#'   [threshold_sensitivity()] result, and the items entering or leaving.
#' * `robustness`: the `method`, `B`, `conf_level` of a
#'   [consensus_robustness()] result, and the `seed` given here.
#' * `stability`: the `test` and `conf_level` of a [round_stability()]
#'   result, with the sources of each statistic.
#' * `agreement`: the methods, `metric` and `B` of an [agreement()] result,
#'   with their sources.
#' * `attrition`: invited, responded and retained per round of an
#'   [attrition()] result.
#' * `software`: the versions of consensr and R.
#'
#' @param x A [consensus()] result (single round or with `round`) or a
#'   [delphi_summary()] result.
#' @param ... Further results: [threshold_sensitivity()],
#'   [consensus_robustness()], [round_stability()], [agreement()],
#'   [attrition()] (at most one of each).
#' @param seed The seed given to [set.seed()] before the bootstrap, stated
#'   with the resampling (a bootstrap result does not record it). `NULL`
#'   says that it was not given.
#' @param group_label What a group of `by` is called in the text (default
#'   `"stakeholder group"`).
#' @param item_label What an item is called (default `"item"`).
#' @return A character vector of class `consensr_methods`, one Markdown
#'   sentence per element, named by its topic (see the section); the
#'   attribute `"source"` says whether `x` was a [consensus()] or a
#'   [delphi_summary()] result. `format()`
#'   and `as.character()` give the paragraph; printing shows it; in R
#'   Markdown it is written as text.
#' @seealso [accord_checklist()], the report template
#'   (`rmarkdown::draft("my-study.Rmd", template = "consensus-report",
#'   package = "consensr")`).
#' @examples
#' res <- consensus(atmp_published, "Fundamental", threshold = 0.75)
#' sens <- threshold_sensitivity(atmp_published, "Fundamental", 0.75,
#'                               thresholds = c(0.7, 0.75, 0.8))
#' report_methods(res, sens)
#'
#' # a two-sided rule on a 1-9 scale, within stakeholder groups
#' set.seed(1)
#' panel <- data.frame(
#'   respondent = rep(1:20, each = 3),
#'   group = rep(c("patients", "clinicians"), each = 30),
#'   item = rep(c("Pain", "Function", "Cost"), 20),
#'   rating = sample(1:9, 60, replace = TRUE, prob = c(1, 1, 1, 1, 1, 2, 3, 4, 4))
#' )
#' cos <- consensus(panel, 7:9, threshold = 0.7, opposite = 1:3,
#'                  opposite_threshold = 0.15, by = "group", levels = 1:9)
#' report_methods(cos)[["rule"]]
#' @export
report_methods <- function(x, ..., seed = NULL, group_label = "stakeholder group",
                           item_label = "item") {
  call <- rlang::current_env()
  check_text(group_label, "group_label", call = call)
  check_text(item_label, "item_label", call = call)
  if (!is.null(seed) && !(is.numeric(seed) && length(seed) == 1L && !is.na(seed))) {
    abort("{.arg seed} must be the single number given to {.fn set.seed}, or {.code NULL}.",
          call = call, class = "consensr_error_seed")
  }
  if (!inherits(x, c("consensr_consensus", "consensr_delphi_summary")) ||
      is.null(attr(x, "rule"))) {
    abort(c("{.arg x} must be a {.fn consensus} or {.fn delphi_summary} result, not {.obj_type_friendly {x}}.",
            "i" = "Other analyses go in {.arg ...}."),
          call = call, class = "consensr_error_methods")
  }
  extra <- methods_extras(list(...), call)
  rule <- attr(x, "rule")
  items <- methods_items(item_label)
  out <- c(
    scale = methods_scale(rule$levels, items),
    rule = methods_rule(rule, group_label, items),
    denominator = methods_denominator(x, items),
    groups = methods_groups(x, rule, group_label),
    rounds = methods_rounds(x, items),
    result = methods_result(x, rule, items),
    sensitivity = if (!is.null(extra$sensitivity)) methods_sensitivity(extra$sensitivity, items),
    robustness = if (!is.null(extra$robustness)) {
      methods_robustness(extra$robustness, seed, group_label, items)
    },
    stability = if (!is.null(extra$stability)) methods_stability(extra$stability, items),
    agreement = if (!is.null(extra$agreement)) methods_agreement(extra$agreement, items),
    attrition = if (!is.null(extra$attrition)) methods_attrition(extra$attrition),
    software = methods_software()
  )
  out <- out[!is.na(out) & nzchar(out)]
  structure(out, class = "consensr_methods",
            source = if (inherits(x, "consensr_delphi_summary")) "delphi_summary" else "consensus")
}

methods_kinds <- c(sensitivity = "consensr_sensitivity", robustness = "consensr_robustness",
                   stability = "consensr_stability", agreement = "consensr_agreement",
                   attrition = "consensr_attrition")

methods_funs <- c(sensitivity = "threshold_sensitivity", robustness = "consensus_robustness",
                  stability = "round_stability", agreement = "agreement",
                  attrition = "attrition")

methods_extras <- function(dots, call) {
  out <- list()
  for (d in dots) {
    kind <- names(methods_kinds)[vapply(methods_kinds, function(k) inherits(d, k), logical(1))]
    if (length(kind) == 0L) {
      abort(c("Each argument in {.arg ...} must be a result of {.fn threshold_sensitivity}, {.fn consensus_robustness}, {.fn round_stability}, {.fn agreement} or {.fn attrition}.",
              "x" = "One is {.obj_type_friendly {d}}."),
            call = call, class = "consensr_error_methods")
    }
    if (!is.null(out[[kind]])) {
      fun <- methods_funs[[kind]]
      abort("{.arg ...} can hold one {.fn {fun}} result, not two.",
            call = call, class = "consensr_error_methods")
    }
    out[[kind]] <- d
  }
  out
}

methods_items <- function(label) {
  art <- if (grepl("^[aeiouAEIOU]", label)) "an" else "a"
  list(one = label, many = paste0(label, "s"), a = paste(art, label))
}

# "a 9-point scale from 1 to 9", "a 3-point scale (Fundamental, Ancillary,
# Less Important)".
methods_scale <- function(levels, items) {
  K <- length(levels)
  num <- suppressWarnings(as.numeric(levels))
  desc <- if (!anyNA(num) && K > 2L && all(diff(num) == 1)) {
    sprintf("from %s to %s", levels[1L], levels[K])
  } else {
    sprintf("(%s)", paste(levels, collapse = ", "))
  }
  sprintf("Each %s was rated on a %d-point scale %s.", items$one, K, desc)
}

# "at least 70% rating 7-9", "more than 70% rating Fundamental".
methods_share <- function(levels, codes, frac, op) {
  sprintf("%s %s rating %s", op, format_threshold(matrix(frac, 2L)),
          level_label(levels, codes))
}

methods_rule <- function(rule, group_label, items) {
  ge <- if (isTRUE(rule$strict)) "more than" else "at least"
  within <- if (!is.null(rule$by)) {
    sprintf(", in every %s (column `%s`)", group_label, rule$by)
  } else ""
  if (is.null(rule$opposite)) {
    return(sprintf("%s reached consensus when %s %s of the panellists who rated it chose %s%s.",
                   methods_cap(items$a), ge, format_threshold(matrix(rule$frac, 2L)),
                   level_label(rule$levels, rule$target_codes), within))
  }
  inn <- paste(methods_share(rule$levels, rule$target_codes, rule$frac, ge), "and",
               methods_share(rule$levels, rule$opposite_codes, rule$opposite_frac, "fewer than"))
  out <- paste(methods_share(rule$levels, rule$opposite_codes, rule$frac, ge), "and",
               methods_share(rule$levels, rule$target_codes, rule$opposite_frac, "fewer than"))
  sprintf("%s reached consensus in when %s, and consensus out when %s%s; otherwise there was no consensus.",
          methods_cap(items$a), inn, out, within)
}

methods_ratings <- function(x) {
  r <- attr(x, "ratings")
  if (is.null(r)) {
    by_round <- attr(x, "by_round")
    if (is.data.frame(by_round)) r <- attr(by_round, "ratings")
  }
  r
}

methods_denominator <- function(x, items) {
  n <- if ("final_n" %in% names(x)) x$final_n else x$n
  n <- n[!is.na(n) & n > 0L]
  range <- if (length(n) == 0L) "" else if (min(n) == max(n)) {
    sprintf(" (n = %d for every %s)", min(n), items$one)
  } else {
    sprintf(" (n from %d to %d)", min(n), max(n))
  }
  s <- sprintf(paste0("Percentages are of the panellists who rated the %s: a panellist ",
                      "who left %s unrated was not counted in its denominator%s."),
               items$one, items$a, range)
  miss <- methods_missing_levels(x)
  if (length(miss$levels) > 0L) {
    s <- paste(s, sprintf(paste0("Answers not on the scale (%s) were not counted in the ",
                                 "denominators either; there were %d such answer%s."),
                          paste0("\"", miss$levels, "\"", collapse = ", "), miss$total,
                          if (miss$total == 1L) "" else "s"))
  }
  s
}

methods_missing_levels <- function(x) {
  r <- methods_ratings(x)
  lv <- if (!is.null(r)) r$missing_levels else character()
  total <- if ("n_missing_level" %in% names(x)) sum(x$n_missing_level, na.rm = TRUE) else 0L
  list(levels = lv, total = as.integer(total))
}

methods_groups <- function(x, rule, group_label) {
  if (is.null(rule$by)) return(NA_character_)
  g <- attr(x, "groups")
  if (is.null(g) && is.data.frame(attr(x, "by_round"))) g <- attr(attr(x, "by_round"), "groups")
  groups <- if (!is.null(g)) levels(droplevels(as.factor(g[[rule$by]]))) else character()
  sprintf("Panellists were grouped by the column `%s` into %d %ss (%s), and every group was analysed on its own.",
          rule$by, length(groups), group_label, paste(groups, collapse = ", "))
}

methods_round_labels <- function(x) {
  if (inherits(x, "consensr_delphi_summary")) return(attr(x, "rounds"))
  round <- attr(x, "round")
  if (is.null(round) || !round %in% names(x)) return(NULL)
  v <- x[[round]]
  if (is.factor(v)) levels(droplevels(v)) else as.character(unique(v))
}

methods_rounds <- function(x, items) {
  rounds <- methods_round_labels(x)
  if (is.null(rounds)) {
    return(sprintf("The %ss were rated in a single round.", items$one))
  }
  R <- length(rounds)
  s <- sprintf("The study had %d round%s (%s); the rule was applied to each round on its own.",
               R, if (R == 1L) "" else "s", paste(rounds, collapse = ", "))
  carry <- attr(x, "carry")
  if (identical(carry, "not_reached")) {
    s <- paste(s, sprintf(paste0("%ss that reached consensus were not rated again; the others ",
                                 "were carried forward to the next round, and the final ",
                                 "result of %s is its result when last rated."),
                          methods_cap(items$one), items$a))
  } else if (identical(carry, "all")) {
    s <- paste(s, sprintf("Every %s was meant to be rated in every round; the final result of %s is its result in the last round.",
                          items$one, items$a))
  }
  s
}

# "round 1", or "round 1 (round_1_arm_1)" when the label says more.
methods_round_name <- function(k, label) {
  if (identical(as.character(label), as.character(k))) sprintf("round %d", k) else
    sprintf("round %d (%s)", k, label)
}

methods_cap <- function(s) paste0(toupper(substr(s, 1L, 1L)), substring(s, 2L))

methods_result <- function(x, rule, items) {
  one <- function(status, reached, m) {
    if (is.null(rule$opposite)) {
      sprintf("%d of %d %s reached consensus", sum(reached %in% TRUE), m,
              if (m == 1L) items$one else items$many)
    } else {
      sprintf("%d of %d %s reached consensus in, %d consensus out and %d no consensus",
              sum(status %in% "consensus in"), m, if (m == 1L) items$one else items$many,
              sum(status %in% "consensus out"), sum(status %in% "no consensus"))
    }
  }
  if (inherits(x, "consensr_delphi_summary")) {
    rounds <- attr(x, "rounds")
    per <- vapply(seq_along(rounds), function(k) {
      st <- x[[paste0("status_", k)]]
      rated <- !is.na(st)
      paste0(methods_round_name(k, rounds[k]), ": ", one(st[rated], st[rated] %in% c("consensus", "consensus in"),
                                            sum(rated)))
    }, character(1))
    fin <- sum(x$in_final_list)
    return(sprintf("Under this rule, %s; the final list holds %d of %d %s.",
                   paste(per, collapse = "; "), fin, nrow(x), items$many))
  }
  round <- attr(x, "round")
  if (!is.null(round) && round %in% names(x)) {
    key <- as.character(x[[round]])
    labels <- methods_round_labels(x)
    per <- vapply(seq_along(labels), function(k) {
      i <- key == labels[k]
      paste0(methods_round_name(k, labels[k]), ": ", one(x$status[i], x$reached[i], sum(i)))
    }, character(1))
    return(sprintf("Under this rule, %s.", paste(per, collapse = "; ")))
  }
  sprintf("Under this rule, %s.", one(x$status, x$reached, nrow(x)))
}

methods_sensitivity <- function(s, items) {
  thr <- format_threshold(rbind(round(s$thresholds * 1e6), 1e6))
  ref <- format_threshold(matrix(s$rule$frac, 2L))
  sm <- s$summary
  changes <- if (is.null(s$round)) {
    moved <- sm$n_entered > 0L | sm$n_left > 0L
    if (!any(moved)) {
      sprintf("no %s changed status", items$one)
    } else {
      paste(sprintf("at %s, %d entered and %d left", format_pct(sm$threshold[moved]),
                    sm$n_entered[moved], sm$n_left[moved]), collapse = "; ")
    }
  } else "the changes are given per round"
  sprintf(paste0("In a sensitivity analysis the same rule was applied at thresholds of %s ",
                 "and compared with the reference threshold of %s (%s)."),
          methods_and(unique(thr)), ref, changes)
}

methods_and <- function(x) {
  if (length(x) <= 1L) return(x)
  paste(paste(x[-length(x)], collapse = ", "), "and", x[length(x)])
}

methods_robustness <- function(x, seed, group_label, items) {
  method <- attr(x, "method")
  rule <- attr(x, "rule")
  if (identical(method, "jackknife")) {
    n <- attr(x, "n_resp")
    return(sprintf(paste0("The robustness of each %s's status to the composition of the panel ",
                          "was assessed by re-applying the rule to the %d panels that leave out ",
                          "one panellist (jackknife; Efron and Tibshirani 1993)."),
                   items$one, n))
  }
  strat <- if (!is.null(rule$by)) {
    sprintf(", each %s resampled to its own size", group_label)
  } else ""
  seed_text <- if (is.null(seed)) {
    "the random seed was not recorded"
  } else {
    sprintf("random seed %s, set with `set.seed(%s)`", format(seed), format(seed))
  }
  sprintf(paste0("The robustness of each %s's status was assessed by re-applying the rule to ",
                 "B = %s bootstrap panels of the same size drawn with replacement from the ",
                 "panellists%s (%s); the share of panels reaching consensus and %s percentile ",
                 "intervals of the target share are reported (Efron and Tibshirani 1993)."),
          items$one, format(attr(x, "B"), big.mark = ","), strat, seed_text,
          format_pct(attr(x, "conf_level")))
}

methods_stability <- function(x, items) {
  test <- attr(x, "test")
  conf <- format_pct(attr(x, "conf_level"))
  test_text <- if (identical(test, "chisq")) {
    "the chi-square test comparing the two rounds' distributions (Dajani, Sincoff and Talley 1979)"
  } else {
    "the McNemar-Bowker test of symmetry of each panellist's pair of ratings (Bowker 1948)"
  }
  sprintf(paste0("Stability between rounds was assessed, for each %s, among the panellists who ",
                 "rated it in both rounds: the share who changed their rating, the net change ",
                 "of the distribution (stable below 15%%; Scheibe, Skutsch and Schofer 1975), ",
                 "Cohen's weighted kappa with linear and quadratic weights (Cohen 1968) with %s ",
                 "intervals (Fleiss, Cohen and Everitt 1969), and %s."),
          items$one, conf, test_text)
}

methods_agreement_source <- c(
  percent = "percent agreement",
  fleiss = "Fleiss' kappa (Fleiss 1971)",
  gwet_ac1 = "Gwet's AC1 (Gwet 2008)",
  krippendorff = "Krippendorff's alpha with the %s metric (Krippendorff 2011)"
)

methods_agreement <- function(x, items) {
  m <- unique(x$method)
  txt <- unname(methods_agreement_source[m])
  txt[is.na(txt)] <- m[is.na(txt)]
  if ("krippendorff" %in% m) {
    metric <- x$metric[x$method == "krippendorff"][1L]
    txt[m == "krippendorff"] <- sprintf(txt[m == "krippendorff"], metric)
  }
  B <- attr(x, "B")
  ci <- if (!is.null(B) && B > 0) {
    sprintf("%s bootstrap percentile intervals over B = %s resamples of the %ss",
            format_pct(attr(x, "conf_level")), format(B, big.mark = ","), items$one)
  } else {
    sprintf("%s intervals", format_pct(attr(x, "conf_level")))
  }
  sprintf("Agreement among the panellists over all %ss was measured by %s, with %s.",
          items$one, methods_and(txt), ci)
}

methods_attrition <- function(x) {
  parts <- vapply(seq_len(nrow(x)), function(k) {
    inv <- if (is.na(x$invited[k])) "" else sprintf("%d invited, ", x$invited[k])
    ret <- if (k == 1L || is.na(x$retention[k])) "" else
      sprintf(", %d of %d retained (%s)", x$retained[k], x$responded[k - 1L],
              format_pct(round(x$retention[k], 3)))
    sprintf("%s: %s%d responded, %d completed%s", methods_round_name(k, x$round[k]), inv, x$responded[k],
            x$completed[k], ret)
  }, character(1))
  sprintf("Panel participation by round was %s.", paste(parts, collapse = "; "))
}

methods_software <- function() {
  sprintf("Analyses used the R package consensr %s (%s).",
          as.character(utils::packageVersion("consensr")), R.version.string)
}

#' @exportS3Method knitr::knit_print
knit_print.consensr_methods <- function(x, ...) {
  knitr::asis_output(paste0(format(x), "\n"))
}

#' @export
format.consensr_methods <- function(x, ...) {
  paste(unclass(x), collapse = " ")
}

#' @export
as.character.consensr_methods <- function(x, ...) format(x, ...)

#' @export
print.consensr_methods <- function(x, ...) {
  cat(strwrap(format(x), width = getOption("width", 80L)), sep = "\n")
  invisible(x)
}
