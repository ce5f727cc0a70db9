#' How robust is consensus to the composition of the panel?
#'
#' Re-applies the rule of [consensus()] to panels built from the respondents
#' of the study: every panel that leaves one respondent out (the
#' **jackknife**), or panels of respondents drawn with replacement (the
#' **bootstrap**). An item whose consensus hangs on one or two panellists, or
#' that reaches consensus in only half of the resampled panels, is a fragile
#' result, whatever its observed percentage.
#'
#' @section The rule:
#' Exactly that of [consensus()] (same arguments, same exact integer
#' comparison at the threshold, done by the same C code): the status of an
#' item in a resampled panel is what [consensus()] would report for that
#' panel. With `by`, consensus must hold within every group, as in
#' [consensus()].
#'
#' @section Jackknife:
#' For each respondent `i`, the panel without `i`. Removing `i` changes only
#' the counts of the items `i` rated (and, with `by`, only those of `i`'s
#' group), so each panel is computed from the full tally minus `i`'s
#' ratings. Per item: `n_flips`, how many single removals change `reached`,
#' and `flippers`, those respondents' ids. A change to or from `NA` (an item
#' that can no longer be decided, e.g. the only rater of a group was
#' removed) counts as a flip. Groups keep their place when a removal leaves
#' them empty: the item is then undecided, as an item a group did not rate
#' is in [consensus()]. `min_prop` and `max_prop` are the smallest and
#' largest target share over the leave-one-out panels (from the counts: a
#' removal takes out a target rater, another rater or a non-rater). With
#' `detail = TRUE` the table of every respondent x item panel is kept in
#' the attribute `"jackknife"` (n x m rows: ask for it on small panels only).
#'
#' @section Bootstrap:
#' `B` panels of the same size, drawn with replacement from the respondents
#' (the nonparametric bootstrap, Efron and Tibshirani 1993); with `by`, each
#' group is resampled to its own size (a stratified bootstrap), so that
#' every panel keeps the study's group sizes. The draws are those of
#' `sample.int(n, n, replace = TRUE)` per replicate (per group in the order
#' of the group levels, each mapped to the group's respondents in their order
#' of appearance), so `set.seed()` reproduces the result exactly and a
#' pure-R loop over `sample.int()` gives the same panels. Per item:
#' `p_reached`, the share of panels that reach consensus (consensus in, for
#' two-sided rules); `p_out`, for two-sided rules, the share reaching
#' consensus out; `p_undecided`, the share where the item could not be
#' decided (nobody in the panel, or in some group, rated it); `mean_prop`,
#' the mean target share over the panels that rated the item (`rowMeans()`);
#' `prop_low` and `prop_high`, the percentile interval of the target share at
#' `conf_level`, computed with `stats::quantile(type = 7)` over the panels
#' that rated the item. The shares of all panels (items x `B`) are kept in
#' the attribute `"bootstrap"`.
#'
#' The C code adds each drawn respondent's ratings to per-item counters (one
#' addition per item and distinct respondent drawn) and keeps no copy of the
#' ratings per replicate; memory grows with `B` only through the items x `B`
#' matrix of shares returned. The replicates are run in about 50 chunks from
#' R, each continuing the same random number stream (the result does not
#' depend on the chunking), so that a progress bar can be shown and the run
#' can be interrupted. Up to 2,097,151 respondents.
#'
#' @inheritParams consensus
#' @param x Respondent-level ratings: a data frame, long or wide, that
#'   [as_ratings()] reads, or a `consensr_ratings` object with codes. Counts
#'   (a published table) can't be resampled: use [add_intervals()] for them.
#' @param strict If `TRUE`, the share must exceed `threshold` ("more than
#'   70%") rather than reach it ("70% or more", the default).
#' @param method `"jackknife"` (leave one respondent out) or `"bootstrap"`.
#' @param B The number of bootstrap replicates, a whole number >= 1.
#' @param conf_level The level of the bootstrap percentile interval, in
#'   (0, 1).
#' @param progress Show a progress bar for the bootstrap? `NULL` (the
#'   default) shows one in interactive sessions when the run takes more than
#'   2 seconds; `TRUE` always, `FALSE` never.
#' @param ... Passed to [as_ratings()]: `respondent`, `item`, `rating`,
#'   `levels`, `items`, `item_data`, `format`, `missing_levels`.
#' @param detail Jackknife: keep the table of every respondent x item panel
#'   in the attribute `"jackknife"` (`FALSE` by default: it has n x m rows).
#' @return A data frame of class `consensr_robustness`, one row per item:
#'   the columns of [consensus()] for the full panel (`item`, metadata,
#'   `count`, `n`, `prop`, ..., `status`, `reached`), then
#'   * jackknife: `n_flips`, `flippers` (the respondents' ids as text, "5, 6, 7"),
#'     `min_prop`, `max_prop`;
#'   * bootstrap: `p_reached`, (`p_out`), `p_undecided`, `mean_prop`,
#'     `prop_low`, `prop_high`.
#'
#'   Attributes: `method`, `B`, `conf_level`, `rule`, and `"jackknife"` (with
#'   `detail = TRUE`: one row per respondent and item: `respondent`, the group, `item`, `rated`,
#'   the panel's `count`, `n`, `prop`, `status`, `reached` and `flip`) or
#'   `"bootstrap"` (the items x `B` matrix of target shares, `NA` where no
#'   drawn respondent rated the item).
#' @references Efron B, Tibshirani RJ (1993). *An Introduction to the
#'   Bootstrap*. Chapman & Hall. (Percentile intervals: chapter 13; the
#'   jackknife: chapter 11.)
#' @seealso [consensus()], [plot_robustness()], [add_intervals()]
#' @examples
#' lv <- c("Fundamental", "Ancillary", "Less Important")
#' jk <- consensus_robustness(atmp_ratings, "Fundamental", 0.75, levels = lv)
#' jk
#' jk[jk$n_flips > 0, c("item", "prop", "reached", "n_flips", "min_prop", "max_prop")]
#'
#' set.seed(1)
#' bs <- consensus_robustness(atmp_ratings, "Fundamental", 0.75, levels = lv,
#'                            method = "bootstrap", B = 200)
#' bs[, c("item", "prop", "reached", "p_reached", "prop_low", "prop_high")]
#' @md
#' @param round Optional name of a column of `x` that holds the Delphi round:
#'   the analysis is made within each round and the results are stacked
#'   with a round column (printed round by round).
#' @export
consensus_robustness <- function(x, target, threshold, opposite = NULL,
                                 opposite_threshold = NULL, strict = FALSE, ...,
                                 method = c("jackknife", "bootstrap"),
                                 B = 2000, conf_level = 0.95, progress = NULL,
                                 detail = FALSE, by = NULL, round = NULL) {
  call <- rlang::current_env()
  require_rule(target, threshold, call = call)
  method <- classed_arg(rlang::arg_match(method))
  B <- rob_check_whole(B, "B", call = call)
  ci_check_conf_level(conf_level, call = call)
  if (!is.null(progress)) check_flag(progress, "progress", call = call)
  r <- as_ratings(x, ..., by = by, round = round)
  db_needs_respondents(r, call, "Resampling respondents needs to know who gave which rating.")
  by <- analysis_by(r, by)
  if (!is.null(r$round)) {
    return(round_apply(r, function(d) {
      consensus_robustness(d, target, threshold, opposite, opposite_threshold,
                           strict, method = method, B = B,
                           conf_level = conf_level, progress = progress,
                           detail = detail, by = by)
    }))
  }
  if (!has_codes(r)) {
    abort(c("{.arg x} must hold the ratings of each respondent: resampling needs respondent-level data.",
            "x" = "{.arg x} holds counts (e.g. a published table), which don't say who gave which rating.",
            "i" = "For counts, {.fn add_intervals} gives confidence intervals of the proportions."),
          call = call)
  }
  r <- ratings_materialize(r)
  rule <- new_rule(r$levels, target, threshold, opposite, opposite_threshold,
                   strict, by, call)
  observed <- apply_rule(r, rule)
  panel <- rob_panel(r, rule)

  out <- unclass_df(observed)
  extra <- if (method == "jackknife") {
    rob_jackknife(r, rule, panel, out, detail)
  } else {
    if (nrow(r$codes) > 2097151L) {
      abort("The bootstrap handles at most 2,097,151 respondents, not {nrow(r$codes)}.",
            call = call)
    }
    rob_bootstrap(r, rule, panel, B, conf_level, progress)
  }
  out <- cbind(out, extra$items)
  rownames(out) <- NULL
  structure(out, class = c("consensr_robustness", "data.frame"),
            method = method, B = if (method == "bootstrap") B else NA_integer_,
            conf_level = conf_level, rule = rule, by = by,
            groups = attr(observed, "groups"),
            item_vars = setdiff(names(r$items), "item"),
            n_resp = nrow(r$codes),
            jackknife = extra$jackknife, bootstrap = extra$bootstrap)
}

