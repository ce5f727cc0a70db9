#' Read ratings in the shape you have them
#'
#' `as_ratings()` turns ratings given long (one row per respondent and item),
#' wide (one row per respondent, one column per item) or already counted (one
#' row per item and level, as in a published table) into one validated
#' object. Every other function of the package calls it on its input, so you
#' rarely need to call it yourself; it is useful to validate once and reuse.
#'
#' @section Shapes:
#' * **long**: columns named by `respondent`, `item` and `rating`. Every other
#'   column that is constant within each item (e.g. a thematic area) is kept
#'   as item metadata and travels through every result.
#' * **wide**: one row per respondent; the item columns are chosen by `items`
#'   (names or positions; by default every column except `respondent` and
#'   `by`). Item metadata can be given with `item_data`.
#' * **counts**: columns named by `item`, `level` and `count`, optionally `n`
#'   (the denominator as stated, constant within an item). Levels missing from
#'   an item count 0. Without `n`, an item's denominator is the sum of its
#'   counts. Other columns constant within each item are kept as metadata.
#'   A [tally_ratings()] result is read as counts.
#'
#' The shape is detected from the columns: `item`, `level` and `count`
#' present means counts; `item` with `respondent` or `rating` means long;
#' anything else is wide. Set `format` to override.
#'
#' @section Levels and missing ratings:
#' The scale's levels, in order, come from `levels`, else from the levels of
#' a factor rating column (for wide data: the same factor levels in every
#' item column), else, for numeric ratings, from the sorted values seen (give
#' `levels = 1:9` to keep levels nobody used). Character ratings need
#' `levels`: the order of a scale cannot be guessed. `NA` means "not rated":
#' it is excluded from that item's denominator. A rating that is not one of
#' the levels is an error.
#'
#' @param x A data frame (a tibble or a data.table also works), or a
#'   `consensr_ratings` object (returned unchanged).
#' @param respondent,item,rating Names of the columns that identify the
#'   respondent, the item and the rating (long data). `item` also names the
#'   item column of counts, and `respondent` the optional identifier column of
#'   wide data.
#' @param levels The scale's levels in order (character or numeric).
#' @param items Wide data: the item columns, as names or positions.
#' @param item_data Item metadata: a data frame with a column named by `item`
#'   (and one row per item), or, for long data and counts, the names of
#'   columns of `x` that are constant within each item. `NULL` (the default)
#'   keeps every such column of long data and counts.
#' @param by Optional name of a column that puts respondents into groups
#'   (e.g. stakeholder group). For long data it must be constant within each
#'   respondent; for counts it names the group column of the table.
#' @param format One of `"auto"`, `"long"`, `"wide"`, `"counts"`.
#' @return An object of class `consensr_ratings`: a list with the scale
#'   `levels`, an `items` data frame (the item names and metadata) and either
#'   `codes` (an integer matrix, respondents x items, of level codes or `NA`)
#'   with the `respondents` and their `group`, or `counts` (an integer array
#'   `[level, group, item]`) with the denominators `n` (`[group, item]`).
#' @seealso [tally_ratings()], [consensus()]
#' @examples
#' long <- data.frame(
#'   respondent = rep(c("A", "B", "C"), each = 2),
#'   item = rep(c("Q1", "Q2"), 3),
#'   rating = c("Agree", "Agree", "Disagree", NA, "Agree", "Neutral")
#' )
#' r <- as_ratings(long, levels = c("Disagree", "Neutral", "Agree"))
#' r
#'
#' wide <- data.frame(id = 1:4, Q1 = c(9, 8, 7, 3), Q2 = c(5, NA, 9, 9))
#' as_ratings(wide, respondent = "id", levels = 1:9)
#'
#' counts <- data.frame(
#'   item = rep(c("Q1", "Q2"), each = 2),
#'   level = rep(c("Yes", "No"), 2),
#'   count = c(18, 6, 17, 7)
#' )
#' as_ratings(counts)
#' @export
as_ratings <- function(x, respondent = "respondent", item = "item",
                       rating = "rating", levels = NULL, items = NULL,
                       item_data = NULL, by = NULL,
                       format = c("auto", "long", "wide", "counts")) {
  # Errors name the function the user called: as_ratings() itself, or the
  # package function that read its `x` with it.
  call <- parent.frame()
  if (!identical(topenv(call), topenv())) call <- rlang::current_env()
  if (inherits(x, "consensr_ratings")) {
    if (!is.null(by) && !identical(by, x$by)) {
      if (!is.null(x$codes) && is.null(x$by)) {
        abort(c("{.arg by} can't be applied to ratings already read without it.",
                "i" = "Call {.fn as_ratings} on the data frame with {.code by = \"{by}\"}."))
      }
      abort("{.arg by} is {.val {by}}, but the ratings were grouped by {.val {x$by}}.")
    }
    return(x)
  }
  check_data_frame(x, call = call)
  check_string(item, "item", call = call)
  if (!is.null(by)) check_string(by, "by", call = call)
  format <- rlang::arg_match(format, error_call = call)
  is_tally <- inherits(x, "consensr_tally")
  x <- as.data.frame(x, stringsAsFactors = FALSE)
  if (is_tally) {
    format <- "counts"
    x$prop <- NULL
  }
  if (format == "auto") {
    format <- if (all(c(item, "level", "count") %in% names(x))) {
      "counts"
    } else if (item %in% names(x) &&
               any(c(respondent, rating) %in% names(x))) {
      "long"
    } else {
      "wide"
    }
  }
  if (!is.null(levels)) levels <- check_levels(levels, call = call)
  switch(format,
    long = ratings_long(x, respondent, item, rating, levels, item_data, by, call),
    wide = ratings_wide(x, respondent, items, levels, item_data, by, item, call),
    counts = ratings_counts(x, item, levels, item_data, by, call)
  )
}

