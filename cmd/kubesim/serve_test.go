package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
)

// serve answers over real TCP with the site handler, and stops when its context ends.
func TestServe(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, ln, os.DirFS("../../web/site/testdata/dist")) }()
	base := "http://" + ln.Addr().String()

	for _, tc := range []struct{ path, wantType, wantBody string }{
		{"/healthz", "text/plain; charset=utf-8", "ok\n"},
		{"/", "text/html; charset=utf-8", "<!doctype html>"},
		{"/game.wasm", "application/wasm", "\x00asm"},
	} {
		res, err := http.Get(base + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != tc.wantType || !strings.HasPrefix(string(b), tc.wantBody) {
			t.Errorf("GET %s: %d %q %q", tc.path, res.StatusCode, res.Header.Get("Content-Type"), b)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve returned %v after cancel; want nil", err)
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("server still answers after shutdown")
	}
}

func TestServeBadFlags(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		wantErr string
	}{
		{[]string{"--dir", "/nonexistent/kubesim-dist"}, "--dir /nonexistent/kubesim-dist: not a directory (build the page first: ./build.sh build)"},
		{[]string{"--dir", "serve.go"}, "--dir serve.go: not a directory"},
		{[]string{"--dir", ".", "--addr", "256.0.0.1:99999"}, "kubesim serve: --addr 256.0.0.1:99999:"},
		{[]string{"extra"}, `kubesim serve: unexpected argument "extra"`},
		{[]string{"--bogus"}, "flag provided but not defined: -bogus"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(append([]string{"serve"}, tc.args...), &stdout, &stderr); code != 1 {
			t.Errorf("%v: exit %d; want 1", tc.args, code)
		}
		if !strings.Contains(stderr.String(), tc.wantErr) {
			t.Errorf("%v: stderr %q; want it to contain %q", tc.args, stderr.String(), tc.wantErr)
		}
	}
}
