# A two-round, three-group COMET-style Delphi on a 1-9 scale, made up for
# the tests (not the package's data): 30 panellists in three stakeholder
# groups, 6 outcomes in two areas, one outcome most rate 1-3 (consensus
# out), attrition of 3 panellists in round 2 and a few missing ratings.
comet_panel <- function(seed = 42) {
  withr_seed <- .Random.seed_save()
  on.exit(.Random.seed_restore(withr_seed))
  set.seed(seed)
  d <- expand.grid(id = sprintf("P%02d", 1:30), outcome = paste0("O", 1:6),
                   round = 1:2, stringsAsFactors = FALSE)
  grp <- rep(c("Patients", "Clinicians", "Researchers"), each = 10)
  d$group <- grp[match(d$id, sprintf("P%02d", 1:30))]
  d$area <- ifelse(d$outcome %in% c("O1", "O2", "O3"), "Physical", "Mental health")
  high <- c(1, 1, 1, 1, 1, 2, 3, 5, 5)
  low <- c(6, 6, 6, 1, 1, 1, 0.5, 0.5, 0.5)
  d$score <- vapply(seq_len(nrow(d)), function(i) {
    p <- if (d$outcome[i] == "O6") low else high
    if (d$round[i] == 2L) p <- p^1.5
    sample.int(9L, 1L, prob = p)
  }, integer(1))
  d$score[sample(nrow(d), 8)] <- NA
  d <- d[!(d$round == 2L & d$id %in% c("P03", "P14", "P25")), ]
  rownames(d) <- NULL
  d
}

.Random.seed_save <- function() {
  if (exists(".Random.seed", globalenv())) get(".Random.seed", globalenv()) else NULL
}
.Random.seed_restore <- function(s) {
  if (is.null(s)) rm(".Random.seed", envir = globalenv()) else assign(".Random.seed", s, globalenv())
}

# The COMET rule: in = >= 70% rating 7-9 and < 15% rating 1-3; out = mirror.
comet_consensus <- function(d, ...) {
  consensus(d, 7:9, 0.7, opposite = 1:3, opposite_threshold = 0.15,
            respondent = "id", item = "outcome", rating = "score",
            levels = 1:9, ...)
}

skip_if_no_vdiffr <- function() {
  skip_if_not_installed("vdiffr")
  skip_on_cran()
}
