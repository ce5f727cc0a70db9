#' Read a ratings file larger than memory, in chunks
#'
#' Tallies a delimited file of long ratings (one row per respondent x item
#' (x round)) chunk by chunk with [readr::read_delim_chunked()], adding up
#' the counts of each chunk: counts are additive, so the result is the
#' ratings object in counts form that [as_ratings()] makes of the same data
#' read whole, and every counts analysis ([consensus()],
#' [threshold_sensitivity()], [tally_ratings()], tables and plots) works on
#' it unchanged. A progress bar shows the rows read (in interactive
#' sessions, after two seconds).
#'
#' @section Memory:
#' Each chunk is read as text (so no chunk guesses a type the next one
#' contradicts), tallied and dropped. What is kept grows with the counts:
#' one row per item x group x round x distinct answer. Types are then
#' guessed as readr does ([readr::parse_guess()]) on those few values, so the
#' result equals that of `readr::read_delim()` followed by [as_ratings()].
#' The scale, `NA`, empty text and declared `missing_levels` are handled as
#' in memory. Items are in sorted order (numbers numerically, text in byte
#' order).
#'
#' The check that no respondent rated an item twice (per round) needs to
#' remember every respondent x item pair seen, across chunks: with
#' `duplicates = "check"` (the default) the respondents (x rounds) are kept
#' as text and each item has one byte per respondent, so memory grows with
#' respondents x items, the size of the panel, about a quarter of the code
#' matrix of the same ratings read in memory (and far below the file). With
#' `by`, each respondent's group is kept too (it must be constant within a
#' respondent). `duplicates = "none"` skips the check (and the `by` check):
#' memory then stays proportional to the counts, for files whose rows are
#' known to be unique (e.g. exported with a primary key on respondent,
#' item and round).
#'
#' @param file Path of a delimited text file (or anything
#'   [readr::read_delim_chunked()] reads), with a header row.
#' @param ... Unused; an error when not empty.
#' @param item_data Names of item-level columns of the file (constant
#'   within each item) to keep as item metadata, or a data frame with a
#'   column named by `item`. Unlike [as_ratings()], nothing is kept unless
#'   named.
#' @param chunk_size Rows per chunk.
#' @param duplicates `"check"` (respondent x item pairs rated twice are an
#'   error) or `"none"` (see "Memory").
#' @param delim The field delimiter.
#' @param progress If `TRUE`, show a progress bar of the rows read.
#' @inheritParams as_ratings
#' @return A `consensr_ratings` object in counts form (see [as_ratings()]).
#' @seealso [as_ratings.tbl_lazy()] for ratings in a database.
#' @examplesIf requireNamespace("readr", quietly = TRUE)
#' f <- tempfile(fileext = ".csv")
#' utils::write.csv(data.frame(
#'   respondent = rep(1:50, each = 3), item = rep(c("Q1", "Q2", "Q3"), 50),
#'   rating = sample(1:9, 150, TRUE)
#' ), f, row.names = FALSE)
#' r <- read_ratings_chunked(f, levels = 1:9, chunk_size = 40)
#' consensus(r, 7:9, threshold = 0.7)
#' @export
read_ratings_chunked <- function(file, respondent = "respondent", item = "item",
                                 rating = "rating", ..., levels = NULL,
                                 item_data = NULL, by = NULL, round = NULL,
                                 missing_levels = NULL, chunk_size = 1e6,
                                 duplicates = c("check", "none"), delim = ",",
                                 progress = TRUE,
                                 quiet = getOption("consensr.quiet", FALSE)) {
  call <- rlang::current_env()
  check_dots_empty(..., call = call)
  if (!requireNamespace("readr", quietly = TRUE)) {
    abort("Reading a file in chunks needs the package {.pkg readr}.",
          call = call, class = "consensr_error_input")
  }
  for (arg in c("respondent", "item", "rating")) check_string(get(arg), arg, call = call)
  if (!is.null(by)) check_string(by, "by", call = call)
  if (!is.null(round)) check_string(round, "round", call = call)
  check_flag(progress, "progress", call = call)
  check_flag(quiet, "quiet", call = call)
  duplicates <- rlang::arg_match(duplicates, error_call = call)
  chunk_size <- rob_check_whole(chunk_size, "chunk_size", call = call)
  meta_cols <- if (is.character(item_data)) setdiff(item_data, item) else character()
  if (!is.null(item_data) && !is.character(item_data) && !is.data.frame(item_data)) {
    abort("{.arg item_data} must be a data frame or names of columns of the file.",
          call = call, class = "consensr_error_argument")
  }
  header <- names(readr::read_delim(file, delim = delim, n_max = 0L,
                                    col_types = readr::cols(.default = readr::col_character()),
                                    progress = FALSE))
  wanted <- c(respondent = respondent, item = item, rating = rating,
              by = by, round = round)
  absent <- wanted[!wanted %in% header]
  if (length(absent) > 0L) {
    abort(c("The file has no column {.field {absent}} (given as {.arg {names(absent)}}).",
            "i" = did_you_mean(absent[[1L]], header),
            "i" = "Its columns are {.field {header}}."),
          call = call, class = "consensr_error_column")
  }
  check_columns(stats::setNames(vector("list", length(header)), header), meta_cols,
                "file", call = call)
  scale <- new_scale_args(levels, missing_levels, call)
  keys <- unique(c(item, round, by, meta_cols, rating))
  read_cols <- unique(c(respondent, keys))
  spec <- do.call(readr::cols_only, stats::setNames(
    rep(list(readr::col_character()), length(read_cols)), read_cols))

  st <- new.env(parent = emptyenv())
  st$key <- character()
  st$count <- numeric()
  st$rows <- list()
  st$rows_read <- 0
  check_pairs <- duplicates == "check"
  st$rkeys <- character()
  st$rgroup <- character()
  st$items <- character()
  st$seen <- list()
  pb <- if (progress) {
    cli::cli_progress_bar(format = "Tallying ratings: {cli::pb_current} rows read ({cli::pb_elapsed})",
                          total = NA, clear = TRUE)
  }
  chunk_tally <- function(ch, pos) {
    ch <- as.list(ch)
    nr <- length(ch[[1L]])
    if (nr == 0L) return(invisible())
    # the counts: one entry per item x strata x answer
    parts <- lapply(keys, function(k) {
      v <- ch[[k]]
      ifelse(is.na(v), "\001", v)
    })
    tkey <- do.call(paste, c(parts, sep = "\r"))
    u <- unique(tkey)
    cnt <- tabulate(match(tkey, u), length(u))
    at <- match(u, st$key)
    new <- is.na(at)
    if (any(new)) {
      first <- match(u[new], tkey)
      st$rows[[length(st$rows) + 1L]] <- lapply(ch[keys], `[`, first)
      at[new] <- length(st$key) + seq_len(sum(new))
      st$key <- c(st$key, u[new])
      st$count <- c(st$count, numeric(sum(new)))
    }
    st$count[at] <- st$count[at] + cnt
    if (check_pairs) chunked_check(ch, pos, st, respondent, item, by, round, call)
    st$rows_read <- st$rows_read + nr
    if (!is.null(pb)) cli::cli_progress_update(id = pb, set = st$rows_read)
    invisible()
  }
  readr::read_delim_chunked(file, readr::SideEffectChunkCallback$new(chunk_tally),
                            chunk_size = chunk_size, delim = delim,
                            col_types = spec, progress = FALSE)
  if (!is.null(pb)) cli::cli_progress_done(id = pb)
  if (length(st$key) == 0L) {
    abort("The file has no rows: there are no ratings to read.", call = call,
          class = "consensr_error_input")
  }
  tab <- do.call(rbind, lapply(st$rows, as.data.frame, stringsAsFactors = FALSE))
  names(tab) <- keys
  for (k in keys) tab[[k]] <- readr::parse_guess(tab[[k]])
  tab$count <- st$count
  r <- ratings_from_tally(tab, item, rating, unique(c(round, by)), scale, call,
                          format = "file", round = round)
  meta <- if (is.data.frame(item_data)) item_data else chunked_meta(tab, item, meta_cols, call)
  r$items <- db_add_meta(r$items, meta, item, call)
  r$round <- round
  if (!is.null(by)) {
    r <- set_by(r, by, call)
    r$by_data <- by
  }
  notes <- c(sprintf("Tallied %s row%s of %s in chunks of %s", format(st$rows_read, big.mark = ","),
                     if (st$rows_read == 1) "" else "s",
                     if (is.character(file) && length(file) == 1L) basename(file) else "the file",
                     format(chunk_size, big.mark = ",")),
             r$notes)
  r$notes <- NULL
  if (!quiet) say_read(notes)
  r
}

