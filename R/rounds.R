# Multi-round Delphi studies: consensus round by round and the fate of each
# item, stability of the ratings between rounds, attrition of the panel,
# and the round flow a diagram is drawn from.
#
# Every function takes ratings with a round column (a data frame in any shape
# as_ratings() reads, or a read_redcap() result), splits them by round with
# split_rounds() (rounds in the order of the factor levels, else sorted) and
# reads each round with as_ratings().

# Arguments of `...` that belong to as_ratings(); the rest go to consensus().
rounds_ratings_args <- c("respondent", "item", "rating", "levels", "items",
                         "item_data", "format", "by", "collect")

# Split by round and read each round: list(rounds = labels, values = the
# round values (original type), ratings = list of consensr_ratings, rule =
# the other arguments of `...`).
rounds_prepare <- function(x, round, dots, call, codes = FALSE) {
  check_string(round, "round", call = call)
  if (length(dots) > 0L && (is.null(names(dots)) || any(!nzchar(names(dots))))) {
    abort("Arguments in {.arg ...} must be named, e.g. {.code levels = c(\"Fundamental\", \"Ancillary\", \"Less Important\")}.",
          call = call)
  }
  r_args <- dots[names(dots) %in% c(rounds_ratings_args, "missing_levels")]
  if (!inherits(x, c("consensr_ratings", "consensr_redcap", "tbl_lazy"))) check_data_frame(x, call = call)
  r <- do.call(as_ratings, c(list(x), r_args, list(round = round)))
  if (codes) db_needs_respondents(r, call, "Comparing rounds needs to know who gave which rating.")
  if (codes && !has_codes(r)) {
    abort(c("{.arg x} must hold each panellist's ratings (long or wide), not counts.",
            "i" = "Comparing rounds needs to know who gave which rating."), call = call)
  }
  sp <- split_rounds(ratings_materialize(r))
  list(rounds = sp$rounds, values = sp$values, name = sp$name,
       ratings = sp$parts,
       rule = dots[!names(dots) %in% c(setdiff(rounds_ratings_args, "by"), "missing_levels")],
       by = if (is.null(dots[["by"]])) r$by_data else dots[["by"]])
}

# Panellists who answered a cell: a rating or a declared non-answer.
ratings_answered <- function(r) {
  a <- !is.na(r$codes)
  if (!is.null(r$nonanswer)) a[r$nonanswer$index] <- TRUE
  a
}

# Item metadata columns shared by every round.
rounds_item_vars <- function(ratings) {
  vars <- lapply(ratings, function(r) setdiff(names(r$items), "item"))
  Reduce(intersect, vars)
}

# One row per item in any round (first appearance), with its metadata.
rounds_items <- function(ratings) {
  vars <- rounds_item_vars(ratings)
  meta <- do.call(rbind, lapply(ratings, function(r) r$items[c("item", vars)]))
  meta <- meta[!duplicated(meta$item), , drop = FALSE]
  rownames(meta) <- NULL
  meta
}

# Responding panellists of a round (at least one rating) and completers
# (every presented item rated; an item is presented when someone rated it).
rounds_panel <- function(r) {
  rated <- ratings_answered(r)
  presented <- colSums(rated) > 0L
  responded <- rowSums(rated) > 0L
  complete <- responded & rowSums(!rated[, presented, drop = FALSE]) == 0L
  list(responded = r$respondents[responded], completed = r$respondents[complete],
       items = r$items$item[presented])
}

# ---------------------------------------------------------------------------
# Consensus round by round

