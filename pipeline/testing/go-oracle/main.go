// Go reference renderer for differential tests of the TypeScript text/template engine.
// Reads a JSON array of cases on stdin and writes a JSON array of {output} or {error} results.
// Build (outside modules, Debian GOPATH): GO111MODULE=off GOPATH=/usr/share/gocode go build -o oracle .
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"text/template"

	"github.com/Masterminds/sprig"
	_ "gopkg.in/yaml.v2" // pinned with the oracle's dependency set (spec §7); not used by the engine cases
)

type namedText struct {
	Name string `json:"name"`
	Text string `json:"text"`
}

type testCase struct {
	Name       string          `json:"name"`
	Template   string          `json:"template"`
	Data       json.RawMessage `json:"data"`
	Delims     []string        `json:"delims"`
	MissingKey string          `json:"missingKey"`
	Funcs      string          `json:"funcs"`
	// Templates parsed (in order) before the main one, each with t.New(name).Parse(text).
	Before []namedText `json:"before"`
	// Templates parsed after the main one (to test overriding definitions).
	After []namedText `json:"after"`
	// Template to execute; defaults to Name.
	Execute string `json:"execute"`
	// Helm-like chart mode (chart.go): renders every template of one chart instead of a single case.
	Chart *chartInput `json:"chart"`
}

type result struct {
	Output *string `json:"output,omitempty"`
	Error  *string `json:"error,omitempty"`
	// Result of chart mode.
	Chart *chartResult `json:"chart,omitempty"`
}

// decode turns JSON into Go values: numbers are float64 (as sigs.k8s.io/yaml gives Helm), and a few
// single-key tagged objects make other Go types: {"$int":"5"}, {"$int64":"5"}, {"$uint8":"5"},
// {"$float64":"-0"}, {"$float32":"1.5"}, {"$bytes":"base64"}, {"$strings":["a"]}, {"$stringMap":{"k":"v"}},
// {"$versionSet":["apps/v1"]} (apiVersions: a named []string with a Has method, as Helm's chartutil.VersionSet).
func decode(raw json.RawMessage) interface{} {
	if len(raw) == 0 {
		return nil
	}
	var v interface{}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		panic(err)
	}
	return convert(v)
}

func convert(v interface{}) interface{} {
	switch t := v.(type) {
	case json.Number:
		f, _ := strconv.ParseFloat(string(t), 64)
		return f
	case []interface{}:
		out := make([]interface{}, len(t))
		for i, e := range t {
			out[i] = convert(e)
		}
		return out
	case map[string]interface{}:
		if len(t) == 1 {
			for k, x := range t {
				if tagged, ok := convertTagged(k, x); ok {
					return tagged
				}
			}
		}
		out := make(map[string]interface{}, len(t))
		for k, e := range t {
			out[k] = convert(e)
		}
		return out
	}
	return v
}

func convertTagged(tag string, x interface{}) (interface{}, bool) {
	s, _ := x.(string)
	switch tag {
	case "$int":
		n, _ := strconv.ParseInt(s, 10, 64)
		return int(n), true
	case "$int64":
		n, _ := strconv.ParseInt(s, 10, 64)
		return n, true
	case "$uint8":
		n, _ := strconv.ParseUint(s, 10, 8)
		return uint8(n), true
	case "$float64":
		f, _ := strconv.ParseFloat(s, 64)
		return f, true
	case "$float32":
		f, _ := strconv.ParseFloat(s, 32)
		return float32(f), true
	case "$bytes":
		b, _ := base64.StdEncoding.DecodeString(s)
		return b, true
	case "$strings":
		list, _ := x.([]interface{})
		out := make([]string, len(list))
		for i, e := range list {
			out[i], _ = e.(string)
		}
		return out, true
	case "$versionSet":
		list, _ := x.([]interface{})
		out := make(apiVersions, len(list))
		for i, e := range list {
			out[i], _ = e.(string)
		}
		return out, true
	case "$stringMap":
		m, _ := x.(map[string]interface{})
		out := make(map[string]string, len(m))
		for k, e := range m {
			out[k], _ = e.(string)
		}
		return out, true
	}
	return nil, false
}

func funcMap(kind string) template.FuncMap {
	switch kind {
	case "sprig":
		m := sprig.TxtFuncMap()
		delete(m, "env")
		delete(m, "expandenv")
		return m
	case "hermetic":
		return sprig.HermeticTxtFuncMap()
	case "slim":
		// go-task/slim-sprig is not packaged: Sprig minus the crypto, semver, uuid and random functions (spec §7).
		m := sprig.TxtFuncMap()
		for _, name := range []string{"env", "expandenv", "bcrypt", "htpasswd", "genPrivateKey", "derivePassword", "buildCustomCert", "genCA", "genCAWithKey",
			"genSelfSignedCert", "genSelfSignedCertWithKey", "genSignedCert", "genSignedCertWithKey", "encryptAES", "decryptAES", "randBytes",
			"semver", "semverCompare", "uuidv4", "randAlphaNum", "randAlpha", "randAscii", "randNumeric", "randInt", "shuffle"} {
			delete(m, name)
		}
		return m
	}
	return template.FuncMap{}
}

func runCase(c testCase) (res result) {
	defer func() {
		if r := recover(); r != nil {
			msg := fmt.Sprintf("panic: %v", r)
			res = result{Error: &msg}
		}
	}()
	fail := func(err error) result {
		msg := err.Error()
		return result{Error: &msg}
	}
	if c.Chart != nil {
		r := runChart(c.Chart)
		return result{Chart: &r}
	}
	root := template.New(c.Name)
	if len(c.Delims) == 2 {
		root.Delims(c.Delims[0], c.Delims[1])
	}
	if c.MissingKey != "" {
		root.Option("missingkey=" + c.MissingKey)
	}
	root.Funcs(funcMap(c.Funcs))
	for _, b := range c.Before {
		if _, err := root.New(b.Name).Parse(b.Text); err != nil {
			return fail(err)
		}
	}
	if _, err := root.Parse(c.Template); err != nil {
		return fail(err)
	}
	for _, a := range c.After {
		if _, err := root.New(a.Name).Parse(a.Text); err != nil {
			return fail(err)
		}
	}
	name := c.Execute
	if name == "" {
		name = c.Name
	}
	var buf bytes.Buffer
	if err := root.ExecuteTemplate(&buf, name, decode(c.Data)); err != nil {
		return fail(err)
	}
	out := buf.String()
	return result{Output: &out}
}

func main() {
	var cases []testCase
	if err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil {
		fmt.Fprintln(os.Stderr, "oracle: bad input:", err)
		os.Exit(2)
	}
	results := make([]result, len(cases))
	for i, c := range cases {
		results[i] = runCase(c)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(results); err != nil {
		fmt.Fprintln(os.Stderr, "oracle: cannot write results:", err)
		os.Exit(2)
	}
}
