# Argument checks shared by the exported functions.  Each error names the
# argument (tidyverse style: "must" when the cause is clear).

# `call` is the frame of the exported function the user called: exported
# functions pass `call = rlang::current_env()` down to the helpers.
# Every error has the class "consensr_error" and one subclass saying what is
# wrong: consensr_error_argument (an argument's value, the default),
# _input (what `x` is), _column, _shape, _scale, _rating, _counts,
# _duplicate (the data), _by and _round (groups or rounds a function can't
# honour), _result (a result that lost what a method needs).
abort <- function(message, ..., class = "consensr_error_argument",
                  call = rlang::caller_env(), .envir = parent.frame()) {
  cli::cli_abort(message, ..., class = unique(c(class, "consensr_error")),
                 call = call, .envir = .envir)
}

# A rule needs its target levels and its threshold, in that order.
require_rule <- function(target, threshold, call = rlang::caller_env()) {
  if (missing(target)) {
    abort(c("{.arg target} must name the level(s) counted towards consensus.",
            "i" = "For example {.code target = \"Fundamental\"} or {.code target = 7:9}."),
          call = call)
  }
  require_threshold(threshold, call = call)
}

# The rule's threshold has no default: a study fixes it before the ratings
# are in (ACCORD; Diamond et al. 2014), so the user writes it.
require_threshold <- function(threshold, call = rlang::caller_env()) {
  if (missing(threshold)) {
    abort(c("{.arg threshold} must be given: the share of raters needed, fixed before the study.",
            "i" = "For example {.code threshold = 0.75} (75% or more)."),
          call = call)
  }
  invisible(threshold)
}

check_data_frame <- function(x, arg = "x", call = rlang::caller_env()) {
  if (!is.data.frame(x)) {
    abort("{.arg {arg}} must be a data frame, not {.obj_type_friendly {x}}.",
          call = call)
  }
  invisible(x)
}

check_string <- function(x, arg, call = rlang::caller_env()) {
  if (!is.character(x) || length(x) != 1L || is.na(x) || !nzchar(x)) {
    abort("{.arg {arg}} must be a single column name (a string).", call = call)
  }
  invisible(x)
}

check_flag <- function(x, arg, call = rlang::caller_env()) {
  if (!is.logical(x) || length(x) != 1L || is.na(x)) {
    abort("{.arg {arg}} must be {.code TRUE} or {.code FALSE}.", call = call)
  }
  invisible(x)
}

check_columns <- function(x, cols, arg = "x", call = rlang::caller_env()) {
  missing <- setdiff(cols, names(x))
  if (length(missing) > 0L) {
    abort(c("{.arg {arg}} must have the column{?s} {.field {missing}}.",
            "i" = "It has {.field {names(x)}}."), call = call)
  }
  invisible(x)
}

# Whole, non-negative, finite numbers that fit an integer; NA not allowed.
check_counts <- function(x, arg, call = rlang::caller_env()) {
  if (!is.numeric(x) || is.factor(x)) {
    abort("{.arg {arg}} must be numeric counts, not {.obj_type_friendly {x}}.",
          call = call)
  }
  bad <- which(is.na(x) | !is.finite(x) | x < 0 | x != trunc(x) |
                 x > .Machine$integer.max)
  if (length(bad) > 0L) {
    show <- utils::head(bad, 5L)
    max_int <- .Machine$integer.max
    abort(c("{.arg {arg}} must hold whole numbers between 0 and {max_int}.",
            "x" = "Found {format(x[show])} at row{?s} {show}."), call = call)
  }
  as.integer(x)
}

# Show at most `n` items of a vector in a message.
head_text <- function(x, n = 5L) {
  x <- as.character(x)
  if (length(x) > n) c(x[seq_len(n)], sprintf("... (%d more)", length(x) - n)) else x
}

