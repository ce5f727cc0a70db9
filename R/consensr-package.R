#' consensr: exact consensus analysis for expert panel ratings
#'
#' Tally ordinal ratings from Delphi studies and consensus surveys, decide
#' which items reach consensus with exact integer arithmetic at the
#' threshold, and see how the list changes with the threshold.
#'
#' The main functions:
#' * [as_ratings()] reads ratings given long, wide or as counts;
#' * [tally_ratings()] counts the ratings per item and level (and group);
#' * [consensus()] applies a one- or two-sided percentage rule;
#' * [threshold_sensitivity()] sweeps the threshold.
#'
#' @keywords internal
#' @useDynLib consensr, .registration = TRUE
"_PACKAGE"
