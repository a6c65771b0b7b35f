// Command dirhash-oracle prints golang.org/x/mod/sumdb/dirhash.HashDir(dir, "", Hash1) for each
// directory argument, one line each, exactly as csctl pkg/cshash computes it (before cleaning).
// Built by dirhash.test.ts with GO111MODULE=off GOPATH=/usr/share/gocode (Debian golang-golang-x-mod-dev).
package main

import (
	"fmt"
	"os"

	"golang.org/x/mod/sumdb/dirhash"
)

func main() {
	for _, dir := range os.Args[1:] {
		h, err := dirhash.HashDir(dir, "", dirhash.Hash1)
		if err != nil {
			fmt.Printf("ERROR %v\n", err)
			continue
		}
		fmt.Println(h)
	}
}
