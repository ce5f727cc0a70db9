#' Ratings that live in a database
#'
#' `as_ratings()` (and so every analysis) reads a lazy table of long
#' ratings, `dplyr::tbl(con, "ratings")` on any DBI backend (SQLite,
#' DuckDB, PostgreSQL, Spark through sparklyr), without bringing the ratings
#' into R: the counts are computed in the database and only they come back.
#' The result is the counts form of the ratings object, so [consensus()],
#' [threshold_sensitivity()], [tally_ratings()], [rand_ucla()],
#' [compare_groups()], [delphi_summary()], [add_intervals()], the tables and
#' the plots work on it unchanged, and give the results of the same ratings
#' read in memory.
#'
#' @section Queries:
#' Counts are additive, so one grouped query gives everything the counts
#' analyses need: `SELECT item, by, round, rating, COUNT(*) ... GROUP BY
#' item, by, round, rating` (one row per item x group x round x answer given,
#' `NULL` rating rows included). The per-item denominator `n` is the sum of
#' the counts over the levels of the scale, as in memory: `NA` (`NULL`) and
#' empty text are not rated, declared `missing_levels` are counted per item
#' (`n_missing_level`) and left out of `n`. Answers that are not on the
#' scale are an error naming the value and the item. Without `levels`, the
#' scale is read from the distinct answers of that same query and reported:
#' numbers in numeric order; text in sorted order (a database table has no
#' row order), so give `levels` for a text scale.
#'
#' The other queries return only what is wrong: the respondent x item (x
#' round) pairs rated more than once (`GROUP BY respondent, item, round
#' HAVING COUNT(*) > 1`), reported like the error of data in memory with the
#' number of rows of each pair; with `by`, the respondents (x round) whose
#' group is not constant. With `item_data = NULL`, one query per table
#' (`COUNT(DISTINCT col)` per item) finds the columns constant within each
#' item, which become item metadata as in memory (`item_data = character()`
#' skips that scan). [ratings_sql()] shows
#' the SQL of each query. An index on `(respondent, item, round)` lets the
#' database check the pairs without sorting the table.
#'
#' @section What is left in the database:
#' Respondent-level columns other than `by` and `round` are not read: give
#' `by` and `round` when reading (or to the analysis). Items are in sorted
#' order (numbers numerically, text in byte order), not in order of first
#' appearance. Analyses that need to know who gave which rating (the
#' jackknife and bootstrap of [consensus_robustness()], [agreement()],
#' [round_stability()], [attrition()], [consensus_completers()],
#' [round_flow()]) are an error of class `consensr_error_database` that
#' names `dplyr::collect()`; with `collect = TRUE` they pull only the
#' columns they need (respondent, item, rating, `by`, `round`), saying how
#' many rows, and read them in memory.
#'
#' @param x A lazy table of long ratings (class `tbl_lazy`, from
#'   `dplyr::tbl()`), one row per respondent x item (x round), or of counts
#'   (columns `item`, `level`, `count`: small by nature, read in memory).
#' @param collect If `TRUE`, the columns the analysis needs are pulled
#'   into R (the number of rows is said) and read in memory: respondent-level
#'   analyses then work. If `FALSE` (the default), only counts are read.
#' @inheritParams as_ratings
#' @return A `consensr_ratings` object in counts form (see [as_ratings()]).
#' @seealso [ratings_sql()] for the SQL, [read_ratings_chunked()] for files
#'   larger than memory.
#' @examplesIf requireNamespace("RSQLite", quietly = TRUE) && requireNamespace("dbplyr", quietly = TRUE)
#' con <- DBI::dbConnect(RSQLite::SQLite(), ":memory:")
#' DBI::dbWriteTable(con, "ratings", data.frame(
#'   respondent = rep(1:4, each = 2), item = rep(c("Q1", "Q2"), 4),
#'   rating = c(9, 8, 7, NA, 9, 2, 8, 99)
#' ))
#' db <- dplyr::tbl(con, "ratings")
#' r <- as_ratings(db, levels = 1:9, missing_levels = 99)
#' r
#' consensus(db, 7:9, threshold = 0.7, levels = 1:9, missing_levels = 99)
#' DBI::dbDisconnect(con)
#' @rdname as_ratings_db
#' @export
as_ratings.tbl_lazy <- function(x, ..., respondent = "respondent",
                                item = "item", rating = "rating",
                                levels = NULL, item_data = NULL, by = NULL,
                                round = NULL, missing_levels = NULL,
                                format = c("auto", "long", "counts"),
                                collect = FALSE,
                                quiet = getOption("consensr.quiet", FALSE)) {
  call <- user_call(parent.frame(), rlang::current_env())
  check_dots_empty(..., call = call)
  db_check_packages(call)
  for (arg in c("respondent", "item", "rating")) check_string(get(arg), arg, call = call)
  if (!is.null(by)) check_string(by, "by", call = call)
  if (!is.null(round)) check_string(round, "round", call = call)
  check_flag(quiet, "quiet", call = call)
  check_flag(collect, "collect", call = call)
  format <- rlang::arg_match(format, error_call = call)
  notes <- character()

  gv <- dplyr::group_vars(x)
  if (length(gv) > 0L) {
    if (length(gv) > 1L || (!is.null(by) && !identical(by, gv))) {
      abort(c("{.arg x} is grouped by {.field {gv}}; an analysis groups by one column, its {.arg by}.",
              "i" = "Give {.code dplyr::ungroup(x)} and {.arg by}."),
            call = call, class = "consensr_error_input")
    }
    if (is.null(by)) notes <- c(notes, sprintf("grouped by `%s` (from the table's groups)", gv))
    by <- gv
    x <- dplyr::ungroup(x)
  }
  cols <- colnames(x)
  if (format == "auto") {
    format <- if (all(c(item, "level", "count") %in% cols)) "counts" else "long"
  }
  if (format == "counts") {
    # published counts are small: read them in memory
    d <- as.data.frame(dplyr::collect(x))
    r <- as_ratings.data.frame(d, item = item, levels = levels, item_data = item_data,
                               by = by, round = round, missing_levels = missing_levels,
                               format = "counts", quiet = quiet)
    return(r)
  }
  given <- c(respondent = !missing(respondent), item = !missing(item),
             rating = !missing(rating))
  named <- c(respondent = respondent, item = item, rating = rating)
  absent <- named[!named %in% cols]
  if (length(absent) > 0L) {
    abort(c("{.arg x} has no column {.field {absent}} (given as {.arg {names(absent)}}).",
            "i" = did_you_mean(absent[[1L]], cols),
            "i" = "Its columns are {.field {cols}}.",
            "i" = if (!all(given)) "A database table is read as long ratings: name its columns with {.arg respondent}, {.arg item} and {.arg rating}."),
          call = call, class = "consensr_error_column")
  }
  for (arg in c("by", "round")) {
    col <- get(arg)
    if (!is.null(col) && !col %in% cols) {
      abort(c("{.arg x} has no column {.field {col}} (given as {.arg {arg}}).",
              "i" = did_you_mean(col, cols),
              "i" = "Its columns are {.field {cols}}."),
            call = call, class = "consensr_error_column")
    }
  }
  scale <- new_scale_args(levels, missing_levels, call)
  meta <- db_item_meta(x, item, item_data, c(respondent, item, rating, round), call)

  if (collect) {
    r <- db_collect(x, respondent, item, rating, by, round, levels, missing_levels,
                    meta, quiet, call)
    r$by_data <- by
    if (length(gv) > 0L) r$grouped_df <- TRUE
    return(r)
  }

  q <- db_queries(x, respondent, item, rating, by, round)
  tab <- as.data.frame(dplyr::collect(q$tally))
  if (nrow(tab) == 0L) {
    abort("{.arg x} has no rows: there are no ratings to read.", call = call,
          class = "consensr_error_input")
  }
  strata_cols <- unique(c(round, by))
  r <- ratings_from_tally(tab, item, rating, strata_cols, scale, call,
                          format = "database", round = round)
  db_check_duplicates(x, q, respondent, item, rating, round, call)
  if (!is.null(by)) db_check_by(x, q, respondent, by, round, call)
  r$items <- db_add_meta(r$items, meta, item, call)
  r$database <- list(columns = c(respondent, item, rating, by, round))
  r$round <- round
  if (!is.null(by)) {
    r <- set_by(r, by, call)
    r$by_data <- by
  }
  if (length(gv) > 0L) r$grouped_df <- TRUE
  notes <- c(r$notes, notes)
  r$notes <- NULL
  if (!quiet && length(notes) > 0L) say_read(notes)
  r
}

