# duo-kazoo: Duo two-factor authentication for KAZOO.
# `make run` brings up the demo; `make test` runs every test. See README.md.

GO        ?= go
BIN       := bin/duo-kazoo
# The version is app.json's (kept in step with metadata/app.json by a test).
VERSION   ?= $(shell sed -n 's/^[[:space:]]*"version": "\(.*\)",$$/\1/p' app.json | head -n 1)
COMMIT    ?= $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
BUILDDATE ?= $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
LDFLAGS   := -X github.com/duo-kazoo/duo-kazoo/app.Version=$(VERSION) \
             -X github.com/duo-kazoo/duo-kazoo/app.Commit=$(COMMIT) \
             -X github.com/duo-kazoo/duo-kazoo/app.BuildDate=$(BUILDDATE)
TEST_TIMEOUT ?= 12m

.PHONY: build run stop test test-unit bench lint dist screenshots clean print-version

build:
	$(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/duo-kazoo

run: build
	scripts/demo.sh start

stop:
	scripts/demo.sh stop

test:
	scripts/with-deps.sh $(GO) test -count=1 -timeout $(TEST_TIMEOUT) ./...

test-unit:
	$(GO) test -short -count=1 ./...

bench: build
	scripts/with-deps.sh scripts/bench.sh

lint:
	$(GO) vet ./...
	$(GO) run github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v2.15.0 run ./...

dist:
	ui/dist.sh dist

screenshots:
	scripts/with-deps.sh scripts/screenshots.sh

clean:
	rm -rf bin dist

print-version:
	@echo $(VERSION)
