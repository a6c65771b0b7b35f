// Helm-like chart mode of the Go reference renderer: renders every template of ONE chart (no subcharts)
// the way helm/helm pkg/engine does — one template set, parse order by decreasing path depth then
// reverse-lexical, missingkey=zero, include/tpl/required/fail/lookup/toYaml/fromYaml/toJson/fromJson,
// `<no value>` stripped — and splits each output like pkg/releaseutil.SplitManifests.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/Masterminds/sprig"
	yaml2 "gopkg.in/yaml.v2"
	yaml3 "gopkg.in/yaml.v3"
)

type chartInput struct {
	ChartYaml   string      `json:"chartYaml"`
	ValuesYaml  string      `json:"valuesYaml"`
	UserValues  []string    `json:"userValues"`
	Templates   []namedText `json:"templates"`
	ReleaseName string      `json:"releaseName"`
	Namespace   string      `json:"namespace"`
	KubeVersion string      `json:"kubeVersion"`
	// APIVersions is .Capabilities.APIVersions (nil when not given).
	APIVersions []string `json:"apiVersions"`
	// Repeat > 0 renders the chart that many more times and reports each duration (benchmarks).
	Repeat int `json:"repeat"`
}

type chartResult struct {
	Outputs   map[string]string   `json:"outputs,omitempty"`
	Documents map[string][]string `json:"documents,omitempty"`
	Error     *string             `json:"error,omitempty"`
	// Nanoseconds per repeated render (values, parse, execute, split), without process start-up.
	Timings []int64 `json:"timings,omitempty"`
}

// helmMetadata mirrors helm.sh/helm/v3/pkg/chart.Metadata (templates see it as .Chart).
type helmMetadata struct {
	Name         string            `yaml:"name"`
	Home         string            `yaml:"home"`
	Sources      []string          `yaml:"sources"`
	Version      string            `yaml:"version"`
	Description  string            `yaml:"description"`
	Keywords     []string          `yaml:"keywords"`
	Maintainers  []interface{}     `yaml:"maintainers"`
	Icon         string            `yaml:"icon"`
	APIVersion   string            `yaml:"apiVersion"`
	Condition    string            `yaml:"condition"`
	Tags         string            `yaml:"tags"`
	AppVersion   string            `yaml:"appVersion"`
	Deprecated   bool              `yaml:"deprecated"`
	Annotations  map[string]string `yaml:"annotations"`
	KubeVersion  string            `yaml:"kubeVersion"`
	Dependencies []interface{}     `yaml:"dependencies"`
	Type         string            `yaml:"type"`
}

type kubeVersion struct {
	Version    string
	Major      string
	Minor      string
	GitVersion string
}

func (k kubeVersion) String() string { return k.Version }

type apiVersions []string

func (a apiVersions) Has(v string) bool {
	for _, x := range a {
		if x == v {
			return true
		}
	}
	return false
}

type capabilities struct {
	KubeVersion kubeVersion
	APIVersions apiVersions
}

type chartFiles map[string][]byte

func (f chartFiles) Get(name string) string      { return string(f[name]) }
func (f chartFiles) GetBytes(name string) []byte { return f[name] }

func valuesFromYaml(text string) (map[string]interface{}, error) {
	m := map[string]interface{}{}
	if strings.TrimSpace(text) == "" {
		return m, nil
	}
	if err := sigsUnmarshal(text, &m); err != nil {
		return nil, err
	}
	return m, nil
}

// coalesce merges src over dst: maps merge recursively, other values replace, null deletes.
func coalesce(dst, src map[string]interface{}) map[string]interface{} {
	for k, v := range src {
		if v == nil {
			delete(dst, k)
			continue
		}
		sm, sok := v.(map[string]interface{})
		dm, dok := dst[k].(map[string]interface{})
		if sok && dok {
			dst[k] = coalesce(dm, sm)
		} else {
			dst[k] = v
		}
	}
	return dst
}

var manifestSep = regexp.MustCompile("(?:^|\\s*\n)---\\s*")

// splitManifests is helm pkg/releaseutil.SplitManifests, returned in manifest-N order.
func splitManifests(big string) []string {
	out := []string{}
	for _, d := range manifestSep.Split(strings.TrimSpace(big), -1) {
		if d == "" {
			continue
		}
		out = append(out, strings.TrimSpace(d))
	}
	return out
}

// byPathLen is helm pkg/engine's template order (sorted, then reversed).
type byPathLen []string