# Column names and SQL functions of the dbplyr expressions (translated, not
# evaluated in R).
utils::globalVariables(c("n", "n_distinct", "rows", "groups"))

db_check_packages <- function(call) {
  for (pkg in c("dplyr", "dbplyr")) {
    if (!requireNamespace(pkg, quietly = TRUE)) {
      abort("Reading a database table needs the package {.pkg {pkg}}.",
            call = call, class = "consensr_error_input")
    }
  }
}

# The lazy queries of a long ratings table: the grouped count (`tally`),
# the repeated respondent x item (x round) pairs (`duplicates`) and, with
# `by`, the respondents (x round) in more than one group (`by_check`).
db_queries <- function(x, respondent, item, rating, by = NULL, round = NULL) {
  keys <- unique(c(item, round, by, rating))
  tally <- dplyr::summarise(dplyr::group_by(x, !!!rlang::syms(keys)),
                            count = n(), .groups = "drop")
  resp <- rlang::sym(respondent)
  pair <- unique(c(respondent, item, round))
  duplicates <- dplyr::filter(
    dplyr::summarise(dplyr::group_by(x, !!!rlang::syms(pair)), rows = n(),
                     .groups = "drop"),
    rows > 1L | is.na(!!resp)
  )
  by_check <- NULL
  if (!is.null(by)) {
    b <- rlang::sym(by)
    by_check <- dplyr::filter(
      dplyr::summarise(dplyr::group_by(x, !!!rlang::syms(unique(c(respondent, round)))),
                       groups = n_distinct(!!b), .groups = "drop"),
      groups > 1L
    )
  }
  list(tally = tally, duplicates = duplicates, by_check = by_check)
}