# A whole number >= `min` (a count of replicates), returned as integer.
rob_check_whole <- function(x, arg, min = 1L, call = rlang::caller_env()) {
  if (!is.numeric(x) || is.factor(x) || length(x) != 1L || is.na(x) ||
      !is.finite(x) || x != trunc(x) || x < min || x > .Machine$integer.max) {
    shown <- if (is.atomic(x) && length(x) == 1L) format(x) else
      sprintf("%s of length %d", class(x)[1L], length(x))
    abort("{.arg {arg}} must be a whole number >= {min}, not {shown}.",
          call = call)
  }
  as.integer(x)
}

# The panel as the C routines read it: the class of each rating under the
# rule (0 not rated, 1 other level, 2 target, 3 opposite), respondents x
# items, with the group codes.
rob_panel <- function(r, rule) {
  class_of <- rep(1L, length(r$levels))
  class_of[rule$target_codes] <- 2L
  if (!is.null(rule$opposite)) class_of[rule$opposite_codes] <- 3L
  cls <- class_of[r$codes]
  cls[is.na(cls)] <- 0L
  n <- nrow(r$codes)
  grouped <- !is.null(rule$by)
  list(cls = cls, n = n, m = ncol(r$codes),
       group = if (grouped) as.integer(r$group) else NULL,
       G = if (grouped) nlevels(r$group) else 1L)
}

