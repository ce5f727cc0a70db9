# Multi-round Delphi studies: consensus round by round and the fate of each
# item, stability of the ratings between rounds, attrition of the panel,
# and the round flow a diagram is drawn from.
#
# Every function takes ratings with a round column (a data frame in any shape
# as_ratings() reads, or a read_redcap() result), splits them by round with
# split_rounds() (rounds in the order of the factor levels, else sorted) and
# reads each round with as_ratings().

# The round column of a multi-round analysis: as given; else the rounds of
# a ratings object or REDCap import; else a column named "round", said in a
# message. Data without rounds are an error.
rounds_column <- function(x, round, dots, call) {
  if (!is.null(round)) return(round)
  if (inherits(x, c("consensr_ratings", "consensr_redcap"))) return(NULL)
  cols <- if (inherits(x, "tbl_lazy")) colnames(x) else if (is.data.frame(x)) names(x)
  if ("round" %in% cols) {
    quiet <- isTRUE(dots[["quiet"]]) || isTRUE(getOption("consensr.quiet", FALSE))
    if (!quiet) say_read("rounds from column `round` (give `round =` to choose another)")
    return("round")
  }
  abort(c("{.fn {rlang::call_name(rlang::frame_call(call))}} compares rounds, but {.arg x} has no round column.",
          "i" = "Name the column that holds the round, e.g. {.code round = \"wave\"}."),
        call = call, class = "consensr_error_round")
}

# Read once (every argument of `...` goes to as_ratings()) and split by
# round: list(rounds = labels, values = the round values (original type),
# name, ratings = one consensr_ratings per round, by).
rounds_prepare <- function(x, round, dots, call, by = NULL, codes = FALSE) {
  if (length(dots) > 0L && (is.null(names(dots)) || any(!nzchar(names(dots))))) {
    abort("Arguments in {.arg ...} must be named, e.g. {.code levels = c(\"Fundamental\", \"Ancillary\", \"Less Important\")}.",
          call = call)
  }
  if (!inherits(x, c("consensr_ratings", "consensr_redcap", "tbl_lazy"))) check_data_frame(x, call = call)
  round <- rounds_column(x, round, dots, call)
  if (!is.null(round)) check_string(round, "round", call = call)
  r <- do.call(as_ratings, c(list(x), dots, list(by = by, round = round)))
  if (is.null(r$round)) {
    abort(c("{.fn {rlang::call_name(rlang::frame_call(call))}} compares rounds, but {.arg x} holds one round.",
            "i" = "Give ratings with a round column and {.code round = }."),
          call = call, class = "consensr_error_round")
  }
  if (codes) db_needs_respondents(r, call, "Comparing rounds needs to know who gave which rating.")
  if (codes && !has_codes(r)) {
    abort(c("{.arg x} must hold each panellist's ratings (long or wide), not counts.",
            "i" = "Comparing rounds needs to know who gave which rating."),
          call = call, class = "consensr_error_input")
  }
  sp <- split_rounds(ratings_materialize(r))
  list(rounds = sp$rounds, values = sp$values, name = sp$name,
       ratings = sp$parts, by = analysis_by(r, by))
}

# The rule applied to each round's ratings.
rounds_consensus <- function(p, target, threshold, opposite, opposite_threshold,
                             strict) {
  lapply(p$ratings, function(r) {
    consensus(r, target = target, threshold = threshold, opposite = opposite,
              opposite_threshold = opposite_threshold, strict = strict,
              by = p$by)
  })
}

# Panellists who answered a cell: a rating or a declared non-answer.
ratings_answered <- function(r) {
  a <- !is.na(r$codes)
  if (!is.null(r$nonanswer)) a[r$nonanswer$index] <- TRUE
  a
}

# Item metadata columns shared by every round.
rounds_item_vars <- function(ratings) {
  vars <- lapply(ratings, function(r) setdiff(names(r$items), "item"))
  Reduce(intersect, vars)
}

# One row per item in any round (first appearance), with its metadata.
rounds_items <- function(ratings) {
  vars <- rounds_item_vars(ratings)
  meta <- do.call(rbind, lapply(ratings, function(r) r$items[c("item", vars)]))
  meta <- meta[!duplicated(meta$item), , drop = FALSE]
  rownames(meta) <- NULL
  meta
}

# Responding panellists of a round (at least one rating) and completers
# (every presented item rated; an item is presented when someone rated it).
rounds_panel <- function(r) {
  rated <- ratings_answered(r)
  presented <- colSums(rated) > 0L
  responded <- rowSums(rated) > 0L
  complete <- responded & rowSums(!rated[, presented, drop = FALSE]) == 0L
  list(responded = r$respondents[responded], completed = r$respondents[complete],
       items = r$items$item[presented])
}

# Subsetting a result keeps its class but drops its attributes: print such
# a subset as a plain data frame.
rounds_has_attrs <- function(x, attrs) {
  all(vapply(attrs, function(a) !is.null(attr(x, a)), logical(1)))
}

rounds_plain_df <- function(x) {
  for (a in c("rounds", "round_name", "by_round", "rule", "carry", "item_vars")) {
    attr(x, a) <- NULL
  }
  class(x) <- "data.frame"
  x
}

rounds_cat <- function(lines) {
  if (length(lines) > 0L) cat(lines, sep = "\n")
}
