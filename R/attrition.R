# ---------------------------------------------------------------------------
# Attrition

#' Panel attrition across rounds
#'
#' Counts, for each round, the panellists invited (when given), those who
#' responded (rated at least one item) and those who completed the round
#' (rated every item presented in it: an item counts as presented when at
#' least one panellist rated it), and the retention from round to round.
#'
#' @inheritParams delphi_summary
#' @param invited Optional number of panellists invited: one number (the
#'   same panel invited to every round) or one per round, in round order.
#'   With `by`: a named vector, one number per group, or a matrix with one
#'   row per round and one column per group.
#' @param ... Passed to [as_ratings()]: `respondent`, `item`, `rating`,
#'   `levels`, `missing_levels` (a panellist who answered only with a
#'   declared non-answer such as "unable to score" has responded).
#' @param by Optional name of a respondent column of stakeholder groups:
#'   attrition is then counted within each group (one row per round and
#'   group), as COMET studies report it.
#' @return A data frame of class `consensr_attrition`, one row per round
#'   (per round and group with `by`): `round`, the group, `items` (presented), `invited`, `responded`, `response_rate`
#'   (`responded / invited`), `completed`, `completion_rate` (`completed /
#'   responded`), `retained` (responded in this round and the previous one),
#'   `retention` (`retained` over the previous round's `responded`), `new`
#'   (responded for the first time) and `retention_first` (share of the
#'   first round's respondents who responded in this round).
#' @seealso [consensus_completers()] to compare consensus among completers
#'   and among all panellists.
#' @examples
#' imp <- read_redcap(
#'   system.file("extdata", "atmp_delphi_records.csv", package = "consensr"),
#'   system.file("extdata", "atmp_delphi_dictionary.csv", package = "consensr")
#' )
#' attrition(imp, invited = c(32, 25))
#' @export
attrition <- function(x, invited = NULL, ..., by = NULL, round = NULL) {
  call <- rlang::current_env()
  p <- rounds_prepare(x, round, list(...), call, by = by, codes = TRUE)
  R <- length(p$rounds)
  if (is.null(p$by)) {
    inv <- attrition_invited(invited, R, NULL, call)
    out <- attrition_frame(lapply(p$ratings, rounds_panel), p$rounds, inv[, 1L], call)
  } else {
    groups <- ratings_group_levels(p$ratings, p$by)
    inv <- attrition_invited(invited, R, groups, call)
    parts <- lapply(seq_along(groups), function(g) {
      panel <- lapply(p$ratings, function(r) {
        in_g <- as.character(r$resp[[p$by]]) %in% groups[g]
        rounds_panel(rounds_subset(r, in_g))
      })
      d <- attrition_frame(panel, p$rounds, inv[, g], call, group = groups[g])
      d <- cbind(d[1L], stats::setNames(data.frame(factor(rep(groups[g], R), levels = groups)), p$by),
                 d[-1L])
      attr(d, "panellists") <- attr(attrition_frame(panel, p$rounds, inv[, g], call), "panellists")
      d
    })
    out <- do.call(rbind, parts)
    out <- out[order(out$round, out[[p$by]]), , drop = FALSE]
    attr(out, "panellists") <- stats::setNames(lapply(parts, attr, "panellists"), groups)
  }
  rownames(out) <- NULL
  attr(out, "by") <- p$by
  class(out) <- c("consensr_attrition", "data.frame")
  out
}

# The groups of `by` over all rounds, in factor order (else sorted).
ratings_group_levels <- function(ratings, by) {
  vals <- lapply(ratings, function(r) r$resp[[by]])
  if (is.factor(vals[[1L]])) return(levels(vals[[1L]]))
  sort(unique(as.character(unlist(vals))))
}

