// Package site is the one HTTP handler behind every way kubesim's page is served: `kubesim
// serve` (a dist/ directory on disk), the Cloudflare Worker in web/worker (dynamic paths
// only; Wrangler assets serve the files) and the httptest tests.
//
// What it serves:
//
//   - GET/HEAD of the static files of an fs.FS (dist/), with the MIME types Wrangler gives
//     the same files (ContentType), a pre-compressed sibling (game.wasm.br, game.wasm.gz)
//     chosen by Accept-Encoding, strong ETags and If-None-Match revalidation. HTML paths
//     follow Workers assets' default html_handling "auto-trailing-slash": /index.html
//     redirects to /, /embed.html to /embed, and /embed serves embed.html.
//   - /healthz: "ok", never cached.
//   - /api/scenarios: the embedded catalogue as JSON, [{name, title, description}].
//
// Every response carries the headers of the Rules table, the single source of truth for
// cache and security headers. WriteHeadersFile renders the same table as the `_headers`
// file that Workers assets apply at the edge, and HeadersFor applies it with the edge's
// merge rules, so local and edge agree (site_test.go checks it).
//
// Bad requests: unknown paths 404, methods other than GET/HEAD 405 with Allow, bodies over
// MaxBodyBytes 413, paths with "..", backslashes, NUL or dot-files 400/404.
package site
