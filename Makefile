# ocirun build, test and demo targets. Run as root (the tests create
# containers); `make test` is what CI runs (see .ci/run).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
export PATH := /usr/local/go/bin:$(PATH)

GO ?= go
BATS ?= bats
VERSION := $(shell cat $(CURDIR)/VERSION 2>/dev/null || echo unknown)
COMMIT := $(shell git -C $(CURDIR) rev-parse --short HEAD 2>/dev/null || echo unknown)
BINARY := bin/ocirun
# The runtime the integration suite drives (e.g. OCIRUN=/usr/sbin/runc).
OCIRUN ?= $(CURDIR)/$(BINARY)
PREFIX ?= /usr/local
# urfave_cli_no_docs drops the CLI's man/markdown generator, whose package
# initialisation (blackfriday) cost ~1.5 ms on every start, init included.
# osusergo,netgo: pure-Go user and DNS lookups, so that the binary can be
# linked statically (below).
GO_TAGS ?= urfave_cli_no_docs osusergo netgo
# A static binary (libseccomp and glibc linked in): no dynamic loader and
# relocations on each of the two starts per container (CLI and init), about
# 6 ms per start on this machine, where every page fault is expensive.
LDFLAGS := -X main.version=$(VERSION) -X main.gitCommit=$(COMMIT) \
	-linkmode external -extldflags -static
# Debian packages the build and the integration suite need.
DEB_DEPS := busybox-static bats jq libseccomp-dev gcc libc6-dev uidmap python3 iproute2
# A hung test fails after this many seconds instead of stalling the suite.
BATS_TEST_TIMEOUT ?= 120
export BATS_TEST_TIMEOUT

.PHONY: all build deps demo test test-unit test-integration test-v2 test-e2e install clean

all: build

build:
	CGO_ENABLED=1 $(GO) build -trimpath -tags "$(GO_TAGS)" -ldflags "$(LDFLAGS)" \
		-o $(BINARY) ./cmd/ocirun
	$(GO) build -trimpath -o bin/recvtty ./tests/cmd/recvtty
	$(GO) build -trimpath -o bin/seccompagent ./tests/cmd/seccompagent
	CGO_ENABLED=0 $(GO) build -trimpath -o bin/sysprobe ./tests/cmd/seccompagent/sysprobe

# Install only what is missing, and refresh the package lists only then.
deps:
	@missing=(); \
	for pkg in $(DEB_DEPS); do \
		dpkg-query -W -f='$${Status}' "$$pkg" 2>/dev/null | grep -q 'install ok installed' \
			|| missing+=("$$pkg"); \
	done; \
	if [ $${#missing[@]} -eq 0 ]; then \
		echo "deps: all present ($(DEB_DEPS))"; \
	else \
		echo "deps: installing $${missing[*]}"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -q; \
		apt-get install -y -q --no-install-recommends "$${missing[@]}"; \
	fi

demo: deps build
	scripts/demo.sh

test: deps build test-unit test-integration test-v2 test-e2e

test-unit:
	$(GO) test -count=1 ./...

# The TAP stream goes to the console and to a file for the closing summary.
test-integration:
	@tap="$$(mktemp /tmp/ocirun-bats.XXXXXX)"; rc=0; \
	OCIRUN="$(OCIRUN)" $(BATS) tests/integration | tee "$$tap" || rc=$$?; \
	pass=$$(grep -Ec '^ok [0-9]+ ' "$$tap" || true); \
	skip=$$(grep -Ec '^ok [0-9]+ .* # skip' "$$tap" || true); \
	fail=$$(grep -Ec '^not ok [0-9]+ ' "$$tap" || true); \
	rm -f "$$tap"; \
	echo "integration: $$((pass - skip)) passed, $$fail failed, $$skip skipped"; \
	exit $$rc

# The cgroup v2 tier: the cgroup bats files in a qemu VM whose kernel has
# cgroup v1 disabled; installs qemu etc. and caches a Debian kernel in
# .cache/vm (tests/vm/run.sh).
test-v2:
	OCIRUN="$(OCIRUN)" tests/vm/run.sh

# containerd (ctr and CRI) driving $(OCIRUN); installs containerd and umoci
# when missing. One containerd per test file, on private paths.
test-e2e:
	@tap="$$(mktemp /tmp/ocirun-e2e.XXXXXX)"; rc=0; start=$$SECONDS; \
	OCIRUN="$(OCIRUN)" $(BATS) tests/e2e | tee "$$tap" || rc=$$?; \
	pass=$$(grep -Ec '^ok [0-9]+ ' "$$tap" || true); \
	skip=$$(grep -Ec '^ok [0-9]+ .* # skip' "$$tap" || true); \
	fail=$$(grep -Ec '^not ok [0-9]+ ' "$$tap" || true); \
	rm -f "$$tap"; \
	echo "e2e tier took $$((SECONDS - start)) s"; \
	echo "e2e: $$((pass - skip)) passed, $$fail failed, $$skip skipped"; \
	exit $$rc

# ocirun vs runc vs crun (issue 8): installs Debian's runc and crun when
# missing, prints the table and writes docs/benchmarks.md + .svg. The
# ldflags must stay those of `build` (the bench rebuilds the tree to check
# that bin/ocirun is built from it). BENCH_FLAGS=-quick: a short dev run.
.PHONY: bench
bench: deps build
	@command -v runc >/dev/null && command -v crun >/dev/null || { \
		export DEBIAN_FRONTEND=noninteractive; apt-get update -q; \
		apt-get install -y -q --no-install-recommends runc crun; }
	$(GO) build -o bin/ocirun-bench ./tests/bench
	bin/ocirun-bench -ocirun $(BINARY) -ldflags "$(LDFLAGS)" $(BENCH_FLAGS)

install:
	install -D -m 0755 $(BINARY) $(DESTDIR)$(PREFIX)/sbin/ocirun

clean:
	rm -rf bin