#' Consensus round by round, and what became of each item
#'
#' Applies [consensus()] to each Delphi round on its own (the data are split
#' by the `round` column) and sets the rounds side by side: per item its
#' count, denominator, proportion and status in every round, and its fate
#' over the study.
#'
#' @section Fate of an item:
#' An item counts as rated in a round when at least one panellist rated it
#' there. A status of consensus (for two-sided rules, consensus in or out)
#' settles the item in that round. With `carry = "not_reached"` (the usual
#' design: items that reach consensus are retired, the others are rated
#' again) the fate is:
#' For two-sided rules the settled fates say which side was reached
#' (`"reached in"`, `"reached out"`, `"newly reached in"`, `"newly reached
#' out"`); for one-sided rules:
#' * `"reached"`: consensus at its first rating, kept to its last rating
#'   (`fate_round` is the round it was reached);
#' * `"newly reached"`: no consensus at first, carried forward, and reached
#'   in a later round (`fate_round`) and kept;
#' * `"lost consensus"`: reached in some round, rated again, and not reached
#'   at its last rating (`fate_round` is the round it was lost);
#' * `"no consensus"`: not reached at its last rating, which was in the last
#'   round (carried forward to the end, or new in the last round);
#' * `"dropped"`: never reached, and not rated again although later rounds
#'   followed (`fate_round` is its last round).
#'
#' With `carry = "all"` every item is meant to be rated in every round, so
#' an item missing from a later round is also `"dropped"` when it had
#' reached consensus at its last rating.
#' `carried` says whether the item was rated again after a round without
#' consensus. The final result of an item is its result when last rated
#' (`final_*`); `in_final_list` is `TRUE` for items whose fate is `"reached"`
#' or `"newly reached"` with consensus (in).
#'
#' @inheritParams consensus
#' @param x Ratings with a round column: a data frame in a shape
#'   [as_ratings()] reads (usually long: respondent, item, rating, round), or
#'   a [read_redcap()] result.
#' @param round Name of the column that holds the round. Rounds are taken in
#'   the order of its factor levels, else in sorted order.
#' @param ... Passed to [consensus()] and [as_ratings()]: `respondent`,
#'   `item`, `rating`, `levels`, `opposite`, `opposite_threshold`, `strict`,
#'   `by`, ...
#' @param carry The design: `"not_reached"` (items without consensus are
#'   carried into the next round) or `"all"` (every item is rated in every
#'   round).
#' @return A data frame of class `consensr_delphi_summary`, one row per item
#'   (in order of first appearance): `item`, the item metadata, then for each
#'   round `k` (1, 2, ...) `count_k`, `n_k`, `prop_k` and `status_k` (`NA`
#'   when the item was not rated in that round), then `rounds_rated`,
#'   `carried`, `fate` (a factor), `fate_round`, `final_round`,
#'   `final_count`, `final_n`, `final_prop`, `final_status`, `final_reached`
#'   and `in_final_list`. Attributes: `rounds` (the round labels, in order),
#'   `by_round` (the stacked [consensus()] results with a `round` column),
#'   `rule` and `carry`.
#' @seealso [round_flow()], [plot_round_change()], [round_stability()]
#' @references Diamond IR, Grant RC, Feldman BM, et al. (2014). Defining
#'   consensus: a systematic review recommends methodologic criteria for
#'   reporting of Delphi studies. *Journal of Clinical Epidemiology*, 67(4),
#'   401-409.
#' @examples
#' imp <- read_redcap(
#'   system.file("extdata", "atmp_delphi_records.csv", package = "consensr"),
#'   system.file("extdata", "atmp_delphi_dictionary.csv", package = "consensr")
#' )
#' s <- delphi_summary(imp$ratings, "Fundamental", threshold = 0.75)
#' s
#' table(s$fate)
#' s[s$fate == "newly reached", c("item", "prop_1", "prop_2")]
#' @export
delphi_summary <- function(x, target, threshold = 0.75, round = "round", ...,
                           carry = c("not_reached", "all")) {
  call <- rlang::current_env()
  carry <- rlang::arg_match(carry, error_call = call)
  p <- rounds_prepare(x, round, list(...), call)
  cons <- lapply(p$ratings, function(r) {
    do.call(consensus, c(list(r, target = target, threshold = threshold), p$rule))
  })
  delphi_frame(cons, p, carry)
}

delphi_frame <- function(cons, p, carry) {
  R <- length(cons)
  items <- rounds_items(p$ratings)
  m <- nrow(items)
  rule <- attr(cons[[1L]], "rule")
  labels <- status_labels(rule)
  out <- items
  status <- matrix(NA_character_, m, R)
  reached <- matrix(NA, m, R)
  count <- n <- matrix(NA_integer_, m, R)
  for (k in seq_len(R)) {
    ck <- cons[[k]]
    i <- match(items$item, ck$item)
    count[, k] <- ck$count[i]
    n[, k] <- ck$n[i]
    status[, k] <- as.character(ck$status[i])
    reached[, k] <- ck$reached[i]
    rated <- !is.na(n[, k]) & n[, k] > 0L
    count[!rated, k] <- NA_integer_
    n[!rated, k] <- NA_integer_
    status[!rated, k] <- NA_character_
    reached[!rated, k] <- NA
    out[[paste0("count_", k)]] <- count[, k]
    out[[paste0("n_", k)]] <- n[, k]
    out[[paste0("prop_", k)]] <- safe_prop(count[, k], n[, k])
    out[[paste0("status_", k)]] <- factor(status[, k], levels = labels)
  }
  settled <- !is.na(status) & status != "no consensus"
  rated <- !is.na(n)
  fate <- character(m)
  fate_round <- integer(m)
  carried <- logical(m)
  last <- integer(m)
  for (i in seq_len(m)) {
    rr <- which(rated[i, ])
    j <- length(rr)
    L <- rr[j]
    last[i] <- L
    s <- settled[i, rr]
    st <- status[i, rr]
    carried[i] <- j > 1L && any(!s[-j])
    if (s[j] && L < R && carry == "all") {
      fate[i] <- "dropped"
      fate_round[i] <- L
    } else if (s[j]) {
      start <- j
      while (start > 1L && s[start - 1L] && st[start - 1L] == st[j]) start <- start - 1L
      fate[i] <- paste0(if (start == 1L) "reached" else "newly reached",
                        fate_side(st[j]))
      fate_round[i] <- rr[start]
    } else if (any(s[-j])) {
      fate[i] <- "lost consensus"
      fate_round[i] <- rr[max(which(s)) + 1L]
    } else if (L < R) {
      fate[i] <- "dropped"
      fate_round[i] <- L
    } else {
      fate[i] <- "no consensus"
      fate_round[i] <- L
    }
  }
  idx <- cbind(seq_len(m), last)
  out$rounds_rated <- as.integer(rowSums(rated))
  out$carried <- carried
  out$fate <- factor(fate, levels = fate_levels(rule))
  out$fate_round <- factor(p$rounds[fate_round], levels = p$rounds)
  out$final_round <- factor(p$rounds[last], levels = p$rounds)
  out$final_count <- count[idx]
  out$final_n <- n[idx]
  out$final_prop <- safe_prop(out$final_count, out$final_n)
  out$final_status <- factor(status[idx], levels = labels)
  out$final_reached <- reached[idx]
  out$in_final_list <- grepl("^(newly )?reached( in)?$", out$fate) &
    out$final_reached %in% TRUE
  by_round <- do.call(rbind, lapply(seq_len(R), function(k) {
    d <- unclass_df(cons[[k]])
    d$round <- factor(rep(p$rounds[k], nrow(d)), levels = p$rounds)
    d[d$n > 0L, , drop = FALSE]
  }))
  rownames(by_round) <- NULL
  structure(out, class = c("consensr_delphi_summary", "data.frame"),
            rounds = p$rounds, round_name = p$name, by_round = by_round,
            rule = rule, carry = carry,
            item_vars = setdiff(names(items), "item"))
}

