# Marginal homogeneity of the paired K x K table of an item's ratings in two
# rounds: the Stuart-Maxwell and Bhapkar tests, for round_stability(test =
# "stuart_maxwell" / "bhapkar").  See ?round_stability.
#
# Definitions (Stuart 1955; Maxwell 1970; Bhapkar 1966), tab[i, j] = the
# panellists at level i in the first round and j in the second, n = sum(tab):
#   d_i = tab[i, .] - tab[., i] (row minus column totals),
#   S_ii = tab[i, .] + tab[., i] - 2 tab[i, i],  S_ij = -(tab[i, j] + tab[j, i]),
#   Stuart-Maxwell X2 = d' S^- d,    Bhapkar W = X2 / (1 - X2 / n),
# with df = rank(S). With every level changed into and out of (S of rank
# K - 1), S^- is the inverse of S without its last row and column, as in
# DescTools::StuartMaxwellTest() and BhapkarTest(). Levels that nobody left
# or entered (including levels unused in both rounds) have d_i = 0 and a zero
# row in S: they carry no information on homogeneity and are dropped, which
# leaves the statistic unchanged. When the levels that changed fall into
# separate groups with no change between them (S is then singular), the
# statistic and df are the sums over the groups (each group without its
# last level, as above): the Moore-Penrose form d' S^+ d, df = rank(S).
# Bhapkar's W is infinite when X2 = n (every change goes one way; decided
# to a relative 1e-10).
# When nobody changed (S = 0), or every rating is in one level in both
# rounds, the tests are not defined: NA with a note.
#
# Where DescTools differs (DescTools 0.99): it drops the same unchanged
# levels but keeps df = K - 1 of the full table, and divides Bhapkar's X2 by
# the panellists of the reduced table; here df is the number of levels
# tested less one per group (the rank of S: the dropped levels carry no
# variance), and Bhapkar's n is the whole panel, as in Bhapkar's W =
# n d' V^-1 d with V = S / n - d d' / n^2 estimated from the whole panel.
# DescTools stops with an error when fewer than two levels changed or the
# changes fall into separate groups (its S is singular). On tables where
# every level changed, both give the same statistics, df and p-values.

marginal_homogeneity <- function(tab, test = c("stuart_maxwell", "bhapkar")) {
  test <- match.arg(test)
  n <- sum(tab)
  h1 <- rowSums(tab)
  h2 <- colSums(tab)
  d <- h1 - h2
  S <- -(tab + t(tab))
  diag(S) <- h1 + h2 - 2 * diag(tab)
  moved <- diag(S) > 0                    # levels someone left or entered
  none <- list(statistic = NA_real_, df = NA_integer_, p_value = NA_real_)
  if (sum(moved) < 2L) {
    return(c(none, note = if (sum(h1 > 0) == 1L && sum(h2 > 0) == 1L && all(h1 == h2)) {
      "both rounds unanimous in one level: marginal homogeneity is not testable"
    } else {
      "no panellist changed: the marginal homogeneity test is not defined"
    }))
  }
  # connected groups of levels (a change between two levels links them):
  # within each, the last level is dropped and the reduced S is inverted
  comp <- change_groups(S != 0 & row(S) != col(S))
  x2 <- 0
  df <- 0L
  for (g in unique(comp[moved])) {
    lv <- which(comp == g & moved)
    keep <- lv[-length(lv)]
    x2 <- x2 + sum(d[keep] * solve(S[keep, keep, drop = FALSE], d[keep]))
    df <- df + length(keep)
  }
  note <- NULL
  stat <- if (test == "stuart_maxwell") x2 else {
    # X2 = n exactly (up to rounding) when every change goes one way
    if (x2 >= n * (1 - 1e-10)) {
      note <- "Bhapkar's W is infinite: the changes all go one way"
      Inf
    } else x2 / (1 - x2 / n)
  }
  list(statistic = stat, df = as.integer(df),
       p_value = stats::pchisq(stat, df, lower.tail = FALSE), note = note)
}

# Connected components of a symmetric adjacency matrix: a group id per node.
change_groups <- function(adj) {
  K <- nrow(adj)
  comp <- integer(K)
  g <- 0L
  for (start in seq_len(K)) {
    if (comp[start] > 0L) next
    g <- g + 1L
    todo <- start
    while (length(todo)) {
      v <- todo[1L]
      todo <- todo[-1L]
      if (comp[v] > 0L) next
      comp[v] <- g
      todo <- c(todo, which(adj[v, ] & comp == 0L))
    }
  }
  comp
}
