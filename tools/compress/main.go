// Command compress writes pre-compressed siblings (NAME.gz, gzip -9, and NAME.br, brotli
// quality 11) of the compressible files in a directory, so the server can send them by
// Accept-Encoding. It prints the sizes of game.wasm, the page's budget line.
//
//	go run ./tools/compress dist
package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/andybalholm/brotli"
)

var compressible = map[string]bool{".wasm": true, ".js": true, ".html": true, ".css": true, ".json": true, ".svg": true, ".yaml": true, ".txt": true, ".md": true}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: compress DIR")
		os.Exit(2)
	}
	err := filepath.WalkDir(os.Args[1], func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !compressible[filepath.Ext(path)] {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var gz bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		zw.Write(data)
		if err := zw.Close(); err != nil {
			return err
		}
		var br bytes.Buffer
		bw := brotli.NewWriterLevel(&br, brotli.BestCompression)
		bw.Write(data)
		if err := bw.Close(); err != nil {
			return err
		}
		if err := os.WriteFile(path+".gz", gz.Bytes(), 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(path+".br", br.Bytes(), 0o644); err != nil {
			return err
		}
		if strings.HasSuffix(path, "game.wasm") {
			fmt.Printf("game.wasm: %.2f MB raw, %.2f MB gzip, %.2f MB brotli\n",
				mb(len(data)), mb(gz.Len()), mb(br.Len()))
		}
		return nil
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "compress:", err)
		os.Exit(1)
	}
}

func mb(n int) float64 { return float64(n) / 1e6 }