# TRUE where a and b differ, NA counting as a value of its own.
rob_differs <- function(a, b) {
  ifelse(is.na(a) | is.na(b), is.na(a) != is.na(b), a != b)
}

rob_range <- function(p, n, m, fun) {
  p <- matrix(p, n, m)
  vapply(seq_len(m), function(j) {
    v <- p[, j]
    v <- v[!is.na(v)]
    if (length(v) == 0L) NA_real_ else fun(v)
  }, numeric(1))
}

rob_jackknife <- function(r, rule, panel, observed, detail = FALSE) {
  n <- panel$n
  m <- panel$m
  st <- .Call(ffi_jackknife, as.raw(panel$cls), n, panel$group, panel$G,
              rule$frac, rule$opposite_frac, rule$strict)
  # flips per item, decoded a block of items at a time: no respondent x
  # item table unless `detail` asks for it
  items <- data.frame(n_flips = integer(m))
  items$flippers <- vector("list", m)
  block <- max(1L, as.integer(2^22 %/% max(n, 1L)))
  for (j0 in seq(1L, max(m, 1L), by = block)) {
    js <- j0:min(m, j0 + block - 1L)
    if (m == 0L) break
    dec <- decode_status(as.vector(st[, js, drop = FALSE]), rule)$reached
    flip <- matrix(rob_differs(dec, rep(observed$reached[js], each = n)), n)
    items$n_flips[js] <- as.integer(colSums(flip))
    items$flippers[js] <- lapply(seq_along(js), function(j) r$respondents[flip[, j]])
  }
  # as text ("5, 6, 7"): prints and writes to CSV like any other column
  items$flippers <- vapply(items$flippers, paste, character(1), collapse = ", ")
  # the leave-one-out shares: (k - 1)/(n - 1) without a target rater,
  # k/(n - 1) without another rater, k/n without a non-rater
  k <- observed$count
  nn <- observed$n
  n_target <- k
  n_other <- nn - k
  n_none <- n - nn
  cand <- cbind(ifelse(n_target > 0 & nn > 1, (k - 1) / (nn - 1), NA),
                ifelse(n_other > 0 & nn > 1, k / (nn - 1), NA),
                ifelse(n_none > 0 & nn > 0, k / nn, NA))
  items$min_prop <- suppressWarnings(apply(cand, 1L, function(v) if (all(is.na(v))) NA_real_ else min(v, na.rm = TRUE)))
  items$max_prop <- suppressWarnings(apply(cand, 1L, function(v) if (all(is.na(v))) NA_real_ else max(v, na.rm = TRUE)))
  if (m == 0L) {
    items$min_prop <- numeric()
    items$max_prop <- numeric()
  }
  long <- if (detail) rob_jackknife_detail(r, rule, panel, observed, st) else NULL
  list(items = items, jackknife = long)
}

