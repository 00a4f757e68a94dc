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
               conformance against the upstream controllers, browser test, Worker smoke test
  conformance  compare the Deployment and StatefulSet scenarios with the real Kubernetes controllers
               (conformance/) and rewrite README.md's Conformance table
USAGE
}

cmd_run() {
	go run ./cmd/kubesim run "${1:-$DEFAULT_SCENARIO}"
}

cmd_build() {
	mkdir -p dist
	# No inlining in the libraries (Ebiten, text shaping, the standard library), but in the
	# runtime and kubesim's own packages: game.wasm is 4.62 -> 4.21 MB gzipped (the budget is
	# 4.5 MB); the README's performance section has what it costs per frame. kubectl, the
	# lessons and the scenario parser run once per command or load, not per frame or
	# reconcile: without inlining they save 53 KB gzipped.
	local cold="-gcflags=github.com/kubesim/kubesim/core/kubectl=-l -gcflags=github.com/kubesim/kubesim/core/lesson=-l -gcflags=github.com/kubesim/kubesim/core/scenario=-l"
	# shellcheck disable=SC2086 # $cold is several flags
	GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -gcflags=all=-l -gcflags=runtime= -gcflags=github.com/kubesim/kubesim/...= $cold -o dist/game.wasm ./wasm
	cp "$GOROOT_WASM/wasm_exec.js" dist/
	cp -r web/static/. dist/
	go run ./tools/compress dist
}

cmd_serve() {
	cmd_build
	go run ./cmd/kubesim serve --dir dist --addr 127.0.0.1:8080
}

# build_worker SRC: the Cloudflare Worker into web/worker/build: the Go handler
# (./web/worker, no Ebiten) as app.wasm with syumai/workers' glue (worker.mjs, shim.mjs,
# wasm_exec.js; generator pinned by go.mod), and the page's files from SRC as Wrangler
# assets (build/public), without .br/.gz siblings (Cloudflare compresses at the edge) or
# dot-files, plus _headers (site.Rules rendered).
build_worker() {
	local src=$1 out=web/worker/build
	rm -rf "$out"
	go run github.com/syumai/workers/cmd/workers-assets-gen -mode=go -o "$out"
	GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o "$out/app.wasm" ./web/worker
	mkdir -p "$out/public"
	cp -R "$src/." "$out/public/"
	find "$out/public" -mindepth 1 \( -name '*.br' -o -name '*.gz' -o -name '.*' -o -name _headers \) -prune -exec rm -rf {} +
	cp web/worker/_headers "$out/public/_headers"
	local raw gz
	raw=$(wc -c <"$out/app.wasm")
	gz=$(gzip -9 -c "$out/app.wasm" | wc -c)
	echo "worker: app.wasm $raw bytes raw, $gz bytes gzip -9 (Workers free plan: 3 MiB compressed)"
	if [ "$gz" -gt $((3 * 1024 * 1024)) ]; then
		echo "worker: app.wasm is over 3 MiB compressed; keep Ebiten and big packages out of ./web/worker" >&2
		return 1
	fi
}

# npm_ci_worker: wrangler (web/worker/package-lock.json) into web/worker/node_modules.
npm_ci_worker() {
	if [ ! -x web/worker/node_modules/.bin/wrangler ] ||
		[ web/worker/package-lock.json -nt web/worker/node_modules/.package-lock.json ]; then
		(cd web/worker && npm ci --no-audit --no-fund)
	fi
}

cmd_worker() {
	cmd_build
	build_worker dist
	npm_ci_worker
	echo "worker: built web/worker/build. Try it: (cd web/worker && npx wrangler dev); deploy: (cd web/worker && npx wrangler deploy)"
}