new_ratings <- function(levels, items, codes = NULL, respondents = NULL,
                        group = NULL, counts = NULL, n = NULL, by = NULL,
                        format) {
  structure(
    list(levels = levels, items = items, codes = codes,
         respondents = respondents, group = group, counts = counts, n = n,
         by = by, format = format),
    class = "consensr_ratings"
  )
}

#' @export
print.consensr_ratings <- function(x, ...) {
  cat(format(x, ...), sep = "\n")
  invisible(x)
}

#' @export
format.consensr_ratings <- function(x, ...) {
  n_item <- nrow(x$items)
  lines <- sprintf("<consensr_ratings> %d item%s, scale: %s", n_item,
                   if (n_item == 1L) "" else "s",
                   paste(x$levels, collapse = " < "))
  if (!is.null(x$codes)) {
    n_missing <- sum(is.na(x$codes))
    lines <- c(lines, sprintf("%d respondent%s (%s format), %d rating%s, %d not rated",
                              nrow(x$codes), if (nrow(x$codes) == 1L) "" else "s",
                              x$format, length(x$codes) - n_missing,
                              if (length(x$codes) - n_missing == 1L) "" else "s",
                              n_missing))
  } else {
    lines <- c(lines, sprintf("counts of %d rating%s", sum(x$counts),
                              if (sum(x$counts) == 1L) "" else "s"))
  }
  if (!is.null(x$by)) {
    lines <- c(lines, sprintf("grouped by %s: %s", x$by,
                              paste(ratings_groups(x), collapse = ", ")))
  }
  meta <- setdiff(names(x$items), "item")
  if (length(meta) > 0L) {
    lines <- c(lines, sprintf("item metadata: %s", paste(meta, collapse = ", ")))
  }
  lines
}

ratings_groups <- function(r) {
  if (!is.null(r$group)) base::levels(r$group) else dimnames(r$counts)[[2L]]
}

# Levels: unique, non-missing, non-empty.
check_levels <- function(levels, call = rlang::caller_env()) {
  if (is.factor(levels)) levels <- as.character(levels)
  if (!is.atomic(levels) || length(levels) == 0L) {
    abort("{.arg levels} must be a non-empty vector of the scale's levels in order.",
          call = call)
  }
  lv <- as.character(levels)
  if (anyNA(lv) || any(!nzchar(lv))) {
    abort("{.arg levels} can't hold missing or empty values.", call = call)
  }
  if (anyDuplicated(lv)) {
    abort("{.arg levels} must be unique; {.val {unique(lv[duplicated(lv)])}} {?is/are} repeated.",
          call = call)
  }
  lv
}