# Every respondent x item panel of the jackknife (on request: n x m rows).
rob_jackknife_detail <- function(r, rule, panel, observed, st) {
  n <- panel$n
  m <- panel$m
  dec <- decode_status(as.vector(st), rule)
  cls <- panel$cls
  rated <- cls > 0L
  count <- rep(observed$count, each = n) - (cls == 2L)
  n_loo <- rep(observed$n, each = n) - rated
  long <- data.frame(respondent = rep(r$respondents, m),
                     stringsAsFactors = FALSE)
  if (!is.null(rule$by)) long[[rule$by]] <- rep(r$group, m)
  long$item <- rep(r$items$item, each = n)
  long$rated <- as.vector(rated)
  long$count <- as.integer(count)
  long$n <- as.integer(n_loo)
  long$prop <- safe_prop(count, n_loo)
  if (!is.null(rule$opposite)) {
    long$opposite_count <- as.integer(rep(observed$opposite_count, each = n) - (cls == 3L))
    long$opposite_prop <- safe_prop(long$opposite_count, long$n)
  }
  long$status <- dec$status
  long$reached <- dec$reached
  long$flip <- rob_differs(dec$reached, rep(observed$reached, each = n))
  long
}

# Chunk sizes: about `chunks` calls to C, none empty.
rob_chunks <- function(B, chunks) {
  chunks <- max(1L, min(as.integer(chunks), B))
  sizes <- diff(round(seq(0, B, length.out = chunks + 1L)))
  as.integer(sizes[sizes > 0])
}

# The bootstrap replicates: list(prop = items x B shares, status = items x 5
# counts of status codes).  Each chunk is one C call continuing the random
# number stream, so the result does not depend on `chunks`.
rob_resample <- function(panel, rule, B, chunks = 50L, progress = FALSE) {
  cls_rm <- as.raw(t(matrix(panel$cls, panel$n, panel$m)))
  prop <- matrix(NA_real_, panel$m, B)
  status <- matrix(0L, panel$m, 5L)
  sizes <- rob_chunks(B, chunks)
  if (isTRUE(progress)) {
    cli::cli_progress_bar("Bootstrap", total = B, clear = TRUE)
  }
  done <- 0L
  for (nb in sizes) {
    res <- .Call(ffi_bootstrap, cls_rm, panel$n, panel$group, panel$G, nb,
                 rule$frac, rule$opposite_frac, rule$strict)
    prop[, done + seq_len(nb)] <- res$prop
    status <- status + res$status
    done <- done + nb
    if (isTRUE(progress)) cli::cli_progress_update(inc = nb)
  }
  if (isTRUE(progress)) cli::cli_progress_done()
  list(prop = prop, status = status)
}

# Percentile interval per row, as stats::quantile(type = 7, na.rm = TRUE)
# computes it (in C: one sort per item).
rob_quantiles <- function(prop, probs) {
  .Call(ffi_row_quantiles, prop, as.double(probs))
}

