# Reproduce the reference study from the data consensr ships: renders the
# vignette and writes its tables (CSV) and figures (PNG) into a folder.
# Usage: Rscript tools/reproduce.R [output folder]   (default: output)
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args)) args[1] else "output"
dir.create(out, showWarnings = FALSE, recursive = TRUE)
out <- normalizePath(out)
suppressPackageStartupMessages(library(consensr))

written <- character()
csv <- function(x, name) {
  path <- file.path(out, name)
  utils::write.csv(as.data.frame(x), path, row.names = FALSE, fileEncoding = "UTF-8")
  written <<- c(written, path)
}
png <- function(p, name, width, height) {
  path <- file.path(out, name)
  ggplot2::ggsave(path, p, width = width, height = height, dpi = 150, bg = "white")
  written <<- c(written, path)
}

res <- consensus(atmp_published, target = "Fundamental", threshold = 0.75)
csv(table_participants(atmp_participants), "table1-participants.csv")
csv(table_ratings(atmp_published, target = "Fundamental", threshold = 0.75,
                  decimals = 1, trim_whole = TRUE), "table2-ratings.csv")
csv(table_open_text(atmp_soft_skills, mentions = atmp_soft_skill_mentions),
    "table3-soft-skills.csv")
csv(res, "consensus-75.csv")
sens <- threshold_sensitivity(atmp_published, "Fundamental", threshold = 0.75,
          thresholds = c(0.7, 0.75, 0.8))
csv(sens, "sensitivity-70-75-80.csv")
dense <- threshold_sensitivity(atmp_published, "Fundamental", threshold = 0.75,
           thresholds = seq(0.5, 1, by = 0.01))
csv(dense$items, "sensitivity-switch-points.csv")
csv(check_reported(atmp_published)$rows, "check-reported.csv")

png(plot_infogram(res), "figure1-infogram.png", 11, 8)
png(plot_bars(atmp_published, target = "Fundamental", threshold = 0.75),
    "ratings-bars.png", 11, 12)
png(plot_sensitivity(dense), "threshold-sensitivity.png", 10, 5.5)

rmd <- "vignettes/atmp-study.Rmd"
if (!file.exists(rmd)) rmd <- system.file("doc", "atmp-study.Rmd", package = "consensr")
html <- rmarkdown::render(rmd, output_dir = out, intermediates_dir = tempdir(),
                          quiet = TRUE, envir = new.env())
written <- c(written, html)

cat(sprintf("%d of %d competencies reach consensus (>= 75%% Fundamental).\n",
            sum(res$reached %in% TRUE), nrow(res)))
cat("Wrote:\n", paste0("  ", written, "\n"), sep = "")
cat("Output folder: ", out, "\n", sep = "")
