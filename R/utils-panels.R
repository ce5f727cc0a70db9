# Plots and tables draw rounds and stakeholder groups apart. The input is
# cut into panels (one per round, per group, or per round and group); each
# panel is drawn or tabulated like a single panel; the pieces are stacked
# with key columns (the round column and the `by` column) that the plots
# facet by and the tables show.
#
# A panel set is list(keys = data frame, one row per panel, with the round
# and group columns as factors in their order; parts = list of single-panel
# inputs; round = the round column name or NULL; by = the group column name
# or NULL).

# Panels of a ratings object: rounds (split_rounds()) and groups of `by`.
panels_of_ratings <- function(r, by = NULL) {
  if (is.null(r$round)) {
    rparts <- list(r)
    rkeys <- NULL
  } else {
    sp <- split_rounds(r)
    rparts <- sp$parts
    rkeys <- factor(sp$rounds, levels = sp$rounds)
  }
  keys <- list()
  parts <- list()
  for (i in seq_along(rparts)) {
    p <- rparts[[i]]
    if (is.null(by)) {
      parts[[length(parts) + 1L]] <- p
      keys[[length(keys) + 1L]] <- key_row(if (!is.null(rkeys)) rkeys[i], NULL)
      next
    }
    g <- ratings_units(p)[[by]]
    groups <- panel_group_levels(g)
    for (lev in groups) {
      # every item of the round, also one a group did not rate (n = 0)
      parts[[length(parts) + 1L]] <- ratings_subset(p, as.character(g) == lev)
      keys[[length(keys) + 1L]] <- key_row(if (!is.null(rkeys)) rkeys[i], lev)
    }
  }
  new_panels(keys, parts, r$round, by)
}

# Panels of a result (consensus(), consensus_robustness()): the rows of each
# round and, for a result decided within groups, each group's own counts
# and status (attribute "groups"), as a single-panel result.
panels_of_result <- function(x) {
  round <- attr(x, "round")
  by <- attr(x, "rule")$by
  rounds <- if (!is.null(round)) panel_group_levels(x[[round]])
  rows <- if (is.null(by)) x else attr(x, "groups")
  keep_attrs <- attributes(x)[setdiff(names(attributes(x)),
                                      c("names", "row.names", "round", "groups",
                                        "by_round", "ratings"))]
  keys <- list()
  parts <- list()
  add <- function(d, rk, gk) {
    d <- unclass_df(d)
    rownames(d) <- NULL
    for (a in names(keep_attrs)) attr(d, a) <- keep_attrs[[a]]
    parts[[length(parts) + 1L]] <<- d
    keys[[length(keys) + 1L]] <<- key_row(rk, gk)
  }
  for (rk in if (is.null(rounds)) list(NULL) else as.list(rounds)) {
    d <- if (is.null(rk)) rows else rows[as.character(rows[[round]]) == rk, , drop = FALSE]
    if (is.null(by)) {
      add(d, rk, NULL)
      next
    }
    for (gk in panel_group_levels(rows[[by]])) {
      add(d[as.character(d[[by]]) == gk, , drop = FALSE], rk, gk)
    }
  }
  new_panels(keys, parts, round, by)
}

# One row of panel keys (no columns when there are neither rounds nor groups).
key_row <- function(rk, gk) {
  cols <- Filter(Negate(is.null), list(.round = rk, .group = gk))
  if (length(cols) == 0L) return(data.frame(row.names = 1L))
  as.data.frame(cols, stringsAsFactors = FALSE)
}

new_panels <- function(keys, parts, round, by) {
  keys <- if (length(keys) && ncol(keys[[1L]]) > 0L) do.call(rbind, keys) else
    data.frame(row.names = seq_along(parts))
  lev <- function(v) if (is.factor(v)) v else factor(v, levels = unique(v))
  if (".round" %in% names(keys)) keys$.round <- lev(keys$.round)
  if (".group" %in% names(keys)) keys$.group <- lev(keys$.group)
  names(keys)[names(keys) == ".round"] <- round %||% ".round"
  names(keys)[names(keys) == ".group"] <- by %||% ".group"
  list(keys = keys, parts = parts, round = round, by = by)
}

