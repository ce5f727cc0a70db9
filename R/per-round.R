# Delphi rounds: the consensus functions take `round =`, the name of a column
# of `x` that holds the round. The data are split by round (in the order of
# the round factor's levels, or of sorted values) and each round is analysed
# on its own, so a respondent may rate the same item once per round.

split_rounds <- function(x, round, call) {
  check_string(round, "round", call = call)
  if (!is.data.frame(x) || inherits(x, "consensr_tally") && !round %in% names(x)) {
    abort("{.arg round} needs {.arg x} to be a data frame with a {.field {round}} column.",
          call = call)
  }
  x <- as.data.frame(x, stringsAsFactors = FALSE)
  check_columns(x, round, call = call)
  r <- x[[round]]
  if (anyNA(r)) {
    abort("The {.arg round} column {.field {round}} can't hold missing values (row{?s} {head_text(which(is.na(r)))}).",
          call = call)
  }
  rounds <- if (is.factor(r)) base::levels(droplevels(r)) else as.character(sort(unique(r)))
  key <- as.character(r)
  parts <- lapply(rounds, function(k) {
    d <- x[key == k, setdiff(names(x), round), drop = FALSE]
    rownames(d) <- NULL
    d
  })
  names(parts) <- rounds
  list(parts = parts, rounds = rounds, values = r[match(rounds, key)], name = round)
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

# Apply `fun` to each round of `x` and stack the results (class and
# attributes of the first round, plus the per-round results in the
# attribute "by_round", which print methods show one by one).
round_apply <- function(x, round, call, fun) {
  sp <- split_rounds(x, round, call)
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
    cat(attr(x, "round"), " ", k, ":\n", sep = "")
    print(parts[[k]], ...)
  }
  TRUE
}
