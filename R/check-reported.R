# check_reported(): can a printed percentage come from count / n?
#
# The GRIM logic (Brown and Heathers 2017) applied to percentages, done in
# exact integer arithmetic held in doubles (every intermediate stays below
# 2^53, so no tie is decided by floating-point error).

#' Check printed percentages against their counts and denominators
#'
#' Catches published percentages that cannot be right: a percentage printed
#' with \code{d} decimals must equal \code{100 * count / n} rounded to
#' \code{d} decimals under some rounding rule the authors could have used.
#' This is the logic of the GRIM test (Brown and Heathers 2017) applied to
#' percentages of a count.
#'
#' @param count For the default method: counts (non-negative whole
#'   numbers, \code{NA} allowed). For the data frame method: a published
#'   table in long form, one row per item and category, with columns for
#'   the count, the denominator and the printed percentage.
#' @param n Denominators (non-negative whole numbers, \code{NA} allowed).
#' @param reported The percentages as printed. Either character, such as
#'   \code{"56.6\%"}, \code{"72\%"}, \code{"8.3 \%"} or \code{"20,8\%"}:
#'   the decimal mark may be \code{"."}, \code{","} or a middle dot
#'   (U+00B7, \code{"\\u00b7"}), the \code{"\%"} sign is optional and
#'   surrounding white space (including non-breaking and thin spaces) is
#'   ignored; the number of printed decimals is read from the text, so
#'   \code{"72\%"} has 0, \code{"56.6\%"} 1 and \code{"8.30\%"} 2.
#'   \code{NA} and blank strings count as missing. Or numeric, such as
#'   \code{56.6}, in which case \code{decimals} must be given. Factors are
#'   used as character.
#' @param decimals Number of printed decimals: whole numbers from 0 to 15,
#'   recycled. Required when \code{reported} is numeric; with character
#'   \code{reported} it overrides the precision read from the text (so
#'   \code{"72\%"} with \code{decimals = 1} is checked as 72.0). In the data
#'   frame method it may also be the name of a column.
#' @param ... For the default method, must be empty. For the data frame
#'   method, must be empty: name the column arguments.
#' @param count_col,n_col,reported_col Names of the columns of the data
#'   frame holding the counts, the denominators and the printed
#'   percentages.
#' @param item_col Name of the column identifying the item (the question or
#'   competency whose categories share one denominator), or \code{NULL} to
#'   treat all rows as one item.
#' @param tolerance Largest accepted distance, in percentage points, between
#'   100 and the sum of an item's printed percentages (default 1).
#'
#' @details
#' For each element, with \code{d} printed decimals, the exact percentage
#' scaled to an integer grid is the rational number
#' \code{v = count * 100 * 10^d / n}. With \code{q = floor(v)} and
#' \code{r = (count * 100 * 10^d) mod n}, three rounding rules are
#' considered:
#' \describe{
#'   \item{half-up}{round half away from zero: \code{q + (2r >= n)};}
#'   \item{half-even}{round half to even (banker's rounding):
#'     \code{q + 1} when \code{2r > n}, or when \code{2r == n} and \code{q}
#'     is odd, else \code{q};}
#'   \item{truncation}{drop the further digits: \code{q}.}
#' }
#' The printed text is read as integer digits (\code{"56.6"} becomes 566
#' with \code{d = 1}) and compared with each result, so exact ties are
#' decided exactly: 1 of 8 is 12.5%, printed \code{"13\%"} under half-up
#' but \code{"12\%"} under half-even and truncation; 1 of 16 is 6.25%,
#' printed \code{"6.3\%"} under half-up and \code{"6.2\%"} under half-even.
#' All arithmetic is on whole numbers below \eqn{2^{53}}{2^53}, which
#' doubles hold exactly; that is, \code{count * 100 * 10^d} and
#' \code{(2 * printed + 2) * n} (printed value on the integer grid) must
#' stay below \eqn{2^{53}}{2^53} (denominators up to a million with up to
#' 4 decimals are fine), otherwise an error is raised.
#'
#' A row is \code{consistent} when at least one rule gives the printed
#' value. A count larger than its denominator is never consistent. When
#' \code{count}, \code{n} or \code{reported} is missing, or \code{n} is 0,
#' \code{consistent} is \code{NA} and \code{note} says why.
#'
#' \code{candidates} lists the counts \code{k} in \code{0..n} whose
#' percentage \code{100 * k / n} gives the printed value under at least one
#' rule, i.e. the counts the printed percentage implies. They always form a
#' run of consecutive counts, shown as \code{"18"}, \code{"16, 17"} or, for
#' three or more, \code{"445-459"}; \code{""} when no count works. They are
#' computed whenever \code{n} and \code{reported} are known, even when
#' \code{count} is missing.
#'
#' The data frame method checks every row as above and, per item, that
#' \itemize{
#'   \item all rows share one denominator and the counts add up to it;
#'   \item the printed percentages add up to 100 within \code{tolerance}
#'     percentage points: an item is flagged when
#'     \code{abs(sum - 100) > tolerance}. Rounding alone can move a sum of
#'     \code{m} rounded percentages by up to \code{m} half-units of the
#'     printed precision, so the default of 1 point is generous for a few
#'     categories printed to whole percentages and tight for many
#'     categories.
#' }
#' Items are identified by the values of \code{item_col}, in order of first
#' appearance; they need not be contiguous.
#'
#' The check only says whether a printed value is arithmetically possible.
#' A consistent value may still be wrong (a typo that happens to be
#' reachable), and an inconsistent one may come from a denominator that
#' differs from the one printed (missing answers, weighting).
#'
#' @return
#' The default method returns a data frame of class
#' \code{c("consensr_check", "data.frame")} with one row per element and
#' columns
#' \describe{
#'   \item{count, n}{the inputs, as doubles;}
#'   \item{reported}{the printed percentage: the text as given, or the
#'     number formatted with \code{decimals} decimals;}
#'   \item{decimals}{integer, the printed number of decimals;}
#'   \item{value}{double, the printed value;}
#'   \item{exact}{double, \code{100 * count / n};}
#'   \item{rules}{character, the rules that give the printed value,
#'     such as \code{"half-up, half-even"}, or \code{""} when none does;}
#'   \item{consistent}{logical, \code{TRUE} when at least one rule gives the
#'     printed value;}
#'   \item{possible}{character, what \code{count / n} would be printed as at
#'     the same precision, under the three rules (distinct values, with
#'     \code{"."} as decimal mark, joined by \code{" or "});}
#'   \item{candidates}{character, the counts out of \code{n} that the
#'     printed value could come from (see Details);}
#'   \item{note}{character, \code{""} or why the row is inconsistent or
#'     unchecked, such as \code{"count exceeds n"}, \code{"n is 0"} or
#'     \code{"no rounding of 13/23 (56.521...\%) gives 56.6 at 1 decimal"}
#'     (the exact percentage is shown to two more decimals than printed,
#'     truncated, with \code{"..."} when it goes on).}
#' }
#' Columns \code{rules}, \code{possible} and \code{candidates} are
#' \code{NA} when the row cannot be checked.
#'
#' The data frame method returns an object of class
#' \code{"consensr_check_table"}: a list of two data frames,
#' \describe{
#'   \item{rows}{the input data frame with the columns \code{decimals},
#'     \code{value}, \code{exact}, \code{rules}, \code{consistent},
#'     \code{possible}, \code{candidates} and \code{note} added (an input
#'     column of the same name is kept and the added one is prefixed with
#'     \code{"check_"});}
#'   \item{items}{one row per item, with columns named after
#'     \code{item_col} (\code{"item"} when it is \code{NULL}), \code{n}
#'     (\code{NA} when the rows disagree), \code{sum_count},
#'     \code{counts_add_up}, \code{sum_percent}, \code{percents_add_up},
#'     \code{rows_consistent} (all rows consistent), \code{consistent} (all
#'     three) and \code{note}.}
#' }
#' \code{as.data.frame()} on it returns \code{rows}. Both classes have
#' \code{format()} (a summary) and \code{print()} (the summary, then the
#' rows and items that fail) methods.
#'
#' @references
#' Brown, N. J. L. and Heathers, J. A. J. (2017). The GRIM test: a simple
#' technique detects numerous anomalies in the reporting of results in
#' psychology. \emph{Social Psychological and Personality Science}, 8(4),
#' 363--369. \doi{10.1177/1948550616673876}
#'
#' @examples
#' # Table 2 of the reference study prints 56.6% for 13 of 23 experts
#' check_reported(13, 23, "56\u00b76%")
#'
#' # Vectorised; numeric percentages need `decimals`
#' check_reported(c(19, 5, 2), c(24, 24, 23), c(79, 20.8, 8),
#'                decimals = c(0, 1, 0))
#'
#' # Exact ties: 1 of 8 is 12.5%
#' res <- check_reported(1, 8, c("12%", "13%"))
#' res[, c("reported", "rules", "consistent")]
#'
#' # Which counts could a printed "45%" of 35 come from?
#' check_reported(NA, 35, "45%")$candidates
#'
#' # A whole published table: rows, and per item sums of counts and
#' # percentages
#' chk <- check_reported(atmp_published)
#' chk
#' chk$items[!chk$items$consistent, ]
#' @export
check_reported <- function(count, ...) {
  UseMethod("check_reported")
}