# Levels of one or more rating vectors when `levels` was not given.
infer_levels <- function(values, arg, call) {
  if (any(vapply(values, is.list, logical(1)))) {
    abort("Ratings must be atomic, not a list column.", call = call)
  }
  facs <- vapply(values, is.factor, logical(1))
  if (all(facs)) {
    lv <- lapply(values, base::levels)
    if (length(unique(lv)) > 1L) {
      abort(c("The factor levels of the rating columns differ.",
              "i" = "Give the scale with {.arg levels}."), call = call)
    }
    return(check_levels(lv[[1L]], call = call))
  }
  nums <- vapply(values, function(v) is.numeric(v) || all(is.na(v)), logical(1))
  if (all(nums & !facs)) {
    v <- sort(unique(unlist(lapply(values, function(v) v[!is.na(v)]))))
    if (length(v) == 0L) {
      abort(c("No rating is given, so the scale is unknown.",
              "i" = "Give the scale with {.arg levels}."), call = call)
    }
    return(as.character(v))
  }
  abort(c("{.arg levels} must be given for ratings that are not factors or numbers.",
          "i" = "The order of a scale can't be guessed from text, e.g. {.code levels = c(\"Fundamental\", \"Ancillary\", \"Less Important\")}."),
        call = call)
}

# Codes 1..K (NA for missing) of one rating vector; unknown values are an
# error that says which values and where.
encode_ratings <- function(v, levels, where, call) {
  if (is.list(v)) abort("Ratings must be atomic, not a list column.", call = call)
  chr <- if (is.factor(v)) as.character(v) else if (is.numeric(v)) format_number(v) else as.character(v)
  codes <- match(chr, levels)
  bad <- which(is.na(codes) & !is.na(chr))
  if (length(bad) > 0L) {
    vals <- unique(chr[bad])
    abort(c("Ratings must be one of the levels {.val {levels}}.",
            "x" = "Found {.val {head_text(vals)}} at {head_text(where(bad))}."),
          call = call)
  }
  codes
}

# Numbers as the text users write them: 7 -> "7", 2.5 -> "2.5".
format_number <- function(v) {
  out <- as.character(v)
  whole <- !is.na(v) & is.finite(v) & v == trunc(v) & abs(v) < 1e15
  out[whole] <- formatC(v[whole], format = "f", digits = 0)
  out
}

# Item order: factor levels (keeping unused ones) or first appearance.
item_keys <- function(v) {
  if (is.factor(v)) base::levels(v) else unique(as.character(v))
}

check_key_column <- function(v, arg, call) {
  if (anyNA(v)) {
    abort("The {.arg {arg}} column can't hold missing values (row{?s} {head_text(which(is.na(v)))}).",
          call = call)
  }
}

# Columns of `x` (other than `exclude`) that are constant within each value
# of the integer key `k`.
constant_within <- function(x, k, exclude) {
  cols <- setdiff(names(x), exclude)
  keep <- vapply(cols, function(col) {
    v <- x[[col]]
    if (!is.atomic(v)) return(FALSE)
    first <- v[match(seq_len(max(k, 0L)), k)]
    all(is.na(v) == is.na(first[k]) & (is.na(v) | v == first[k]))
  }, logical(1))
  cols[keep]
}

# The item metadata table: `item_data` as names of columns of `x` (constant
# within item), as a data frame, or NULL for every constant column.
build_items <- function(keys, x, k, item, item_data, exclude, call) {
  items <- data.frame(item = keys, stringsAsFactors = FALSE)
  if (is.data.frame(item_data)) {
    item_data <- as.data.frame(item_data, stringsAsFactors = FALSE)
    check_columns(item_data, item, "item_data", call = call)
    ids <- as.character(item_data[[item]])
    if (anyDuplicated(ids)) {
      abort("{.arg item_data} must have one row per item; {.val {head_text(unique(ids[duplicated(ids)]))}} {?is/are} repeated.",
            call = call)
    }
    unknown <- setdiff(ids, keys)
    if (length(unknown) > 0L) {
      abort("{.arg item_data} describes item{?s} not in the ratings: {.val {head_text(unknown)}}.",
            call = call)
    }
    meta <- item_data[match(keys, ids), setdiff(names(item_data), item), drop = FALSE]
    rownames(meta) <- NULL
    return(cbind(items, meta))
  }
  if (is.null(x)) return(items)
  if (is.null(item_data)) {
    cols <- constant_within(x, k, exclude)
  } else {
    if (!is.character(item_data)) {
      abort("{.arg item_data} must be a data frame or names of columns of {.arg x}.",
            call = call)
    }
    check_columns(x, item_data, "x", call = call)
    cols <- item_data
    varying <- setdiff(cols, constant_within(x[cols], k, character()))
    if (length(varying) > 0L) {
      abort("Item metadata must be constant within each item; {.field {varying}} var{?ies/y}.",
            call = call)
    }
  }
  cols <- setdiff(cols, "item")
  for (col in cols) {
    v <- x[[col]]
    items[[col]] <- v[match(seq_along(keys), k)]
  }
  items
}

