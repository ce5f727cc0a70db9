# The data side of the workshop app (run_app()): the four sources, read into
# one "spec" (a data frame + the arguments to read it), one round and the
# kept panellists chosen, then read once with as_ratings() with its messages
# kept to be shown. Plain R, tested without a browser.

# A spec: `data` (long ratings or counts), `read` (arguments for
# as_ratings()), `round` (the round column or NULL), `groups` (respondent
# columns that can be `by`), `target` (default target levels), `label`,
# `opposite` (default opposite levels for a two-sided rule), `note`.
app_spec <- function(data, read = list(), round = NULL, groups = character(),
                     target = NULL, opposite = NULL, label = "", note = NULL) {
  list(data = data, read = read, round = round, groups = groups,
       target = target, opposite = opposite, label = label, note = note)
}

app_spec_reference <- function() {
  d <- consensr::atmp_ratings
  d$setting <- consensr::atmp_participants$setting[
    match(d$respondent, consensr::atmp_participants$respondent)]
  app_spec(d, read = list(levels = levels(d$rating)), groups = "setting",
           target = "Fundamental", opposite = "Less Important",
           label = "Reference study: ATMP competencies (25 experts, 33 items)",
           note = paste("Respondent-level reconstruction of the published table",
                        "(same counts per item); groups and agreement reflect the",
                        "reconstruction, not the panel."))
}

app_spec_delphi <- function() {
  path <- function(x) system.file("extdata", x, package = "consensr")
  imp <- read_redcap(records = path("atmp_delphi_records.csv"),
                     dictionary = path("atmp_delphi_dictionary.csv"))
  app_spec_redcap(imp, label = "Two-round Delphi (REDCap export shipped with consensr)")
}

# A REDCap import as one long data frame: the respondent fields joined.
app_spec_redcap <- function(imp, label = "REDCap export") {
  d <- imp$ratings
  resp <- imp$respondents
  round <- if ("round" %in% names(d)) "round"
  groups <- character()
  if (is.data.frame(resp) && nrow(resp) > 0L) {
    keys <- intersect(c("respondent", round), names(resp))
    kd <- do.call(paste, c(lapply(keys, function(k) as.character(d[[k]])), sep = "\r"))
    kr <- do.call(paste, c(lapply(keys, function(k) as.character(resp[[k]])), sep = "\r"))
    at <- match(kd, kr)
    for (col in setdiff(names(resp), names(d))) d[[col]] <- resp[[col]][at]
    groups <- setdiff(names(resp), c("respondent", round))
    groups <- groups[vapply(groups, function(g) {
      v <- resp[[g]]
      (is.factor(v) || is.character(v)) && length(unique(v[!is.na(v)])) %in% 2:12
    }, logical(1))]
  }
  lv <- imp$levels
  app_spec(d, read = list(levels = lv), round = round, groups = groups,
           target = lv[1L], opposite = lv[length(lv)], label = label)
}

app_scales <- list(
  "1-9" = 1:9,
  "1-5" = 1:5,
  "3 categories" = c("Less important", "Ancillary", "Fundamental")
)

# The simulated panel of the sidebar's parameters.
app_spec_simulate <- function(p) {
  lv <- app_scales[[p$scale %||% "1-9"]]
  nonanswer <- if (isTRUE(p$nonanswer)) "Unable to score"
  set.seed(p$seed %||% 1)
  shift <- p$shift %||% 0
  d <- simulate_panel(n_items = p$n_items %||% 20, n_panellists = p$n_panellists %||% 30,
                      rounds = p$rounds %||% 2, pull = p$pull %||% 0.5,
                      attrition = p$attrition %||% 0.1, missing = p$missing %||% 0.02,
                      levels = lv, nonanswer = nonanswer,
                      group_shift = c(0, shift, 0))
  app_spec(d, read = list(levels = lv, missing_levels = nonanswer),
           round = if (length(unique(d$round)) > 1L) "round",
           groups = "group", target = app_top_third(lv), opposite = app_bottom_third(lv),
           label = sprintf("Simulated panel (seed %s)", p$seed %||% 1),
           note = "Drawn by simulate_panel(); the latent truth is in attr(x, \"truth\").")
}

# The user's file: CSV (long, wide or counts) read with as_ratings().
app_spec_upload <- function(path, name = basename(path), format = "auto",
                            levels = "", missing_levels = "", round = "") {
  d <- app_read_csv(path, name)
  split_text <- function(s) {
    s <- trimws(strsplit(s %||% "", ",", fixed = TRUE)[[1L]])
    s <- s[nzchar(s)]
    if (!length(s)) return(NULL)
    num <- suppressWarnings(as.numeric(s))
    if (!anyNA(num)) num else s
  }
  lv <- split_text(levels)
  ml <- split_text(missing_levels)
  round <- if (nzchar(round %||% "")) round
  if (!is.null(round) && !round %in% names(d)) {
    abort("The round column {.field {round}} is not in {.file {name}}; it has {.field {names(d)}}.",
          call = NULL, class = "consensr_error_app")
  }
  read <- list(levels = lv, missing_levels = ml, format = format)
  read <- read[!vapply(read, is.null, logical(1))]
  # the scale as read, to offer target levels; errors are the package's
  r <- app_quiet(do.call("as_ratings", c(list(app_round_subset(d, round)), read)))
  lv <- r$levels
  groups <- setdiff(names(r$resp %||% list()), c("respondent", round))
  app_spec(d, read = read, round = round, groups = groups,
           target = app_top_third(lv), opposite = app_bottom_third(lv),
           label = paste("Your file:", name))
}

