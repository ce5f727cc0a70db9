# The server of the workshop app (run_app()). Every analysis is called with
# named arguments (x, target =, threshold =, ...) on ratings read once.

#' @importFrom rlang %||%
NULL

app_server <- function(input, output, session) {
  rv <- shiny::reactiveValues(drop = character(), upload_error = NULL)

  # ---- data ---------------------------------------------------------------
  sim_params <- shiny::reactive({
    input$sim_draw
    shiny::isolate(list(
      n_items = input$sim_items, n_panellists = input$sim_panellists,
      rounds = input$sim_rounds, scale = input$sim_scale, pull = input$sim_pull,
      attrition = input$sim_attrition, missing = input$sim_missing,
      shift = input$sim_shift, nonanswer = input$sim_nonanswer %||% TRUE,
      seed = (input$sim_seed %||% 2024) + (input$sim_draw %||% 0)
    ))
  })

  spec <- shiny::reactive({
    src <- input$source %||% "reference"
    app_try(switch(
      src,
      reference = app_spec_reference(),
      delphi = app_spec_delphi(),
      simulate = app_spec_simulate(sim_params()),
      upload = app_upload_spec(input)
    ))
  })

  shiny::observeEvent(spec(), {
    sp <- spec()
    rv$drop <- character()
    if (inherits(sp, "app_error")) return()
    shiny::updateSelectizeInput(session, "drop", choices = app_respondents(sp$data),
                                selected = character())
    shiny::updateSelectInput(session, "group", choices = sp$groups)
  })

  output$round_ui <- shiny::renderUI({
    sp <- spec()
    if (inherits(sp, "app_error") || is.null(sp$round)) return(NULL)
    vals <- app_round_values(sp$data, sp$round)
    shiny::selectInput("round", "Round shown", choices = vals, selected = vals[1L])
  })

  shiny::observeEvent(input$drop, rv$drop <- input$drop %||% character(), ignoreNULL = FALSE)
  shiny::observeEvent(input$drop_none, {
    rv$drop <- character()
    shiny::updateSelectizeInput(session, "drop", selected = character())
  })

  round_value <- shiny::reactive({
    sp <- spec()
    if (inherits(sp, "app_error") || is.null(sp$round)) return(NULL)
    vals <- app_round_values(sp$data, sp$round)
    v <- input$round
    if (is.null(v) || !v %in% vals) vals[1L] else v
  })

  read <- shiny::reactive({
    sp <- spec()
    if (inherits(sp, "app_error")) return(sp)
    app_try(app_read(app_filter(sp, round_value(), rv$drop), sp))
  })

  ratings <- shiny::reactive({
    rd <- read()
    shiny::validate(shiny::need(!inherits(rd, "app_error"), "The data could not be read: see the message above."))
    rd$r
  })

  # ---- rule ---------------------------------------------------------------
  levels_now <- shiny::reactive(ratings()$levels)

  shiny::observeEvent(levels_now(), {
    sp <- spec()
    lv <- levels_now()
    shiny::updateSelectizeInput(session, "target", choices = lv,
                                selected = app_pick(sp$target, lv, lv[length(lv)]))
    shiny::updateSelectizeInput(session, "opposite", choices = lv,
                                selected = app_pick(sp$opposite, lv, lv[1L]))
    num <- suppressWarnings(as.numeric(lv))
    if (!anyNA(num)) {
      shiny::updateNumericInput(session, "median_min",
                                value = min(as.numeric(app_top_third(lv))))
      shiny::updateNumericInput(session, "iqr_max", value = max(1, length(lv) %/% 4L))
    }
  })

  target <- shiny::reactive({
    lv <- levels_now()
    app_pick(input$target, lv, app_pick(spec()$target, lv, lv[length(lv)]))
  })
  opposite <- shiny::reactive({
    lv <- levels_now()
    op <- app_pick(input$opposite, lv, app_pick(spec()$opposite, lv, lv[1L]))
    setdiff(op, target())
  })
  threshold <- shiny::reactive((input$threshold %||% 75) / 100)
  reference <- shiny::reactive({
    v <- input$reference
    if (is.null(v) || is.na(v) || v <= 0 || v > 100) 0.75 else v / 100
  })
  by <- shiny::reactive({
    g <- input$group
    if (isTRUE(input$within) && !is.null(g) && nzchar(g) && g %in% spec()$groups) g
  })
  two_sided <- shiny::reactive(identical(input$rule, "two"))

  # consensus() with the rule of the sidebar, at threshold `thr`
  run_consensus <- function(thr) {
    r <- ratings()
    if (two_sided()) {
      shiny::validate(shiny::need(length(opposite()) > 0L, "Choose the opposite levels of the two-sided rule."))
      consensus(r, target = target(), threshold = thr, opposite = opposite(),
                opposite_threshold = min((input$opposite_threshold %||% 15) / 100, thr),
                by = by())
    } else {
      consensus(r, target = target(), threshold = thr, by = by())
    }
  }

  result <- shiny::reactive(app_validate(run_consensus(threshold())))
  median_rule <- shiny::reactive({
    r <- ratings()
    med <- input$median_min
    iqr <- input$iqr_max
    shiny::validate(shiny::need(!is.null(med) && !is.na(med) && !is.null(iqr) && !is.na(iqr),
                                "Give the lowest median and the largest IQR."))
    app_validate(consensus_median(r, median = med, iqr = iqr, by = by()))
  })
  result_reference <- shiny::reactive(app_validate(run_consensus(reference())))
  rand <- shiny::reactive({
    r <- ratings()
    shiny::validate(shiny::need(identical(r$levels, as.character(1:9)),
                                "RAND/UCLA needs a 1-9 scale (e.g. a simulated panel on 1-9)."))
    app_validate(rand_ucla(r))
  })

  n_reached <- shiny::reactive({
    if (identical(input$rule, "rand")) return(sum(rand()$classification %in% "appropriate"))
    if (identical(input$rule, "median")) return(sum(median_rule()$reached %in% TRUE))
    sum(result()$reached %in% TRUE)
  })

  # ---- header ---------------------------------------------------------------
  output$source_label <- shiny::renderText({
    sp <- spec()
    if (inherits(sp, "app_error")) return("No data")
    paste0(sp$label, if (!is.null(round_value())) paste0(" - round ", round_value()),
           if (length(rv$drop)) paste0(" - ", length(rv$drop), " panellist(s) left out"))
  })
  output$n_reached <- shiny::renderText(n_reached())
  output$n_items <- shiny::renderText(nrow(ratings()$items))
  output$rule_text <- shiny::renderText({
    if (identical(input$rule, "median")) {
      return(paste0(" (median >= ", input$median_min, " and IQR <= ", input$iqr_max,
                    within_text(by()), "; the other views use the percentage rule)"))
    }
    if (identical(input$rule, "rand")) {
      return(paste0(" (RAND/UCLA: appropriate",
                    if (isTRUE(input$within)) "; the RAND/UCLA method has no within-group rule, the whole panel is used" else "",
                    ")"))
    }
    paste0(" (", format(attr(result(), "rule")), ")")
  })
  output$read_messages <- shiny::renderText({
    rd <- read()
    sp <- spec()
    if (inherits(rd, "app_error")) return(paste("Error:", rd$message))
    paste(c(rd$messages, sp$note), collapse = "\n")
  })

  # ---- results ---------------------------------------------------------------
  results_table <- shiny::reactive({
    if (identical(input$rule, "rand")) return(as.data.frame(unclass(rand())))
    if (identical(input$rule, "median")) return(app_plain(median_rule()))
    app_plain(result())
  })
  output$results <- shiny::renderTable(app_format(results_table()), na = "")
  output$csv_results <- shiny::downloadHandler(
    filename = function() "consensus-results.csv",
    content = function(file) utils::write.csv(results_table(), file, row.names = FALSE)
  )
  output$docx_ui <- shiny::renderUI({
    if (!requireNamespace("flextable", quietly = TRUE)) return(NULL)
    shiny::downloadButton("docx_results", "Word", class = "btn-sm")
  })
  output$docx_results <- shiny::downloadHandler(
    filename = function() "consensus-results.docx",
    content = function(file) {
      ft <- flextable::flextable(app_format(results_table()))
      flextable::save_as_docx(ft, path = file)
    }
  )

  # ---- plots -------------------------------------------------------------------
  area_col <- shiny::reactive({
    it <- ratings()$items
    if ("area" %in% names(it)) "area"
  })
  plots <- list(
    infogram = shiny::reactive(app_validate(app_call_area(
      "plot_infogram", list(ratings(), target = target(), threshold = threshold()), area_col()))),
    bars = shiny::reactive(app_validate(app_call_area(
      "plot_bars", list(ratings(), target = target(), threshold = threshold(),
                      diverging = isTRUE(input$diverging)), area_col()))),
    sensitivity = shiny::reactive(app_validate(plot_sensitivity(sensitivity(), items = TRUE))),
    robustness = shiny::reactive(app_validate(plot_robustness(
      robustness(), what = if (identical(input$rob_method, "bootstrap")) "share" else "interval"))),
    groups = shiny::reactive({
      shiny::validate(shiny::need(length(spec()$groups) > 0L, "These data have no stakeholder groups."))
      g <- input$group
      g <- if (!is.null(g) && g %in% spec()$groups) g else spec()$groups[1L]
      app_validate(plot_groups(consensus(ratings(), target = target(),
                                         threshold = threshold(), by = g)))
    }),
    rounds = shiny::reactive({
      sp <- rounds_data()
      app_validate(plot_round_flow(app_filter_rounds(sp, rv$drop), target = target(),
                                   threshold = threshold(), round = sp$round,
                                   levels = sp$read$levels,
                                   missing_levels = sp$read$missing_levels, quiet = TRUE))
    })
  )
  for (id in names(plots)) local({
    id <- id
    output[[paste0("plot_", id)]] <- shiny::renderPlot(print(plots[[id]]()), res = 96)
    output[[paste0("png_", id)]] <- shiny::downloadHandler(
      filename = function() paste0("consensr-", id, ".png"),
      content = function(file) {
        ggplot2::ggsave(file, plots[[id]](), width = 10, height = 7, dpi = 150)
      }
    )
  })

  # ---- sensitivity -------------------------------------------------------------
  sensitivity <- shiny::reactive({
    thr <- sort(unique(c(seq(0.5, 1, by = 0.05), threshold(), reference())))
    args <- list(ratings(), target = target(), threshold = reference(), thresholds = thr,
                 by = by())
    if (two_sided()) {
      args$opposite <- opposite()
      args$opposite_threshold <- min((input$opposite_threshold %||% 15) / 100, min(thr))
    }
    app_validate(do.call("threshold_sensitivity", args))
  })
  changes <- shiny::reactive(app_changes(result_reference(), result()))
  output$changes <- shiny::renderUI({
    ch <- changes()
    fmt <- function(x) if (length(x)) paste(x, collapse = "; ") else "none"
    shiny::tags$p(
      sprintf("Threshold %s%% compared with the study's %s%%: ",
              format(100 * threshold()), format(100 * reference())),
      shiny::tags$br(), shiny::tags$strong("Entering: "), shiny::tags$span(id = "entering", fmt(ch$entering)),
      shiny::tags$br(), shiny::tags$strong("Leaving: "), shiny::tags$span(id = "leaving", fmt(ch$leaving))
    )
  })

  # ---- robustness --------------------------------------------------------------
  robustness <- shiny::reactive({
    r <- ratings()
    shiny::validate(shiny::need(!is.null(r$codes), "Robustness needs one row per panellist (not counts)."))
    method <- if (identical(input$rob_method, "bootstrap")) "bootstrap" else "jackknife"
    if (method == "bootstrap") set.seed(1)
    app_validate(consensus_robustness(r, target = target(), threshold = threshold(),
                                      method = method, B = 200, progress = FALSE))
  })
  output$robustness <- shiny::renderTable(app_format(app_close_calls(robustness())), na = "")

  # ---- groups --------------------------------------------------------------------
  output$groups <- shiny::renderTable({
    shiny::validate(shiny::need(length(spec()$groups) > 0L, "These data have no stakeholder groups."))
    g <- input$group
    g <- if (!is.null(g) && g %in% spec()$groups) g else spec()$groups[1L]
    app_format(app_plain(app_validate(compare_groups(ratings(), target = target(),
                                                     threshold = threshold(), by = g))))
  }, na = "")

  # ---- rounds ----------------------------------------------------------------------
  rounds_data <- shiny::reactive({
    sp <- spec()
    shiny::validate(shiny::need(!inherits(sp, "app_error") && !is.null(sp$round),
                                "These data have one round (simulate a panel with 2 or more rounds)."))
    sp
  })
  output$attrition <- shiny::renderTable({
    sp <- rounds_data()
    app_format(app_plain(app_validate(attrition(
      app_filter_rounds(sp, rv$drop), round = sp$round, levels = sp$read$levels,
      missing_levels = sp$read$missing_levels, quiet = TRUE))))
  }, na = "")
  output$stability <- shiny::renderTable({
    sp <- rounds_data()
    st <- app_plain(app_validate(round_stability(
      app_filter_rounds(sp, rv$drop), round = sp$round, levels = sp$read$levels,
      missing_levels = sp$read$missing_levels, quiet = TRUE)))
    keep <- c("from", "to", "item", "n", "changed", "prop_changed", "net_change",
              "kappa_linear", "stable")
    app_format(st[intersect(keep, names(st))])
  }, na = "")

  # ---- agreement -------------------------------------------------------------------
  output$agreement <- shiny::renderTable({
    r <- ratings()
    shiny::validate(shiny::need(!is.null(r$codes), "Agreement needs one row per panellist (not counts)."))
    app_format(app_plain(app_validate(agreement(r))))
  }, na = "")

  # ---- panellists ------------------------------------------------------------------
  shiny::observeEvent(input$drop_lenient, {
    sp <- spec()
    if (inherits(sp, "app_error")) return()
    rd <- app_try(app_read(app_filter(sp, round_value(), character()), sp))
    if (inherits(rd, "app_error")) return()
    who <- app_most_lenient(rd$r, target(), 3L)
    rv$drop <- who
    shiny::updateSelectizeInput(session, "drop", selected = who)
    shiny::showNotification(paste("Left out:", paste(who, collapse = ", ")), type = "message")
  })

  # for shiny::testServer()
  shiny::exportTestValues(n_reached = n_reached(), dropped = rv$drop)
  invisible(NULL)
}

