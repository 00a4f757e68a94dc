package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	iofs "io/fs"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/kubesim/kubesim/web/site"
)

func init() {
	register("serve", &Subcommand{
		Usage: "serve [--dir dist] [--addr 127.0.0.1:8080]        serve the page (build it first: ./build.sh build)",
		Run:   runServe,
	})
}

func runServe(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("serve", flag.ContinueOnError)
	fl.SetOutput(stderr)
	dir := fl.String("dir", "dist", "directory of the built page (./build.sh build writes dist/)")
	addr := fl.String("addr", "127.0.0.1:8080", "host:port to listen on")
	if err := fl.Parse(args); err != nil {
		return 1
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "kubesim serve: unexpected argument %q\n", fl.Arg(0))
		return 1
	}
	if fi, err := os.Stat(*dir); err != nil || !fi.IsDir() {
		fmt.Fprintf(stderr, "kubesim serve: --dir %s: not a directory (build the page first: ./build.sh build)\n", *dir)
		return 1
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "kubesim serve: --addr %s: %v\n", *addr, err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	fmt.Fprintf(stdout, "kubesim: serving %s on http://%s/ (Ctrl-C stops)\n", *dir, ln.Addr())
	if err := serve(ctx, ln, os.DirFS(*dir)); err != nil {
		fmt.Fprintf(stderr, "kubesim serve: %v\n", err)
		return 1
	}
	return 0
}

// serve runs the site handler on ln until ctx is done, then shuts down gracefully.
func serve(ctx context.Context, ln net.Listener, static iofs.FS) error {
	srv := &http.Server{
		Handler:           site.New(site.Options{Static: static}),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
