library(testthat)
library(consensr)

test_check("consensr")
