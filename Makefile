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
GO_TAGS ?= urfave_cli_no_docs
# Debian packages the build and the integration suite need.
DEB_DEPS := busybox-static bats jq libseccomp-dev gcc
# A hung test fails after this many seconds instead of stalling the suite.
BATS_TEST_TIMEOUT ?= 120
export BATS_TEST_TIMEOUT

.PHONY: all build deps demo test test-unit test-integration install clean

all: build

build:
	CGO_ENABLED=1 $(GO) build -trimpath -tags "$(GO_TAGS)" \
		-ldflags "-X main.version=$(VERSION) -X main.gitCommit=$(COMMIT)" \
		-o $(BINARY) ./cmd/ocirun
	$(GO) build -trimpath -o bin/recvtty ./tests/cmd/recvtty

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

test: deps build test-unit test-integration

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

install:
	install -D -m 0755 $(BINARY) $(DESTDIR)$(PREFIX)/sbin/ocirun

clean:
	rm -rf bin
