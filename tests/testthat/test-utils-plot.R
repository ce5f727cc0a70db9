# Shared pieces of the plots.

test_that("labels wrap, colours ramp and text contrasts with its fill", {
  expect_identical(wrap_labels("Biomarkers and Surrogate Endpoints", 15),
                   "Biomarkers and\nSurrogate\nEndpoints")
  expect_identical(hex_ramp("#000000", "#FFFFFF", 3L), c("#000000", "#808080", "#FFFFFF"))
  expect_identical(unname(text_on(c("#000000", "#FFFFFF"))), c("white", "grey10"))
  expect_identical(pooled_note(list(by = NULL)), "")
  expect_match(pooled_note(list(by = "setting")), "within every setting group")
  expect_snapshot(error = TRUE, cnd_class = TRUE,
                  plot_bars(consensr::atmp_published, wrap = 2))
})