# Errors while building a spec or reading: kept as a value to show.
app_try <- function(expr) {
  tryCatch(expr, error = function(e) {
    if (inherits(e, "shiny.silent.error")) stop(e)
    structure(list(message = app_text(e)), class = "app_error")
  })
}

# Errors of an analysis: shown in place of its output (the app runs on).
app_validate <- function(expr) {
  tryCatch(expr, error = function(e) {
    if (inherits(e, "shiny.silent.error")) stop(e)
    shiny::validate(app_text(e))
  })
}

app_upload_spec <- function(input) {
  if (identical(input$upload_kind, "redcap")) {
    rec <- input$redcap_records
    dic <- input$redcap_dictionary
    shiny::validate(shiny::need(!is.null(rec) && !is.null(dic),
                                "Upload the records and the data dictionary."))
    imp <- read_redcap(records = rec$datapath, dictionary = dic$datapath)
    return(app_spec_redcap(imp, label = paste("Your REDCap export:", rec$name)))
  }
  f <- input$upload_file
  shiny::validate(shiny::need(!is.null(f), "Upload a CSV file."))
  app_spec_upload(f$datapath, name = f$name, format = input$upload_format %||% "auto",
                  levels = input$upload_levels %||% "",
                  missing_levels = input$upload_missing %||% "",
                  round = input$upload_round %||% "")
}