# Subsetting a result keeps its class but drops its attributes: print such
# a subset as a plain data frame.
rounds_has_attrs <- function(x, attrs) {
  all(vapply(attrs, function(a) !is.null(attr(x, a)), logical(1)))
}

#' @export
format.consensr_delphi_summary <- function(x, ...) {
  if (!rounds_has_attrs(x, c("rounds", "rule"))) return(character())
  rounds <- attr(x, "rounds")
  rule <- attr(x, "rule")
  lines <- sprintf("<consensr_delphi_summary> %d item%s over %d round%s (%s)",
                   nrow(x), rounds_plural(nrow(x)), length(rounds), rounds_plural(length(rounds)),
                   paste(format(rule), collapse = "; "))
  for (k in seq_along(rounds)) {
    st <- x[[paste0("status_", k)]]
    rated <- sum(!is.na(st))
    lines <- c(lines, sprintf("  round %d (%s): %d item%s rated, %s",
                              k, rounds[k], rated, rounds_plural(rated),
                              reached_text(sum(st %in% c("consensus", "consensus in")),
                                           if (!is.null(rule$opposite)) sum(st %in% "consensus out"))))
  }
  tab <- table(x$fate)
  lines <- c(lines, paste0("  fate: ", paste(sprintf("%d %s", tab, names(tab)), collapse = ", ")),
             sprintf("  final list: %d item%s", sum(x$in_final_list), rounds_plural(sum(x$in_final_list))))
  lines
}

#' @export
print.consensr_delphi_summary <- function(x, ...) {
  rounds_cat(format(x, ...))
  print(rounds_plain_df(x), ...)
  invisible(x)
}

rounds_plain_df <- function(x) {
  for (a in c("rounds", "round_name", "by_round", "rule", "carry", "item_vars")) {
    attr(x, a) <- NULL
  }
  class(x) <- "data.frame"
  x
}

# ---------------------------------------------------------------------------
# Stability between rounds

