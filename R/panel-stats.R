# Shared plumbing of the per-item panel statistics (content_validity(),
# lawshe_cvr(), aiken_v(), consensus_median(), ordinal_consensus(),
# summary() of ratings): read once, split rounds, count per group and item.

# Run `fun(part)` on each round of `r` and stack the results; attributes
# named in `stack` (data frames per round) are stacked too.
panel_rounds <- function(r, fun, stack = character()) {
  sp <- split_rounds(r)
  res <- lapply(sp$parts, fun)
  after <- intersect(c("item", attr(res[[1L]], "item_vars")), names(res[[1L]]))
  out <- bind_rounds(res, sp, after)
  for (a in stack) {
    parts <- lapply(res, attr, a)
    if (!is.null(parts[[1L]])) {
      s <- bind_rounds(parts, sp, intersect(c("item", attr(res[[1L]], "by")), names(parts[[1L]])))
      attr(s, "round") <- NULL
      attr(out, a) <- s
    }
  }
  attr(out, "by_round") <- res
  out
}

# The counts of the ratings per group and item: list(counts = K x (G m)
# integer matrix, n = G m raters, rows = the item (x group) frame), group
# fastest, as ratings_table() lays them out.
panel_counts <- function(r, by) {
  tab <- ratings_table(r, grouped = !is.null(by))
  K <- length(r$levels)
  G <- length(tab$groups)
  m <- nrow(r$items)
  rows <- r$items[rep(seq_len(m), each = G), , drop = FALSE]
  if (!is.null(by)) rows[[by]] <- factor(rep(tab$groups, m), levels = tab$groups)
  rownames(rows) <- NULL
  list(counts = matrix(as.integer(tab$counts), K, G * m), n = as.integer(tab$n),
       rows = rows, groups = tab$groups, G = G, m = m)
}

panel_frame <- function(out, r, by, class, ...) {
  rownames(out) <- NULL
  structure(out, class = c(class, "data.frame"),
            item_vars = setdiff(names(r$items), "item"), by = by, ...)
}

#' @export
print.consensr_panel_stat <- function(x, ...) {
  if (print_by_round(x, ...)) return(invisible(x))
  cat(format(x, ...), sep = "\n")
  invisible(x)
}

#' @export
format.consensr_panel_stat <- function(x, digits = 3, ...) {
  df <- unclass_df(x)
  for (col in names(df)) {
    if (is.double(df[[col]])) df[[col]] <- round(df[[col]], digits)
  }
  c(attr(x, "headline"), utils::capture.output(print(df, row.names = FALSE)))
}

# A subset of rows or columns forgets the per-round results and the
# headline kept for printing (they describe the whole result); without the
# `item` column it is a plain data frame.
#' @export
`[.consensr_panel_stat` <- function(x, ...) {
  out <- NextMethod()
  if (!is.data.frame(out)) return(out)
  if (!"item" %in% names(out)) return(as.data.frame(unclass_df(out)))
  if (nargs() > 2L || !identical(nrow(out), nrow(x))) {
    attr(out, "by_round") <- NULL
    attr(out, "headline") <- NULL
  }
  out
}