#' @rdname check_reported
#' @export
check_reported.default <- function(count, n, reported, decimals = NULL, ...) {
  reported_dots_empty(...)
  if (missing(count)) cr_abort("`count` must be given.")
  if (missing(n)) cr_abort("`n` must be given.")
  if (missing(reported)) cr_abort("`reported` must be given.")
  reported_check(count, n, reported, decimals)
}

#' @rdname check_reported
#' @export
check_reported.data.frame <- function(count, ..., count_col = "count",
                                      n_col = "n", reported_col = "percent",
                                      item_col = "item", decimals = NULL,
                                      tolerance = 1) {
  reported_dots_empty(...)
  data <- count
  reported_column_name(count_col, "count_col")
  reported_column_name(n_col, "n_col")
  reported_column_name(reported_col, "reported_col")
  if (!is.null(item_col)) reported_column_name(item_col, "item_col")
  if (is.character(decimals)) reported_column_name(decimals, "decimals")
  used <- list(count_col = count_col, n_col = n_col,
               reported_col = reported_col, item_col = item_col,
               decimals = if (is.character(decimals)) decimals)
  for (arg in names(used)) {
    col <- used[[arg]]
    if (!is.null(col) && !col %in% names(data)) {
      cr_abort(sprintf(
        "`%s` names column \"%s\", which the data frame does not have (%s).",
        arg, col, reported_names_text(names(data))
      ))
    }
  }
  if (!is.numeric(tolerance) || length(tolerance) != 1L || is.na(tolerance) ||
      !is.finite(tolerance) || tolerance < 0) {
    cr_abort("`tolerance` must be a single number >= 0 (percentage points).")
  }
  rows <- as.data.frame(data)
  size <- nrow(rows)
  if (is.character(decimals)) {
    decimals <- rows[[decimals]]
    dec_label <- sprintf("Column \"%s\" (`decimals`)", used$decimals)
  } else {
    dec_label <- "`decimals`"
  }
  if (!is.null(decimals) && !length(decimals) %in% c(1L, size)) {
    cr_abort(sprintf(
      "`decimals` must have length 1 or one value per row (%d), not length %d.",
      size, length(decimals)
    ))
  }

  col_label <- function(arg) sprintf("Column \"%s\" (`%s`)", used[[arg]], arg)
  res <- reported_check(
    rows[[count_col]], rows[[n_col]], rows[[reported_col]], decimals,
    labels = c(count = col_label("count_col"), n = col_label("n_col"),
               reported = col_label("reported_col"), decimals = dec_label),
    unit = "row"
  )

  added <- c("decimals", "value", "exact", "rules", "consistent", "possible",
             "candidates", "note")
  added <- stats::setNames(
    ifelse(added %in% names(rows), paste0("check_", added), added), added)
  for (nm in names(added)) rows[[added[[nm]]]] <- res[[nm]]

  item <- if (is.null(item_col)) rep("all", size) else rows[[item_col]]
  items <- reported_items(res, item, tolerance)
  names(items)[1L] <- if (is.null(item_col)) "item" else item_col

  structure(
    list(rows = rows, items = items),
    class = "consensr_check_table",
    columns = c(item = if (is.null(item_col)) NA_character_ else item_col,
                count = count_col, n = n_col, reported = reported_col,
                added),
    tolerance = tolerance
  )
}