#' Stability of the ratings between rounds
#'
#' For each pair of consecutive rounds (or the rounds `from` and `to`) and
#' each item rated in both, compares the ratings of the panellists who rated
#' the item in both rounds. Several published definitions of stability are
#' computed side by side; each column says which.
#'
#' @section Definitions:
#' Write `n` for the number of panellists who rated the item in both rounds
#' and `x[i, j]` for how many of them rated it `i` in the first round and
#' `j` in the second (a K x K table over the scale's levels).
#' * `changed`, `prop_changed`: panellists whose rating differs, and their
#'   share of `n` (individual stability: the share who kept their rating is
#'   `1 - prop_changed`).
#' * `kappa_linear`, `kappa_quadratic`: Cohen's (1968) weighted kappa between
#'   a panellist's ratings in the two rounds, as used for Delphi stability by
#'   Holey et al. (2007), with agreement weights `1 - |i - j| / (K - 1)`
#'   (linear) and `1 - (i - j)^2 / (K - 1)^2` (quadratic). `se_*` is the
#'   large-sample standard error of Fleiss, Cohen and Everitt (1969), not
#'   assuming kappa = 0, and `lower_*`, `upper_*` the Wald interval `kappa
#'   +/- z * se` at `conf_level` (not truncated to \[-1, 1\]). Kappa corrects
#'   the agreement for chance agreement computed from the two rounds'
#'   margins: when a round is unanimous (every panellist chose the same
#'   level), chance agreement equals observed agreement and kappa is 0, or
#'   0/0 when both rounds are unanimous, whatever the panel did. Kappa is
#'   then `NA` and `note` says why. It also falls as a panel converges on
#'   one level, so a low kappa late in a Delphi need not mean instability.
#' * `net_change`, `stable`: the net change of Scheibe, Skutsch and Schofer
#'   (1975): half the summed absolute differences between the two rounds'
#'   histograms (counts per level, over the same `n` panellists), as a share
#'   of `n`; the distribution is `stable` when `net_change < 0.15`
#'   (compared exactly, in integers: 3 of 20 is not stable). It
#'   measures group stability: individual changes that cancel out do not
#'   count.
#' * `statistic`, `df`, `p_value` for `test = "bowker"`: the McNemar-Bowker
#'   test of symmetry of the paired table (Bowker 1948), `sum over i < j of
#'   (x[i, j] - x[j, i])^2 / (x[i, j] + x[j, i])` on `df` = the number of
#'   pairs `i < j` with `x[i, j] + x[j, i] > 0` (empty pairs are dropped,
#'   unlike [stats::mcnemar.test()], which then returns `NaN`). With two
#'   levels it is McNemar's test without continuity correction
#'   (`mcnemar.test(correct = FALSE)`). `NA` with a note when nobody changed.
#' * for `test = "chisq"`: the chi-square test of Dajani, Sincoff and Talley
#'   (1979) comparing the two rounds' distributions (a 2 x K table of the
#'   same `n` panellists' ratings in each round; levels nobody used in either
#'   round are dropped). It treats the rounds as independent samples, which
#'   they are not, and is approximate when expected counts are below 5 (the
#'   note says so).
#'
#' @inheritParams delphi_summary
#' @param from,to Rounds to compare, as labels or positions. By default each
#'   round is compared with the next one. With `from` only, `to` is the next
#'   round.
#' @param ... Passed to [as_ratings()]: `respondent`, `item`, `rating`,
#'   `levels`, `missing_levels`. `by` is refused (not yet per group).
#' @param test The group-level test: `"bowker"` (paired, the default) or
#'   `"chisq"`.
#' @param conf_level Confidence level of the kappa intervals.
#' @return A data frame of class `consensr_stability`, one row per pair of
#'   rounds and item: `from`, `to`, `item`, the item metadata, `n`,
#'   `changed`, `prop_changed`, `net_change`, `stable`, `kappa_linear`,
#'   `se_linear`, `lower_linear`, `upper_linear`, the same for
#'   `_quadratic`, `test`, `statistic`, `df`, `p_value` and `note`.
#' @seealso [delphi_summary()], [attrition()]
#' @references
#' Holey EA, Feeley JL, Dixon J, Whittaker VJ (2007). An exploration of the
#' use of simple statistics to measure consensus and stability in Delphi
#' studies. *BMC Medical Research Methodology*, 7, 52.
#'
#' Cohen J (1968). Weighted kappa: nominal scale agreement with provision for
#' scaled disagreement or partial credit. *Psychological Bulletin*, 70(4),
#' 213-220.
#'
#' Fleiss JL, Cohen J, Everitt BS (1969). Large sample standard errors of
#' kappa and weighted kappa. *Psychological Bulletin*, 72(5), 323-327.
#'
#' Scheibe M, Skutsch M, Schofer J (1975). Experiments in Delphi methodology.
#' In Linstone HA, Turoff M (eds.), *The Delphi Method: Techniques and
#' Applications*, 262-287. Addison-Wesley.
#'
#' Bowker AH (1948). A test for symmetry in contingency tables. *Journal of
#' the American Statistical Association*, 43(244), 572-574.
#'
#' Dajani JS, Sincoff MZ, Talley WK (1979). Stability and agreement criteria
#' for the termination of Delphi studies. *Technological Forecasting and
#' Social Change*, 13(1), 83-90.
#' @examples
#' imp <- read_redcap(
#'   system.file("extdata", "atmp_delphi_records.csv", package = "consensr"),
#'   system.file("extdata", "atmp_delphi_dictionary.csv", package = "consensr")
#' )
#' st <- round_stability(imp$ratings)
#' st[, c("item", "n", "prop_changed", "net_change", "stable",
#'        "kappa_linear", "p_value")]
#'
#' # Dajani's chi-square instead of the paired test
#' head(round_stability(imp$ratings, test = "chisq")[, c("item", "statistic", "p_value")])
#' @export
round_stability <- function(x, round = "round", from = NULL, to = NULL, ...,
                            test = c("bowker", "chisq"), conf_level = 0.95) {
  call <- rlang::current_env()
  refuse_by(..., fun = "round_stability", call = call, x = x)
  test <- rlang::arg_match(test, error_call = call)
  if (!is.numeric(conf_level) || length(conf_level) != 1L || is.na(conf_level) ||
      conf_level <= 0 || conf_level >= 1) {
    abort("{.arg conf_level} must be a single number between 0 and 1.", call = call)
  }
  p <- rounds_prepare(x, round, list(...), call, codes = TRUE)
  pairs <- rounds_pairs(p$rounds, from, to, call)
  vars <- rounds_item_vars(p$ratings)
  z <- stats::qnorm(1 - (1 - conf_level) / 2)
  K <- length(p$ratings[[1L]]$levels)
  res <- lapply(seq_len(nrow(pairs)), function(k) {
    a <- p$ratings[[pairs$from[k]]]
    b <- p$ratings[[pairs$to[k]]]
    items <- a$items$item[a$items$item %in% b$items$item]
    who <- intersect(a$respondents, b$respondents)
    rows <- lapply(items, function(it) {
      ca <- a$codes[match(who, a$respondents), it]
      cb <- b$codes[match(who, b$respondents), it]
      ok <- !is.na(ca) & !is.na(cb)
      rounds_stability_stats(ca[ok], cb[ok], K, test, z, a$levels)
    })
    d <- a$items[match(items, a$items$item), c("item", vars), drop = FALSE]
    d <- cbind(data.frame(from = rep(p$rounds[pairs$from[k]], length(items)),
                          to = rep(p$rounds[pairs$to[k]], length(items)),
                          stringsAsFactors = FALSE),
               d, do.call(rbind, rows))
    d
  })
  out <- do.call(rbind, res)
  out$from <- factor(out$from, levels = p$rounds)
  out$to <- factor(out$to, levels = p$rounds)
  rownames(out) <- NULL
  structure(out, class = c("consensr_stability", "data.frame"), test = test,
            conf_level = conf_level, levels = p$ratings[[1L]]$levels)
}

