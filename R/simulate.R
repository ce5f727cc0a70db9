#' Simulate a Delphi panel
#'
#' Draws a data set that looks like a real Delphi study: items in thematic
#' areas with a latent importance, panellists in stakeholder groups with
#' their own leniency and a shift per group, any ordinal scale with an
#' optional declared non-answer ("Unable to score"), ratings left blank,
#' several rounds in which panellists move toward the median fed back to
#' them, and panellists lost between rounds. Meant for teaching and for
#' trying an analysis plan before the data come in; `set.seed()` reproduces
#' a draw.
#'
#' @section The generative model:
#' Item \eqn{i} belongs to area \eqn{a(i)} (items are dealt to the areas in
#' turn, so area sizes differ by at most one); panellist \eqn{j} belongs to
#' group \eqn{g(j)} (dealt in turn as well, then shuffled). Independently,
#' \deqn{\alpha_a \sim N(0, \sigma_{area}^2), \quad \mu_i = m + \alpha_{a(i)} +
#'   \nu_i, \quad \nu_i \sim N(0, \sigma_{imp}^2), \quad \lambda_j \sim N(0,
#'   \sigma_{len}^2), \quad \delta_g = \mathrm{shift}_g}{alpha_a ~ N(0,
#'   area_sd^2), mu_i = importance_mean + alpha_a(i) + nu_i, nu_i ~ N(0,
#'   importance_sd^2), lambda_j ~ N(0, leniency_sd^2), delta_g =
#'   group_shift[g]}
#' (\eqn{m} is `importance_mean`, the \eqn{\sigma} are `area_sd`,
#' `importance_sd`, `leniency_sd`, and below `noise_sd`, `revision_sd`).
#' In round 1 panellist \eqn{j} has the latent score
#' \deqn{z^{(1)}_{ij} = \mu_i + \lambda_j + \delta_{g(j)} + \varepsilon_{ij},
#'   \quad \varepsilon_{ij} \sim N(0, \sigma_{noise}^2)}{z1_ij = mu_i +
#'   lambda_j + delta_g(j) + eps_ij, eps_ij ~ N(0, noise_sd^2)}
#' and gives the level \eqn{k} of the scale (`levels[k]`, lowest importance
#' first) for which \eqn{c_{k-1} < z \le c_k}, with cut points
#' \eqn{c_0 = -\infty < c_1 < \dots < c_{K-1} < c_K = \infty}
#' (an ordered probit model). By default the cut points are the
#' \eqn{k/K} quantiles of \eqn{N(0, s^2)}, with \eqn{s^2} the sum of the
#' squares of `area_sd`, `importance_sd`, `leniency_sd` and `noise_sd`: with
#' `importance_mean = 0` and no group shift every level is equally likely
#' overall; a positive `importance_mean` moves the panel toward the top of
#' the scale.
#'
#' Between rounds \eqn{r} and \eqn{r + 1}, every item is fed back with the
#' median of the round's latent scores of the panellists who rated it,
#' \eqn{m^{(r)}_i} (the median rating is the level that holds this value
#' when the number of raters is odd), and each panellist moves a share
#' `pull` of the way toward it, plus a fresh revision error:
#' \deqn{z^{(r+1)}_{ij} = z^{(r)}_{ij} + p\,(m^{(r)}_i - z^{(r)}_{ij}) +
#'   \eta_{ij}, \quad \eta_{ij} \sim N(0, \sigma_{rev}^2)}{z(r+1)_ij =
#'   z(r)_ij + pull * (m(r)_i - z(r)_ij) + eta_ij, eta_ij ~ N(0,
#'   revision_sd^2)}
#' (\eqn{p} is `pull`).
#' Hence \eqn{z^{(r+1)} - m^{(r)} = (1 - p)(z^{(r)} - m^{(r)}) + \eta}{z(r+1)
#' - m(r) = (1 - pull) (z(r) - m(r)) + eta}: with `pull = 0` and `revision_sd = 0` nobody moves, with
#' `pull = 1` and `revision_sd = 0` everyone gives the fed-back median.
#' Every item is rated again in every round.
#'
#' Non-response, drawn independently of everything else (missing completely
#' at random):
#' * Attrition: a panellist who took part in round \eqn{r} takes no part in
#'   round \eqn{r + 1} (and later rounds) with probability `attrition`; the
#'   rows of later rounds are then absent, as in a real export.
#' * A rating is left blank (`NA`) with probability `missing`.
#' * A rating that is not blank is replaced by the non-answer `nonanswer`
#'   with probability `nonanswer_rate` (only when `nonanswer` is given).
#'
#' @param n_items,n_panellists Number of items and of panellists (round 1).
#' @param areas The thematic areas: their names, or their number (named
#'   "Area A", "Area B", ...).
#' @param groups Names of the stakeholder groups.
#' @param group_shift The shift \eqn{\delta_g} of each group on the latent
#'   scale: one number, or one per group in the order of `groups` (or named
#'   by group).
#' @param levels The scale, lowest importance first: e.g. `1:9`,
#'   `1:5`, or `c("Less important", "Ancillary", "Fundamental")`.
#' @param nonanswer An answer outside the scale, e.g. `"Unable to score"`,
#'   or `NULL` for none.
#' @param nonanswer_rate,missing,attrition Probabilities (see the model).
#' @param rounds Number of rounds.
#' @param pull Strength of the move toward the fed-back median, in \[0, 1\].
#' @param importance_mean,importance_sd,area_sd,leniency_sd,noise_sd,revision_sd
#'   Mean and standard deviations of the model (non-negative).
#' @param cutpoints Optional increasing cut points, `length(levels) - 1`
#'   of them, on the latent scale.
#' @return A long data frame, one row per panellist, round and item:
#'   `respondent` ("P01", ...), `group`, `round` (integer), `area`, `item`
#'   ("I01", ...) and `rating` (an ordered factor of the scale; with a
#'   non-answer, a factor whose last level is the non-answer, to be declared
#'   with `missing_levels`). Absent panellists have no rows. The attribute
#'   `"truth"` holds the latent values: `items` (`item`, `area`,
#'   `importance` \eqn{\mu_i}), `panellists` (`respondent`, `group`,
#'   `leniency` \eqn{\lambda_j}, `shift` \eqn{\delta_g}, `last_round`),
#'   `latent` (the \eqn{z} of every row, in row order), `median` (the
#'   fed-back \eqn{m^{(r)}_i}, one row per item and round before the last),
#'   `cutpoints` and the arguments (`params`).
#' @references Dalkey N, Helmer O (1963). An experimental application of
#'   the Delphi method to the use of experts. *Management Science*, 9(3),
#'   458-467.
#'
#'   Agresti A (2010). *Analysis of Ordinal Categorical Data*, 2nd ed.,
#'   chapter 5 (cumulative link models with a latent variable). Wiley.
#' @seealso [consensus()], [delphi_summary()], [attrition()],
#'   [run_app()] (a panel can be simulated in the app).
#' @examples
#' set.seed(42)
#' panel <- simulate_panel(n_items = 12, n_panellists = 20, rounds = 2,
#'                         nonanswer = "Unable to score")
#' head(panel)
#' round1 <- panel[panel$round == 1, ]
#' consensus(round1, target = 7:9, threshold = 0.7, levels = 1:9,
#'           missing_levels = "Unable to score")
#' attrition(panel, round = "round", levels = 1:9,
#'           missing_levels = "Unable to score")
#' head(attr(panel, "truth")$items)
#' @export
simulate_panel <- function(n_items = 20, n_panellists = 30,
                           areas = 4, groups = c("Clinicians", "Patients", "Researchers"),
                           group_shift = 0, levels = 1:9,
                           nonanswer = NULL, nonanswer_rate = 0.03,
                           missing = 0.02, rounds = 1, pull = 0.5,
                           attrition = 0.1, importance_mean = 0.5,
                           importance_sd = 1, area_sd = 0.5, leniency_sd = 0.5,
                           noise_sd = 1, revision_sd = 0.25, cutpoints = NULL) {
  call <- rlang::current_env()
  n_items <- sim_whole(n_items, "n_items", call)
  n_panellists <- sim_whole(n_panellists, "n_panellists", call)
  rounds <- sim_whole(rounds, "rounds", call)
  for (a in c("nonanswer_rate", "missing", "pull", "attrition")) {
    sim_prob(get(a), a, call)
  }
  for (a in c("importance_sd", "area_sd", "leniency_sd", "noise_sd", "revision_sd")) {
    sim_number(get(a), a, call, min = 0)
  }
  sim_number(importance_mean, "importance_mean", call)
  if (is.numeric(areas) && length(areas) == 1L) {
    n_areas <- sim_whole(areas, "areas", call)
    areas <- paste("Area", sim_letters(n_areas))
  }
  areas <- sim_names(areas, "areas", call)
  groups <- sim_names(groups, "groups", call)
  group_shift <- sim_shift(group_shift, groups, call)
  levels <- sim_levels(levels, call)
  K <- length(levels)
  if (!is.null(nonanswer)) {
    if (!is.atomic(nonanswer) || length(nonanswer) != 1L || is.na(nonanswer)) {
      abort("{.arg nonanswer} must be one value, e.g. {.val Unable to score}, or {.code NULL}.",
            call = call, class = "consensr_error_simulate")
    }
    if (as.character(nonanswer) %in% levels) {
      abort("{.arg nonanswer} can't be a level of the scale; {.val {nonanswer}} is one.",
            call = call, class = "consensr_error_simulate")
    }
  }
  total_sd <- sqrt(area_sd^2 + importance_sd^2 + leniency_sd^2 + noise_sd^2)
  if (is.null(cutpoints)) {
    cutpoints <- if (total_sd > 0) stats::qnorm(seq_len(K - 1L) / K, sd = total_sd) else
      seq_len(K - 1L) - K / 2
  } else {
    if (!is.numeric(cutpoints) || length(cutpoints) != K - 1L || anyNA(cutpoints) ||
        any(diff(cutpoints) <= 0)) {
      abort("{.arg cutpoints} must be {K - 1} increasing numbers, one fewer than the levels.",
            call = call, class = "consensr_error_simulate")
    }
  }

  # items and panellists
  item_ids <- sprintf(paste0("I%0", nchar(n_items), "d"), seq_len(n_items))
  item_area <- areas[(seq_len(n_items) - 1L) %% length(areas) + 1L]
  alpha <- stats::rnorm(length(areas), 0, area_sd)
  mu <- importance_mean + alpha[match(item_area, areas)] +
    stats::rnorm(n_items, 0, importance_sd)
  ids <- sprintf(paste0("P%0", max(2L, nchar(n_panellists)), "d"), seq_len(n_panellists))
  g <- sample(rep_len(seq_along(groups), n_panellists))
  lambda <- stats::rnorm(n_panellists, 0, leniency_sd)
  delta <- group_shift[g]

  # round 1: latent scores, respondents x items
  z <- outer(lambda + delta, mu, "+") +
    matrix(stats::rnorm(n_panellists * n_items, 0, noise_sd), n_panellists)
  present <- rep(TRUE, n_panellists)
  last_round <- rep(1L, n_panellists)
  out <- vector("list", rounds)
  latent <- vector("list", rounds)
  medians <- vector("list", max(rounds - 1L, 0L))
  for (r in seq_len(rounds)) {
    if (r > 1L) {
      stay <- present & stats::runif(n_panellists) >= attrition
      present <- stay
      last_round[present] <- r
      m <- medians[[r - 1L]]$median
      z <- z + pull * (rep(m, each = n_panellists) - z) +
        matrix(stats::rnorm(n_panellists * n_items, 0, revision_sd), n_panellists)
    }
    codes <- findInterval(z, cutpoints, left.open = TRUE) + 1L
    dim(codes) <- dim(z)
    blank <- matrix(stats::runif(length(z)) < missing, nrow(z))
    nonans <- if (is.null(nonanswer)) matrix(FALSE, nrow(z), ncol(z)) else
      matrix(stats::runif(length(z)) < nonanswer_rate, nrow(z)) & !blank
    codes[blank] <- NA_integer_
    codes[nonans] <- K + 1L
    keep <- which(present)
    if (r < rounds) {
      # the median fed back: latent scores of this round's raters of the item
      rated <- !blank & !nonans
      rated[!present, ] <- FALSE
      m <- vapply(seq_len(n_items), function(i) {
        v <- z[rated[, i], i]
        if (length(v)) stats::median(v) else NA_real_
      }, numeric(1))
      m[is.na(m)] <- mu[is.na(m)]
      medians[[r]] <- data.frame(item = item_ids, round = r, median = m)
    }
    # long: panellist within item
    rows <- expand.grid(j = keep, i = seq_len(n_items))
    out[[r]] <- data.frame(
      respondent = ids[rows$j], group = groups[g[rows$j]], round = r,
      area = item_area[rows$i], item = item_ids[rows$i],
      code = codes[cbind(rows$j, rows$i)],
      stringsAsFactors = FALSE
    )
    latent[[r]] <- z[cbind(rows$j, rows$i)]
  }
  res <- do.call(rbind, out)
  lab <- c(as.character(levels), if (!is.null(nonanswer)) as.character(nonanswer))
  res$rating <- factor(lab[res$code], levels = lab, ordered = is.null(nonanswer))
  res$code <- NULL
  res$group <- factor(res$group, levels = groups)
  res$area <- factor(res$area, levels = areas)
  rownames(res) <- NULL
  attr(res, "truth") <- list(
    items = data.frame(item = item_ids, area = factor(item_area, levels = areas),
                       importance = mu),
    panellists = data.frame(respondent = ids, group = factor(groups[g], levels = groups),
                            leniency = lambda, shift = delta, last_round = last_round),
    latent = unlist(latent, use.names = FALSE),
    median = if (rounds > 1L) do.call(rbind, medians) else
      data.frame(item = character(), round = integer(), median = numeric()),
    cutpoints = cutpoints,
    params = list(levels = levels, nonanswer = nonanswer, nonanswer_rate = nonanswer_rate,
                  missing = missing, rounds = rounds, pull = pull, attrition = attrition,
                  importance_mean = importance_mean, importance_sd = importance_sd,
                  area_sd = area_sd, leniency_sd = leniency_sd, noise_sd = noise_sd,
                  revision_sd = revision_sd, group_shift = stats::setNames(group_shift, groups))
  )
  res
}