# The counts form of ratings from a grouped count: `tab` has one row per
# item x strata x answer (NA: not rated) with its `count`.  Shared by the
# database reader and the chunked file reader.
ratings_from_tally <- function(tab, item, rating, strata_cols, scale, call, format,
                               round = NULL) {
  cnt <- as.double(tab[["count"]])
  tab_key_na(tab, item, "item", cnt, call)
  for (col in strata_cols) tab_key_na(tab, col, if (identical(col, round)) "round" else "by", cnt, call)
  rv <- tab[[rating]]
  if (is.factor(rv)) rv <- as.character(rv)
  if (is.list(rv) || !is.atomic(rv)) {
    abort("Ratings must be numbers, text or factors; column {.field {rating}} holds {.obj_type_friendly {rv}}.",
          call = call, class = "consensr_error_input")
  }
  blank <- is.character(rv) & !is.na(rv) & grepl("^\\s*$", rv)
  n_blank <- sum(cnt[blank])
  rv[blank] <- NA
  seen <- unique(rv[!is.na(rv)])
  seen <- if (is.character(seen)) sort(seen, method = "radix") else sort(seen)
  if (is.null(scale$levels) && is.character(rv) && length(seen) == 0L) seen <- NA
  lv_given <- !is.null(scale$levels)
  scale <- resolve_scale(scale, list(if (length(seen)) seen else rv), call)
  if (!lv_given && !is.null(scale$note) && grepl("first appearance", scale$note, fixed = TRUE)) {
    scale$note <- sprintf("scale %s in sorted order (a table has no row order: give `levels` to set the order)",
                          scale_text(scale$levels))
  }
  data <- column_data(rv, call, sprintf("column {.field %s}", rating))
  li <- .Call(ffi_encode, data, NULL, scale$num, scale$all)
  bad <- which(!is.na(li) & li == 0L)
  if (length(bad) > 0L) {
    shown <- utils::head(bad, 10L)
    found <- sprintf("%s at item %s (%s row%s)", encodeString(level_text(rv[shown]), quote = "\""),
                     level_text(tab[[item]][shown]), format(cnt[shown], big.mark = ","),
                     ifelse(cnt[shown] == 1, "", "s"))
    if (length(bad) > length(shown)) found <- c(found, sprintf("%d more", length(bad) - length(shown)))
    rating_error(found, scale, call)
  }
  keys <- sorted_keys(tab[[item]])
  ii <- match(level_text(tab[[item]]), keys)
  check_item_names(keys, call)
  m <- length(keys)
  if (length(strata_cols) > 0L) {
    skey <- do.call(paste, c(lapply(strata_cols, function(col) level_text(tab[[col]])), sep = "\r"))
    first <- which(!duplicated(skey))
    o <- do.call(order, c(unname(lapply(strata_cols, function(col) tab[[col]][first])),
                          list(method = "radix")))
    first <- first[o]
    si <- match(skey, skey[first])
    strata <- tab[first, strata_cols, drop = FALSE]
    rownames(strata) <- NULL
  } else {
    si <- rep(1L, nrow(tab))
    strata <- data.frame(row.names = 1L)
  }
  S <- nrow(strata)
  K <- scale$K
  M <- length(scale$missing)
  ok <- !is.na(li)
  full <- array(0, c(K + M, S, m))
  if (any(ok)) {
    cell <- ((ii[ok] - 1) * S + (si[ok] - 1)) * (K + M) + li[ok]
    agg <- rowsum(cnt[ok], cell, reorder = FALSE)
    full[as.double(rownames(agg))] <- agg[, 1L]
  }
  counts <- full[seq_len(K), , , drop = FALSE]
  n <- colSums(counts, dims = 1L)
  dim(n) <- c(S, m)
  over <- which(colSums(n) > .Machine$integer.max)
  if (length(over) > 0L) {
    max_int <- .Machine$integer.max
    abort(c("The ratings of an item can't add up to more than {max_int} (the largest integer).",
            "x" = "Item{?s} {.val {head_text(keys[over])}}."),
          call = call, class = "consensr_error_counts")
  }
  storage.mode(counts) <- "integer"
  storage.mode(n) <- "integer"
  dimnames(counts) <- list(scale$levels, NULL, keys)
  dimnames(n) <- list(NULL, keys)
  na_counts <- NULL
  if (M > 0L) {
    na_counts <- colSums(full[K + seq_len(M), , , drop = FALSE], dims = 1L)
    na_counts <- matrix(as.integer(na_counts), S, m)
  }
  r <- new_ratings(scale, data.frame(item = keys, stringsAsFactors = FALSE),
                   counts = counts, n = n, strata = strata, nonanswer = na_counts,
                   format = format)
  r$notes <- c(scale$note, if (n_blank > 0) blank_note(n_blank))
  r
}