# ---------------------------------------------------------------------------
# The worker shared by both methods. `labels` name the arguments in errors;
# `unit` is "element" (vectors) or "row" (data frame columns).

reported_check <- function(count, n, reported, decimals,
                           labels = c(count = "`count`", n = "`n`",
                                      reported = "`reported`",
                                      decimals = "`decimals`"),
                           unit = "element") {
  count <- reported_whole(count, labels[["count"]], unit)
  n <- reported_whole(n, labels[["n"]], unit)
  if (is.factor(reported)) reported <- as.character(reported)
  reported <- as.vector(reported)
  if (is.logical(reported) && all(is.na(reported))) {
    reported <- as.character(reported)
  }
  if (!is.character(reported) && !is.numeric(reported)) {
    cr_abort(sprintf("%s must be character (as printed) or numeric, not %s.",
                 labels[["reported"]], reported_type(reported)))
  }
  if (!is.null(decimals)) {
    decimals <- reported_whole(decimals, labels[["decimals"]], unit,
                               na_ok = FALSE, max = 15)
  } else if (is.numeric(reported)) {
    cr_abort(sprintf(
      "%s must be given when %s is numeric: the number of decimals printed.",
      labels[["decimals"]], labels[["reported"]]))
  }

  args <- list(count = count, n = n, reported = reported)
  if (!is.null(decimals)) args$decimals <- decimals
  args <- reported_recycle(args, labels)
  count <- args$count
  n <- args$n
  reported <- args$reported
  size <- length(count)

  # printed value as an integer on the grid of its decimals
  if (is.character(reported)) {
    parsed <- reported_parse(reported, labels[["reported"]], unit)
    printed <- parsed$digits
    dec <- parsed$decimals
    shown <- reported
    if (!is.null(decimals)) {
      d <- as.integer(args$decimals)
      up <- !is.na(printed) & d >= dec
      printed[up] <- printed[up] * 10^(d[up] - dec[up])
      down <- which(!is.na(printed) & d < dec)
      if (length(down)) {
        f <- 10^(dec[down] - d[down])
        bad <- down[printed[down] %% f != 0]
        if (length(bad)) {
          cr_abort(sprintf(
            "%s %s %d is \"%s\", which has more decimals than %s (%d).",
            labels[["reported"]], unit, bad[1], reported[bad[1]],
            labels[["decimals"]], d[bad[1]]))
        }
        printed[down] <- printed[down] / f
      }
      dec <- d
    }
  } else {
    dec <- as.integer(args$decimals)
    bad <- which(!is.na(reported) & (!is.finite(reported) | reported < 0))
    if (length(bad)) {
      cr_abort(sprintf("%s must be percentages >= 0; %s %d is %s.",
                   labels[["reported"]], unit, bad[1],
                   format(reported[bad[1]], digits = 15)))
    }
    scaled <- reported * 10^dec
    printed <- round(scaled)
    bad <- which(!is.na(printed) &
                   abs(scaled - printed) > 1e-9 * pmax(1, abs(printed)))
    if (length(bad)) {
      cr_abort(sprintf(
        "%s %s %d is %s, which has more decimals than %s (%d).",
        labels[["reported"]], unit, bad[1],
        format(reported[bad[1]], digits = 15), labels[["decimals"]],
        dec[bad[1]]))
    }
    shown <- ifelse(is.na(printed), NA_character_,
                    reported_fmt(printed, dec))
  }
  dec[is.na(printed)] <- NA_integer_

  # exactness: every product below must stay below 2^53
  lim <- 2^53
  scale <- 10^(2 + dec)
  too_big <- which(
    (!is.na(count) & count * scale >= lim) |
      (!is.na(n) & !is.na(printed) & (2 * printed + 2) * n >= lim)
  )
  if (length(too_big)) {
    i <- too_big[1]
    cr_abort(sprintf(paste(
      "%s %d is too large to check exactly: count x 100 x 10^decimals and",
      "(2 x printed value x 10^decimals + 2) x n must stay below 2^53",
      "(n up to 1e6 with up to 4 decimals is fine)."),
      paste0(toupper(substr(unit, 1, 1)), substring(unit, 2)), i))
  }

  ok <- !is.na(count) & !is.na(n) & !is.na(printed) & n > 0
  known <- !is.na(n) & !is.na(printed) & n > 0

  rules <- rep(NA_character_, size)
  consistent <- rep(NA, size)
  possible <- rep(NA_character_, size)
  candidates <- rep(NA_character_, size)
  note <- rep("", size)
  exact <- rep(NA_real_, size)

  if (any(ok)) {
    w <- which(ok)
    a <- count[w] * scale[w]
    nw <- n[w]
    q <- reported_idiv(a, nw)
    r <- a - q * nw
    half_up <- q + (2 * r >= nw)
    half_even <- q + (2 * r > nw | (2 * r == nw & q %% 2 == 1))
    hits <- cbind(`half-up` = half_up, `half-even` = half_even,
                  truncation = q) == printed[w]
    rules[w] <- reported_join(hits, ", ")
    consistent[w] <- rowSums(hits) > 0
    # q <= half_even <= half_up <= q + 1
    possible[w] <- ifelse(
      half_up > q,
      paste(reported_fmt(q, dec[w]), "or", reported_fmt(q + 1, dec[w])),
      reported_fmt(q, dec[w])
    )
    exact[w] <- 100 * count[w] / nw
    over <- count[w] > nw
    rules[w[over]] <- ""
    consistent[w[over]] <- FALSE
    note[w[over]] <- "count exceeds n"
    miss <- which(!consistent[w] & !over)
    if (length(miss)) {
      j <- w[miss]
      note[j] <- sprintf(
        "no rounding of %s/%s (%s%%) gives %s at %d %s",
        reported_int_text(count[j]), reported_int_text(n[j]),
        reported_exact_text(count[j], n[j], dec[j]),
        reported_fmt(printed[j], dec[j]), dec[j],
        ifelse(dec[j] == 1L, "decimal", "decimals"))
    }
  }

  if (any(known)) {
    w <- which(known)
    s <- scale[w]
    lo <- pmax(0, -reported_idiv(-(2 * printed[w] - 1) * n[w], 2 * s))
    hi <- pmin(n[w], -reported_idiv(-(printed[w] + 1) * n[w], s) - 1)
    candidates[w] <- reported_run_text(lo, hi)
  }

  zero <- !is.na(n) & n == 0
  over0 <- zero & !is.na(count) & count > 0
  consistent[over0] <- FALSE
  note[over0] <- "count exceeds n"
  note[zero & !over0] <- "n is 0"
  gone <- cbind(count = is.na(count), n = is.na(n), reported = is.na(printed))
  n_gone <- rowSums(gone)
  what <- reported_join(gone, ", ")
  what <- sub(", ([a-z]+)$", " and \\1", what)
  note[n_gone == 1] <- paste(what[n_gone == 1], "is missing")
  note[n_gone > 1] <- paste(what[n_gone > 1], "are missing")

  out <- data.frame(
    count = count, n = n, reported = shown, decimals = as.integer(dec),
    value = printed / 10^dec, exact = exact, rules = rules,
    consistent = consistent, possible = possible, candidates = candidates,
    note = note, stringsAsFactors = FALSE
  )
  class(out) <- c("consensr_check", "data.frame")
  out
}

