# Thin wrapper over CMake: deps, build, demo, test, install.
BUILD ?= build
PREFIX ?= /usr/local
CMAKE_FLAGS ?=
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian packages the build, the demo and the tests need; the gates (sanitizers,
# valgrind, formatting, fuzzing) need the second list too.
DEPS := cmake make gcc pkg-config gettext libglpk-dev glpk-utils libxlsxwriter-dev libpcre2-dev \
        libinih-dev libcsv-dev libcjson-dev libcmocka-dev python3 python3-openpyxl \
        python3-scipy libreoffice-calc-nogui poppler-utils
GATE_DEPS := valgrind clang-format clang-14 libclang-rt-14-dev
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := plan expr csv kwp rules

.PHONY: all deps gate-deps build demo test install test-asan test-valgrind format-check fuzz gates clean

all: build

# apt-get install of the packages of $(1) that are missing
define install
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
	    grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $$missing; \
	else echo "dependencies present"; fi
endef

deps:
	$(call install,$(DEPS))

gate-deps: deps
	$(call install,$(GATE_DEPS))

build: deps
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j2

demo: build
	$(BUILD)/mixplan optimize datasets/examples/spring_launch.ini -o spring_launch.xlsx

test: build
	cd $(BUILD) && ctest --output-on-failure -j2

# bin/mixplan, lib/libmixplan.so*, include/mixplan.h and lib/pkgconfig/mixplan.pc
# under PREFIX (make install PREFIX=$$HOME/.local).
install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

# Every test again in a build with AddressSanitizer and UBSan (-Werror).
test-asan: gate-deps
	cmake -S . -B build-asan -DMP_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
	cmake --build build-asan -j2
	cd build-asan && ctest --output-on-failure -j2

# The end-to-end cases with every mixplan run under valgrind (errors and leaks fail).
test-valgrind: gate-deps build
	cd $(BUILD) && MP_VALGRIND=1 ctest --output-on-failure -j2 -R e2e_

format-check: gate-deps
	clang-format --dry-run --Werror $$(git ls-files '*.c' '*.h')

# Each libFuzzer target for FUZZ_SECONDS on a copy of its seed corpus; a crash
# stops the run and leaves its input in build-fuzz/ (add it to tests/fuzz/corpus).
fuzz: gate-deps
	CC=clang-14 cmake -S . -B build-fuzz -DMP_FUZZ=ON -DMP_BUILD_TESTS=OFF
	cmake --build build-fuzz -j2
	@for t in $(FUZZ_TARGETS); do \
	  rm -rf build-fuzz/corpus-$$t && mkdir -p build-fuzz/corpus-$$t && \
	  cp tests/fuzz/corpus/$$t/* build-fuzz/corpus-$$t/ && \
	  (cd build-fuzz && ./fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=16384 -timeout=20 \
	     -rss_limit_mb=4096 -print_final_stats=1 corpus-$$t > fuzz-$$t.log 2>&1) || \
	     { tail -40 build-fuzz/fuzz-$$t.log; echo "fuzz_$$t FAILED"; exit 1; }; \
	  echo "fuzz_$$t: $$(grep -o 'stat::number_of_executed_units: *[0-9]*' build-fuzz/fuzz-$$t.log | grep -o '[0-9]*$$') executions in $(FUZZ_SECONDS) s, no crash"; \
	done

# The gates CI runs after the tests.
gates: test-asan test-valgrind format-check fuzz

clean:
	rm -rf $(BUILD) build-asan build-fuzz
