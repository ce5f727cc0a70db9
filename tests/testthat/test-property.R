# Property test (issue 15): random valid panels through long, wide and
# counts input, as data.frame, tibble and data.table, against pure-R
# oracles that use only exact integer rules (k * b >= a * n).  Covered:
# tallies, one- and two-sided rules, by, switch points, jackknife flips and
# the bootstrap replayed with set.seed().
#
# A few hundred panels by default; set CONSENSR_PROPERTY_N (e.g. 5000) for
# a long run.  The last test shows the comparison is not vacuous: with the
# oracle's >= turned into > the same panels give mismatches.

prop_n <- function(default = 150L) {
  n <- suppressWarnings(as.integer(Sys.getenv("CONSENSR_PROPERTY_N", "")))
  if (is.na(n) || n < 1L) default else n
}

# --- random panels ---------------------------------------------------------

# A panel: respondent x item matrix of level codes (NA = not rated), the
# group of each respondent, the scale, and a rule (target levels, the
# fraction a/b, for two-sided rules the opposite levels and cap c/d <= a/b).
prop_panel <- function(two_sided = FALSE, grouped = FALSE) {
  K <- sample(2:5, 1)
  n <- sample(1:14, 1)
  m <- sample(1:5, 1)
  lv <- paste0("L", seq_len(K))
  p_na <- sample(c(0, 0.1, 0.4), 1)
  codes <- matrix(sample(seq_len(K), n * m, replace = TRUE), n, m)
  codes[matrix(stats::runif(n * m) < p_na, n, m)] <- NA
  G <- if (grouped) sample(seq_len(min(3L, n)), 1) else 1L
  group <- if (grouped) sample(c(seq_len(G), sample.int(G, n - G, replace = TRUE))) else rep(1L, n)
  if (grouped) {
    # every group rates every item at least once (a group with no rating of
    # an item makes the item undecidable, a case tested elsewhere)
    for (g in seq_len(G)) {
      first <- which(group == g)[1L]
      codes[first, is.na(codes[first, ])] <- sample.int(K, sum(is.na(codes[first, ])), replace = TRUE)
    }
  }
  b <- sample(c(2:12, 100), 1)
  a <- sample.int(b, 1)
  target <- sort(sample.int(K, sample.int(K - 1L, 1)))
  rule <- list(target = target, a = a, b = b, opposite = NULL)
  if (two_sided) {
    rest <- setdiff(seq_len(K), target)
    rule$opposite <- if (length(rest) > 1L) sort(sample(rest, sample.int(length(rest), 1))) else rest
    # cap c/d at most a/b
    d <- sample(2:12, 1)
    cc <- sample.int(d, 1)
    while (cc * b > a * d) cc <- cc - 1L
    if (cc < 1L) { cc <- 1L; d <- max(d, ceiling(b / a)) }
    while (cc * b > a * d) d <- d + 1L
    rule$c <- cc
    rule$d <- d
  }
  list(codes = codes, group = group, G = G, levels = lv, K = K, n = n, m = m,
       items = paste0("q", seq_len(m)), ids = paste0("r", seq_len(n)), rule = rule)
}

# The panel as data: long, wide or counts, in a container.
prop_data <- function(p, shape, container) {
  if (shape == "long") {
    d <- data.frame(id = rep(p$ids, p$m), item = rep(p$items, each = p$n),
                    rating = p$levels[as.vector(p$codes)],
                    grp = paste0("g", rep(p$group, p$m)), stringsAsFactors = FALSE)
    d <- d[sample.int(nrow(d)), , drop = FALSE]  # order must not matter
  } else if (shape == "wide") {
    d <- data.frame(id = p$ids, grp = paste0("g", p$group), stringsAsFactors = FALSE)
    for (j in seq_len(p$m)) d[[p$items[j]]] <- p$levels[p$codes[, j]]
  } else {
    tab <- prop_oracle_tally(p)
    d <- data.frame(item = rep(p$items, each = p$K), level = rep(p$levels, p$m),
                    count = as.vector(tab[, 1L, , drop = TRUE]), stringsAsFactors = FALSE)
  }
  rownames(d) <- NULL
  switch(container,
         data.frame = d,
         tibble = tibble::as_tibble(d),
         data.table = data.table::as.data.table(d))
}

