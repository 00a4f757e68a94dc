// Package browsertest drives the built page (dist/) in headless Chromium with chromedp. Its
// test carries the build tag "browser", so `go test ./...` skips it; `./build.sh test` runs
// `go test -tags browser ./web/browsertest` after building dist/.
package browsertest