func (p byPathLen) Len() int      { return len(p) }
func (p byPathLen) Swap(i, j int) { p[j], p[i] = p[i], p[j] }
func (p byPathLen) Less(i, j int) bool {
	a, b := p[i], p[j]
	ca, cb := strings.Count(a, "/"), strings.Count(b, "/")
	if ca == cb {
		return strings.Compare(a, b) == -1
	}
	return ca < cb
}

func helmFuncMap(t *template.Template) template.FuncMap {
	f := sprig.TxtFuncMap()
	delete(f, "env")
	delete(f, "expandenv")
	f["toYaml"] = toYAML
	f["mustToYaml"] = func(v interface{}) (string, error) {
		j, err := json.Marshal(v)
		if err != nil {
			return "", err
		}
		var obj interface{}
		if err := yaml2.Unmarshal(j, &obj); err != nil {
			return "", err
		}
		out, err := yaml2.Marshal(obj)
		return strings.TrimSuffix(string(out), "\n"), err
	}
	f["toYamlPretty"] = func(v interface{}) string {
		var data bytes.Buffer
		enc := yaml3.NewEncoder(&data)
		enc.SetIndent(2)
		if err := enc.Encode(v); err != nil {
			return ""
		}
		return strings.TrimSuffix(data.String(), "\n")
	}
	f["fromYaml"] = fromYAML
	f["fromYamlArray"] = func(s string) []interface{} {
		a := []interface{}{}
		if err := sigsUnmarshal(s, &a); err != nil {
			a = []interface{}{err.Error()}
		}
		return a
	}
	f["fromJsonArray"] = func(s string) []interface{} {
		a := []interface{}{}
		if err := json.Unmarshal([]byte(s), &a); err != nil {
			a = []interface{}{err.Error()}
		}
		return a
	}
	f["mustToJson"] = func(v interface{}) (string, error) {
		b, err := json.Marshal(v)
		return string(b), err
	}
	f["getHostByName"] = func(string) string { return "" }
	f["toJson"] = func(v interface{}) string {
		b, err := json.Marshal(v)
		if err != nil {
			return ""
		}
		return string(b)
	}
	f["fromJson"] = func(s string) map[string]interface{} {
		m := map[string]interface{}{}
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	f["required"] = func(warn string, val interface{}) (interface{}, error) {
		if val == nil {
			return val, errors.New(warn)
		} else if s, ok := val.(string); ok && s == "" {
			return val, errors.New(warn)
		}
		return val, nil
	}
	f["fail"] = func(msg string) (string, error) { return "", errors.New(msg) }
	f["lookup"] = func(string, string, string, string) (map[string]interface{}, error) {
		return map[string]interface{}{}, nil
	}
	included := map[string]int{}
	f["include"] = func(name string, data interface{}) (string, error) {
		var buf strings.Builder
		if included[name] > 1000 {
			return "", fmt.Errorf("rendering template has a nested reference name: %s", name)
		}
		included[name]++
		err := t.ExecuteTemplate(&buf, name, data)
		included[name]--
		return buf.String(), err
	}
	f["tpl"] = func(text string, vals map[string]interface{}) (string, error) {
		clone, err := t.Clone()
		if err != nil {
			return "", err
		}
		name := "gotpl"
		if tm, ok := vals["Template"].(map[string]interface{}); ok {
			if n, ok := tm["Name"].(string); ok {
				name = n
			}
		}
		if _, err := clone.New(name).Parse(text); err != nil {
			return "", err
		}
		var buf strings.Builder
		if err := clone.ExecuteTemplate(&buf, name, vals); err != nil {
			return "", err
		}
		return strings.ReplaceAll(buf.String(), "<no value>", ""), nil
	}
	return f
}

func runChart(c *chartInput) chartResult {
	res := renderChartOnce(c)
	for i := 0; i < c.Repeat && res.Error == nil; i++ {
		start := time.Now()
		renderChartOnce(c)
		res.Timings = append(res.Timings, time.Since(start).Nanoseconds())
	}
	return res
}

func renderChartOnce(c *chartInput) (res chartResult) {
	defer func() {
		if r := recover(); r != nil {
			msg := fmt.Sprintf("panic: %v", r)
			res = chartResult{Error: &msg}
		}
	}()
	fail := func(err error) chartResult {
		msg := err.Error()
		return chartResult{Error: &msg}
	}
	var meta helmMetadata
	if err := yaml2.Unmarshal([]byte(c.ChartYaml), &meta); err != nil {
		return fail(err)
	}
	values, err := valuesFromYaml(c.ValuesYaml)
	if err != nil {
		return fail(err)
	}
	for _, u := range c.UserValues {
		uv, err := valuesFromYaml(u)
		if err != nil {
			return fail(err)
		}
		values = coalesce(values, uv)
	}
	kv := c.KubeVersion
	if kv == "" {
		kv = "v1.20.0"
	}
	parts := strings.SplitN(strings.TrimPrefix(kv, "v"), ".", 3)
	caps := capabilities{KubeVersion: kubeVersion{Version: kv, Major: parts[0], Minor: parts[1], GitVersion: kv}, APIVersions: c.APIVersions}
	release := map[string]interface{}{
		"Name": c.ReleaseName, "Namespace": c.Namespace, "IsUpgrade": false, "IsInstall": true, "Revision": 1, "Service": "Helm",
	}
	t := template.New("gotpl")
	t.Option("missingkey=zero")
	t.Funcs(helmFuncMap(t))
	names := make([]string, 0, len(c.Templates))
	texts := map[string]string{}
	for _, tp := range c.Templates {
		names = append(names, tp.Name)
		texts[tp.Name] = tp.Text
	}
	sort.Sort(sort.Reverse(byPathLen(names)))
	for _, n := range names {
		if _, err := t.New(n).Parse(texts[n]); err != nil {
			return fail(err)
		}
	}
	res.Outputs = map[string]string{}
	res.Documents = map[string][]string{}
	for _, n := range names {
		if strings.HasPrefix(path.Base(n), "_") {
			continue
		}
		vals := map[string]interface{}{
			"Values": values, "Release": release, "Chart": &meta, "Capabilities": &caps, "Files": chartFiles{},
			"Template": map[string]interface{}{"Name": n, "BasePath": meta.Name + "/templates"},
		}
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, n, vals); err != nil {
			return fail(err)
		}
		out := strings.ReplaceAll(buf.String(), "<no value>", "")
		res.Outputs[n] = out
		if strings.TrimSpace(out) != "" {
			docs := splitManifests(out)
			// pkg/releaseutil.SortManifests reads each document's head with yaml.Unmarshal; errors fail the render.
			for _, d := range docs {
				var head struct {
					Version  string `yaml:"apiVersion"`
					Kind     string `yaml:"kind"`
					Metadata *struct {
						Name        string            `yaml:"name"`
						Annotations map[string]string `yaml:"annotations"`
					} `yaml:"metadata"`
				}
				if err := yaml2.Unmarshal([]byte(d), &head); err != nil {
					return fail(fmt.Errorf("YAML parse error on %s: %s", n, err))
				}
			}
			res.Documents[n] = docs
		}
	}
	return res
}