prop_args <- function(p, shape) {
  if (shape == "long") {
    list(respondent = "id", item = "item", rating = "rating", levels = p$levels, quiet = TRUE)
  } else if (shape == "wide") {
    list(respondent = "id", items = p$items, levels = p$levels, quiet = TRUE)
  } else {
    list(levels = p$levels, quiet = TRUE)
  }
}

# --- oracles (pure R, integers only) ----------------------------------------

# counts [level, group, item]
prop_oracle_tally <- function(p, group = NULL, weight = NULL) {
  if (is.null(group)) group <- rep(1L, p$n)
  G <- max(group)
  if (is.null(weight)) weight <- rep(1L, p$n)
  out <- array(0L, c(p$K, G, p$m))
  for (i in seq_len(p$n)) for (j in seq_len(p$m)) {
    v <- p$codes[i, j]
    if (!is.na(v)) out[v, group[i], j] <- out[v, group[i], j] + weight[i]
  }
  out
}

# `ge`: the comparison of the rule (>= normally; the mutation test swaps it)
prop_oracle_rule <- function(p, tab, ge = `>=`) {
  r <- p$rule
  G <- dim(tab)[2L]
  status <- character(p$m)
  for (j in seq_len(p$m)) {
    st <- character(G)
    for (g in seq_len(G)) {
      n <- sum(tab[, g, j])
      k <- sum(tab[r$target, g, j])
      if (n == 0) { st[g] <- "undecided"; next }
      if (is.null(r$opposite)) {
        st[g] <- if (ge(k * r$b, r$a * n)) "in" else "none"
      } else {
        ko <- sum(tab[r$opposite, g, j])
        if (ge(k * r$b, r$a * n) && ko * r$d < r$c * n) st[g] <- "in"
        else if (ge(ko * r$b, r$a * n) && k * r$d < r$c * n) st[g] <- "out"
        else st[g] <- "none"
      }
    }
    status[j] <- if (any(st == "undecided")) "undecided"
                 else if (all(st == "in")) "in"
                 else if (all(st == "out")) "out"
                 else "none"
  }
  status
}

prop_reached <- function(status) ifelse(status == "undecided", NA, status == "in")

# the exact switch point "k/n": smallest k/n over groups when every group is
# rated and passes the cap, and (two-sided) k/n >= c/d; NA otherwise
prop_oracle_switch <- function(p, tab) {
  r <- p$rule
  G <- dim(tab)[2L]
  vapply(seq_len(p$m), function(j) {
    n <- vapply(seq_len(G), function(g) sum(tab[, g, j]), 0)
    k <- vapply(seq_len(G), function(g) sum(tab[r$target, g, j]), 0)
    if (any(n == 0)) return(NA_character_)
    if (!is.null(r$opposite)) {
      ko <- vapply(seq_len(G), function(g) sum(tab[r$opposite, g, j]), 0)
      if (any(ko * r$d >= r$c * n)) return(NA_character_)
    }
    best <- 1L
    for (g in seq_len(G)[-1L]) if (k[g] * n[best] < k[best] * n[g]) best <- g
    if (k[best] == 0) return(NA_character_)
    if (!is.null(r$opposite) && k[best] * r$d < r$c * n[best]) return(NA_character_)
    paste0(k[best], "/", n[best])
  }, "")
}

# jackknife: per item, the respondents whose removal changes reached
prop_oracle_jackknife <- function(p, ge = `>=`) {
  full <- prop_reached(prop_oracle_rule(p, prop_oracle_tally(p), ge))
  flips <- vector("list", p$m)
  for (j in seq_len(p$m)) flips[[j]] <- character()
  for (i in seq_len(p$n)) {
    w <- rep(1L, p$n)
    w[i] <- 0L
    st <- prop_reached(prop_oracle_rule(p, prop_oracle_tally(p, weight = w), ge))
    for (j in seq_len(p$m)) {
      if (!identical(st[j], full[j])) flips[[j]] <- c(flips[[j]], p$ids[i])
    }
  }
  list(reached = full, n_flips = lengths(flips))
}

