# Developer targets of consensr: benchmarks and the memory-safety and
# bad-input checks of the C core.  Not part of the package (.Rbuildignore).
#
#   make bench       bench/bench.R against a fresh install (see bench/README.md)
#   make bench-read  bench/read.R: reading and tallying from the user's data frame
#   make bench-db    bench/db.R: 10^8 ratings tallied in SQLite (DuckDB) vs collected first
#   make sanitize    test suite + large inputs under ASan/UBSan (tools/sanitize.sh)
#   make valgrind    C-reference tests (loops scaled) + recorded and fuzzed calls under valgrind (tools/valgrind.sh)
#   make fuzz        libFuzzer targets of every kernel, FUZZ_TIME s each (tools/fuzz/run.sh)
#   make gctorture   every .Call routine under gctorture(TRUE) (tools/gctorture.R)
#   make fuzz-ffi    the long R-level fuzz, N calls (tools/fuzz-ffi.R)
#   make test-gates  break each gate on purpose and check it fails (tools/test-gates.sh)
#
# The package is built from a copy of the tree in $(BUILD) and installed
# into $(LIB), so that no object file is written into this tree.
R ?= R
RSCRIPT ?= Rscript
BUILD ?= /tmp/consensr-make-build
LIB ?= /tmp/consensr-make-lib
FUZZ_TIME ?= 120
N ?= 50000

.PHONY: bench bench-read bench-db sanitize valgrind fuzz gctorture fuzz-ffi install-tmp test-gates

install-tmp:
	rm -rf $(BUILD) && mkdir -p $(BUILD) $(LIB)
	tar --exclude=.git --exclude='*.o' --exclude='*.so' -cf - . | tar -xf - -C $(BUILD)
	$(R) CMD INSTALL --no-multiarch -l $(LIB) $(BUILD) >$(BUILD).log 2>&1 || \
	  { tail -n 30 $(BUILD).log; exit 1; }

bench: install-tmp
	R_LIBS=$(LIB) $(RSCRIPT) bench/bench.R

bench-read: install-tmp
	R_LIBS=$(LIB) $(RSCRIPT) bench/read.R

bench-db: install-tmp
	R_LIBS=$(LIB) $(RSCRIPT) bench/db.R

sanitize:
	bash tools/sanitize.sh

valgrind:
	bash tools/valgrind.sh

fuzz:
	FUZZ_TIME=$(FUZZ_TIME) bash tools/fuzz/run.sh

test-gates:
	bash tools/test-gates.sh

gctorture: install-tmp
	R_LIBS=$(LIB) $(RSCRIPT) tools/gctorture.R

fuzz-ffi: install-tmp
	R_LIBS=$(LIB) $(RSCRIPT) tools/fuzz-ffi.R $(N)