// toYAML is Helm's toYaml: sigs.k8s.io/yaml.Marshal (json.Marshal, then yaml.v2 round trip), newline trimmed.
func toYAML(v interface{}) string {
	j, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	var obj interface{}
	if err := yaml2.Unmarshal(j, &obj); err != nil {
		return ""
	}
	out, err := yaml2.Marshal(obj)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(string(out), "\n")
}

func jsonable(v interface{}) (interface{}, error) {
	switch t := v.(type) {
	case map[interface{}]interface{}:
		out := map[string]interface{}{}
		for k, e := range t {
			var ks string
			switch tk := k.(type) {
			case string:
				ks = tk
			case int:
				ks = strconv.Itoa(tk)
			case int64:
				ks = strconv.FormatInt(tk, 10)
			case float64:
				ks = strconv.FormatFloat(tk, 'g', -1, 32)
				switch ks {
				case "+Inf":
					ks = ".inf"
				case "-Inf":
					ks = "-.inf"
				case "NaN":
					ks = ".nan"
				}
			case bool:
				ks = strconv.FormatBool(tk)
			default:
				return nil, fmt.Errorf("unsupported map key of type: %s, key: %+#v, value: %+#v", reflect.TypeOf(k), k, e)
			}
			c, err := jsonable(e)
			if err != nil {
				return nil, err
			}
			out[ks] = c
		}
		return out, nil
	case []interface{}:
		out := make([]interface{}, len(t))
		for i, e := range t {
			c, err := jsonable(e)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	}
	return v, nil
}

func sigsUnmarshal(text string, target interface{}) error {
	var obj interface{}
	if err := yaml2.Unmarshal([]byte(text), &obj); err != nil {
		return fmt.Errorf("error converting YAML to JSON: %w", err)
	}
	c, err := jsonable(obj)
	if err != nil {
		return fmt.Errorf("error converting YAML to JSON: %w", err)
	}
	j, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("error converting YAML to JSON: %w", err)
	}
	if err := json.Unmarshal(j, target); err != nil {
		return fmt.Errorf("error unmarshaling JSON: %w", err)
	}
	return nil
}

func fromYAML(str string) map[string]interface{} {
	m := map[string]interface{}{}
	if err := sigsUnmarshal(str, &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}