# Group factor of respondents, NA not allowed.
build_group <- function(v, by, where, call) {
  if (anyNA(v)) {
    abort(c("The {.arg by} column {.field {by}} can't hold missing values.",
            "x" = "Missing for {head_text(where(which(is.na(v))))}."),
          call = call)
  }
  if (is.factor(v)) droplevels(v) else factor(v)
}

ratings_long <- function(x, respondent, item, rating, levels, item_data, by,
                         call) {
  check_string(respondent, "respondent", call = call)
  check_string(rating, "rating", call = call)
  check_columns(x, c(respondent, item, rating, by), call = call)
  if (nrow(x) == 0L) {
    abort("{.arg x} has no rows: there are no ratings to read.", call = call)
  }
  check_key_column(x[[respondent]], "respondent", call)
  check_key_column(x[[item]], "item", call)
  if (is.null(levels)) levels <- infer_levels(list(x[[rating]]), "rating", call)
  codes_long <- encode_ratings(x[[rating]], levels,
                               function(i) paste0("row ", i), call)

  resp_keys <- unique(as.character(x[[respondent]]))
  ri <- match(as.character(x[[respondent]]), resp_keys)
  keys <- item_keys(x[[item]])
  ii <- match(as.character(x[[item]]), keys)
  pair <- (ii - 1) * length(resp_keys) + ri
  dup <- duplicated(pair)
  if (any(dup)) {
    d <- which(dup)
    shown <- sprintf("%s x %s", x[[respondent]][d], x[[item]][d])
    abort(c("Each respondent can rate each item only once.",
            "x" = "Repeated respondent x item pair{?s}: {head_text(shown)}."),
          call = call)
  }
  codes <- matrix(NA_integer_, length(resp_keys), length(keys),
                  dimnames = list(NULL, keys))
  codes[pair] <- codes_long

  group <- NULL
  if (!is.null(by)) {
    g <- x[[by]][match(seq_along(resp_keys), ri)]
    varies <- unique(ri[is.na(x[[by]]) != is.na(g[ri]) |
                         (!is.na(x[[by]]) & x[[by]] != g[ri])])
    if (length(varies) > 0L) {
      abort(c("The {.arg by} column {.field {by}} must be constant within each respondent.",
              "x" = "It varies for {.val {head_text(resp_keys[varies])}}."),
            call = call)
    }
    group <- build_group(g, by, function(i) paste0("respondent ", resp_keys[i]), call)
  }
  items <- build_items(keys, x, ii, item, item_data,
                       c(respondent, item, rating, by), call)
  new_ratings(levels, items, codes = codes, respondents = resp_keys,
              group = group, by = by, format = "long")
}

ratings_wide <- function(x, respondent, items, levels, item_data, by, item,
                         call) {
  if (!is.null(by)) check_columns(x, by, call = call)
  has_id <- is.character(respondent) && length(respondent) == 1L &&
    respondent %in% names(x)
  if (is.null(items)) {
    cols <- setdiff(names(x), c(if (has_id) respondent, by))
  } else if (is.numeric(items)) {
    bad <- items[is.na(items) | items < 1 | items > ncol(x) | items != trunc(items)]
    if (length(bad) > 0L) {
      abort("{.arg items} positions must be between 1 and {ncol(x)}, not {.val {bad}}.",
            call = call)
    }
    cols <- names(x)[items]
  } else if (is.character(items)) {
    check_columns(x, items, call = call)
    cols <- items
  } else {
    abort("{.arg items} must be column names or positions.", call = call)
  }
  if (anyDuplicated(cols)) {
    abort("{.arg items} must not repeat columns: {.field {unique(cols[duplicated(cols)])}}.",
          call = call)
  }
  if (length(cols) == 0L) {
    abort(c("{.arg x} has no item columns.",
            "i" = "Long data needs the columns {.field {c(respondent, item, 'rating')}}; counts need {.field {c(item, 'level', 'count')}}."),
          call = call)
  }
  if (nrow(x) == 0L) {
    abort("{.arg x} has no rows: there are no ratings to read.", call = call)
  }
  if (is.null(levels)) levels <- infer_levels(as.list(x[cols]), "rating", call)
  ids <- if (has_id) x[[respondent]] else seq_len(nrow(x))
  if (has_id) {
    check_key_column(ids, "respondent", call)
    if (anyDuplicated(ids)) {
      abort(c("Wide data must have one row per respondent.",
              "x" = "Repeated respondent{?s}: {.val {head_text(unique(ids[duplicated(ids)]))}}."),
            call = call)
    }
  }
  codes <- matrix(NA_integer_, nrow(x), length(cols), dimnames = list(NULL, cols))
  for (j in seq_along(cols)) {
    col <- cols[j]
    codes[, j] <- encode_ratings(x[[col]], levels,
                                 function(i) sprintf("column %s, row %s", col, i),
                                 call)
  }
  group <- NULL
  if (!is.null(by)) {
    group <- build_group(x[[by]], by, function(i) paste0("row ", i), call)
  }
  if (is.character(item_data)) {
    abort("For wide data, {.arg item_data} must be a data frame with an {.field {item}} column.",
          call = call)
  }
  items <- build_items(cols, NULL, NULL, item, item_data, character(), call)
  new_ratings(levels, items, codes = codes, respondents = as.character(ids),
              group = group, by = by, format = "wide")
}

