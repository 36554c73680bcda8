// Command crosslang is the Go half of the JavaScript package's
// cross-language tests: it seals and opens cookies with the Go package, as
// a Go service would, driven by one JSON request on stdin, and prints one
// JSON answer. The JS tests (js/test/crosslang.test.ts) build it once and
// run it per case. It is a test tool, not an example.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"time"

	"github.com/cookieseal/cookieseal"
)

type request struct {
	Op       string          `json:"op"`   // seal | open | write | read
	Kind     string          `json:"kind"` // json | values
	Secrets  []string        `json:"secrets"`
	Name     string          `json:"name"`
	Now      int64           `json:"now"`
	Compress bool            `json:"compress"`
	Value    json.RawMessage `json:"value"`  // seal/write json: the JSON to seal
	Cookie   string          `json:"cookie"` // open: the cookie value
	Header   string          `json:"header"` // read: the Cookie header
	// HeaderBytes is CookieOptions.MaxHeaderBytes for write and read (0: the default).
	HeaderBytes int `json:"header_bytes"`
	// Reissue (open): seal the opened value again with Codec.Reissue and return it.
	Reissue bool `json:"reissue"`
}

type answer struct {
	Cookie    string   `json:"cookie,omitempty"`
	SetCookie []string `json:"set_cookie,omitempty"`
	JSON      string   `json:"json,omitempty"`
	Types     []string `json:"types,omitempty"` // values: "key=%T:%v" sorted
	IssuedAt  int64    `json:"issued_at,omitempty"`
	CreatedAt int64    `json:"created_at,omitempty"`
	Reissued  string   `json:"reissued,omitempty"`
	KeyID     string   `json:"key_id,omitempty"`
	Reissue   bool     `json:"reissue,omitempty"`
	Error     string   `json:"error,omitempty"`
}

func main() {
	var req request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		fail(err)
	}
	a, err := run(req)
	if err != nil {
		a = answer{Error: class(err)}
	}
	if err := json.NewEncoder(os.Stdout).Encode(a); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "crosslang:", err)
	os.Exit(1)
}

func class(err error) string {
	switch {
	case errors.Is(err, cookieseal.ErrInvalid):
		return "invalid"
	case errors.Is(err, cookieseal.ErrExpired):
		return "expired"
	case errors.Is(err, cookieseal.ErrUnknownKey):
		return "unknown_key"
	case errors.Is(err, cookieseal.ErrTooLarge):
		return "too_large"
	}
	return "other: " + err.Error()
}

// goValues is the gorilla/sessions session that a Go service writes: one
// value of each Go type a typed cookie carries.
func goValues() map[any]any {
	return map[any]any{
		"user":    42,
		"big":     int64(9007199254740993),
		"ratio":   0.25,
		"small":   int8(-5),
		"u64":     uint64(18446744073709551615),
		"f32":     float32(0.1),
		"raw":     []byte{0, 1, 2, 254, 255},
		"names":   []string{"ada", "grace"},
		"counts":  []int{1, 2, 3},
		"when":    time.Date(2026, 11, 27, 17, 0, 0, 123456789, time.FixedZone("", 5*3600+30*60)),
		"flashes": []any{"welcome", 7},
		"prefs":   map[string]any{"theme": "dark"},
		7:         "int key",
	}
}

func describe(m map[any]any) []string {
	var out []string
	for k, v := range m {
		s := fmt.Sprintf("%v=%T:%v", k, v, v)
		if t, ok := v.(time.Time); ok {
			s = fmt.Sprintf("%v=%T:%s", k, v, t.Format(time.RFC3339Nano))
		}
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

func run(req request) (answer, error) {
	c, err := cookieseal.New(cookieseal.Config{
		Secrets:  req.Secrets,
		Compress: req.Compress,
		Now:      func() time.Time { return time.Unix(req.Now, 0) },
	})
	if err != nil {
		return answer{}, err
	}
	var value any = req.Value
	if req.Kind == "values" {
		value = goValues()
	}
	switch req.Op {
	case "seal":
		v, err := c.Encode(req.Name, value)
		return answer{Cookie: v}, err
	case "open":
		a, err := open(req, func(dst any) (cookieseal.Info, error) { return c.DecodeInfo(req.Name, req.Cookie, dst) })
		if err != nil || !req.Reissue {
			return a, err
		}
		// Re-seal what was opened as a Go service would after a rotation.
		var v json.RawMessage
		info, err := c.DecodeInfo(req.Name, req.Cookie, &v)
		if err != nil {
			return answer{}, err
		}
		a.Reissued, err = c.Reissue(req.Name, v, info)
		return a, err
	case "write":
		s, err := cookieseal.NewCookies(c, cookieseal.CookieOptions{MaxHeaderBytes: req.HeaderBytes})
		if err != nil {
			return answer{}, err
		}
		rec := httptest.NewRecorder()
		if err := s.Write(rec, nil, req.Name, value); err != nil {
			return answer{}, err
		}
		return answer{SetCookie: rec.Result().Header.Values("Set-Cookie")}, nil
	case "read":
		s, err := cookieseal.NewCookies(c, cookieseal.CookieOptions{MaxHeaderBytes: req.HeaderBytes})
		if err != nil {
			return answer{}, err
		}
		r := httptest.NewRequest(http.MethodGet, "http://127.0.0.1/", nil)
		r.Header.Set("Cookie", req.Header)
		return open(req, func(dst any) (cookieseal.Info, error) { return s.Read(r, req.Name, dst) })
	}
	return answer{}, fmt.Errorf("unknown op %q", req.Op)
}

func open(req request, decode func(dst any) (cookieseal.Info, error)) (answer, error) {
	var a answer
	var info cookieseal.Info
	var err error
	if req.Kind == "values" {
		var m map[any]any
		if info, err = decode(&m); err != nil {
			return answer{}, err
		}
		a.Types = describe(m)
	} else {
		var raw json.RawMessage
		if info, err = decode(&raw); err != nil {
			return answer{}, err
		}
		a.JSON = string(raw)
	}
	a.IssuedAt = info.IssuedAt.Unix()
	a.CreatedAt = info.CreatedAt.Unix()
	a.KeyID = info.KeyID.String()
	a.Reissue = info.Reissue
	return a, nil
}
