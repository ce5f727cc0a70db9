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
#' cc <- consensus_completers(imp, "Fundamental", threshold = 0.75)
#' cc[!cc$same_status, ]
#' @export
consensus_completers <- function(x, target, threshold, opposite = NULL,
                                 opposite_threshold = NULL, strict = FALSE, ...,
                                 completers = c("all_rounds", "all_items"),
                                 by = NULL, round = NULL) {
  call <- rlang::current_env()
  require_rule(target, threshold, call = call)
  completers <- classed_arg(rlang::arg_match(completers, error_call = call))
  p <- rounds_prepare(x, round, list(...), call, by = by, codes = TRUE)
  rule_of <- function(r) {
    consensus(r, target = target, threshold = threshold, opposite = opposite,
              opposite_threshold = opposite_threshold, strict = strict, by = p$by)
  }
  panel <- lapply(p$ratings, rounds_panel)
  ids <- Reduce(intersect, lapply(panel, `[[`, "responded"))
  if (completers == "all_items") {
    ids <- Reduce(intersect, c(list(ids), lapply(panel, `[[`, "completed")))
  }
  vars <- rounds_item_vars(p$ratings)
  rule <- NULL
  res <- lapply(seq_along(p$ratings), function(k) {
    r <- p$ratings[[k]]
    all <- rule_of(r)
    rule <<- attr(all, "rule")
    sub <- rounds_subset(r, r$respondents %in% ids)
    comp <- rule_of(sub)
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