# ---------------------------------------------------------------------------
# Helpers

# Per-item sums for the data frame method. `res` is the row check, `item`
# the item of each row; items in order of first appearance.
reported_items <- function(res, item, tolerance) {
  group <- match(item, item)
  firsts <- which(!duplicated(group))
  idx <- split(seq_along(group), factor(group, levels = group[firsts]))
  per <- function(f, type) unname(vapply(idx, f, type))
  printed <- round(res$value * 10^res$decimals)

  distinct_n <- lapply(idx, function(i) sort(unique(stats::na.omit(res$n[i]))))
  n_differs <- lengths(distinct_n) > 1L
  n_item <- per(function(i) {
    u <- unique(res$n[i])
    if (length(u) == 1L) u else NA_real_
  }, numeric(1))
  sum_count <- per(function(i) sum(res$count[i]), numeric(1))
  counts_add_up <- ifelse(n_differs, FALSE, sum_count == n_item)
  # printed percentages summed exactly on the grid of the finest precision
  sum_percent <- per(function(i) {
    d <- res$decimals[i]
    top <- max(d)
    sum(printed[i] * 10^(top - d)) / 10^top
  }, numeric(1))
  percents_add_up <- abs(sum_percent - 100) <= tolerance + 1e-9
  rows_consistent <- per(function(i) all(res$consistent[i]), logical(1))
  n_bad <- per(function(i) sum(res$consistent[i] %in% FALSE), integer(1))

  note <- character(length(idx))
  add <- function(note, when, text) {
    when <- when %in% TRUE
    note[when] <- ifelse(nzchar(note[when]),
                         paste0(note[when], "; ", text[when]), text[when])
    note
  }
  note <- add(note, n_differs, sprintf(
    "n differs within item (%s)",
    vapply(distinct_n, function(u) paste(reported_int_text(u), collapse = ", "),
           "")))
  note <- add(note, !n_differs & !counts_add_up, sprintf(
    "counts add to %s, not %s", reported_int_text(sum_count),
    reported_int_text(n_item)))
  note <- add(note, !percents_add_up, sprintf(
    "percentages add to %s", as.character(sum_percent)))
  note <- add(note, n_bad > 0L, sprintf(
    "%d printed %s cannot come from count/n", n_bad,
    ifelse(n_bad == 1L, "percentage", "percentages")))

  data.frame(
    item = item[firsts], n = n_item, sum_count = sum_count,
    counts_add_up = counts_add_up, sum_percent = sum_percent,
    percents_add_up = percents_add_up, rows_consistent = rows_consistent,
    consistent = counts_add_up & percents_add_up & rows_consistent,
    note = note, stringsAsFactors = FALSE
  )
}