rob_bootstrap <- function(r, rule, panel, B, conf_level, progress) {
  # the items x B matrix of shares is kept: refuse sizes memory can't hold
  cells <- as.double(B) * max(1L, panel$m)
  if (cells > 2^28) {
    abort(c("{.arg B} is too large: {format(B, big.mark = ',')} replicates of {panel$m} item{?s} need {format(round(cells * 8 / 2^30, 1))} GiB for the resampled shares.",
            "i" = "10,000 replicates are plenty for percentile intervals."),
          call = rlang::caller_env(), class = "consensr_error_argument")
  }
  show <- if (is.null(progress)) interactive() else progress
  if (isTRUE(progress)) rlang::local_options(cli.progress_show_after = 0)
  res <- rob_resample(panel, rule, B, progress = show)
  prop <- res$prop
  dimnames(prop) <- list(r$items$item, NULL)
  st <- res$status
  items <- data.frame(p_reached = st[, 2L] / B)
  if (!is.null(rule$opposite)) items$p_out <- st[, 3L] / B
  items$p_undecided <- (st[, 1L] + st[, 5L]) / B
  mean_prop <- rowMeans(prop, na.rm = TRUE)
  mean_prop[is.nan(mean_prop)] <- NA_real_
  items$mean_prop <- unname(mean_prop)
  alpha <- (1 - conf_level) / 2
  q <- rob_quantiles(prop, c(alpha, 1 - alpha))
  items$prop_low <- q[1L, ]
  items$prop_high <- q[2L, ]
  list(items = items, bootstrap = prop)
}

robustness_headline <- function(x, stable = 0.9) {
  rule <- attr(x, "rule")
  cols <- if (identical(attr(x, "method"), "bootstrap")) "p_reached" else "n_flips"
  if (is.null(rule) || !all(c("reached", cols) %in% names(x))) {
    return("<consensr_robustness>")
  }
  items <- function(k) sprintf("%d item%s", k, if (k == 1L) "" else "s")
  what <- if (is.null(rule$opposite)) "consensus" else "consensus in"
  reached <- x$reached %in% TRUE
  within <- within_text(rule$by)
  if (identical(attr(x, "method"), "bootstrap")) {
    strat <- if (!is.null(rule$by)) sprintf(", stratified by %s", rule$by) else ""
    head <- sprintf("Bootstrap (B = %d%s): %d of %s reaching %s%s do so in >= %s of resampled panels",
                    attr(x, "B"), strat, sum(reached & x$p_reached >= stable),
                    items(sum(reached)), what, within, format_pct(stable))
    other <- sprintf("%d of %s not reaching it do so in >= %s",
                     sum(!reached & x$p_reached >= 1 - stable),
                     items(sum(!reached)), format_pct(1 - stable))
    interval <- sprintf("%s percentile intervals of the target share",
                        format_pct(attr(x, "conf_level")))
    return(c(head, paste0("  ", other, "; ", interval), paste0("  ", format(rule))))
  }
  n_resp <- attr(x, "n_resp")
  head <- sprintf("Jackknife (%d leave-one-out panel%s): %d of %s reaching %s%s keep it whichever respondent is removed",
                  n_resp, if (n_resp == 1L) "" else "s",
                  sum(reached & x$n_flips == 0L), items(sum(reached)), what,
                  within)
  other <- sprintf("%d of %s not reaching it change with a single removal",
                   sum(!reached & x$n_flips > 0L), items(sum(!reached)))
  c(head, paste0("  ", other), paste0("  ", format(rule)))
}

#' @rdname consensus_robustness
#' @param stable For printing: the share of resampled panels above which a
#'   bootstrap result is counted as stable in the headline.
#' @md
#' @export
format.consensr_robustness <- function(x, stable = 0.9, ...) {
  robustness_headline(x, stable)
}

#' @md
#' @export
print.consensr_robustness <- function(x, stable = 0.9, ...) {
  if (print_by_round(x, ...)) return(invisible(x))
  cat(format(x, stable = stable), sep = "\n")
  df <- rob_plain(x)
  print(df, ...)
  invisible(x)
}

# The data frame without the class and attributes of the result.
rob_plain <- function(x) {
  keep <- attributes(x)[c("names", "row.names")]
  attributes(x) <- NULL
  attributes(x) <- c(keep, list(class = "data.frame"))
  x
}