app_filter_rounds <- function(spec, drop) {
  d <- spec$data
  if (length(drop) && "respondent" %in% names(d)) {
    d <- d[!as.character(d$respondent) %in% drop, , drop = FALSE]
  }
  d
}

app_pick <- function(x, levels, default) {
  x <- as.character(x)
  if (length(x) && all(x %in% levels)) x else as.character(default)
}

# Plots take the item-grouping column as `area` (or, before the renaming,
# `group_col`): given under the name the function has. `fun` is a name, so
# that the function's errors name it.
app_call_area <- function(fun, args, area) {
  if (!is.null(area)) {
    nm <- intersect(c("area", "group_col"), names(formals(get(fun))))
    if (length(nm)) args[[nm[1L]]] <- area
  }
  do.call(fun, args)
}

# Robustness, the items that matter: those that flip when one panellist is
# left out (jackknife), or reach consensus in 10-90% of the resampled panels.
app_close_calls <- function(x) {
  d <- app_plain(x)
  if ("n_flips" %in% names(d)) {
    d <- d[d$n_flips > 0, intersect(c("item", "count", "n", "prop", "status", "n_flips", "flippers"),
                                    names(d)), drop = FALSE]
    return(d[order(-d$n_flips), , drop = FALSE])
  }
  d <- d[d$p_reached > 0.1 & d$p_reached < 0.9, intersect(
    c("item", "count", "n", "prop", "status", "p_reached", "prop_low", "prop_high"), names(d)),
    drop = FALSE]
  d[order(abs(d$p_reached - 0.5)), , drop = FALSE]
}

app_plain <- function(x) {
  attrs <- setdiff(names(attributes(x)), c("names", "row.names", "class"))
  for (a in attrs) attr(x, a) <- NULL
  x <- as.data.frame(unclass(x), stringsAsFactors = FALSE)
  x[] <- lapply(x, function(v) if (is.list(v)) vapply(v, paste, character(1), collapse = ", ") else v)
  x
}

# Proportions as percentages, other numbers short, for the tables shown.
app_format <- function(x) {
  x <- as.data.frame(x)
  for (nm in names(x)) {
    v <- x[[nm]]
    if (is.factor(v)) x[[nm]] <- as.character(v)
    if (is.double(v)) {
      if (grepl("prop|share|p_reached|rate|retention", nm) && all(v >= 0 & v <= 1, na.rm = TRUE)) {
        x[[nm]] <- ifelse(is.na(v), NA, paste0(formatC(100 * v, format = "f", digits = 1), "%"))
      } else {
        x[[nm]] <- ifelse(is.na(v), NA, formatC(v, format = "fg", digits = 3))
      }
    }
  }
  x
}