# bootstrap: replicates drawn as the package documents (per replicate,
# members[sample.int(n, n, replace = TRUE)]), pooled shares and statuses
prop_oracle_bootstrap <- function(p, B, seed, order = p$ids, ge = `>=`) {
  members <- match(order, p$ids)  # respondents in order of appearance
  set.seed(seed)
  reached <- matrix(NA, p$m, B)
  prop <- matrix(NA_real_, p$m, B)
  for (rep in seq_len(B)) {
    w <- tabulate(members[sample.int(p$n, p$n, replace = TRUE)], p$n)
    tab <- prop_oracle_tally(p, weight = w)
    reached[, rep] <- prop_reached(prop_oracle_rule(p, tab, ge))
    n <- apply(tab, 3L, sum)
    k <- apply(tab[p$rule$target, , , drop = FALSE], 3L, sum)
    prop[, rep] <- ifelse(n > 0, k / n, NA_real_)
  }
  list(p_reached = rowSums(reached %in% TRUE & !is.na(reached)) / B,
       p_undecided = rowSums(is.na(reached)) / B,
       mean_prop = rowMeans(prop, na.rm = TRUE))
}

# --- the comparison --------------------------------------------------------

prop_threshold <- function(r, text) if (text) paste0(r$a, "/", r$b) else r$a / r$b

prop_rule_args <- function(p, text) {
  r <- p$rule
  out <- list(target = p$levels[r$target], threshold = prop_threshold(r, text))
  if (!is.null(r$opposite)) {
    out$opposite <- p$levels[r$opposite]
    out$opposite_threshold <- if (text) paste0(r$c, "/", r$d) else r$c / r$d
  }
  out
}

# Runs one panel through the package and returns a character vector of
# mismatches against the oracles (empty when all agree).
prop_check <- function(p, shape, container, grouped, ge = `>=`, what = c("tally", "rule", "switch")) {
  d <- prop_data(p, shape, container)
  args <- prop_args(p, shape)
  text <- stats::runif(1) < 0.5
  rargs <- prop_rule_args(p, text)
  by <- if (grouped) "grp" else NULL
  bad <- character()
  tag <- paste(shape, container, if (grouped) "by" else "", if (is.null(p$rule$opposite)) "one-sided" else "two-sided")
  group <- if (grouped) p$group else NULL
  tab <- prop_oracle_tally(p, group = group)
  if ("tally" %in% what) {
    t <- as.data.frame(do.call(tally_ratings, c(list(d), args)))
    want <- prop_oracle_tally(p)[, 1L, , drop = TRUE]
    got <- matrix(t$count[order(match(t$item, p$items), match(t$level, p$levels))], p$K)
    if (!identical(as.integer(got), as.integer(want))) bad <- c(bad, paste(tag, "tally"))
  }
  if ("rule" %in% what) {
    res <- do.call(consensus, c(list(d), rargs, args, list(by = by)))
    res <- as.data.frame(res)
    got <- res$reached[match(p$items, res$item)]
    want <- prop_reached(prop_oracle_rule(p, tab, ge))
    if (!identical(got, want)) bad <- c(bad, paste(tag, "reached"))
    if (!is.null(p$rule$opposite) && !grouped) {
      st <- as.character(res$status[match(p$items, res$item)])
      wst <- c("in" = "consensus in", out = "consensus out", none = "no consensus")[prop_oracle_rule(p, tab, ge)]
      if (!identical(st[!is.na(wst)], unname(wst[!is.na(wst)]))) bad <- c(bad, paste(tag, "status"))
    }
  }
  if ("switch" %in% what && all(vapply(seq_len(p$m), function(j) all(colSums(tab[, , j, drop = FALSE]) > 0), TRUE))) {
    s <- do.call(threshold_sensitivity, c(list(d), rargs, args,
                                          list(by = by, thresholds = rargs$threshold)))
    got <- s$items$switch_at[match(p$items, s$items$item)]
    if (!identical(got, prop_oracle_switch(p, tab))) bad <- c(bad, paste(tag, "switch_at"))
  }
  bad
}

shapes <- c("long", "wide", "counts")
containers <- c("data.frame", "tibble", "data.table")