# Pairs of round positions to compare.
rounds_pairs <- function(rounds, from, to, call) {
  R <- length(rounds)
  if (R < 2L) {
    abort("Comparing rounds needs at least two rounds; {.arg x} has {R}.", call = call)
  }
  pos <- function(v, arg) {
    if (is.null(v)) return(NULL)
    if (length(v) != 1L || is.na(v)) {
      abort("{.arg {arg}} must be one round, by label or position.", call = call)
    }
    i <- if (is.numeric(v)) as.integer(v) else match(as.character(v), rounds)
    if (is.na(i) || i < 1L || i > R) {
      abort(c("{.arg {arg}} must be a round of {.arg x}.",
              "x" = "{.val {as.character(v)}} is not one of {.val {rounds}}."), call = call)
    }
    i
  }
  f <- pos(from, "from")
  t <- pos(to, "to")
  if (is.null(f) && is.null(t)) {
    return(data.frame(from = seq_len(R - 1L), to = seq_len(R)[-1L]))
  }
  if (is.null(f)) f <- t - 1L
  if (is.null(t)) t <- f + 1L
  if (f < 1L || t > R || f == t) {
    abort("{.arg from} and {.arg to} must be two different rounds of {.arg x}.",
          call = call)
  }
  data.frame(from = f, to = t)
}

# All stability statistics of one item from paired codes a (first round)
# and b (second round), 1..K.
rounds_stability_stats <- function(a, b, K, test, z, levels) {
  n <- length(a)
  tab <- matrix(tabulate((b - 1L) * K + a, K * K), K, K)  # rows: first round
  notes <- character()
  out <- data.frame(n = n, changed = sum(a != b), prop_changed = NA_real_,
                    net_change = NA_real_, stable = NA,
                    kappa_linear = NA_real_, se_linear = NA_real_,
                    lower_linear = NA_real_, upper_linear = NA_real_,
                    kappa_quadratic = NA_real_, se_quadratic = NA_real_,
                    lower_quadratic = NA_real_, upper_quadratic = NA_real_,
                    test = test, statistic = NA_real_, df = NA_integer_,
                    p_value = NA_real_, note = NA_character_,
                    stringsAsFactors = FALSE)
  if (n == 0L) {
    out$note <- "no panellist rated the item in both rounds"
    return(out)
  }
  out$prop_changed <- out$changed / n
  h1 <- rowSums(tab)
  h2 <- colSums(tab)
  moved <- sum(abs(h1 - h2))             # twice the net change, in panellists
  out$net_change <- moved / 2 / n
  out$stable <- moved * 100 < 30 * n      # net change < 15%, exactly
  if (n < 2L) {
    notes <- c(notes, "one panellist: kappa and test not computed")
  } else {
    unanimous <- c(sum(h1 > 0) == 1L, sum(h2 > 0) == 1L)
    if (any(unanimous)) {
      lv <- unique(levels[c(which.max(h1), which.max(h2))[unanimous]])
      what <- if (all(unanimous)) "both rounds are" else
        sprintf("the %s round is", c("first", "second")[unanimous])
      notes <- c(notes, sprintf(
        "kappa undefined: %s unanimous (%s), so chance agreement equals observed agreement (Holey et al. 2007)",
        what, paste(lv, collapse = ", ")))
    } else {
      for (w in c("linear", "quadratic")) {
        kw <- rounds_weighted_kappa(tab, rounds_kappa_weights(K, w))
        out[[paste0("kappa_", w)]] <- kw$kappa
        out[[paste0("se_", w)]] <- kw$se
        out[[paste0("lower_", w)]] <- kw$kappa - z * kw$se
        out[[paste0("upper_", w)]] <- kw$kappa + z * kw$se
      }
    }
    tst <- if (test == "bowker") rounds_bowker(tab) else rounds_chisq(h1, h2)
    out$statistic <- tst$statistic
    out$df <- tst$df
    out$p_value <- tst$p_value
    if (!is.null(tst$note)) notes <- c(notes, tst$note)
  }
  if (length(notes)) out$note <- paste(notes, collapse = "; ")
  out
}

# Agreement weights: 1 on the diagonal, 0 at the largest distance.
rounds_kappa_weights <- function(K, type = c("linear", "quadratic")) {
  type <- match.arg(type)
  if (K < 2L) return(matrix(1, K, K))
  d <- abs(outer(seq_len(K), seq_len(K), "-")) / (K - 1)
  if (type == "linear") 1 - d else 1 - d^2
}

# Cohen's (1968) weighted kappa with the large-sample standard error of
# Fleiss, Cohen and Everitt (1969), not assuming kappa = 0.
rounds_weighted_kappa <- function(tab, w) {
  n <- sum(tab)
  p <- tab / n
  pr <- rowSums(p)
  pc <- colSums(p)
  po <- sum(w * p)
  pe <- sum(w * outer(pr, pc))
  if (!is.finite(pe) || pe >= 1 - 1e-12) return(list(kappa = NA_real_, se = NA_real_))
  k <- (po - pe) / (1 - pe)
  wi <- as.vector(w %*% pc)          # mean weight of row i over the columns
  wj <- as.vector(crossprod(w, pr))  # mean weight of column j over the rows
  v <- (sum(p * (w - outer(wi, wj, "+") * (1 - k))^2) - (k - pe * (1 - k))^2) /
    (n * (1 - pe)^2)
  list(kappa = k, se = sqrt(max(v, 0)))
}

# McNemar-Bowker test of symmetry, empty pairs dropped.
rounds_bowker <- function(tab) {
  up <- upper.tri(tab)
  nij <- tab[up]
  nji <- t(tab)[up]
  keep <- nij + nji > 0
  if (!any(keep)) {
    return(list(statistic = NA_real_, df = NA_integer_, p_value = NA_real_,
                note = "no panellist changed: the symmetry test is not defined"))
  }
  stat <- sum((nij[keep] - nji[keep])^2 / (nij[keep] + nji[keep]))
  df <- sum(keep)
  list(statistic = stat, df = as.integer(df),
       p_value = stats::pchisq(stat, df, lower.tail = FALSE), note = NULL)
}

