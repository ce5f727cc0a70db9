#' A workshop app in the browser
#'
#' `run_app()` opens a Shiny app (with a bslib theme) that a teacher can
#' project and participants can use to see what a threshold, a rule or a
#' dropped panellist does to the list of items reaching consensus.
#'
#' @section Data:
#' The reference study ([atmp_ratings], the respondent-level reconstruction
#' of [atmp_published], with the experts' settings from
#' [atmp_participants]), the shipped two-round Delphi (the REDCap export in
#' `inst/extdata`, read with [read_redcap()]), a panel drawn by
#' [simulate_panel()] with the parameters set in the sidebar, or your own
#' file: a CSV file (long, wide or counts, read with [as_ratings()]; give
#' the scale's levels when they are not numbers in order, and declared
#' non-answers) or a REDCap export with its data dictionary. What
#' [as_ratings()] says while reading is shown under the data; a file it
#' can't read gets the same error as in R, shown in the app, which keeps
#' running.
#'
#' @section Rules and views:
#' Rules: one-sided (target levels and a threshold, see [consensus()]),
#' two-sided (consensus in and out, the COMET rule), median and IQR
#' ([consensus_median()], on numeric scales), each optionally within every
#' stakeholder group, and RAND/UCLA appropriateness ([rand_ucla()], on a 1-9
#' scale, for the whole panel). The figures, sensitivity and robustness
#' views use the percentage rule. Views: the results table, the infogram
#' ([plot_infogram()]), stacked or diverging bars ([plot_bars()]), the
#' threshold sensitivity ([threshold_sensitivity()], [plot_sensitivity()])
#' with the items entering and leaving the list as the threshold slider
#' moves away from the study's threshold, robustness
#' ([consensus_robustness()]: jackknife flippers and bootstrap shares),
#' groups side by side ([plot_groups()], [compare_groups()]), rounds
#' ([delphi_summary()], [round_stability()], [plot_round_flow()],
#' [attrition()]) and agreement ([agreement()]). Tables download as CSV (and
#' Word, when flextable is installed), figures as PNG. The "Exercises" tab
#' holds the guided sequence of `vignette("workshop", package = "consensr")`.
#'
#' @param port,host,launch.browser Passed on to [shiny::runApp()].
#' @param ... Further arguments to [shiny::runApp()].
#' @return Nothing; called to run the app (until it is stopped).
#' @seealso `vignette("workshop", package = "consensr")`, the handout.
#' @examples
#' if (interactive()) run_app()
#' @export
run_app <- function(port = getOption("shiny.port"),
                    host = getOption("shiny.host", "127.0.0.1"),
                    launch.browser = getOption("shiny.launch.browser", interactive()),
                    ...) {
  rlang::check_installed(c("shiny", "bslib"), reason = "to run the workshop app")
  app <- shiny::shinyApp(ui = app_ui(), server = app_server)
  shiny::runApp(app, port = port, host = host, launch.browser = launch.browser, ...)
}