reported_dots_empty <- function(...) {
  if (...length() > 0L) {
    nms <- names(list(...))
    what <- if (is.null(nms) || !any(nzchar(nms))) {
      sprintf("%d unnamed argument%s", ...length(),
              if (...length() == 1L) "" else "s")
    } else {
      paste0("`", nms[nzchar(nms)], "`", collapse = ", ")
    }
    cr_abort(sprintf("`...` must be empty; got %s. Check the argument names.",
                 what))
  }
}

reported_type <- function(x) {
  if (is.factor(x)) "a factor" else if (is.data.frame(x)) "a data frame" else
    paste("of type", typeof(x))
}

reported_names_text <- function(x) {
  if (!length(x)) return("it has no columns")
  x <- sprintf("\"%s\"", x)
  if (length(x) > 8L) x <- c(x[1:8], sprintf("... (%d more)", length(x) - 8L))
  paste("it has", paste(x, collapse = ", "))
}

reported_column_name <- function(x, arg) {
  if (!is.character(x) || length(x) != 1L || is.na(x) || !nzchar(x)) {
    cr_abort(sprintf("`%s` must be a single column name (a string).", arg))
  }
}

# Non-negative whole numbers (as doubles), NA allowed unless `na_ok` is FALSE.
reported_whole <- function(x, label, unit, na_ok = TRUE, max = Inf) {
  if (is.factor(x) || !(is.numeric(x) || (is.logical(x) && all(is.na(x))))) {
    cr_abort(sprintf("%s must be numeric (whole numbers >= 0), not %s.",
                 label, reported_type(x)))
  }
  x <- as.double(as.vector(x))
  wrong <- !is.finite(x) | x < 0 | x != floor(x) | x > max
  bad <- which(if (na_ok) !is.na(x) & wrong else is.na(x) | wrong)
  if (length(bad)) {
    range <- if (is.finite(max)) sprintf("between 0 and %s", max) else ">= 0"
    cr_abort(sprintf("%s must be whole numbers %s; %s %d is %s.", label, range,
                 unit, bad[1], format(x[bad[1]], digits = 15)))
  }
  x
}

