package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

// MaxBodyBytes is the largest request body accepted. Nothing we serve reads a body (only
// GET and HEAD are allowed), so this only bounds what a client can make us read.
const MaxBodyBytes = 16 << 10

// allowedMethods is the Allow header of a 405.
const allowedMethods = "GET, HEAD"

// Options configure New.
type Options struct {
	// Static is the site's files (dist/). Nil serves the dynamic paths only, as the Worker
	// does: at the edge Wrangler assets serve the files before the Worker runs.
	Static fs.FS
	// Catalogue lists the scenarios for /api/scenarios; nil means the embedded catalogue
	// (Catalogue). Tests substitute their own.
	Catalogue func() ([]Scenario, error)
}

// Handler serves the site. Build it with New.
type Handler struct {
	static    fs.FS
	catalogue func() ([]Scenario, error)

	apiOnce sync.Once
	apiBody []byte
	apiErr  error

	mu    sync.Mutex
	etags map[etagKey]string
}

// etagKey identifies one version of one file: a rebuilt dist/ changes size or mtime.
type etagKey struct {
	name    string
	size    int64
	modTime time.Time
}

// New returns the site handler.
func New(opts Options) *Handler {
	h := &Handler{static: opts.Static, catalogue: opts.Catalogue, etags: map[etagKey]string{}}
	if h.catalogue == nil {
		h.catalogue = Catalogue
	}
	return h
}

// ServeHTTP attaches the headers table (to every response, errors included), checks the
// method, the body and the path, then answers /healthz, /api/scenarios or a static file.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	Apply(w.Header(), r.URL.EscapedPath())
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", allowedMethods)
		http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if tooLarge(r) {
		http.Error(w, "413 request body too large", http.StatusRequestEntityTooLarge)
		return
	}
	urlPath := r.URL.Path
	if !cleanPath(urlPath) {
		http.Error(w, "400 bad request path", http.StatusBadRequest)
		return
	}
	switch urlPath {
	case "/healthz":
		w.Header().Set("Cache-Control", CacheNever)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Content-Length", "3")
		if r.Method == http.MethodGet {
			io.WriteString(w, "ok\n")
		}
		return
	case "/api/scenarios":
		h.serveCatalogue(w, r)
		return
	}
	if h.static == nil {
		notFound(w)
		return
	}
	h.serveStatic(w, r, urlPath)
}

// tooLarge reports whether the request body exceeds MaxBodyBytes. A body of unknown
// length (chunked) is read up to the limit to find out.
func tooLarge(r *http.Request) bool {
	if r.ContentLength > MaxBodyBytes {
		return true
	}
	if r.ContentLength < 0 && r.Body != nil {
		n, _ := io.Copy(io.Discard, io.LimitReader(r.Body, MaxBodyBytes+1))
		return n > MaxBodyBytes
	}
	return false
}

// cleanPath rejects paths that try to leave the site or smuggle separators: not rooted,
// "." or ".." segments, backslashes, NUL.
func cleanPath(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") {
		return false
	}
	for _, seg := range strings.Split(p[1:], "/") {
		if seg == "." || seg == ".." {
			return false
		}
	}
	return true
}

func notFound(w http.ResponseWriter) {
	http.Error(w, "404 page not found", http.StatusNotFound)
}

