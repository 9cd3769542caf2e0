# Thin wrapper over CMake: deps, build, demo, test.
BUILD ?= build
CMAKE_FLAGS ?=
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian packages the build, the demo and the tests need.
DEPS := cmake make gcc pkg-config libglpk-dev glpk-utils libxlsxwriter-dev libpcre2-dev \
        libinih-dev libcsv-dev libcjson-dev libcmocka-dev python3 python3-openpyxl \
        python3-scipy valgrind

.PHONY: all deps build demo test clean

all: build

deps:
	@missing=$$(for p in $(DEPS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
	    grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $$missing; \
	else echo "dependencies present"; fi

build: deps
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j2

demo: build
	$(BUILD)/mixplan optimize datasets/examples/spring_launch.ini -o spring_launch.xlsx

test: build
	cd $(BUILD) && ctest --output-on-failure -j2

clean:
	rm -rf $(BUILD)