# Recycle to a common length: lengths must be 1 or equal.
reported_recycle <- function(args, labels) {
  lens <- lengths(args)
  size <- if (any(lens == 0L)) 0L else max(lens)
  if (any(lens != 1L & lens != size)) {
    odd <- lens != 1L
    cr_abort(sprintf(
      "%s must have length 1 or a common length, not lengths %s.",
      paste(labels[names(args)[odd]], collapse = ", "),
      paste(lens[odd], collapse = ", ")))
  }
  lapply(args, rep_len, length.out = size)
}

# Read printed percentages as integer digits plus a number of decimals.
reported_parse <- function(x, label, unit) {
  y <- enc2utf8(x)
  y <- gsub("\u00b7", ".", y, fixed = TRUE, useBytes = TRUE)
  for (space in c("\u00a0", "\u2009", "\u202f")) {
    y <- gsub(space, " ", y, fixed = TRUE, useBytes = TRUE)
  }
  blank <- is.na(y) | grepl("^[[:space:]]*$", y, useBytes = TRUE)
  pattern <- "^[[:space:]]*([0-9]*)([.,]([0-9]+))?[[:space:]]*%?[[:space:]]*$"
  fits <- grepl(pattern, y, useBytes = TRUE)
  frac <- sub(pattern, "\\3", y, useBytes = TRUE)
  digits <- paste0(sub(pattern, "\\1", y, useBytes = TRUE), frac)
  size <- nchar(digits, type = "bytes")
  bad <- which(!blank & (!fits | size == 0L | size > 15L))
  if (length(bad)) {
    cr_abort(sprintf(
      paste("%s must be printed percentages such as \"56.6%%\", \"72%%\"",
            "or \"20,8%%\"; %s %d is \"%s\"."),
      label, unit, bad[1], x[bad[1]]))
  }
  digits[blank] <- NA_character_
  list(digits = as.numeric(digits),
       decimals = ifelse(blank, NA_integer_, nchar(frac, type = "bytes")))
}

