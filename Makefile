# Relevo — build, test and run.
#
#   make            build bin/relevo (and the web front end, once web/ exists)
#   make run        build, then run the demo server
#   make test       go vet, go test -race (with a throwaway PostgreSQL, see
#                   scripts/testdb.sh), then the web e2e tests if there are any
#   make bench      benchmarks
#   make api        regenerate docs/openapi.json and the console's typed client
#                   from the route table (after a route, type or error code changed)
#   make fmt        gofmt -w
#   make lint       gofmt check + go vet
#   make clean      remove build output
#   make testdb / make testdb-stop   start / stop the test PostgreSQL by hand
#
# RELEVO_TEST_DATABASE_URL, if set (in the environment or on the make command
# line), is used as is and no PostgreSQL is started.

GO ?= go
BIN := bin/relevo

# Every recipe runs in bash with errexit, nounset and pipefail, so a failing
# command anywhere in a multi-command line fails the target.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c

.DEFAULT_GOAL := build

.PHONY: build web run test e2e bench api fmt lint clean testdb testdb-stop

# Go files of the project, skipping node_modules and the like.
GOFILES_CMD := find . -type f -name '*.go' -not -path './.git/*' -not -path '*/node_modules/*' -not -path './tmp/*'

# True (exit 0) when web/package.json defines an "e2e" script.
HAS_E2E := [ -f web/package.json ] && node -e 'process.exit(((require("./web/package.json").scripts) || {}).e2e ? 0 : 1)'

web:
	if [ -f web/package.json ]; then cd web && npm ci && npm run build; fi

api:
	$(GO) test ./internal/httpapi -run OpenAPIGolden -update
	cd web && npm run gen:api && npm run typecheck

build: web
	$(GO) build -o $(BIN) ./cmd/relevo

run: build
	./$(BIN) serve --demo

# -timeout 30m: the store and httpapi packages run every test on SQLite and
# PostgreSQL under -race; on a busy 2-core machine each takes close to Go's
# default 10 minutes, which would fail a correct run.
test:
	$(GO) vet ./...
	@url="$$(scripts/testdb.sh)" || { echo "make test: scripts/testdb.sh failed" >&2; exit 1; }; \
	if [ -z "$$url" ]; then echo "make test: no PostgreSQL; its tests will be skipped" >&2; fi; \
	echo "RELEVO_TEST_DATABASE_URL=$$url $(GO) test -race -count=1 -timeout 30m ./..."; \
	RELEVO_TEST_DATABASE_URL="$$url" $(GO) test -race -count=1 -timeout 30m ./...
	@if [ -f web/package.json ]; then \
		command -v node >/dev/null || { echo "make test: web/package.json exists but node is not installed" >&2; exit 1; }; \
		if $(HAS_E2E); then $(MAKE) --no-print-directory e2e; fi; \
	fi

# Browser tests; they need the built binary and front end.
e2e: build
	@url="$$(scripts/testdb.sh)" || { echo "make e2e: scripts/testdb.sh failed" >&2; exit 1; }; \
	echo "cd web && npm run e2e"; \
	cd web && RELEVO_TEST_DATABASE_URL="$$url" npm run e2e

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

fmt:
	$(GOFILES_CMD) -print0 | xargs -0 -r gofmt -w

lint:
	@out="$$($(GOFILES_CMD) -print0 | xargs -0 -r gofmt -l)"; \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; echo "run: make fmt"; exit 1; fi
	$(GO) vet ./...

# web/dist is left alone: once the front end is embedded, go vet/test need it.
clean:
	rm -rf bin/ web/e2e/artifacts/ *.test *.prof

testdb:
	@scripts/testdb.sh

testdb-stop:
	@scripts/testdb.sh stop