# Item keys in sorted order: numbers numerically, text in byte order.
sorted_keys <- function(v) {
  if (is.factor(v)) v <- as.character(v)
  u <- unique(v[!is.na(v)])
  if (is.numeric(u)) unique(level_text(sort(u))) else
    sort(unique(level_text(u)), method = "radix")
}

tab_key_na <- function(tab, col, arg, cnt, call) {
  miss <- is.na(tab[[col]])
  if (any(miss)) {
    rows <- sum(cnt[miss])
    abort("The {.arg {arg}} column {.field {col}} can't hold missing values ({format(rows, big.mark = ',')} row{?s}).",
          call = call, class = "consensr_error_input")
  }
}

db_check_duplicates <- function(x, q, respondent, item, rating, round, call) {
  dup <- as.data.frame(dplyr::collect(utils::head(q$duplicates, 11L)))
  if (nrow(dup) == 0L) return(invisible())
  if (anyNA(dup[[respondent]])) {
    rows <- sum(as.double(dup$rows[is.na(dup[[respondent]])]))
    abort("The {.arg respondent} column {.field {respondent}} can't hold missing values ({format(rows, big.mark = ',')} row{?s} in the shown pairs).",
          call = call, class = "consensr_error_input")
  }
  all <- as.data.frame(dplyr::collect(dplyr::summarise(
    q$duplicates, pairs = n(), rows = sum(rows, na.rm = TRUE))))
  shown <- utils::head(dup, 10L)
  pair_text <- sprintf("%s x %s%s (%s rows)", level_text(shown[[respondent]]),
                       level_text(shown[[item]]),
                       if (!is.null(round)) paste0(" in round ", level_text(shown[[round]])) else "",
                       format(as.double(shown$rows), big.mark = ","))
  shown_text <- paste(pair_text, collapse = ", ")
  n_pairs <- as.double(all$pairs)
  total <- if (n_pairs > nrow(shown)) {
    sprintf(" (%s repeated pairs, %s rows in all)", format(n_pairs, big.mark = ","),
            format(as.double(all$rows), big.mark = ","))
  } else ""
  # which column tells the rows of the first pair apart?
  first <- shown[1L, , drop = FALSE]
  sub <- x
  for (col in c(respondent, item, round)) {
    v <- first[[col]]
    sub <- dplyr::filter(sub, !!rlang::sym(col) == !!v)
  }
  rows <- as.data.frame(dplyr::collect(utils::head(sub, 1000L)))
  cand <- setdiff(names(rows), c(respondent, item, rating, round))
  apart <- cand[vapply(cand, function(col) !anyDuplicated(rows[[col]]), logical(1))]
  hint <- duplicate_hint(apart, round)
  abort(c("Each respondent can rate each item only once{if (!is.null(round)) ' per round' else ''}.",
          "x" = "Repeated respondent x item pairs: {shown_text}{total}.",
          hint),
        call = call, class = "consensr_error_duplicate")
}

