# Delphi rounds.  Ratings are read once, with the round column among the
# respondent-level columns (or the strata of counts); analyses then split
# the ratings object by round (in the order of the round factor's levels,
# else of sorted values), so every round shares one scale and errors name
# rows of the user's own data.

# The rounds of a ratings object: labels (text), values (original type).
ratings_round_values <- function(r) {
  v <- ratings_units(r)[[r$round]]
  labels <- if (is.factor(v)) base::levels(droplevels(v)) else level_text(sort(unique(v)))
  # "R2" before "R10": text rounds that hold one number sort by it
  if (is.character(v) && all(grepl("^[^0-9]*[0-9]+[^0-9]*$", labels))) {
    labels <- labels[order(as.double(gsub("[^0-9]", "", labels)), labels)]
  }
  key <- level_text(if (is.factor(v)) as.character(v) else v)
  list(labels = labels, values = v[match(labels, key)], key = key)
}

# Split a ratings object by its round: list(parts, rounds, values, name).
# In each round, the items that nobody rated or answered there are left out
# (they were not presented in that round).
split_rounds <- function(r) {
  rv <- ratings_round_values(r)
  parts <- lapply(rv$labels, function(k) {
    part <- ratings_subset(r, rv$key == k)
    part$round <- NULL
    ratings_drop_unrated(part)
  })
  names(parts) <- rv$labels
  list(parts = parts, rounds = rv$labels, values = rv$values, name = r$round)
}

# Rows of the respondent table (codes) or strata (counts) kept.
ratings_subset <- function(r, keep) {
  keep <- which(keep)
  r <- ratings_materialize(r)
  if (has_codes(r)) {
    r$nonanswer <- remap_nonanswer(r$nonanswer, nrow(r$codes), rows = keep)
    r$codes <- r$codes[keep, , drop = FALSE]
    r$resp <- r$resp[keep, , drop = FALSE]
    rownames(r$resp) <- NULL
    r$respondents <- r$respondents[keep]
    if (!is.null(r$group)) r$group <- droplevels(r$group[keep])
    r$tally0 <- NULL
  } else {
    r$counts <- r$counts[, keep, , drop = FALSE]
    r$n <- r$n[keep, , drop = FALSE]
    if (!is.null(r$nonanswer)) r$nonanswer <- r$nonanswer[keep, , drop = FALSE]
    r$strata <- r$strata[keep, , drop = FALSE]
    rownames(r$strata) <- NULL
  }
  r
}

# Items kept: those rated or answered at least once.
ratings_drop_unrated <- function(r) {
  r <- ratings_materialize(r)
  if (has_codes(r)) {
    used <- colSums(!is.na(r$codes)) > 0L
    if (!is.null(r$nonanswer)) {
      nr <- nrow(r$codes)
      used[unique((r$nonanswer$index - 1) %/% nr + 1)] <- TRUE
    }
  } else {
    used <- colSums(r$n) > 0L | colSums(r$counts, dims = 2L) > 0L
    if (!is.null(r$nonanswer)) used <- used | colSums(r$nonanswer) > 0L
  }
  if (all(used)) return(r)
  ratings_items(r, used)
}

# Items (columns) kept.
ratings_items <- function(r, keep) {
  keep <- which(keep)
  r <- ratings_materialize(r)
  if (has_codes(r)) {
    r$nonanswer <- remap_nonanswer(r$nonanswer, nrow(r$codes), cols = keep)
    r$codes <- r$codes[, keep, drop = FALSE]
    r$tally0 <- if (is.matrix(r$tally0)) r$tally0[, keep, drop = FALSE]
  } else {
    r$counts <- r$counts[, , keep, drop = FALSE]
    r$n <- r$n[, keep, drop = FALSE]
    if (!is.null(r$nonanswer)) r$nonanswer <- r$nonanswer[, keep, drop = FALSE]
  }
  r$items <- r$items[keep, , drop = FALSE]
  rownames(r$items) <- NULL
  r
}

# Put the round column first after `item` (and the item metadata, `after`).
add_round <- function(df, value, name, after) {
  df[[name]] <- rep(value, nrow(df))
  pos <- match(after, names(df))
  pos <- if (length(pos) == 0L || all(is.na(pos))) 0L else max(pos, na.rm = TRUE)
  front <- names(df)[seq_len(pos)]
  df[c(front, name, setdiff(names(df), c(front, name)))]
}

# Stack per-round data frames, keeping the class and attributes of the first.
bind_rounds <- function(results, sp, after) {
  first <- results[[1L]]
  keep <- attributes(first)[setdiff(names(attributes(first)), c("names", "row.names"))]
  out <- do.call(rbind, lapply(seq_along(results), function(i) {
    add_round(unclass_df(results[[i]]), sp$values[i], sp$name, after)
  }))
  rownames(out) <- NULL
  for (a in names(keep)) attr(out, a) <- keep[[a]]
  attr(out, "round") <- sp$name
  out
}

# Apply `fun` to each round of the ratings `r` and stack the results (class
# and attributes of the first round, plus the per-round results in the
# attribute "by_round", which print methods show one by one).
round_apply <- function(r, fun) {
  sp <- split_rounds(r)
  res <- lapply(sp$parts, fun)
  after <- intersect(c("item", attr(res[[1L]], "item_vars")), names(res[[1L]]))
  out <- bind_rounds(res, sp, after)
  attr(out, "by_round") <- res
  out
}

# For print methods: print each round's result under a heading; FALSE when
# `x` is not a per-round result.
print_by_round <- function(x, ...) {
  parts <- attr(x, "by_round")
  if (is.null(parts)) return(FALSE)
  for (k in names(parts)) {
    cat(round_label(attr(x, "round"), k), ":\n", sep = "")
    print(parts[[k]], ...)
  }
  TRUE
}

# The non-answer cells of a code matrix with `nr` rows once rows `rows` and
# columns `cols` (positions; NULL: all) are kept.
remap_nonanswer <- function(na, nr, rows = NULL, cols = NULL) {
  if (is.null(na)) return(NULL)
  row <- (na$index - 1) %% nr + 1
  col <- (na$index - 1) %/% nr + 1
  new_row <- if (is.null(rows)) row else match(row, rows)
  new_col <- if (is.null(cols)) col else match(col, cols)
  n_new <- if (is.null(rows)) nr else length(rows)
  ok <- !is.na(new_row) & !is.na(new_col)
  nonanswer((new_col[ok] - 1) * n_new + new_row[ok], na$level[ok])
}