# Groups or rounds in their order: factor levels, numbers sorted, text
# rounds by their number ("R2" before "R10"), other text sorted.
panel_group_levels <- function(v) {
  if (is.factor(v)) return(base::levels(droplevels(v)))
  u <- unique(v[!is.na(v)])
  if (is.numeric(u)) return(level_text(sort(u)))
  u <- sort(as.character(u))
  if (all(grepl("^[^0-9]*[0-9]+[^0-9]*$", u))) u <- u[order(as.double(gsub("[^0-9]", "", u)), u)]
  u
}

# Stack per-panel data frames, the key columns first.
stack_panels <- function(panels, pieces) {
  out <- do.call(rbind, lapply(seq_along(pieces), function(i) {
    d <- pieces[[i]]
    if (nrow(d) == 0L || ncol(panels$keys) == 0L) return(d)
    k <- panels$keys[rep(i, nrow(d)), , drop = FALSE]
    cbind(k, d[setdiff(names(d), names(k))])
  }))
  rownames(out) <- NULL
  out
}

# The key columns of a panel set (for facets and table columns).
panel_keys <- function(panels) names(panels$keys)

`%||%` <- function(a, b) if (is.null(a)) b else a

# Facets of a plot: item areas in rows, rounds and groups in columns (each
# labelled with its column name, e.g. "round: 2").
panel_facets <- function(area, keys, free_y = TRUE) {
  if (is.null(area) && length(keys) == 0L) return(NULL)
  rows <- if (!is.null(area)) ggplot2::vars(!!rlang::sym(area))
  cols <- if (length(keys)) ggplot2::vars(!!!rlang::syms(keys))
  ggplot2::facet_grid(
    rows = rows, cols = cols,
    scales = if (free_y) "free_y" else "fixed",
    space = if (free_y) "free_y" else "fixed",
    labeller = ggplot2::labeller(
      .rows = ggplot2::label_wrap_gen(width = 22),
      .cols = ggplot2::label_both
    )
  )
}

# The rounds of a result as single-round results: list(parts, labels, name);
# NULL for a single-round result. Per-round results kept by round_apply()
# ("by_round") are used as they are; otherwise the rows (and the per-group
# rows) of each round are taken.
result_rounds <- function(x) {
  round <- attr(x, "round")
  if (is.null(round) || !round %in% names(x)) return(NULL)
  labels <- panel_group_levels(x[[round]])
  parts <- attr(x, "by_round")
  if (is.null(parts) || length(parts) != length(labels)) {
    groups <- attr(x, "groups")
    parts <- lapply(labels, function(v) {
      keep <- as.character(x[[round]]) == v
      part <- x[keep, , drop = FALSE]
      for (a in setdiff(names(attributes(x)), c("names", "row.names", "class"))) {
        attr(part, a) <- attr(x, a)
      }
      class(part) <- class(x)
      attr(part, "round") <- NULL
      attr(part, "by_round") <- NULL
      part[[round]] <- NULL
      if (!is.null(groups) && round %in% names(groups)) {
        attr(part, "groups") <- groups[as.character(groups[[round]]) == v, , drop = FALSE]
      }
      part
    })
  }
  list(parts = parts, labels = labels, name = round)
}

# Per-round plot data stacked with the round column (a factor in order).
stack_rounds <- function(rr, fun, ...) {
  pieces <- lapply(seq_along(rr$parts), function(i) {
    d <- fun(rr$parts[[i]], ...)
    a <- attributes(d)
    d <- cbind(stats::setNames(data.frame(factor(rep(rr$labels[i], nrow(d)), levels = rr$labels)),
                               rr$name), d)
    list(d = d, a = a)
  })
  out <- do.call(rbind, lapply(pieces, `[[`, "d"))
  rownames(out) <- NULL
  a <- pieces[[1L]]$a
  for (nm in setdiff(names(a), c("names", "row.names", "class"))) attr(out, nm) <- a[[nm]]
  attr(out, "round") <- rr$name
  out
}
