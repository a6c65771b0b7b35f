// Harvester for Go 1.19's own text/template execTests table. Copied at test time next to a copy of
// text/template's sources and exec_test.go (never committed with them); `go test -run TestHarvest`
// writes every case as JSON with its data converted to the oracle's tagged form where representable.
package template

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
)

type harvested struct {
	Name    string      `json:"name"`
	Input   string      `json:"input"`
	Output  string      `json:"output"`
	Ok      bool        `json:"ok"`
	Data    interface{} `json:"data"`
	Dropped []string    `json:"dropped"`
	Problem string      `json:"problem,omitempty"`
}

type converter struct {
	dropped map[string]bool
	path    []string // field path of the struct being converted
}

type field struct {
	Name  string
	Value interface{}
}

// drop records an unrepresentable field or method by its dotted path from the data root.
func (c *converter) drop(name string) {
	p := name
	if len(c.path) > 0 {
		p = strings.Join(c.path, ".") + "." + name
	}
	c.dropped[p] = true
}

// conv returns the tagged JSON form of v, or an error when v cannot be represented as a GoValue.
func (c *converter) conv(v reflect.Value, depth int) (interface{}, error) {
	if depth > 8 {
		return nil, fmt.Errorf("too deep")
	}
	if !v.IsValid() {
		return nil, nil
	}
	t := v.Type()
	if v.Kind() != reflect.Interface && v.Kind() != reflect.Pointer {
		if _, isStringer := v.Interface().(fmt.Stringer); isStringer && v.Kind() != reflect.Struct {
			return nil, fmt.Errorf("stringer %s", t)
		}
	}
	switch v.Kind() {
	case reflect.Interface:
		if v.IsNil() {
			return nil, nil
		}
		return c.conv(v.Elem(), depth+1)
	case reflect.Bool, reflect.String:
		return v.Interface(), nil
	case reflect.Int:
		return map[string]string{"$int": strconv.FormatInt(v.Int(), 10)}, nil
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return map[string]string{"$n": t.Kind().String() + ":" + strconv.FormatInt(v.Int(), 10)}, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]string{"$n": t.Kind().String() + ":" + strconv.FormatUint(v.Uint(), 10)}, nil
	case reflect.Float64:
		return map[string]string{"$float64": strconv.FormatFloat(v.Float(), 'g', -1, 64)}, nil
	case reflect.Float32:
		return map[string]string{"$float32": strconv.FormatFloat(v.Float(), 'g', -1, 32)}, nil
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.Cap() != v.Len() {
			return nil, fmt.Errorf("slice capacity beyond length")
		}
		if t.Elem().Kind() == reflect.Uint8 && v.Kind() == reflect.Slice {
			return map[string]string{"$bytes": base64.StdEncoding.EncodeToString(v.Bytes())}, nil
		}
		items := make([]interface{}, v.Len())
		for i := range items {
			x, err := c.conv(v.Index(i), depth+1)
			if err != nil {
				return nil, err
			}
			items[i] = x
		}
		if t.Elem().Kind() == reflect.Interface && t.Elem().NumMethod() == 0 {
			return items, nil
		}
		return map[string]interface{}{"$slice": map[string]interface{}{"elem": t.Elem().String(), "items": items}}, nil
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return nil, fmt.Errorf("map key %s", t.Key())
		}
		entries := map[string]interface{}{}
		iter := v.MapRange()
		for iter.Next() {
			x, err := c.conv(iter.Value(), depth+1)
			if err != nil {
				return nil, err
			}
			entries[iter.Key().String()] = x
		}
		if t.Elem().Kind() == reflect.Interface && t.Elem().NumMethod() == 0 {
			return entries, nil
		}
		return map[string]interface{}{"$map": map[string]interface{}{"elem": t.Elem().String(), "entries": entries}}, nil
	case reflect.Pointer:
		if v.IsNil() {
			return nil, fmt.Errorf("typed nil pointer %s", t)
		}
		if t.Elem().Kind() != reflect.Struct {
			return nil, fmt.Errorf("pointer to %s", t.Elem())
		}
		return c.structOf(v, t.String(), depth)
	case reflect.Struct:
		return c.structOf(v, t.String(), depth)
	}
	return nil, fmt.Errorf("kind %s", v.Kind())
}

func (c *converter) structOf(v reflect.Value, typeName string, depth int) (interface{}, error) {
	out := map[string]interface{}{"type": typeName}
	// Like the template printer: a value whose pointer has String/Error is printed through it.
	iv := v.Interface()
	if v.Kind() != reflect.Pointer && v.CanAddr() {
		iv = v.Addr().Interface()
	}
	if s, ok := iv.(fmt.Stringer); ok {
		out["format"] = s.String()
	} else if e, ok := iv.(error); ok {
		out["format"] = e.Error()
	}
	pt := v.Type()
	if v.Kind() != reflect.Pointer {
		pt = reflect.PointerTo(v.Type())
	}
	for i := 0; i < pt.NumMethod(); i++ {
		c.drop(pt.Method(i).Name)
	}
	sv := reflect.Indirect(v)
	fields := []field{}
	for i := 0; i < sv.NumField(); i++ {
		f := sv.Type().Field(i)
		if !f.IsExported() {
			// GoStruct holds exported fields only.
			c.drop(f.Name)
			continue
		}
		c.path = append(c.path, f.Name)
		x, err := c.conv(sv.Field(i), depth+1)
		c.path = c.path[:len(c.path)-1]
		if err != nil {
			c.drop(f.Name)
			continue
		}
		fields = append(fields, field{f.Name, x})
	}
	if len(fields) == 0 && sv.NumField() > 0 && out["format"] == nil {
		return nil, fmt.Errorf("struct %s with only unexported fields", typeName)
	}
	pairs := make([][]interface{}, len(fields))
	for i, f := range fields {
		pairs[i] = []interface{}{f.Name, f.Value}
	}
	out["fields"] = pairs
	return map[string]interface{}{"$struct": out}, nil
}

func TestHarvest(t *testing.T) {
	out := []harvested{}
	for _, test := range execTests {
		c := &converter{dropped: map[string]bool{}}
		h := harvested{Name: test.name, Input: test.input, Output: test.output, Ok: test.ok}
		data, err := c.conv(reflect.ValueOf(test.data), 0)
		if err != nil {
			h.Problem = err.Error()
		} else {
			h.Data = data
		}
		for name := range c.dropped {
			h.Dropped = append(h.Dropped, name)
		}
		sort.Strings(h.Dropped)
		out = append(out, h)
	}
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(os.Getenv("HARVEST_OUT"), b, 0o644); err != nil {
		t.Fatal(err)
	}
}
