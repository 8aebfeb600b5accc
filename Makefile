# Wraps CMake. `make run` and `make test` install missing Debian packages,
# configure, build and then run.

BUILD ?= build
JOBS ?= 2
DB ?= parlay-settler.db
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo

.PHONY: all deps build build-binary run test test-sqlite test-asan coverage format clean \
	fuzz bench

all: build

deps:
	@scripts/install-deps

build: deps
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS)

# Only parlay-settler, without the tests and benchmarks: about half the
# first build.
build-binary: deps
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS) --target parlay-settler

# Loads the NFL demo data unsettled, then runs the service in the
# foreground with settlement on, so its worker settles the data. It prints
# its URLs; Ctrl-C stops it. `make run PORT=9000` picks another port.
run: build-binary
	$(BUILD)/parlay-settler demo --db $(DB) --fresh --no-settle --data data/nfl
	FEATURE_SETTLEMENT=true LOG_FORMAT=text \
	  $(BUILD)/parlay-settler --db $(DB) serve

# Every test, with a throwaway PostgreSQL server for the tests that run on
# both backends (scripts/with-postgres starts and removes it).
test: build
	PARLAY_REQUIRE_POSTGRES=1 scripts/with-postgres \
	  sh -c 'cd $(BUILD) && ctest --output-on-failure -j $(JOBS)'

# Every test against SQLite only: the PostgreSQL variants are skipped.
test-sqlite: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# Unit and scenario tests under AddressSanitizer and UBSan.
test-asan: deps
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DPARLAY_SANITIZE=ON
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ctest --output-on-failure -j $(JOBS) -E 'RealNfl|Cli|Load'

# Line coverage of the whole tree with gcovr; the report lists rules and
# engine files first.
coverage: deps
	cmake -S . -B build-coverage -DCMAKE_BUILD_TYPE=Debug -DPARLAY_COVERAGE=ON
	cmake --build build-coverage -j $(JOBS)
	cd build-coverage && ctest --output-on-failure -j $(JOBS)
	gcovr --root . --filter 'src/' --exclude-unreachable-branches \
	  --object-directory build-coverage --print-summary \
	  --txt build-coverage/coverage.txt
	@cat build-coverage/coverage.txt

format:
	clang-format -i $$(git ls-files '*.cc' '*.h')

clean:
	rm -rf $(BUILD) build-asan build-coverage build-fuzz

# Service latency and HTTP throughput on loopback (bench/service/run):
# final-to-settled latency through the API, and wrk against the service
# next to nginx, idle and while the worker settles about 1M legs. Takes
# several minutes; BACKENDS=sqlite skips PostgreSQL.
.PHONY: bench-service
bench-service: build
	bench/service/run

# Builds the libFuzzer targets of fuzz/ with clang under ASan and UBSan in
# build-fuzz and runs each for FUZZ_SECONDS seconds, two at a time. The
# corpus grows in build-fuzz/corpus across runs; crashes are saved in
# build-fuzz/artifacts. `FUZZ_SECONDS=3600 make fuzz` is the long run.
FUZZ_SECONDS ?= 60
fuzz: deps
	cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DPARLAY_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++-14
	cmake --build build-fuzz -j $(JOBS) --target fuzz_targets
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_JOBS=$(JOBS) fuzz/run build-fuzz

# The long crash test: settles CRASH_LEGS legs (default 1,000,000) while
# killing the process with SIGKILL CRASH_KILLS times (default 50), on
# SQLite and on a throwaway PostgreSQL server. See docs/testing.md.
CRASH_LEGS ?= 1000000
CRASH_KILLS ?= 50
.PHONY: crash-test
crash-test: build
	PARLAY_CRASH_LEGS=$(CRASH_LEGS) PARLAY_CRASH_KILLS=$(CRASH_KILLS) \
	  PARLAY_REQUIRE_POSTGRES=1 scripts/with-postgres \
	  $(BUILD)/tests/reliability_tests --gtest_filter='Backends/CrashTest.*'

# Settlement throughput of the engine, a set-based SQL reference and a
# polling worker, on SQLite and on a throwaway PostgreSQL server, plus the
# backlog cycle; see docs/benchmarks.md. Set PARLAY_BENCH_POSTGRES_URL to
# use an existing server instead, and BENCH_ARGS for more options, e.g.
# BENCH_ARGS="--scales 10000000 --rows engine".
BENCH_ARGS ?= --scales 100000,1000000 --backlog
bench: build
	cmake --build $(BUILD) -j $(JOBS) --target parlay-bench
	mkdir -p $(BUILD)/bench
	if [ -n "$${PARLAY_BENCH_POSTGRES_URL:-}" ]; then \
	  bench/run_bench.py --build $(BUILD) \
	    --output $(BUILD)/bench/results.json $(BENCH_ARGS); \
	else \
	  scripts/with-postgres sh -c 'PARLAY_BENCH_POSTGRES_URL=$$PARLAY_TEST_POSTGRES_URL \
	    bench/run_bench.py --build $(BUILD) \
	    --output $(BUILD)/bench/results.json $(BENCH_ARGS)'; \
	fi
	bench/report.py $(BUILD)/bench/results.json \
	  --plot $(BUILD)/bench/throughput.png