app_ui <- function() {
  pct_slider <- function(id, label, value, min = 50, max = 100) {
    shiny::sliderInput(id, label, min = min, max = max, value = value, step = 1, post = "%")
  }
  sidebar <- shiny::sidebarPanel(
    width = 3,
    shiny::tags$details(
      open = NA,
      shiny::tags$summary(shiny::tags$strong("Data")),
      shiny::radioButtons("source", NULL, choices = c(
        "Reference study (ATMP)" = "reference",
        "Two-round Delphi (REDCap)" = "delphi",
        "Simulated panel" = "simulate",
        "Your file" = "upload"
      ), selected = "reference"),
      shiny::conditionalPanel(
        "input.source == 'simulate'",
        shiny::numericInput("sim_items", "Items", 20, min = 2, max = 200),
        shiny::numericInput("sim_panellists", "Panellists", 30, min = 3, max = 500),
        shiny::numericInput("sim_rounds", "Rounds", 2, min = 1, max = 5),
        shiny::selectInput("sim_scale", "Scale", names(app_scales)),
        shiny::sliderInput("sim_pull", "Pull toward the fed-back median", 0, 1, 0.5, step = 0.05),
        shiny::sliderInput("sim_attrition", "Attrition between rounds", 0, 0.5, 0.1, step = 0.01),
        shiny::sliderInput("sim_missing", "Blank ratings", 0, 0.3, 0.02, step = 0.01),
        shiny::sliderInput("sim_shift", "Shift of the Patients group", -2, 2, 0, step = 0.1),
        shiny::checkboxInput("sim_nonanswer", "Non-answer \"Unable to score\"", TRUE),
        shiny::numericInput("sim_seed", "Seed", 2024),
        shiny::actionButton("sim_draw", "Draw a new panel", class = "btn-sm")
      ),
      shiny::conditionalPanel(
        "input.source == 'upload'",
        shiny::radioButtons("upload_kind", NULL, inline = TRUE,
                            c("CSV file" = "csv", "REDCap export" = "redcap")),
        shiny::conditionalPanel(
          "input.upload_kind == 'csv'",
          shiny::fileInput("upload_file", "CSV file (long, wide or counts)", accept = ".csv"),
          shiny::selectInput("upload_format", "Shape", c("auto", "long", "wide", "counts")),
          shiny::textInput("upload_levels", "Levels in order (comma-separated, optional)"),
          shiny::textInput("upload_missing", "Non-answers (comma-separated, optional)"),
          shiny::textInput("upload_round", "Round column (optional)")
        ),
        shiny::conditionalPanel(
          "input.upload_kind == 'redcap'",
          shiny::fileInput("redcap_records", "Records (CSV export)", accept = ".csv"),
          shiny::fileInput("redcap_dictionary", "Data dictionary (CSV)", accept = ".csv")
        )
      ),
      shiny::uiOutput("round_ui"),
      shiny::selectizeInput("drop", "Leave out panellists", choices = NULL, multiple = TRUE),
      shiny::actionButton("drop_lenient", "Leave out the 3 most lenient", class = "btn-sm"),
      shiny::actionButton("drop_none", "Keep everybody", class = "btn-sm")
    ),
    shiny::tags$hr(),
    shiny::tags$details(
      open = NA,
      shiny::tags$summary(shiny::tags$strong("Rule")),
      shiny::radioButtons("rule", NULL, c(
        "One-sided (target + threshold)" = "one",
        "Two-sided (COMET: in / out)" = "two",
        "Median and IQR" = "median",
        "RAND/UCLA appropriateness" = "rand"
      )),
      shiny::conditionalPanel(
        "input.rule == 'median'",
        shiny::numericInput("median_min", "Lowest median", 7),
        shiny::numericInput("iqr_max", "Largest IQR", 2, min = 0),
        shiny::helpText("Numeric scales; quartiles of type 7 (R's default).")
      ),
      shiny::selectizeInput("target", "Target levels", choices = NULL, multiple = TRUE),
      pct_slider("threshold", "Threshold", 75),
      shiny::numericInput("reference", "The study's threshold (%), fixed in advance", 75,
                          min = 1, max = 100),
      shiny::conditionalPanel(
        "input.rule == 'two'",
        shiny::selectizeInput("opposite", "Opposite levels", choices = NULL, multiple = TRUE),
        pct_slider("opposite_threshold", "Opposite must stay below", 15, min = 0, max = 50)
      ),
      shiny::checkboxInput("within", "Within every stakeholder group", FALSE),
      shiny::selectInput("group", "Stakeholder groups", choices = NULL)
    )
  )
  tab <- function(title, ...) shiny::tabPanel(title, ...)
  # controls above the figure, tables below it
  plot_tab <- function(title, id, controls = NULL, below = NULL, height = "640px") {
    tab(title, controls, shiny::plotOutput(paste0("plot_", id), height = height),
        shiny::downloadButton(paste0("png_", id), "PNG", class = "btn-sm"), below)
  }
  main <- shiny::mainPanel(
    width = 9,
    shiny::wellPanel(
      shiny::tags$p(shiny::tags$strong(shiny::textOutput("source_label", inline = TRUE))),
      shiny::tags$p(
        shiny::tags$strong(shiny::textOutput("n_reached", inline = TRUE)), " of ",
        shiny::textOutput("n_items", inline = TRUE), " items reach consensus",
        shiny::textOutput("rule_text", inline = TRUE)
      ),
      shiny::verbatimTextOutput("read_messages")
    ),
    shiny::tabsetPanel(
      id = "view",
      tab("Results", shiny::tableOutput("results"),
          shiny::downloadButton("csv_results", "CSV", class = "btn-sm"),
          shiny::uiOutput("docx_ui", inline = TRUE)),
      plot_tab("Infogram", "infogram"),
      plot_tab("Bars", "bars", controls = shiny::checkboxInput("diverging", "Diverging", FALSE)),
      plot_tab("Sensitivity", "sensitivity", controls = shiny::uiOutput("changes")),
      plot_tab("Robustness", "robustness",
               controls = shiny::radioButtons(
                 "rob_method", NULL, inline = TRUE,
                 c("Jackknife (leave one out)" = "jackknife", "Bootstrap (200 panels)" = "bootstrap")
               ),
               below = shiny::tagList(shiny::tags$h5("Close calls"),
                                      shiny::tableOutput("robustness"))),
      plot_tab("Groups", "groups", below = shiny::tableOutput("groups")),
      plot_tab("Rounds", "rounds", height = "480px",
               below = shiny::tagList(shiny::tags$h5("Attrition"), shiny::tableOutput("attrition"),
                                      shiny::tags$h5("Stability of the ratings"),
                                      shiny::tableOutput("stability"))),
      tab("Agreement", shiny::tableOutput("agreement")),
      tab("Exercises", app_exercises_ui())
    )
  )
  shiny::fluidPage(
    theme = bslib::bs_theme(version = 5, bootswatch = "flatly"),
    shiny::tags$head(shiny::tags$style(
      "pre.shiny-text-output { white-space: pre-wrap; }",
      "details > summary { margin-bottom: 0.5rem; }"
    )),
    shiny::titlePanel("consensr: consensus workshop", windowTitle = "consensr workshop"),
    shiny::sidebarLayout(sidebar, main)
  )
}