# `invited` as a rounds x groups matrix (one column without groups).
attrition_invited <- function(invited, R, groups, call) {
  G <- max(1L, length(groups))
  if (is.null(invited)) return(matrix(NA_integer_, R, G))
  if (!is.null(groups) && is.null(dim(invited)) && length(invited) == G &&
      !is.null(names(invited))) {
    miss <- setdiff(groups, names(invited))
    if (length(miss)) {
      abort(c("{.arg invited} must name every group of {.arg by}.",
              "x" = "Missing: {.val {miss}}."), call = call)
    }
    invited <- matrix(invited[groups], R, G, byrow = TRUE)
  }
  if (!is.null(groups) && is.null(dim(invited))) {
    abort(c("With {.arg by}, {.arg invited} must give the invited per group.",
            "i" = "A named vector (one number per group, e.g. {.code c({groups[1]} = 20)}) or a matrix with one row per round and one column per group."),
          call = call)
  }
  inv <- check_counts(as.vector(invited), "invited", call = call)
  if (is.null(groups)) {
    if (length(inv) == 1L) inv <- rep(inv, R)
    if (length(inv) != R) {
      abort("{.arg invited} must be one number or one per round ({R}), not {length(inv)}.",
            call = call)
    }
    return(matrix(inv, R, 1L))
  }
  if (!identical(dim(invited), c(R, G))) {
    abort("{.arg invited} must have one row per round ({R}) and one column per group ({G}).",
          call = call)
  }
  matrix(inv, R, G)
}

# Attrition of one panel (or one group of it) through the rounds.
attrition_frame <- function(panel, rounds, inv, call, group = NULL) {
  R <- length(rounds)
  responded <- vapply(panel, function(q) length(q$responded), integer(1))
  completed <- vapply(panel, function(q) length(q$completed), integer(1))
  over <- which(!is.na(inv) & responded > inv)
  if (length(over) > 0L) {
    where <- if (is.null(group)) "" else paste0(" (group ", group, ")")
    abort(c("{.arg invited} can't be smaller than the number who responded.",
            "x" = "Round {.val {rounds[over]}}{where}: {responded[over]} responded, {inv[over]} invited."),
          call = call)
  }
  retained <- c(NA_integer_, vapply(seq_len(R)[-1L], function(k) {
    length(intersect(panel[[k]]$responded, panel[[k - 1L]]$responded))
  }, integer(1)))
  seen <- character()
  new <- integer(R)
  for (k in seq_len(R)) {
    new[k] <- length(setdiff(panel[[k]]$responded, seen))
    seen <- union(seen, panel[[k]]$responded)
  }
  first <- vapply(seq_len(R), function(k) {
    length(intersect(panel[[k]]$responded, panel[[1L]]$responded))
  }, integer(1))
  out <- data.frame(
    round = factor(rounds, levels = rounds),
    items = vapply(panel, function(q) length(q$items), integer(1)),
    invited = as.integer(inv), responded = responded,
    response_rate = safe_prop(responded, inv),
    completed = completed, completion_rate = safe_prop(completed, responded),
    retained = retained,
    retention = safe_prop(retained, c(NA_integer_, responded[-R])),
    new = new,
    retention_first = if (responded[1L] > 0L) first / responded[1L] else NA_real_,
    stringsAsFactors = FALSE
  )
  attr(out, "panellists") <- lapply(stats::setNames(panel, rounds), `[[`, "responded")
  out
}

#' @export
format.consensr_attrition <- function(x, ...) {
  need <- c("round", "invited", "responded", "completed", "retained", "retention")
  if (!all(need %in% names(x))) return(character())
  pct <- function(v) ifelse(is.na(v), "NA", sprintf("%.0f%%", 100 * v))
  lines <- "<consensr_attrition>"
  by <- attr(x, "by")
  grouped <- !is.null(by) && by %in% names(x)
  key <- paste(as.integer(x$round), if (grouped) x[[by]])
  for (k in seq_len(nrow(x))) {
    prev <- match(paste(as.integer(x$round[k]) - 1L, if (grouped) x[[by]][k]), key)
    lines <- c(lines, sprintf("  %s: %s%d responded, %d completed%s",
                              if (!grouped) round_label("round", x$round[k]) else
                                paste0(round_label("round", x$round[k]), ", ", x[[by]][k]),
                              if (is.na(x$invited[k])) "" else sprintf("%d invited, ", x$invited[k]),
                              x$responded[k], x$completed[k],
                              if (is.na(x$retained[k]) || is.na(prev)) "" else sprintf(", %d of %d retained (%s)",
                                                           x$retained[k], x$responded[prev],
                                                           pct(x$retention[k]))))
  }
  lines
}

#' @export
print.consensr_attrition <- function(x, ...) {
  rounds_cat(format(x, ...))
  y <- x
  attr(y, "panellists") <- NULL
  class(y) <- "data.frame"
  print(y, ...)
  invisible(x)
}
