// Differential-test oracle for pipeline/render/funcs: runs Sprig 3.2.3 functions, text/template
// snippets and Helm's toYaml/fromYaml/toToml emulation on a JSON batch read from stdin and prints typed results.
// Build: GO111MODULE=off GOPATH=/usr/share/gocode go build -o go-funcs .
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strconv"
	"strings"
	"text/template"

	"github.com/BurntSushi/toml"
	"github.com/Masterminds/sprig"
	yaml2 "gopkg.in/yaml.v2"
	yaml3 "gopkg.in/yaml.v3"
)

type testCase struct {
	Fn       string            `json:"fn"`
	Args     []json.RawMessage `json:"args"`
	Template string            `json:"template"`
	Data     json.RawMessage   `json:"data"`
	Helm     string            `json:"helm"`
	Value    json.RawMessage   `json:"value"`
	Text     string            `json:"text"`
}

type result struct {
	Value interface{} `json:"value,omitempty"`
	Out   *string     `json:"out,omitempty"`
	Error *string     `json:"error,omitempty"`
}

// decodeTyped turns tagged JSON ({"$int":"5"}, {"$int64":"5"}, {"$bytes":"base64"}, {"$strings":[...]})
// into Go values; plain JSON numbers are float64 as in Helm values.
func decodeTyped(raw json.RawMessage) interface{} {
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
				switch k {
				case "$int":
					n, _ := strconv.ParseInt(x.(string), 10, 64)
					return int(n)
				case "$int64":
					n, _ := strconv.ParseInt(x.(string), 10, 64)
					return n
				case "$int32":
					n, _ := strconv.ParseInt(x.(string), 10, 32)
					return int32(n)
				case "$uint32":
					n, _ := strconv.ParseUint(x.(string), 10, 32)
					return uint32(n)
				case "$bytes":
					b, _ := base64.StdEncoding.DecodeString(x.(string))
					return b
				case "$strings":
					arr := x.([]interface{})
					out := make([]string, len(arr))
					for i, e := range arr {
						out[i] = e.(string)
					}
					return out
				case "$nil":
					return nil
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

// encodeTyped prints a Go value as {"t": type, "v": payload} so both sides compare types too.
func encodeTyped(v interface{}) interface{} {
	if v == nil {
		return map[string]interface{}{"t": "<nil>"}
	}
	rv := reflect.ValueOf(v)
	t := fmt.Sprintf("%T", v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			return map[string]interface{}{"t": t, "v": base64.StdEncoding.EncodeToString(rv.Bytes())}
		}
		if rv.IsNil() {
			return map[string]interface{}{"t": t, "v": nil}
		}
		out := make([]interface{}, rv.Len())
		for i := range out {
			out[i] = encodeTyped(rv.Index(i).Interface())
		}
		return map[string]interface{}{"t": t, "v": out}
	case reflect.Map:
		out := map[string]interface{}{}
		for _, k := range rv.MapKeys() {
			out[fmt.Sprint(k.Interface())] = encodeTyped(rv.MapIndex(k).Interface())
		}
		return map[string]interface{}{"t": t, "v": out}
	case reflect.String:
		return map[string]interface{}{"t": t, "v": rv.String()}
	case reflect.Bool:
		return map[string]interface{}{"t": t, "v": rv.Bool()}
	case reflect.Float32:
		return map[string]interface{}{"t": t, "v": strconv.FormatFloat(rv.Float(), 'g', -1, 32)}
	case reflect.Float64:
		return map[string]interface{}{"t": t, "v": strconv.FormatFloat(rv.Float(), 'g', -1, 64)}
	default:
		return map[string]interface{}{"t": t, "v": fmt.Sprint(v)}
	}
}

func funcMap(captured *interface{}) template.FuncMap {
	f := sprig.TxtFuncMap()
	f["__emit"] = func(v interface{}) string { *captured = v; return "" }
	f["toYaml"] = toYAML
	f["fromYaml"] = fromYAML
	return f
}

func errString(err error) *string {
	s := err.Error()
	return &s
}

// callMessage strips text/template's location prefix from an error calling a function.
func callMessage(err error, fn string) string {
	msg := err.Error()
	marker := "error calling " + fn + ": "
	if i := strings.Index(msg, marker); i >= 0 {
		return msg[i+len(marker):]
	}
	return msg
}

func runFn(c testCase) (res result) {
	var captured interface{}
	data := map[string]interface{}{}
	names := make([]string, len(c.Args))
	for i, a := range c.Args {
		key := "a" + strconv.Itoa(i)
		data[key] = decodeTyped(a)
		names[i] = "." + key
	}
	src := "{{ __emit (" + c.Fn + " " + strings.Join(names, " ") + ") }}"
	tpl, err := template.New("t").Funcs(funcMap(&captured)).Parse(src)
	if err != nil {
		res.Error = errString(err)
		return
	}
	var buf bytes.Buffer
	if err := tpl.Execute(&buf, data); err != nil {
		msg := callMessage(err, c.Fn)
		res.Error = &msg
		return
	}
	res.Value = encodeTyped(captured)
	return
}

func runTemplate(c testCase) (res result) {
	var captured interface{}
	var data interface{}
	if len(c.Data) > 0 {
		data = decodeTyped(c.Data)
	}
	tpl, err := template.New("t").Funcs(funcMap(&captured)).Parse(c.Template)
	if err != nil {
		res.Error = errString(err)
		return
	}
	var buf bytes.Buffer
	if err := tpl.Execute(&buf, data); err != nil {
		res.Error = errString(err)
		return
	}
	out := buf.String()
	res.Out = &out
	return
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

func toYAMLPretty(v interface{}) string {
	var data bytes.Buffer
	enc := yaml3.NewEncoder(&data)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return ""
	}
	return strings.TrimSuffix(data.String(), "\n")
}

// jsonable mirrors sigs.k8s.io/yaml convertToJSONableObject for untyped targets.
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

func runHelm(c testCase) (res result) {
	switch c.Helm {
	case "toYaml":
		out := toYAML(decodeTyped(c.Value))
		res.Out = &out
	case "toYamlPretty":
		out := toYAMLPretty(decodeTyped(c.Value))
		res.Out = &out
	case "toJson":
		b, err := json.Marshal(decodeTyped(c.Value))
		if err != nil {
			res.Error = errString(err)
			return
		}
		out := string(b)
		res.Out = &out
	case "toToml":
		// Helm's toTOML: BurntSushi/toml's Encoder, the error text in place of output.
		b := bytes.NewBuffer(nil)
		out := ""
		if err := toml.NewEncoder(b).Encode(decodeTyped(c.Value)); err != nil {
			out = err.Error()
		} else {
			out = b.String()
		}
		res.Out = &out
	case "parseYaml":
		var v interface{}
		if err := sigsUnmarshal(c.Text, &v); err != nil {
			res.Error = errString(err)
			return
		}
		res.Value = encodeTyped(v)
	default:
		msg := "unknown helm mode " + c.Helm
		res.Error = &msg
	}
	return
}

func main() {
	var cases []testCase
	if err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	results := make([]result, len(cases))
	for i, c := range cases {
		func() {
			defer func() {
				if r := recover(); r != nil {
					msg := fmt.Sprintf("panic: %v", r)
					results[i] = result{Error: &msg}
				}
			}()
			switch {
			case c.Fn != "":
				results[i] = runFn(c)
			case c.Helm != "":
				results[i] = runHelm(c)
			default:
				results[i] = runTemplate(c)
			}
		}()
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(results); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}