func (h *Handler) serveCatalogue(w http.ResponseWriter, r *http.Request) {
	h.apiOnce.Do(func() {
		list, err := h.catalogue()
		if err != nil {
			h.apiErr = err
			return
		}
		b, err := json.MarshalIndent(list, "", "  ")
		h.apiBody, h.apiErr = append(b, '\n'), err
	})
	if h.apiErr != nil {
		http.Error(w, "500 "+h.apiErr.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("ETag", etagOf(h.apiBody))
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(h.apiBody))
}

// serveStatic maps the URL path to a file as Workers assets' html_handling
// "auto-trailing-slash" does (workers-shared asset-worker htmlHandlingAutoTrailingSlash),
// so links behave the same locally and at the edge:
//
//	/            -> index.html
//	/dir/        -> dir/index.html
//	/embed       -> embed.html (when there is no file "embed")
//	/index.html  -> 307 /      /embed.html -> 307 /embed      /dir -> 307 /dir/
//
// Dot-files, the edge's config files (_headers, _redirects) and the pre-compressed
// siblings (*.br, *.gz: they are served through Accept-Encoding) are not served.
func (h *Handler) serveStatic(w http.ResponseWriter, r *http.Request, urlPath string) {
	rel := urlPath[1:]
	base := path.Base(urlPath)
	if strings.HasPrefix(rel, ".") || strings.Contains(rel, "/.") ||
		base == "_headers" || base == "_redirects" ||
		strings.HasSuffix(rel, ".br") || strings.HasSuffix(rel, ".gz") {
		notFound(w)
		return
	}
	switch {
	case rel == "" || strings.HasSuffix(rel, "/"):
		if h.isFile(rel + "index.html") {
			h.serveFile(w, r, rel+"index.html")
			return
		}
		if rel != "" && h.isFile(strings.TrimSuffix(rel, "/")+".html") {
			redirect(w, r, strings.TrimSuffix(urlPath, "/"))
			return
		}
	case strings.HasSuffix(rel, "/index.html"), rel == "index.html":
		if h.isFile(rel) {
			redirect(w, r, strings.TrimSuffix(urlPath, "index.html"))
			return
		}
	case strings.HasSuffix(rel, ".html"):
		if h.isFile(rel) {
			redirect(w, r, strings.TrimSuffix(urlPath, ".html"))
			return
		}
	default:
		if h.isFile(rel) {
			h.serveFile(w, r, rel)
			return
		}
		if h.isFile(rel + ".html") {
			h.serveFile(w, r, rel+".html")
			return
		}
		if h.isFile(rel + "/index.html") {
			redirect(w, r, urlPath+"/")
			return
		}
	}
	notFound(w)
}

func redirect(w http.ResponseWriter, r *http.Request, to string) {
	if r.URL.RawQuery != "" {
		to += "?" + r.URL.RawQuery
	}
	w.Header().Set("Location", to)
	w.WriteHeader(http.StatusTemporaryRedirect)
}

func (h *Handler) isFile(name string) bool {
	if !fs.ValidPath(name) {
		return false
	}
	fi, err := fs.Stat(h.static, name)
	return err == nil && fi.Mode().IsRegular()
}

// encodings are the pre-compressed siblings we look for, best first.
var encodings = []struct{ token, suffix string }{{"br", ".br"}, {"gzip", ".gz"}}

// serveFile sends a file, or its pre-compressed sibling when the client accepts that
// encoding, with the file's Content-Type, a strong ETag of the bytes sent, and
// Vary: Accept-Encoding when a sibling exists (caches must key on it).
func (h *Handler) serveFile(w http.ResponseWriter, r *http.Request, name string) {
	send, encoding := name, ""
	hasSibling := false
	accepted := acceptedEncodings(r.Header.Values("Accept-Encoding"))
	for _, e := range encodings {
		if !h.isFile(name + e.suffix) {
			continue
		}
		hasSibling = true
		if encoding == "" && accepted[e.token] {
			send, encoding = name+e.suffix, e.token
		}
	}
	data, etag, err := h.read(send)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			notFound(w)
			return
		}
		http.Error(w, "500 "+err.Error(), http.StatusInternalServerError)
		return
	}
	hd := w.Header()
	if hasSibling {
		hd.Add("Vary", "Accept-Encoding")
	}
	if encoding != "" {
		hd.Set("Content-Encoding", encoding)
	}
	hd.Set("Content-Type", ContentType(name))
	hd.Set("ETag", etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
}

// read returns a file's bytes and its ETag, remembered per file version.
func (h *Handler) read(name string) ([]byte, string, error) {
	data, err := fs.ReadFile(h.static, name)
	if err != nil {
		return nil, "", err
	}
	fi, err := fs.Stat(h.static, name)
	if err != nil {
		return nil, "", err
	}
	key := etagKey{name, fi.Size(), fi.ModTime()}
	h.mu.Lock()
	defer h.mu.Unlock()
	etag, ok := h.etags[key]
	if !ok {
		etag = etagOf(data)
		h.etags[key] = etag
	}
	return data, etag, nil
}

// etagOf is a strong ETag: the first 128 bits of the SHA-256 of the bytes sent.
func etagOf(b []byte) string {
	sum := sha256.Sum256(b)
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}

// acceptedEncodings parses Accept-Encoding (RFC 9110 12.5.3): the content codings with a
// non-zero q-value. "*" accepts every coding not named with q=0.
func acceptedEncodings(values []string) map[string]bool {
	out := map[string]bool{}
	named := map[string]bool{}
	star := false
	for _, v := range values {
		for _, item := range strings.Split(v, ",") {
			token, params, _ := strings.Cut(strings.TrimSpace(item), ";")
			token = strings.ToLower(strings.TrimSpace(token))
			if token == "" {
				continue
			}
			q := 1.0
			for _, p := range strings.Split(params, ";") {
				k, val, ok := strings.Cut(strings.TrimSpace(p), "=")
				if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
					if f, err := strconv.ParseFloat(strings.TrimSpace(val), 64); err == nil {
						q = f
					}
				}
			}
			if token == "*" {
				star = q > 0
				continue
			}
			named[token] = true
			out[token] = q > 0
		}
	}
	if star {
		for _, e := range encodings {
			if !named[e.token] {
				out[e.token] = true
			}
		}
	}
	return out
}