# Default target and opposite levels: the top and bottom third of the scale
# (7-9 and 1-3 on a 1-9 scale, the last and first of 3 categories).
app_top_third <- function(lv) {
  K <- length(lv)
  lv[seq.int(K - max(1L, K %/% 3L) + 1L, K)]
}

app_bottom_third <- function(lv) lv[seq_len(max(1L, length(lv) %/% 3L))]

app_read_csv <- function(path, name = basename(path)) {
  d <- tryCatch(
    utils::read.csv(path, check.names = FALSE, stringsAsFactors = FALSE,
                    na.strings = c("", "NA"), strip.white = TRUE,
                    fileEncoding = "UTF-8-BOM"),
    error = function(e) {
      abort(c("Can't read {.file {name}} as a CSV file.", "x" = conditionMessage(e)),
            call = NULL, class = "consensr_error_app")
    }
  )
  if (nrow(d) == 0L || ncol(d) < 2L) {
    abort("{.file {name}} has no ratings: {nrow(d)} row{?s} and {ncol(d)} column{?s}.",
          call = NULL, class = "consensr_error_app")
  }
  d
}

# The first round of data with rounds (to see the scale and columns).
app_round_subset <- function(d, round, value = NULL) {
  if (is.null(round)) return(d)
  v <- d[[round]]
  if (is.null(value)) value <- app_round_values(d, round)[1L]
  d[as.character(v) == value & !is.na(v), , drop = FALSE]
}

app_round_values <- function(d, round) {
  if (is.null(round)) return(character())
  v <- d[[round]]
  if (is.factor(v)) return(intersect(levels(v), as.character(unique(v))))
  as.character(sort(unique(v)))
}

app_respondents <- function(d) {
  if (!"respondent" %in% names(d)) return(character())
  sort(unique(as.character(d$respondent)))
}

# Keep one round and drop panellists (long data with a respondent column).
app_filter <- function(spec, round_value = NULL, drop = NULL) {
  d <- spec$data
  if (!is.null(spec$round)) d <- app_round_subset(d, spec$round, round_value)
  if (length(drop) && "respondent" %in% names(d)) {
    d <- d[!as.character(d$respondent) %in% drop, , drop = FALSE]
  }
  d
}

# Read once with the package's messages kept: list(r, messages) or an error.
app_read <- function(d, spec) {
  msgs <- character()
  r <- withCallingHandlers(
    do.call("as_ratings", c(list(d), spec$read)),
    message = function(m) {
      msgs <<- c(msgs, app_text(m))
      invokeRestart("muffleMessage")
    },
    warning = function(w) {
      msgs <<- c(msgs, paste("Warning:", app_text(w)))
      invokeRestart("muffleWarning")
    }
  )
  list(r = r, messages = msgs)
}

app_quiet <- function(expr) suppressMessages(suppressWarnings(expr))

# A condition as plain text (cli formatting and colours removed).
app_text <- function(cnd) {
  msg <- if (inherits(cnd, "condition")) conditionMessage(cnd) else as.character(cnd)
  msg <- cli::ansi_strip(msg)
  trimws(gsub("\n+", "\n", msg))
}

# The "leniency" of each panellist: the share of the items they rated that
# they put in a target level (the most lenient are the quickest to agree).
app_leniency <- function(r, target) {
  if (is.null(r$codes)) return(NULL)
  tc <- match(as.character(target), r$levels)
  codes <- r$codes
  rated <- rowSums(!is.na(codes))
  hit <- rowSums(matrix(codes %in% tc, nrow(codes)))
  data.frame(respondent = as.character(r$resp$respondent),
             rated = rated, target = hit,
             share = ifelse(rated > 0, hit / rated, NA_real_))
}

app_most_lenient <- function(r, target, k = 3L) {
  l <- app_leniency(r, target)
  if (is.null(l)) return(character())
  l <- l[!is.na(l$share), , drop = FALSE]
  o <- order(-l$share, -l$target, l$respondent)
  utils::head(l$respondent[o], k)
}

# Items whose decision differs between two consensus results.
app_changes <- function(a, b) {
  ra <- a$reached %in% TRUE
  rb <- b$reached[match(a$item, b$item)] %in% TRUE
  list(entering = a$item[!ra & rb], leaving = a$item[ra & !rb])
}