# Item metadata of the tally: one value per item, else an error.
chunked_meta <- function(tab, item, cols, call) {
  if (length(cols) == 0L) return(NULL)
  key <- level_text(tab[[item]])
  first <- !duplicated(key)
  out <- data.frame(item = key[first], stringsAsFactors = FALSE)
  names(out) <- item
  for (col in cols) {
    v <- tab[[col]]
    ref <- v[first][match(key, key[first])]
    differs <- !(is.na(v) == is.na(ref) & (is.na(v) | v == ref))
    if (any(differs)) {
      abort(c("Item metadata must be constant within each item.",
              "x" = "Column {.field {col}} varies within item {.val {key[differs][1L]}}."),
            call = call, class = "consensr_error_input")
    }
    out[[col]] <- v[first]
  }
  out
}

# The respondent x item (x round) pairs of a chunk, checked against those of
# the chunk and of the chunks before (one byte per respondent and item), and
# each respondent's group.
chunked_check <- function(ch, pos, st, respondent, item, by, round, call) {
  rv <- ch[[respondent]]
  if (anyNA(rv)) {
    abort("The {.arg respondent} column {.field {respondent}} can't hold missing values (row{?s} {head_text(pos - 1 + which(is.na(rv)))}).",
          call = call, class = "consensr_error_input")
  }
  rk <- if (is.null(round)) rv else paste(rv, ifelse(is.na(ch[[round]]), "\001", ch[[round]]), sep = "\r")
  id <- match(rk, st$rkeys)
  new <- is.na(id)
  if (any(new)) {
    nk <- unique(rk[new])
    st$rkeys <- c(st$rkeys, nk)
    if (!is.null(by)) st$rgroup <- c(st$rgroup, ch[[by]][new][match(nk, rk[new])])
    id[new] <- match(rk[new], st$rkeys)
  }
  if (!is.null(by)) {
    g <- ch[[by]]
    ref <- st$rgroup[id]
    bad <- which(!(is.na(g) == is.na(ref) & (is.na(g) | g == ref)))
    if (length(bad) > 0L) {
      who <- unique(rv[bad])
      rows <- pos - 1 + bad
      where <- sprintf("respondent%s %s (row%s %s)", if (length(who) > 1L) "s" else "",
                       paste(head_text(who), collapse = ", "),
                       if (length(rows) > 1L) "s" else "", paste(head_text(rows), collapse = ", "))
      abort(c("The {.arg by} column {.field {by}} must be constant within each respondent{if (!is.null(round)) ' and round' else ''}.",
              "x" = "It varies within {where}, so it can't put them into groups."),
            call = call, class = "consensr_error_by")
    }
  }
  iv <- ifelse(is.na(ch[[item]]), "\001", ch[[item]])
  j <- match(iv, st$items)
  if (anyNA(j)) {
    st$items <- c(st$items, unique(iv[is.na(j)]))
    j <- match(iv, st$items)
  }
  dup <- duplicated(as.double(j) * 2^31 + id)
  n_id <- length(st$rkeys)
  for (jj in unique(j)) {
    at <- which(j == jj)
    s <- if (jj <= length(st$seen)) st$seen[[jj]] else raw(0)
    if (length(s) < n_id) s <- c(s, raw(n_id - length(s)))
    dup[at] <- dup[at] | s[id[at]] == as.raw(1L)
    s[id[at]] <- as.raw(1L)
    st$seen[[jj]] <- s
  }
  if (any(dup)) {
    d <- utils::head(which(dup), 10L)
    shown <- sprintf("%s x %s%s (row %s)", rv[d], ch[[item]][d],
                     if (!is.null(round)) paste0(" in round ", ch[[round]][d]) else "",
                     format(pos - 1 + d, big.mark = ","))
    shown_text <- paste(shown, collapse = ", ")
    abort(c("Each respondent can rate each item only once{if (!is.null(round)) ' per round' else ''}.",
            "x" = "Repeated respondent x item pairs: {shown_text}.",
            "i" = "Rows are numbered from the first row after the header."),
          call = call, class = "consensr_error_duplicate")
  }
  invisible()
}