ratings_counts <- function(x, item, levels, item_data, by, call) {
  check_columns(x, c(item, "level", "count", by), call = call)
  if (nrow(x) == 0L) {
    abort("{.arg x} has no rows: there are no counts to read.", call = call)
  }
  check_key_column(x[[item]], "item", call)
  check_key_column(x[["level"]], "level", call)
  count <- check_counts(x[["count"]], "count", call = call)
  if (is.null(levels)) {
    lv <- x[["level"]]
    levels <- check_levels(if (is.factor(lv)) base::levels(lv) else unique(format_level(lv)),
                           call = call)
  }
  li <- encode_ratings(x[["level"]], levels, function(i) paste0("row ", i), call)
  keys <- item_keys(x[[item]])
  ii <- match(as.character(x[[item]]), keys)
  if (!is.null(by)) {
    group <- build_group(x[[by]], by, function(i) paste0("row ", i), call)
  } else {
    group <- factor(rep("all", nrow(x)))
  }
  gi <- as.integer(group)
  K <- length(levels)
  G <- nlevels(group)
  cell <- ((ii - 1) * G + (gi - 1)) * K + li
  if (anyDuplicated(cell)) {
    d <- which(duplicated(cell))
    shown <- sprintf("%s x %s", x[[item]][d], x[["level"]][d])
    abort(c("Counts must have one row per item x level{if (!is.null(by)) ' x group'}.",
            "x" = "Repeated: {head_text(shown)}."), call = call)
  }
  counts <- array(0L, c(K, G, length(keys)),
                  dimnames = list(levels, base::levels(group), keys))
  counts[cell] <- count
  total <- colSums(counts, dims = 1L)
  dim(total) <- c(G, length(keys))
  n <- total
  if ("n" %in% names(x)) {
    stated <- check_counts(x[["n"]], "n", call = call)
    ig <- (ii - 1) * G + gi
    first <- stated[match(seq_len(G * length(keys)), ig)]
    varies <- which(stated != first[ig])
    if (length(varies) > 0L) {
      abort(c("{.field n} must be the same on every row of an item.",
              "x" = "It varies for {.val {head_text(unique(x[[item]][varies]))}}."),
            call = call)
    }
    over <- which(count > stated)
    if (length(over) > 0L) {
      shown <- sprintf("row %d: %d > %d", over, count[over], stated[over])
      abort(c("A count can't exceed its denominator {.field n}.",
              "x" = "{head_text(shown)}."), call = call)
    }
    present <- !is.na(first)
    sum_over <- which(present & total > first)
    if (length(sum_over) > 0L) {
      it <- keys[(sum_over - 1L) %/% G + 1L]
      abort(c("The counts of an item can't add up to more than its denominator {.field n}.",
              "x" = "Item{?s} {.val {head_text(unique(it))}}."), call = call)
    }
    n[present] <- first[present]
    n <- matrix(as.integer(n), G, length(keys))
  }
  # the C rule and tally count in int: refuse denominators beyond its range
  # (over groups too: ungrouped results add the groups up)
  max_int <- .Machine$integer.max
  over_int <- which(colSums(n) > max_int)
  if (length(over_int) > 0L) {
    abort(c("The {.arg count}s of an item can't add up to more than {max_int} (the largest integer).",
            "x" = "Item{?s} {.val {head_text(keys[over_int])}}."), call = call)
  }
  storage.mode(n) <- "integer"
  dimnames(n) <- list(base::levels(group), keys)
  exclude <- c(item, "level", "count", "n", by, "percent", "prop")
  items <- build_items(keys, x, ii, item, item_data, exclude, call)
  new_ratings(levels, items, counts = counts, n = n, by = by, format = "counts")
}

format_level <- function(v) if (is.numeric(v)) format_number(v) else as.character(v)