test_that("random panels agree with the integer oracles (tallies, rules, by, switch points)", {
  skip_if_not_installed("tibble")
  skip_if_not_installed("data.table")
  set.seed(20151)
  N <- prop_n(150L)
  bad <- character()
  for (i in seq_len(N)) {
    two <- i %% 2L == 0L
    shape <- shapes[(i %% 3L) + 1L]
    grouped <- shape != "counts" && (i %% 5L) %in% c(1L, 3L)
    container <- containers[((i %/% 3L) %% 3L) + 1L]
    p <- prop_panel(two_sided = two, grouped = grouped)
    bad <- c(bad, paste(i, prop_check(p, shape, container, grouped)))
    bad <- bad[!grepl("^[0-9]+ $", bad)]
  }
  expect_identical(bad, character())
})

test_that("jackknife flips and the bootstrap replay agree with the oracles", {
  set.seed(20152)
  N <- max(10L, prop_n(150L) %/% 5L)
  bad <- character()
  for (i in seq_len(N)) {
    p <- prop_panel(two_sided = FALSE, grouped = FALSE)
    shape <- shapes[(i %% 2L) + 1L]  # the resampling needs respondents
    d <- prop_data(p, shape, "data.frame")
    args <- prop_args(p, shape)
    rargs <- prop_rule_args(p, text = FALSE)
    jk <- as.data.frame(do.call(consensus_robustness, c(list(d), rargs, args, list(method = "jackknife"))))
    o <- prop_oracle_jackknife(p)
    ord <- match(p$items, jk$item)
    if (!identical(jk$reached[ord], o$reached) || !identical(as.integer(jk$n_flips[ord]), as.integer(o$n_flips))) {
      bad <- c(bad, paste(i, shape, "jackknife"))
    }
    B <- 25L
    seed <- 1000L + i
    set.seed(seed)
    bs <- as.data.frame(do.call(consensus_robustness, c(list(d), rargs, args,
                                  list(method = "bootstrap", B = B, progress = FALSE))))
    ob <- prop_oracle_bootstrap(p, B, seed, order = unique(as.character(d$id)))
    ord <- match(p$items, bs$item)
    if (!isTRUE(all.equal(bs$p_reached[ord], ob$p_reached)) ||
        !isTRUE(all.equal(bs$p_undecided[ord], ob$p_undecided)) ||
        !isTRUE(all.equal(bs$mean_prop[ord], ob$mean_prop))) {
      bad <- c(bad, paste(i, shape, "bootstrap"))
    }
  }
  expect_identical(bad, character())
})

test_that("the comparison fails when the oracle's >= is turned into >", {
  skip_if_not_installed("tibble")
  skip_if_not_installed("data.table")
  set.seed(20153)
  strict_ge <- `>`
  n_bad <- 0L
  n_bad_jk <- 0L
  for (i in seq_len(60L)) {
    p <- prop_panel(two_sided = i %% 2L == 0L, grouped = FALSE)
    # thresholds a/b that some k/n hits exactly make the mutation visible
    n_bad <- n_bad + length(prop_check(p, "long", "data.frame", FALSE, ge = strict_ge, what = "rule"))
    if (i <= 20L) {
      q <- p
      q$rule$opposite <- NULL
      d <- prop_data(q, "long", "data.frame")
      jk <- as.data.frame(do.call(consensus_robustness,
        c(list(d), prop_rule_args(q, FALSE), prop_args(q, "long"), list(method = "jackknife"))))
      o <- prop_oracle_jackknife(q, ge = strict_ge)
      ord <- match(q$items, jk$item)
      if (!identical(jk$reached[ord], o$reached) ||
          !identical(as.integer(jk$n_flips[ord]), as.integer(o$n_flips))) n_bad_jk <- n_bad_jk + 1L
    }
  }
  # the mutated oracle disagrees with the package on some panels
  expect_gt(n_bad, 0L)
  expect_gt(n_bad_jk, 0L)
})

test_that("trials() draws every trial unless CONSENSR_TEST_SCALE asks for fewer", {
  withr::local_envvar(CONSENSR_TEST_SCALE = NA)
  expect_identical(trials(150), seq_len(150))
  withr::local_envvar(CONSENSR_TEST_SCALE = "0.1")
  expect_identical(trials(150), seq_len(15))
  expect_identical(trials(20), seq_len(3))   # never fewer than 3
  expect_identical(trials(2), seq_len(2))
  withr::local_envvar(CONSENSR_TEST_SCALE = "fast")
  expect_error(trials(10), "CONSENSR_TEST_SCALE must be a number in \\(0, 1\\], not \"fast\"")
})
