// Go standard-library reference for `csp template` flags: json.Decoder (--set-json values), path/filepath.Match
// (--show-only) and net/url.Parse (--set-file paths). Reads {json, match, url} on stdin, writes the results.
package main

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

type input struct {
	JSON  []string    `json:"json"`
	Match [][2]string `json:"match"`
	URL   []string    `json:"url"`
}

type decoded struct {
	Value interface{} `json:"value"`
	Runes int         `json:"runes"`
	Err   bool        `json:"err"`
}

type output struct {
	JSON  []decoded `json:"json"`
	Match []bool    `json:"match"`
	URL   []string  `json:"url"`
}

func main() {
	var in input
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		panic(err)
	}
	out := output{JSON: []decoded{}, Match: []bool{}, URL: []string{}}
	for _, s := range in.JSON {
		var v interface{}
		d := json.NewDecoder(strings.NewReader(s))
		if err := d.Decode(&v); err != nil {
			out.JSON = append(out.JSON, decoded{Err: true})
			continue
		}
		out.JSON = append(out.JSON, decoded{Value: v, Runes: utf8.RuneCountInString(s[:d.InputOffset()])})
	}
	for _, m := range in.Match {
		ok, _ := filepath.Match(m[0], m[1])
		out.Match = append(out.Match, ok)
	}
	for _, u := range in.URL {
		msg := ""
		if _, err := url.Parse(u); err != nil {
			msg = err.Error()
		}
		out.URL = append(out.URL, msg)
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		panic(err)
	}
}