db_check_by <- function(x, q, respondent, by, round, call) {
  bad <- as.data.frame(dplyr::collect(utils::head(q$by_check, 6L)))
  if (nrow(bad) == 0L) return(invisible())
  who <- level_text(bad[[respondent]])
  if (!is.null(round)) who <- paste0(who, " (round ", level_text(bad[[round]]), ")")
  abort(c("The {.arg by} column {.field {by}} must be constant within each respondent{if (!is.null(round)) ' and round' else ''}.",
          "x" = "It varies within respondent{?s} {head_text(who)}, so it can't put them into groups."),
        call = call, class = "consensr_error_by")
}

# Item metadata of a database table: `item_data` as a data frame (kept as
# is), as column names (checked constant within items), or NULL: every
# column constant within items (one aggregated query).  Returns a data
# frame (item + metadata), or NULL.
db_item_meta <- function(x, item, item_data, used, call) {
  if (is.data.frame(item_data)) return(item_data)
  cols <- colnames(x)
  if (is.null(item_data)) {
    cand <- setdiff(cols, c(used, "item"))
  } else {
    if (!is.character(item_data)) {
      abort("{.arg item_data} must be a data frame or names of columns of {.arg x}.",
            call = call, class = "consensr_error_argument")
    }
    check_columns(stats::setNames(vector("list", length(cols)), cols), item_data, "x", call = call)
    cand <- setdiff(item_data, c(item, "item"))
  }
  if (length(cand) == 0L) return(NULL)
  it <- rlang::sym(item)
  aggs <- list()
  for (j in seq_along(cand)) {
    v <- rlang::sym(cand[j])
    aggs[[paste0("nd_", j)]] <- rlang::expr(n_distinct(!!v))
    aggs[[paste0("nna_", j)]] <- rlang::expr(sum(ifelse(is.na(!!v), 1L, 0L), na.rm = TRUE))
    aggs[[paste0("v_", j)]] <- rlang::expr(min(!!v, na.rm = TRUE))
  }
  res <- as.data.frame(dplyr::collect(dplyr::summarise(
    dplyr::group_by(x, !!it), !!!aggs, .groups = "drop")))
  res <- res[!is.na(res[[item]]), , drop = FALSE]
  out <- data.frame(item = level_text(res[[item]]), stringsAsFactors = FALSE)
  names(out) <- item
  for (j in seq_along(cand)) {
    nd <- as.double(res[[paste0("nd_", j)]])
    nna <- as.double(res[[paste0("nna_", j)]])
    constant <- (nd == 1 & nna == 0) | (nd == 0 & nna > 0)
    if (!all(constant)) {
      if (!is.null(item_data)) {
        abort(c("Item metadata must be constant within each item.",
                "x" = "Column {.field {cand[j]}} varies within item {.val {level_text(res[[item]][!constant][1L])}}."),
              call = call, class = "consensr_error_input")
      }
      next
    }
    v <- res[[paste0("v_", j)]]
    v[nd == 0] <- NA
    out[[cand[j]]] <- v
  }
  if (ncol(out) == 1L) return(NULL)
  out
}

