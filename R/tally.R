#' Tally ratings per item and level
#'
#' Counts how many respondents chose each level of the scale for each item,
#' overall or within groups of respondents. A missing rating is excluded from
#' that item's denominator: `n` is the number of respondents who rated the
#' item. The counting is done in C in one pass over the ratings.
#'
#' @param x Ratings: a data frame in any shape [as_ratings()] reads (long,
#'   wide or counts), or a `consensr_ratings` object.
#' @param ... Passed to [as_ratings()] when `x` is not yet read: `respondent`,
#'   `item`, `rating`, `levels`, `items`, `item_data`, `missing_levels`,
#'   `format`, `quiet`.
#' @param by Optional name of a respondent-level column that puts
#'   respondents into groups (e.g. stakeholder group): the tally is then made
#'   within each group. A grouped tibble's groups, or a `by` given when the
#'   ratings were read, are used when `by` is not given.
#' @param round Optional name of a column of `x` that holds the Delphi round:
#'   each round is then analysed on its own (a respondent rates an item at
#'   most once per round) and the results are stacked with a `round` column.
#' @return A data frame of class `consensr_tally` with one row per item x
#'   level (x group): `item`, the item metadata, the group column (when `by`
#'   is given), `level` (a factor in scale order; levels nobody chose are kept
#'   with count 0), `count` (integer), `n` (integer: respondents who rated the
#'   item) and `prop` (`count / n`, `NA` when `n` is 0); with declared
#'   non-answers (`missing_levels`), `n_missing_level` (per item and group,
#'   not in `n`). Items keep their input
#'   order. A tally can be given back to [consensus()] and
#'   [threshold_sensitivity()].
#' @seealso [consensus()], [as_ratings()]
#' @examples
#' tally_ratings(atmp_ratings, levels = c("Fundamental", "Ancillary", "Less Important"))
#'
#' # within stakeholder groups
#' panel <- merge(atmp_ratings, atmp_participants, by = "respondent")
#' head(tally_ratings(panel, by = "setting"))
#' @export
tally_ratings <- function(x, ..., by = NULL, round = NULL) {
  r <- as_ratings(x, ..., by = by, round = round)
  by <- analysis_by(r, by)
  if (!is.null(r$round)) {
    sp <- split_rounds(r)
    res <- lapply(sp$parts, tally_ratings, by = by)
    return(bind_rounds(res, sp, c("item", attr(res[[1L]], "item_vars"))))
  }
  tab <- ratings_table(r, grouped = !is.null(by))
  tally_frame(r, tab, by)
}

# The counts of a ratings object: list(counts = [level, group, item] integer
# array, n = [group, item] integer matrix, groups = group labels,
# nonanswer = [group, item] counts of declared non-answers or NULL).
# Respondent-level data are tallied in C (the ungrouped tally of the whole
# panel was made while reading); counts are summed over their strata.
ratings_table <- function(r, grouped) {
  K <- length(r$levels)
  m <- nrow(r$items)
  if (grouped && is.null(r$by)) abort("internal: grouped table without `by`.", class = "consensr_error_internal")
  if (has_codes(r)) {
    if (grouped) {
      G <- nlevels(r$group)
      counts <- .Call(ffi_tally, r$codes, as.integer(r$group), G, K)
      groups <- base::levels(r$group)
      gi <- as.integer(r$group)
    } else {
      counts <- if (!is.null(r$tally0)) r$tally0 else .Call(ffi_tally, r$codes, NULL, 1L, K)
      groups <- "all"
      gi <- rep(1L, nrow(r$resp))
    }
    G <- length(groups)
    dim(counts) <- c(K, G, m)
    n <- colSums(counts, dims = 1L)
    dim(n) <- c(G, m)
    storage.mode(n) <- "integer"
    na <- NULL
    if (length(r$missing_levels) > 0L) {
      na <- matrix(0L, G, m)
      if (!is.null(r$nonanswer)) {
        nr <- nrow(r$resp)
        idx <- r$nonanswer$index
        cell <- ((idx - 1) %/% nr) * G + gi[(idx - 1) %% nr + 1]
        na[] <- tabulate(cell, G * m)
      }
    }
  } else {
    S <- dim(r$counts)[2L]
    g <- if (grouped) strata_group(r) else factor(rep("all", S))
    groups <- base::levels(g)
    G <- length(groups)
    sum_strata <- function(a, d) {
      # a: [d, S, m] -> [d, G, m], summed in doubles then checked
      out <- array(0, c(d, G, m))
      for (s in seq_len(S)) {
        out[, as.integer(g)[s], ] <- out[, as.integer(g)[s], ] + a[, s, ]
      }
      out
    }
    if (S == 1L && G == 1L) {
      counts <- r$counts
      n <- r$n
      na <- r$nonanswer
    } else {
      counts <- sum_strata(r$counts, K)
      n <- sum_strata(array(r$n, c(1L, S, m)), 1L)
      n <- matrix(n, G, m)
      na <- if (!is.null(r$nonanswer)) matrix(sum_strata(array(r$nonanswer, c(1L, S, m)), 1L), G, m)
      if (any(n > .Machine$integer.max)) {
        abort("The counts of an item add up to more than the largest integer.",
              call = NULL, class = "consensr_error_counts")
      }
      storage.mode(counts) <- "integer"
      storage.mode(n) <- "integer"
      if (!is.null(na)) storage.mode(na) <- "integer"
    }
  }
  dimnames(counts) <- list(r$levels, groups, r$items$item)
  list(counts = counts, n = n, groups = groups, nonanswer = na)
}

strata_group <- function(r) {
  v <- r$strata[[r$by]]
  if (is.factor(v)) droplevels(v) else factor(v)
}

tally_frame <- function(r, tab, by) {
  K <- length(r$levels)
  G <- length(tab$groups)
  m <- nrow(r$items)
  item_row <- rep(seq_len(m), each = K * G)
  out <- r$items[item_row, , drop = FALSE]
  if (!is.null(by)) {
    out[[by]] <- factor(rep(rep(tab$groups, each = K), m), levels = tab$groups)
  }
  out$level <- factor(rep(r$levels, G * m), levels = r$levels)
  out$count <- as.vector(tab$counts)
  out$n <- rep(as.vector(tab$n), each = K)
  out$prop <- ifelse(out$n > 0L, out$count / out$n, NA_real_)
  if (!is.null(tab$nonanswer)) {
    out$n_missing_level <- rep(as.vector(tab$nonanswer), each = K)
  }
  rownames(out) <- NULL
  structure(out, class = c("consensr_tally", "data.frame"),
            item_vars = setdiff(names(r$items), "item"), by = by)
}

#' @export
print.consensr_tally <- function(x, ...) {
  items <- length(unique(x$item))
  cat(sprintf("<consensr_tally> %d item%s x %d level%s%s%s\n", items,
              if (items == 1L) "" else "s", nlevels(x$level),
              if (nlevels(x$level) == 1L) "" else "s",
              if (is.null(attr(x, "by"))) "" else paste0(" by ", attr(x, "by")),
              if (is.null(attr(x, "round"))) "" else
                sprintf(", %d rounds", length(unique(x[[attr(x, "round")]])))))
  print(as.data.frame(unclass_df(x)), ...)
  invisible(x)
}
