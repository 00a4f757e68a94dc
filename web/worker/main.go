// Command worker is kubesim's Cloudflare Worker (github.com/syumai/workers). Wrangler
// assets serve the page's files, with the headers of web/worker/_headers (site.Rules
// rendered); requests for anything else reach this Go handler: /healthz, /api/scenarios,
// and the 404 of every unknown path. It is the same site.Handler as `kubesim serve`,
// without static files.
//
// Build: ./build.sh worker (GOOS=js GOARCH=wasm; it must not import Ebiten, to stay small).
// On the host, `go run ./web/worker` serves the same handler on $PORT (default 9900):
// syumai/workers' debugging fallback.
package main

import (
	"github.com/syumai/workers"

	"github.com/kubesim/kubesim/web/site"
)

func main() {
	workers.Serve(site.New(site.Options{}))
}