app_exercises_ui <- function() {
  items <- lapply(app_exercises, function(e) shiny::tags$li(shiny::tags$strong(e$title), " ", e$task))
  shiny::tagList(
    shiny::tags$p("A short guided sequence; the handout is vignette(\"workshop\", package = \"consensr\")."),
    do.call(shiny::tags$ol, items)
  )
}

app_exercises <- list(
  list(title = "A threshold is a choice.",
       task = paste("On the reference study, move the threshold from 75% to 70%.",
                    "Which items enter the list? Which would leave at 80%?",
                    "(Sensitivity tab.)")),
  list(title = "Close calls.",
       task = paste("Which items sit one panellist away from the threshold?",
                    "Open Robustness (jackknife): which items flip when one expert is left out?")),
  list(title = "Who is on the panel?",
       task = paste("Leave out the 3 most lenient panellists.",
                    "How many items still reach consensus?")),
  list(title = "Two sides.",
       task = paste("Switch to the two-sided rule: which items reach consensus out",
                    "(the panel agrees they are not important)?")),
  list(title = "Every group must agree.",
       task = paste("Tick 'Within every stakeholder group'. Which items are lost?",
                    "Look at the Groups tab.")),
  list(title = "Feedback between rounds.",
       task = paste("Simulate a panel with 3 rounds and pull 0.8, then 0; compare the",
                    "Rounds tab: how stable are the ratings, how many items reach consensus?")),
  list(title = "Bring your own data.",
       task = paste("Upload a CSV (long: respondent, item, rating) and read what consensr",
                    "says about it. What happens with a rating that is not on the scale?"))
)