# Chi-square comparing the two rounds' distributions (2 x K), levels used
# in neither round dropped.
rounds_chisq <- function(h1, h2) {
  keep <- h1 + h2 > 0
  if (sum(keep) < 2L) {
    return(list(statistic = NA_real_, df = NA_integer_, p_value = NA_real_,
                note = "both rounds in one level: the chi-square test is not defined"))
  }
  obs <- rbind(h1[keep], h2[keep])
  exp <- outer(rowSums(obs), colSums(obs)) / sum(obs)
  stat <- sum((obs - exp)^2 / exp)
  df <- sum(keep) - 1L
  list(statistic = stat, df = as.integer(df),
       p_value = stats::pchisq(stat, df, lower.tail = FALSE),
       note = if (any(exp < 5)) "chi-square: expected counts below 5, the p-value is approximate" else NULL)
}

#' @export
format.consensr_stability <- function(x, ...) {
  if (!rounds_has_attrs(x, "test") || !all(c("from", "to", "stable") %in% names(x))) {
    return(character())
  }
  lines <- sprintf("<consensr_stability> %d item comparison%s; net change < 15%% (Scheibe et al. 1975), weighted kappa (Cohen 1968), %s",
                   nrow(x), rounds_plural(nrow(x)),
                   if (identical(attr(x, "test"), "bowker")) "McNemar-Bowker test" else "chi-square test (Dajani et al. 1979)")
  pairs <- unique(x[c("from", "to")])
  for (k in seq_len(nrow(pairs))) {
    d <- x[x$from == pairs$from[k] & x$to == pairs$to[k], , drop = FALSE]
    lines <- c(lines, sprintf("  %s -> %s: %d item%s, %d stable, median share changed %s, %d with kappa undefined",
                              pairs$from[k], pairs$to[k], nrow(d), rounds_plural(nrow(d)),
                              sum(d$stable %in% TRUE),
                              if (all(is.na(d$prop_changed))) "NA" else
                                sprintf("%.0f%%", 100 * stats::median(d$prop_changed, na.rm = TRUE)),
                              sum(is.na(d$kappa_linear))))
  }
  lines
}

#' @export
print.consensr_stability <- function(x, ...) {
  rounds_cat(format(x, ...))
  y <- x
  attr(y, "test") <- attr(y, "conf_level") <- attr(y, "levels") <- NULL
  class(y) <- "data.frame"
  print(y, ...)
  invisible(x)
}

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
#' @param ... Passed to [as_ratings()]: `respondent`, `item`, `rating`,
#'   `levels`, `missing_levels` (a panellist who answered only with a
#'   declared non-answer such as "unable to score" has responded). `by` is
#'   refused (not yet per group).
#' @return A data frame of class `consensr_attrition`, one row per round:
#'   `round`, `items` (presented), `invited`, `responded`, `response_rate`
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
#' attrition(imp$ratings, invited = c(32, 25))
#' @export
attrition <- function(x, round = "round", invited = NULL, ...) {
  call <- rlang::current_env()
  refuse_by(..., fun = "attrition", call = call, x = x)
  p <- rounds_prepare(x, round, list(...), call, codes = TRUE)
  R <- length(p$rounds)
  panel <- lapply(p$ratings, rounds_panel)
  responded <- vapply(panel, function(q) length(q$responded), integer(1))
  completed <- vapply(panel, function(q) length(q$completed), integer(1))
  inv <- rep(NA_integer_, R)
  if (!is.null(invited)) {
    inv <- check_counts(invited, "invited", call = call)
    if (length(inv) == 1L) inv <- rep(inv, R)
    if (length(inv) != R) {
      abort("{.arg invited} must be one number or one per round ({R}), not {length(inv)}.",
            call = call)
    }
    over <- which(responded > inv)
    if (length(over) > 0L) {
      abort(c("{.arg invited} can't be smaller than the number who responded.",
              "x" = "Round {.val {p$rounds[over]}}: {responded[over]} responded, {inv[over]} invited."),
            call = call)
    }
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
    round = factor(p$rounds, levels = p$rounds),
    items = vapply(panel, function(q) length(q$items), integer(1)),
    invited = inv, responded = responded,
    response_rate = safe_prop(responded, inv),
    completed = completed, completion_rate = safe_prop(completed, responded),
    retained = retained,
    retention = safe_prop(retained, c(NA_integer_, responded[-R])),
    new = new,
    retention_first = if (responded[1L] > 0L) first / responded[1L] else NA_real_,
    stringsAsFactors = FALSE
  )
  rownames(out) <- NULL
  attr(out, "panellists") <- lapply(stats::setNames(panel, p$rounds), `[[`, "responded")
  class(out) <- c("consensr_attrition", "data.frame")
  out
}

