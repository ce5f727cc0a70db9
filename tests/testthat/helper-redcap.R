# Small REDCap projects written to temporary files, shared by the
# test-redcap-*.R files.

# read_redcap(): small dictionaries and records written to temporary files,
# malformed exports, and the shipped example.

dict_cols <- c(
  "Variable / Field Name", "Form Name", "Section Header", "Field Type",
  "Field Label", "Choices, Calculations, OR Slider Labels", "Field Note",
  "Text Validation Type OR Show Slider Number", "Text Validation Min",
  "Text Validation Max", "Identifier?",
  "Branching Logic (Show field only if...)", "Required Field?",
  "Custom Alignment", "Question Number (surveys only)", "Matrix Group Name",
  "Matrix Ranking?", "Field Annotation"
)

# A dictionary from a few columns; the others empty.
make_dict <- function(field, type, label, choices = "", section = "",
                      matrix = "", identifier = "", form = "survey") {
  n <- length(field)
  d <- as.data.frame(matrix("", n, 18L), stringsAsFactors = FALSE)
  names(d) <- dict_cols
  d[[1]] <- field
  d[[2]] <- rep(form, length.out = n)
  d[[3]] <- rep(section, length.out = n)
  d[[4]] <- type
  d[[5]] <- label
  d[[6]] <- rep(choices, length.out = n)
  d[[11]] <- rep(identifier, length.out = n)
  d[[16]] <- rep(matrix, length.out = n)
  d
}

scale3 <- "1, Fundamental | 2, Ancillary, not essential | 3, Less Important"

small_dict <- function() {
  make_dict(
    field = c("record_id", "role", "q1", "q2", "q3", "q4", "why", "areas",
              "email", "total", "intro"),
    type = c("text", "radio", "radio", "radio", "radio", "radio", "notes",
             "checkbox", "text", "calc", "descriptive"),
    label = c("Record ID", "Your role", "<b>Pain</b> relief", "Function",
              "Quality of life", "Cost", "Why?", "Areas", "E-mail", "Total",
              "<p>Thank you</p>"),
    choices = c("", "1, Clinician | 2, Researcher, academic | 3, Patient",
                scale3, scale3, scale3, scale3, "", "1, Surgery | 2, Medicine",
                "", "[q1] + [q2]", ""),
    section = c("", "About you", "Outcomes", "", "Other outcomes", "", "", "",
                "", "", ""),
    matrix = c("", "", "", "", "m1", "m1", "", "", "", "", ""),
    identifier = c("", "", "", "", "", "", "", "", "y", "", "")
  )
}

# Text written byte for byte (UTF-8), optionally with a byte-order mark.
write_text <- function(lines, bom = FALSE) {
  path <- tempfile(fileext = ".csv")
  txt <- paste0(if (bom) "\ufeff" else "", paste(lines, collapse = "\n"), "\n")
  con <- file(path, "wb")
  writeBin(charToRaw(enc2utf8(txt)), con)
  close(con)
  path
}

write_dict <- function(d) {
  q <- function(v) paste0("\"", gsub("\"", "\"\"", v, fixed = TRUE), "\"")
  lines <- c(paste(q(names(d)), collapse = ","),
             do.call(paste, c(lapply(d, q), sep = ",")))
  write_text(lines)
}

raw_lines <- c(
  "record_id,redcap_event_name,role,q1,q2,q3,q4,why,areas___1,areas___2,email,total,survey_complete,extra",
  "1,round_1_arm_1,1,1,2,1.0,3,\"Because, well,\nit \"\"matters\"\"\",1,0,a@b.org,3,2,x",
  "2,round_1_arm_1,2,2,1,1,,,0,1,c@d.org,3,2,",
  "3,round_1_arm_1,3,1,1,1,1,Short,1,1,,2,2,",
  "4,round_1_arm_1,1,,,,,,0,0,,,0,",
  "1,round_2_arm_1,,1,1,,,,,,,2,2,",
  "3,round_2_arm_1,,2,1,,,,,,,3,2,"
)

read_small <- function(lines = raw_lines, dict = small_dict(), bom = TRUE, ...) {
  read_redcap(write_text(lines, bom = bom), write_dict(dict), ...)
}

labels_lines <- c(
  "Record ID,Event Name,Your role,Pain relief,Function,Quality of life,Cost,Why?,Areas (choice=Surgery),Areas (choice=Medicine),E-mail,Total,Complete?,extra",
  "1,Round 1,Clinician,Fundamental,\"Ancillary, not essential\",Fundamental,Less Important,\"Because, well,\nit \"\"matters\"\"\",Checked,Unchecked,a@b.org,3,Complete,x",
  "2,Round 1,\"Researcher, academic\",\"Ancillary, not essential\",Fundamental,Fundamental,,,Unchecked,Checked,c@d.org,3,Complete,",
  "3,Round 1,Patient,Fundamental,Fundamental,Fundamental,Fundamental,Short,Checked,Checked,,2,Complete,",
  "4,Round 1,Clinician,,,,,,Unchecked,Unchecked,,,Incomplete,",
  "1,Round 2,,Fundamental,Fundamental,,,,,,,2,Complete,",
  "3,Round 2,,\"Ancillary, not essential\",Fundamental,,,,,,,3,Complete,"
)