sim_letters <- function(n) {
  if (n <= 26L) return(LETTERS[seq_len(n)])
  as.character(seq_len(n))
}

sim_whole <- function(x, arg, call) {
  if (!is.numeric(x) || length(x) != 1L || is.na(x) || x < 1 || x != trunc(x) ||
      x > 1e6) {
    abort("{.arg {arg}} must be a whole number of at least 1, not {.val {format(x)}}.",
          call = call, class = "consensr_error_simulate")
  }
  as.integer(x)
}

sim_prob <- function(x, arg, call) {
  if (!is.numeric(x) || length(x) != 1L || is.na(x) || x < 0 || x > 1) {
    abort("{.arg {arg}} must be a probability between 0 and 1, not {.val {format(x)}}.",
          call = call, class = "consensr_error_simulate")
  }
}

sim_number <- function(x, arg, call, min = -Inf) {
  if (!is.numeric(x) || length(x) != 1L || !is.finite(x) || x < min) {
    what <- if (min == 0) "a non-negative number" else "a finite number"
    abort("{.arg {arg}} must be {what}, not {.val {format(x)}}.",
          call = call, class = "consensr_error_simulate")
  }
}

sim_names <- function(x, arg, call) {
  x <- as.character(x)
  if (length(x) == 0L || anyNA(x) || any(!nzchar(x)) || anyDuplicated(x)) {
    abort("{.arg {arg}} must be distinct, non-empty names{if (arg == 'areas') ' or a number' else ''}.",
          call = call, class = "consensr_error_simulate")
  }
  x
}

sim_levels <- function(x, call) {
  if (!is.atomic(x) || length(x) < 2L || anyNA(x) || anyDuplicated(as.character(x))) {
    abort("{.arg levels} must be at least two distinct levels, lowest importance first.",
          call = call, class = "consensr_error_simulate")
  }
  x
}

sim_shift <- function(x, groups, call) {
  if (!is.numeric(x) || anyNA(x) || !all(is.finite(x)) ||
      !(length(x) %in% c(1L, length(groups)))) {
    abort("{.arg group_shift} must be one number or one per group ({length(groups)}).",
          call = call, class = "consensr_error_simulate")
  }
  if (!is.null(names(x)) && length(x) == length(groups)) {
    if (!setequal(names(x), groups)) {
      abort("The names of {.arg group_shift} must be the groups {.val {groups}}.",
            call = call, class = "consensr_error_simulate")
    }
    x <- x[groups]
  }
  rep_len(unname(x), length(groups))
}