# Functions without `by`: a `by` given in `...` is refused, never ignored.
refuse_by <- function(..., fun, call, x = NULL) {
  if ("by" %in% names(list(...)) || length(group_vars_of(x)) > 0L) {
    abort(c("{.fn {fun}} can't analyse groups: {.arg by} is not one of its arguments{if (length(group_vars_of(x))) ' (and {.arg x} is a grouped tibble)' else ''}.",
            "i" = "Subset the ratings to one group, or use {.fn consensus} or {.fn compare_groups} with {.arg by}."),
          call = call, class = "consensr_error_by")
  }
}

# The `by` of an analysis: as given, else the groups of a grouped tibble.
analysis_by <- function(r, by) {
  if (is.null(by)) r$by_data else by
}

# " within every setting group" (" within every group" for a column "group").
within_text <- function(by) {
  if (is.null(by)) return("")
  if (tolower(by) %in% c("group", "groups")) return(" within every group")
  sprintf(" within every %s group", by)
}

# "round 1", or "Round 1" when the round's value already says it.
round_label <- function(name, value) {
  value <- as.character(value)
  ifelse(startsWith(tolower(value), tolower(name)), value, paste(name, value))
}

# The item metadata column that groups items (facets, table blocks): as
# given, else the first metadata column that tells items apart (a column
# with one value for every item, such as the round of a one-round subset,
# groups nothing); FALSE for none.
resolve_area <- function(area, items, call) {
  meta <- setdiff(names(items), "item")
  if (is.null(area)) {
    varies <- vapply(meta, function(v) nrow(items) < 2L || length(unique(items[[v]])) > 1L, TRUE)
    meta <- meta[varies]
    return(if (length(meta)) meta[1L] else NULL)
  }
  if (isFALSE(area)) return(NULL)
  if (!is.character(area) || length(area) != 1L || is.na(area)) {
    abort("{.arg area} must be the name of an item metadata column, {.code NULL} or {.code FALSE}.",
          call = call)
  }
  if (!area %in% meta) {
    abort(c("{.arg area} must name an item metadata column.",
            "x" = "{.field {area}} is not one.",
            "i" = if (length(meta)) "The metadata columns are {.field {meta}}." else
              "The items have no metadata."), call = call, class = "consensr_error_column")
  }
  area
}

# `by` and `round` can't be given with a result: it carries its own.
refuse_result_args <- function(x, by, round, call) {
  given <- c(if (!is.null(by)) "by", if (!is.null(round)) "round")
  if (length(given)) {
    abort(c("{.arg {given}} can't be given with a {.cls {class(x)[1]}} result.",
            "i" = "The result's own rounds and groups are shown; compute it with {.arg {given}} instead."),
          call = call, class = "consensr_error_argument")
  }
}

# rlang::arg_match() errors get the consensr classes (the value is
# evaluated lazily, in the frame of the function whose argument it is).
classed_arg <- function(value) {
  withCallingHandlers(value, rlang_error = function(e) {
    if (!inherits(e, "consensr_error")) {
      class(e) <- c("consensr_error_argument", "consensr_error", class(e))
      rlang::cnd_signal(e)
    }
  })
}

# Functions of a result take no `by` or `round` (the result brings its own):
# say so, with the analysis to give them to; other stray arguments are
# errors too.
check_result_dots <- function(..., fun, call = rlang::caller_env()) {
  if (...length() == 0L) return(invisible())
  dots <- names(list(...))
  if (is.null(dots)) dots <- rep("", ...length())
  given <- intersect(dots, c("by", "round"))
  if (length(given)) {
    abort(c("{.fn {fun}} can't take {.arg {given}}: it draws the rounds and groups of the result it is given.",
            "i" = "Give {.arg {given}} to the analysis that made the result (e.g. {.fn consensus} or {.fn threshold_sensitivity})."),
          call = call, class = if ("by" %in% given) "consensr_error_by" else "consensr_error_round")
  }
  bad <- dots[nzchar(dots)]
  if (length(bad)) abort("{.fn {fun}} has no argument{?s} {.arg {bad}}.", call = call)
  n <- sum(!nzchar(dots))
  abort("{.fn {fun}} takes one result and named options; it got {n} more unnamed argument{?s}.",
        call = call)
}