db_add_meta <- function(items, meta, item, call) {
  if (is.null(meta)) return(items)
  join_item_data(items, meta, item, call)
}

# collect = TRUE: pull the columns needed and read them in memory (items
# in the sorted order of the counts path).
db_collect <- function(x, respondent, item, rating, by, round, levels,
                       missing_levels, meta, quiet, call) {
  cols <- unique(c(respondent, item, rating, by, round))
  rows <- as.double(dplyr::pull(dplyr::collect(dplyr::summarise(dplyr::ungroup(x), rows = n()))))
  if (!quiet) {
    rows_text <- sprintf("%s row%s", format(rows, big.mark = ","), if (rows == 1) "" else "s")
    cli::cli_inform(c("i" = "Collecting {rows_text} of {.field {cols}} from the database table."),
                    class = "consensr_message_collect")
  }
  d <- as.data.frame(dplyr::collect(dplyr::select(x, !!!rlang::syms(cols))))
  iv <- d[[item]]
  if (!anyNA(iv)) d[[item]] <- factor(level_text(iv), levels = sorted_keys(iv))
  as_ratings.data.frame(d, respondent = respondent, item = item, rating = rating,
                        levels = levels, item_data = meta, by = by, round = round,
                        missing_levels = missing_levels, format = "long",
                        quiet = quiet)
}

# Analyses that need each respondent's ratings refuse counts read from a
# database table, naming dplyr::collect() and `collect = TRUE`.
db_needs_respondents <- function(r, call, why = "It needs to know who gave which rating.") {
  if (!identical(.subset2(r, "format"), "database")) return(invisible())
  cols <- r$database$columns
  abort(c("{.arg x} is a database table, of which only the counts were read. {why}",
          "i" = "Bring the ratings into R with {.code dplyr::collect()}, or give {.code collect = TRUE} to pull only the columns needed ({.field {cols}})."),
        call = call, class = "consensr_error_database")
}

#' The SQL consensr sends to a database
#'
#' The queries [as_ratings()] runs on a lazy table of long ratings (see
#' [as_ratings.tbl_lazy()]), rendered by dbplyr for the table's backend:
#' the grouped count every counts analysis works from, the check for
#' repeated respondent x item pairs (only offending pairs come back) and,
#' with `by`, the check that each respondent is in one group. Use it to see
#' what runs on your server, or with a simulated backend
#' (`dbplyr::simulate_postgres()`, `dbplyr::simulate_hive()`) through
#' `dbplyr::lazy_frame()`.
#'
#' @inheritParams as_ratings.tbl_lazy
#' @return A named list of `dbplyr::sql()` strings: `tally`, `duplicates`
#'   and, with `by`, `by_check`.
#' @examplesIf requireNamespace("dbplyr", quietly = TRUE)
#' lf <- dbplyr::lazy_frame(respondent = 1L, item = "Q1", rating = 9L,
#'                          round = 1L, con = dbplyr::simulate_postgres())
#' ratings_sql(lf, round = "round")$tally
#' @export
ratings_sql <- function(x, respondent = "respondent", item = "item",
                        rating = "rating", by = NULL, round = NULL) {
  call <- rlang::current_env()
  db_check_packages(call)
  if (!inherits(x, "tbl_lazy")) {
    abort("{.arg x} must be a lazy database table ({.cls tbl_lazy}), not {.obj_type_friendly {x}}.",
          call = call, class = "consensr_error_input")
  }
  check_columns(stats::setNames(vector("list", length(colnames(x))), colnames(x)),
                c(respondent, item, rating, by, round), "x", call = call)
  q <- db_queries(dplyr::ungroup(x), respondent, item, rating, by, round)
  q <- Filter(Negate(is.null), q)
  lapply(q, dbplyr::sql_render)
}