# floor(a / b) for whole numbers |a| < 2^53 and b >= 1, exactly.
reported_idiv <- function(a, b) {
  q <- floor(a / b)
  r <- a - q * b
  q - (r < 0) + (r >= b)
}

# For a logical matrix, the names of the TRUE columns of each row, joined.
reported_join <- function(m, sep) {
  out <- character(nrow(m))
  for (j in seq_len(ncol(m))) {
    add <- m[, j] %in% TRUE
    out[add] <- ifelse(nzchar(out[add]), paste0(out[add], sep, colnames(m)[j]),
                       colnames(m)[j])
  }
  out
}

# Whole number(s) as text, never in scientific notation.
reported_int_text <- function(x) sprintf("%.0f", x)

# Integer x on the grid of d decimals as decimal text: 566, 1 -> "56.6".
reported_fmt <- function(x, d) {
  s <- reported_int_text(x)
  short <- pmax(d + 1L - nchar(s), 0L)
  s <- paste0(strrep("0", short), s)
  cut <- nchar(s) - d
  ifelse(d > 0L, paste0(substr(s, 1L, cut), ".", substring(s, cut + 1L)), s)
}

# 100 * count / n to two more decimals than printed, truncated and marked
# with "..." when not exact: 13/23 at 1 decimal -> "56.521...".
reported_exact_text <- function(count, n, d) {
  more <- ifelse(count * 10^(4 + d) < 2^53, d + 2L, d)
  a <- count * 10^(2 + more)
  q <- reported_idiv(a, n)
  exact <- a - q * n == 0
  s <- reported_fmt(q, more)
  trimmed <- sub("\\.$", "", sub("0+$", "", s))
  ifelse(exact, ifelse(more > 0L, trimmed, s), paste0(s, "..."))
}

# A run of counts lo..hi as "", "18", "16, 17" or "445-459".
reported_run_text <- function(lo, hi) {
  l <- reported_int_text(lo)
  h <- reported_int_text(hi)
  ifelse(lo > hi, "",
         ifelse(lo == hi, l,
                ifelse(hi == lo + 1, paste0(l, ", ", h), paste0(l, "-", h))))
}

reported_plural <- function(k, one, many) if (k == 1L) one else many

# ---------------------------------------------------------------------------
# Methods

# Summary lines shared by both classes: how many rows fail, how many are
# reachable only by truncation, how many could not be checked.
reported_summary <- function(consistent, rules) {
  total <- length(consistent)
  bad <- sum(consistent %in% FALSE)
  trunc_only <- sum(consistent %in% TRUE & rules %in% "truncation")
  unknown <- sum(is.na(consistent))
  list(
    bad = sprintf("%d of %d printed percentages cannot come from count/n",
                  bad, total)[bad > 0L],
    trunc = sprintf("%d of %d %s only by truncating, not by rounding.",
                    trunc_only, total,
                    reported_plural(trunc_only, "is reachable",
                                    "are reachable"))[trunc_only > 0L],
    unknown = sprintf(
      "%d of %d could not be checked (missing values or n = 0).",
      unknown, total)[unknown > 0L]
  )
}

