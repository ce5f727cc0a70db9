# The one counts source of the tables and plots: the ratings object, its
# counts summed over groups, and the consensus() result when `x` is one.
# A consensus() result keeps a reference to the ratings it was computed
# from (attribute "ratings"), so nothing is read again.
counts_source <- function(x, ..., levels = NULL, call) {
  fun <- as.character(rlang::frame_call(call)[[1L]])
  refuse_by(..., fun = fun, call = call)
  result <- NULL
  if (inherits(x, "consensr_consensus")) {
    r <- attr(x, "ratings")
    if (is.null(r) || !all(c("item", "reached") %in% names(x)) ||
        !identical(as.character(x$item), r$items$item)) {
      abort(c("{.arg x} must hold ratings or counts per level, or an unaltered {.fn consensus} result.",
              "i" = "Give the ratings the result was computed from."),
            call = call, class = "consensr_error_input")
    }
    result <- x
  } else if (inherits(x, "consensr_sensitivity")) {
    abort(c("{.arg x} must hold ratings or counts per level, not a {.cls {class(x)[1]}} result.",
            "i" = "Give the ratings the result was computed from."),
          call = call, class = "consensr_error_input")
  } else {
    r <- tryCatch(
      as_ratings(x, ..., levels = levels),
      error = function(e) abort("Can't read {.arg x} as ratings.", parent = e, call = call)
    )
  }
  refuse_rounds(if (is.null(result)) r else result, fun, call)
  if (isTRUE(r$grouped_df) && is.null(result)) {
    abort(c("{.fn {fun}} shows the whole panel; {.arg x} is grouped by {.field {r$by_data}}.",
            "i" = "Ungroup it with {.fn dplyr::ungroup}, or filter one group."),
          call = call, class = "consensr_error_by")
  }
  list(ratings = r, table = ratings_table(r, grouped = FALSE), result = result)
}