#' @export
format.consensr_attrition <- function(x, ...) {
  need <- c("round", "invited", "responded", "completed", "retained", "retention")
  if (!all(need %in% names(x))) return(character())
  pct <- function(v) ifelse(is.na(v), "NA", sprintf("%.0f%%", 100 * v))
  lines <- "<consensr_attrition>"
  for (k in seq_len(nrow(x))) {
    lines <- c(lines, sprintf("  %s: %s%d responded, %d completed%s",
                              x$round[k],
                              if (is.na(x$invited[k])) "" else sprintf("%d invited, ", x$invited[k]),
                              x$responded[k], x$completed[k],
                              if (k == 1L) "" else sprintf(", %d of %d retained (%s)",
                                                           x$retained[k], x$responded[k - 1L],
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

#' Consensus among completers and among all panellists
#'
#' Attrition can bias a Delphi: if the panellists who drop out held other
#' views, later rounds speak for a different panel. `consensus_completers()`
#' applies [consensus()] in each round twice, to all panellists who rated in
#' that round and to the completers only, and sets the results side by side.
#'
#' @inheritParams delphi_summary
#' @param completers Who counts as a completer: `"all_rounds"` (responded,
#'   i.e. rated at least one item, in every round; the default) or
#'   `"all_items"` (also rated every item presented to them in every round).
#' @return A data frame of class `consensr_completers`, one row per round and
#'   item rated in it: `round`, `item`, the item metadata, `n_all`,
#'   `prop_all`, `status_all`, `n_completers`, `prop_completers`,
#'   `status_completers` and `same_status`. The completers' ids are in the
#'   attribute `"completers"`.
#' @seealso [attrition()]
#' @examples
#' imp <- read_redcap(
#'   system.file("extdata", "atmp_delphi_records.csv", package = "consensr"),
#'   system.file("extdata", "atmp_delphi_dictionary.csv", package = "consensr")
#' )
#' cc <- consensus_completers(imp$ratings, "Fundamental")
#' cc[!cc$same_status, ]
#' @export
consensus_completers <- function(x, target, threshold = 0.75, round = "round",
                                 ..., completers = c("all_rounds", "all_items")) {
  call <- rlang::current_env()
  completers <- rlang::arg_match(completers, error_call = call)
  p <- rounds_prepare(x, round, list(...), call, codes = TRUE)
  panel <- lapply(p$ratings, rounds_panel)
  ids <- Reduce(intersect, lapply(panel, `[[`, "responded"))
  if (completers == "all_items") {
    ids <- Reduce(intersect, c(list(ids), lapply(panel, `[[`, "completed")))
  }
  vars <- rounds_item_vars(p$ratings)
  rule <- NULL
  res <- lapply(seq_along(p$ratings), function(k) {
    r <- p$ratings[[k]]
    all <- do.call(consensus, c(list(r, target = target, threshold = threshold), p$rule))
    rule <<- attr(all, "rule")
    sub <- rounds_subset(r, r$respondents %in% ids)
    comp <- do.call(consensus, c(list(sub, target = target, threshold = threshold), p$rule))
    keep <- all$n > 0L
    d <- data.frame(round = rep(p$rounds[k], sum(keep)), stringsAsFactors = FALSE)
    d <- cbind(d, r$items[keep, c("item", vars), drop = FALSE])
    d$n_all <- all$n[keep]
    d$prop_all <- all$prop[keep]
    d$status_all <- all$status[keep]
    d$n_completers <- comp$n[keep]
    d$prop_completers <- comp$prop[keep]
    d$status_completers <- comp$status[keep]
    d
  })
  out <- do.call(rbind, res)
  out$round <- factor(out$round, levels = p$rounds)
  a <- as.character(out$status_all)
  b <- as.character(out$status_completers)
  out$same_status <- (is.na(a) & is.na(b)) | (!is.na(a) & !is.na(b) & a == b)
  rownames(out) <- NULL
  all_ids <- unique(unlist(lapply(panel, `[[`, "responded")))
  structure(out, class = c("consensr_completers", "data.frame"),
            completers = ids, panellists = length(all_ids), definition = completers,
            rule = rule)
}

# Keep some respondents of a respondent-level ratings object.
rounds_subset <- function(r, keep) {
  if (is.numeric(keep)) keep <- seq_len(nrow(r$resp)) %in% keep
  groups <- if (!is.null(r$group)) base::levels(r$group)
  r <- ratings_subset(r, keep)
  if (!is.null(groups)) r$group <- factor(r$group, levels = groups)
  r
}

#' @export
format.consensr_completers <- function(x, ...) {
  if (!rounds_has_attrs(x, c("completers", "panellists")) ||
      !"same_status" %in% names(x)) {
    return(character())
  }
  def <- if (identical(attr(x, "definition"), "all_items")) {
    "rated every item in every round"
  } else {
    "responded in every round"
  }
  differ <- sum(!x$same_status)
  c(sprintf("<consensr_completers> %d of %d panellists are completers (%s)",
            length(attr(x, "completers")), attr(x, "panellists"), def),
    sprintf("  consensus status differs for %d of %d item-round%s", differ, nrow(x),
            rounds_plural(nrow(x))))
}

#' @export
print.consensr_completers <- function(x, ...) {
  rounds_cat(format(x, ...))
  y <- x
  attr(y, "completers") <- attr(y, "panellists") <- attr(y, "definition") <- attr(y, "rule") <- NULL
  class(y) <- "data.frame"
  print(y, ...)
  invisible(x)
}

# ---------------------------------------------------------------------------
# Round flow

#' The flow of items and panellists through the rounds
#'
#' A table with one row per round from which a flow diagram (as in CONSORT
#' or ACCORD reporting) can be drawn: how many panellists took part, joined
#' or left, how many items were rated, reached consensus, and were carried
#' into the next round, retired or dropped. [plot_round_flow()] draws it.
#'
#' @inheritParams delphi_summary
#' @return A data frame of class `consensr_round_flow`, one row per round:
#'   `round`, `panellists` (rated at least one item), `panellists_new` (first
#'   time), `panellists_lost` (rated in the previous round, not in this one),
#'   `items_rated`, `items_new` (not rated in the previous round),
#'   `reached` (consensus, or consensus in and out for two-sided rules),
#'   `not_reached`, and towards the next round (`NA` in the last):
#'   `carried` (not reached and rated again), `dropped` (not reached and not
#'   rated again), `retired` (reached and not rated again) and `rerated`
#'   (reached and rated again). Attributes: `final` (the number of items in
#'   the final list, see [delphi_summary()]) and `summary` (the
#'   [delphi_summary()] result).
#' @seealso [plot_round_flow()], [delphi_summary()], [attrition()]
#' @examples
#' imp <- read_redcap(
#'   system.file("extdata", "atmp_delphi_records.csv", package = "consensr"),
#'   system.file("extdata", "atmp_delphi_dictionary.csv", package = "consensr")
#' )
#' round_flow(imp$ratings, "Fundamental", threshold = 0.75)
#' @export
round_flow <- function(x, target, threshold = 0.75, round = "round", ...,
                       carry = c("not_reached", "all")) {
  call <- rlang::current_env()
  carry <- rlang::arg_match(carry, error_call = call)
  p <- rounds_prepare(x, round, list(...), call, codes = TRUE)
  cons <- lapply(p$ratings, function(r) {
    do.call(consensus, c(list(r, target = target, threshold = threshold), p$rule))
  })
  s <- delphi_frame(cons, p, carry)
  panel <- lapply(p$ratings, rounds_panel)
  R <- length(p$rounds)
  rated <- sapply(seq_len(R), function(k) !is.na(s[[paste0("n_", k)]]))
  status_k <- function(k) as.character(s[[paste0("status_", k)]])
  settled <- sapply(seq_len(R), function(k) {
    st <- status_k(k)
    !is.na(st) & st != "no consensus"
  })
  rated <- matrix(rated, ncol = R)
  settled <- matrix(settled, ncol = R)
  seen <- character()
  rows <- lapply(seq_len(R), function(k) {
    resp <- panel[[k]]$responded
    prev <- if (k > 1L) panel[[k - 1L]]$responded else character()
    nxt <- if (k < R) rated[, k + 1L] else NULL
    d <- data.frame(
      round = p$rounds[k],
      panellists = length(resp),
      panellists_new = length(setdiff(resp, seen)),
      panellists_lost = if (k > 1L) length(setdiff(prev, resp)) else NA_integer_,
      items_rated = sum(rated[, k]),
      items_new = if (k > 1L) sum(rated[, k] & !rated[, k - 1L]) else sum(rated[, k]),
      reached = sum(status_k(k) %in% c("consensus", "consensus in")),
      reached_out = sum(status_k(k) %in% "consensus out"),
      not_reached = sum(rated[, k] & !settled[, k]),
      carried = if (k < R) sum(rated[, k] & !settled[, k] & nxt) else NA_integer_,
      dropped = if (k < R) sum(rated[, k] & !settled[, k] & !nxt) else NA_integer_,
      retired = if (k < R) sum(settled[, k] & !nxt) else NA_integer_,
      rerated = if (k < R) sum(settled[, k] & nxt) else NA_integer_,
      stringsAsFactors = FALSE
    )
    seen <<- union(seen, resp)
    d
  })
  out <- do.call(rbind, rows)
  out$round <- factor(out$round, levels = p$rounds)
  if (is.null(attr(s, "rule")$opposite)) out$reached_out <- NULL
  rownames(out) <- NULL
  structure(out, class = c("consensr_round_flow", "data.frame"),
            final = sum(s$in_final_list), summary = s)
}

#' @export
format.consensr_round_flow <- function(x, ...) {
  need <- c("round", "panellists", "items_rated", "reached", "carried", "dropped")
  if (!rounds_has_attrs(x, "final") || !all(need %in% names(x))) return(character())
  lines <- "<consensr_round_flow>"
  for (k in seq_len(nrow(x))) {
    lines <- c(lines, sprintf("  %s: %d panellist%s rated %d item%s, %s%s",
                              x$round[k], x$panellists[k], rounds_plural(x$panellists[k]),
                              x$items_rated[k], rounds_plural(x$items_rated[k]),
                              reached_text(x$reached[k], x$reached_out[k]),
                              if (is.na(x$carried[k])) "" else
                                sprintf("; %d carried forward, %d dropped", x$carried[k], x$dropped[k])))
  }
  c(lines, sprintf("  final list: %d item%s", attr(x, "final"), rounds_plural(attr(x, "final"))))
}

#' @export
print.consensr_round_flow <- function(x, ...) {
  rounds_cat(format(x, ...))
  y <- x
  attr(y, "final") <- attr(y, "summary") <- NULL
  class(y) <- "data.frame"
  print(y, ...)
  invisible(x)
}

rounds_cat <- function(lines) {
  if (length(lines) > 0L) cat(lines, sep = "\n")
}

# Fates of a two-sided rule say which side was reached.
fate_side <- function(status) {
  switch(as.character(status), "consensus in" = " in", "consensus out" = " out", "")
}

fate_levels <- function(rule) {
  settled <- if (is.null(rule$opposite)) c("reached", "newly reached") else
    c("reached in", "reached out", "newly reached in", "newly reached out")
  c(settled, "lost consensus", "no consensus", "dropped")
}

# "3 reached consensus", or "3 consensus in, 1 consensus out".
reached_text <- function(n_in, n_out = NULL) {
  if (is.null(n_out)) return(sprintf("%d reached consensus", n_in))
  sprintf("%d consensus in, %d consensus out", n_in, n_out)
}