reported_is_check <- function(x) {
  all(c("count", "n", "reported", "consistent", "rules", "possible",
        "candidates", "note") %in% names(x))
}

#' @export
format.consensr_check <- function(x, ...) {
  if (!reported_is_check(x)) return(NextMethod())
  total <- nrow(x)
  if (total == 0L) return("No printed percentages to check.")
  s <- reported_summary(x$consistent, x$rules)
  first <- if (length(s$bad)) {
    paste0(s$bad, ".")
  } else if (all(x$consistent %in% TRUE)) {
    sprintf("All %d printed %s can come from count/n.", total,
            reported_plural(total, "percentage", "percentages"))
  } else {
    sprintf("None of the %d checked printed percentages is impossible.",
            sum(!is.na(x$consistent)))
  }
  c(first, s$trunc, s$unknown)
}

#' @export
print.consensr_check <- function(x, ...) {
  if (!reported_is_check(x)) {
    print(as.data.frame(x), ...)
    return(invisible(x))
  }
  cat(format(x, ...), sep = "\n")
  bad <- x$consistent %in% FALSE
  if (any(bad)) {
    cat("\n")
    show <- c("count", "n", "reported", "possible", "candidates", "note")
    print(as.data.frame(x)[bad, show, drop = FALSE], right = FALSE)
  }
  invisible(x)
}

#' @export
format.consensr_check_table <- function(x, ...) {
  cols <- attr(x, "columns")
  rows <- x$rows
  items <- x$items
  cons <- rows[[cols[["consistent"]]]]
  total <- length(cons)
  if (total == 0L) return("No printed percentages to check.")
  n_items <- nrow(items)
  s <- reported_summary(cons, rows[[cols[["rules"]]]])
  bad_counts <- sum(items$counts_add_up %in% FALSE)
  bad_pct <- sum(items$percents_add_up %in% FALSE)
  has <- function(k) reported_plural(k, "has", "have")
  # an item is consistent when its rows are and its sums add up
  first <- if (all(items$consistent %in% TRUE)) {
    sprintf("All %d printed %s and %d %s are consistent.", total,
            reported_plural(total, "percentage", "percentages"), n_items,
            reported_plural(n_items, "item", "items"))
  } else {
    paste0(paste(c(
      sprintf("%d of %d printed percentages cannot come from count/n",
              sum(cons %in% FALSE), total),
      sprintf("%d of %d items %s counts that do not add up to n",
              bad_counts, n_items, has(bad_counts))[bad_counts > 0L],
      sprintf(
        "%d of %d items %s percentages that do not add up to 100 (+/- %s)",
        bad_pct, n_items, has(bad_pct),
        format(attr(x, "tolerance")))[bad_pct > 0L]
    ), collapse = "; "), ".")
  }
  c(first, s$trunc, s$unknown)
}

#' @export
print.consensr_check_table <- function(x, ...) {
  cat(format(x, ...), sep = "\n")
  cols <- attr(x, "columns")
  rows <- x$rows
  bad <- rows[[cols[["consistent"]]]] %in% FALSE
  if (any(bad)) {
    cat("\nPrinted percentages that cannot come from count/n:\n")
    show <- cols[c("item", "count", "n", "reported", "possible", "candidates",
                   "note")]
    show <- unique(show[!is.na(show)])
    print(rows[bad, show, drop = FALSE], right = FALSE)
  }
  items <- x$items
  bad <- items$counts_add_up %in% FALSE | items$percents_add_up %in% FALSE
  if (any(bad)) {
    cat("\nItems whose counts or percentages do not add up:\n")
    print(items[bad, c(names(items)[1L], "n", "sum_count", "sum_percent",
                       "note"), drop = FALSE], right = FALSE)
  }
  invisible(x)
}

#' @export
as.data.frame.consensr_check_table <- function(x, row.names = NULL,
                                               optional = FALSE, ...) {
  x$rows
}

# Errors of check_reported(): classed like every consensr error, naming the
# function the user called (the messages are preformatted text, not cli).
cr_abort <- function(message, class = "consensr_error_argument") {
  rlang::abort(message, class = c(class, "consensr_error"),
               call = rlang::call2("check_reported"))
}