# test_go: vet (host and wasm), unit + golden tests, and a short fuzz run per parser.
test_go() {
	echo "== gofmt"
	local unformatted
	unformatted=$(gofmt -l . | grep -v '^web/worker/node_modules/' || true)
	if [ -n "$unformatted" ]; then
		echo "not gofmt-ed (run gofmt -w on them):" >&2
		echo "$unformatted" >&2
		return 1
	fi
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

# wrangler_start / wrangler_stop: `wrangler dev` (workerd, offline) on 127.0.0.1:8787 in its
# own process group, so stopping it by id stops workerd too. WRANGLER_PID names it.
wrangler_start() {
	(cd web/worker && WRANGLER_SEND_METRICS=false CI=true exec setsid npx wrangler dev \
		--ip 127.0.0.1 --port 8787 </dev/null >>"build/wrangler-dev.log" 2>&1) &
	WRANGLER_PID=$!
	local i
	for i in $(seq 1 120); do
		curl -s -o /dev/null --max-time 2 http://127.0.0.1:8787/healthz && return 0
		kill -0 "$WRANGLER_PID" 2>/dev/null || return 1
		sleep 0.5
	done
}
wrangler_stop() {
	kill -TERM -- -"$WRANGLER_PID" 2>/dev/null || true
	wait "$WRANGLER_PID" 2>/dev/null || true
}

# test_worker: the Worker under `wrangler dev` must answer like `kubesim serve`
# (web/worker/smoke_test.go). Uses dist/ if built, else the site fixture.
test_worker() {
	echo "== Worker smoke test (wrangler dev, offline)"
	local src=dist
	[ -f dist/index.html ] || src=web/site/testdata/dist
	build_worker "$src"
	npm_ci_worker
	if curl -s -o /dev/null --max-time 2 http://127.0.0.1:8787/; then
		echo "worker: 127.0.0.1:8787 is already in use; stop what listens there" >&2
		return 1
	fi
	local log=web/worker/build/wrangler-dev.log rc=0 prev_trap
	: >"$log"
	prev_trap=$(trap -p EXIT)
	trap 'wrangler_stop' EXIT
	wrangler_start || true
	rm -f web/worker/build/warnings.txt
	KUBESIM_WORKER_URL=http://127.0.0.1:8787 KUBESIM_WORKER_DIST="$PWD/$src" \
		KUBESIM_WORKER_WARNINGS="$PWD/web/worker/build/warnings.txt" \
		go test -count=1 -timeout 120s -tags workersmoke -run TestWorkerSmoke ./web/worker || rc=$?
	[ ! -s web/worker/build/warnings.txt ] || cat web/worker/build/warnings.txt >&2
	if [ "$rc" -eq 0 ] && [ "$src" = dist ]; then
		test_browser_worker || rc=$?
	fi
	wrangler_stop
	if [ -n "$prev_trap" ]; then eval "$prev_trap"; else trap - EXIT; fi
	if [ "$rc" -ne 0 ]; then
		echo "worker: smoke test failed; wrangler dev said:" >&2
		tail -n 40 "$log" >&2
	fi
	return "$rc"
}

# test_browser_worker: the page as the Worker serves it (its headers, CSP, redirects), in
# headless Chromium against wrangler dev. The whole suite runs against `kubesim serve`
# (test_browser, whose site.Handler mirrors the Worker); here the tests that load each page
# kind: shell, embed and share links (TestPage), compare, layouts, Chinese, URL limits.
# wrangler dev 4.86 (the last one that runs on Debian's Node 20) now and then never answers
# one request of a page load, until the browser closes (like cloudflare/workers-sdk#3942;
# seen here with and without prefetching game.wasm; never against `kubesim serve`). A pass
# that stops on a timeout, not on an assertion, is run once more against a restarted
# wrangler dev, and says so.
test_browser_worker() {
	echo "== browser test against the Worker (wrangler dev)"
	mkdir -p testresults/worker
	local out=testresults/worker/go-test.log rc=0
	browser_worker_pass "$out" || rc=$?
	if [ "$rc" -ne 0 ] && only_timeouts "$out"; then
		echo "worker: the browser pass stopped on a timeout (wrangler dev stalled a request?); restarting wrangler dev and running it once more"
		wrangler_stop
		wrangler_start || return 1
		rc=0
		browser_worker_pass "$out" || rc=$?
	fi
	return "$rc"
}
# only_timeouts: the go test output in $1 failed by waiting (a navigation or the first
# frame that never came, or the binary's -timeout), with no other test message.
only_timeouts() {
	grep -q 'context deadline exceeded\|^panic: test timed out' "$1" &&
		! grep '_test.go:[0-9]*: ' "$1" | grep -qv 'context deadline exceeded\|no first frame:'
}
browser_worker_pass() {
	KUBESIM_URL=http://127.0.0.1:8787 KUBESIM_DIST="$PWD/dist" KUBESIM_RESULTS="$PWD/testresults/worker" \
		go test -count=1 -timeout 300s -tags browser \
		-run '^(TestPage|TestComparePage|TestLayout|TestChinese|TestShareLinkLimits)$' ./web/browsertest 2>&1 | tee "$1"
	return "${PIPESTATUS[0]}"
}

# test_browser: the page in headless Chromium (web/browsertest, build tag browser): pixels,
# play/seek, console, YAML errors, embed mode, frame statistics and the wasm size budget.
# Installs chromium with apt-get when missing and running as root.
test_browser() {
	echo "== browser test (headless Chromium)"
	if ! command -v chromium >/dev/null 2>&1; then
		if [ "$(id -u)" = 0 ]; then
			apt-get update && apt-get install -y chromium
		else
			echo "browser test: chromium is missing; install it: sudo apt-get update && sudo apt-get install -y chromium" >&2
			return 1
		fi
	fi
	cmd_build
	mkdir -p testresults
	# 450 s: the suite took 340 s on a loaded 2-core machine once TestChinese joined it.
	KUBESIM_DIST="$PWD/dist" KUBESIM_RESULTS="$PWD/testresults" \
		go test -count=1 -timeout 450s -tags browser -v ./web/browsertest
}

# fuzz_one DIR NAME TIME: one fuzz target. Go's fuzzer sometimes ends a short run on a loaded
# machine with "context deadline exceeded" while it is still gathering baseline coverage, having
# found nothing (no "Failing input written"); that run is retried once with twice the time. Any
# other failure, or a second such ending, fails the step.
fuzz_one() {
	local dir="$1" name="$2" fuzztime="$3" out
	for attempt in 1 2; do
		if out=$(go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "$dir" 2>&1); then
			printf '%s\n' "$out"
			return 0
		fi
		printf '%s\n' "$out"
		if [ "$attempt" = 2 ] || ! grep -q 'context deadline exceeded' <<<"$out" ||
			grep -q 'Failing input written' <<<"$out"; then
			return 1
		fi
		echo "-- $name: the fuzzer ran out of time before it started (no failing input); retrying once"
		if [[ "$fuzztime" =~ ^[0-9]+s$ ]]; then fuzztime="$((${fuzztime%s} * 2))s"; fi
	done
}

# test_fuzz: every Go fuzz target in the repo (func FuzzX in a _test.go file) for a few
# seconds each (KUBESIM_FUZZTIME, default 5s), so a new target is fuzzed without editing this.
test_fuzz() {
	local fuzztime="${KUBESIM_FUZZTIME:-5s}" file dir name
	echo "== fuzz (${fuzztime} per target)"
	while IFS= read -r file; do
		dir="./$(dirname "$file")"
		for name in $(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*testing\.F).*/\1/p' "$file"); do
			echo "-- $name ($dir)"
			fuzz_one "$dir" "$name" "$fuzztime"
		done
	done < <(grep -rl --include='*_test.go' --exclude-dir=node_modules --exclude-dir=.git --exclude-dir=dist '^func Fuzz' . | sed 's|^\./||' | sort)
}

# test_check: 200 seeded random clusters with faults, every invariant after every instant,
# each run twice for determinism (kubesim check; about 20-30 s here).
test_check() {
	echo "== kubesim check --seeds 200"
	go run ./cmd/kubesim check --seeds 200 -q
}

# The Conformance section of README.md lies between these lines; `./build.sh conformance`
# rewrites it and TestReadmeTable (conformance/) fails when it is stale.
CONFORMANCE_BEGIN='<!-- conformance table: ./build.sh conformance -->'
CONFORMANCE_END='<!-- end of conformance table -->'

cmd_conformance() {
	local table
	table=$(cd conformance && go run . table) || { printf '%s\n' "$table"; return 1; }
	printf '%s\n' "$table"
	TABLE="$table" BEGIN="$CONFORMANCE_BEGIN" END="$CONFORMANCE_END" perl -0pi -e \
		's/\Q$ENV{BEGIN}\E.*?\Q$ENV{END}\E/$ENV{BEGIN}\n$ENV{TABLE}\n$ENV{END}/s' README.md
	grep -qF "$CONFORMANCE_BEGIN" README.md || { echo "README.md has no conformance markers" >&2; return 1; }
}

# test_conformance: the separate conformance module (k8s.io/kubernetes v1.37.2's Deployment
# and ReplicaSet controllers against every Deployment scenario); fails on an unexplained
# difference or a stale README table.
test_conformance() {
	echo "== conformance (upstream controllers, conformance/)"
	(cd conformance && go vet ./... && go test -count=1 ./...)
}

cmd_test() {
	test_go
	test_fuzz
	test_check
	test_conformance
	test_wasm_determinism
	test_browser
	test_worker
}

case "${1:-help}" in
run) shift; cmd_run "$@" ;;
build) cmd_build ;;
serve) cmd_serve ;;
worker) cmd_worker ;;
test) cmd_test ;;
conformance) cmd_conformance ;;
help | -h | --help) usage ;;
*) usage >&2; exit 2 ;;
esac
