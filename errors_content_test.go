package cookieseal

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

type markerReg struct{ N int }

func init() { Register("mkRegT5", markerReg{}) }

// TestDecodeErrorsQuoteNoPayload opens authentic cookies whose payloads
// hold unique markers and fail after decryption, through every destination,
// and checks that no error string holds a marker (SPEC.md section 4,
// SECURITY.md): an application that logs Decode errors logs no session
// content.
func TestDecodeErrorsQuoteNoPayload(t *testing.T) {
	cases := []struct {
		typed   bool
		payload string
		markers []string
	}{
		{true, `{"map":{"mkA1":{"int8":7700123}}}`, []string{"mkA1", "7700123"}},
		{true, `{"map":{"k":{"time":"2021-02-31T11:22:33Z"}}}`, []string{"2021-02-31", "11:22:33"}},
		{true, `{"map":{"k":{"mkTag9":1}}}`, []string{"mkTag9"}},
		{true, `{"map":{"k":{"named":["mkRegT5",{"N":"mkStr5"}]}}}`, []string{"mkRegT5", "mkStr5"}},
		{true, `{"map":{"k":{"float32":3.5e38}}}`, []string{"3.5e38"}},
		{true, `{"map":{"k":{"bytes":"mkB6=="}}}`, []string{"mkB6"}},
		{true, `{"map":{"k":1.25e7}}`, []string{"1.25e7"}},
		{true, `{"object":{"mkObj3":1}}`, []string{"mkObj3"}},
		{false, `{"mkDup1":1,"mkDup1":2}`, []string{"mkDup1"}},
		{false, `{"x":1e400}`, []string{"1e400"}},
		{false, "{\"mkU7\xff\":1}", []string{"mkU7"}},
		{false, `["mkArr2"]`, []string{"mkArr2"}},
		{false, `{"n":"mkS8","s":8800321,"t":"mkT4"}`, []string{"mkS8", "8800321", "mkT4"}},
		{false, `{"role":"mkR1","ROLE":"mkR2"}`, []string{"mkR1", "mkR2", "role", "ROLE"}},
		{false, `"mkStr9"`, []string{"mkStr9"}},
		{false, `{"n":"mkS8"} mkTrail`, []string{"mkS8", "mkTrail"}},
	}
	type target struct {
		N    int       `json:"n"`
		S    string    `json:"s"`
		T    time.Time `json:"t"`
		Role string    `json:"role"`
	}
	dsts := map[string]func() any{
		"raw":    func() any { return new(json.RawMessage) },
		"any":    func() any { return new(any) },
		"values": func() any { return new(map[any]any) },
		"struct": func() any { return new(target) },
		"int":    func() any { return new(int) },
		"map":    func() any { return new(map[string]int) },
	}
	c := caseCodec(t, confCase{Secrets: vectorSecrets[:1]}, vectorNow, nil)
	failures := 0
	for i, tc := range cases {
		var flags byte
		if tc.typed {
			flags = flagTyped
		}
		cookie := sealConformance(t, vectorSecrets[0], "s", version1, nil, flags, vectorNow, vectorNow, caseNonce("marker"+tc.payload), []byte(tc.payload))
		for name, dst := range dsts {
			_, err := c.DecodeInfo("s", cookie, dst())
			if err == nil {
				continue
			}
			failures++
			for _, m := range tc.markers {
				if strings.Contains(err.Error(), m) {
					t.Errorf("case %d into %s: the error %q quotes %q", i, name, err, m)
				}
			}
		}
	}
	if failures < len(cases)*3 {
		t.Fatalf("only %d failing opens: the cases no longer fail", failures)
	}
}

// TestStructRefusesFoldedNames: member names that differ only in case
// (or by Unicode simple folding: "K" and the Kelvin sign U+212A) open into
// a map with both members, as in JavaScript and Python, and are refused by
// a struct destination, which encoding/json would fill with one of them
// (SPEC.md section 4, step 11).
func TestStructRefusesFoldedNames(t *testing.T) {
	type target struct {
		Role string `json:"role"`
		K    string `json:"k"`
	}
	c := caseCodec(t, confCase{Secrets: vectorSecrets[:1]}, vectorNow, nil)
	for _, p := range []string{`{"role":"user","ROLE":"admin"}`, `{"k":"a","\u212a":"b"}`, `{"x":[{"role":"a","Role":"b"}]}`} {
		cookie := sealConformance(t, vectorSecrets[0], "s", version1, nil, 0, vectorNow, vectorNow, caseNonce("fold"+p), []byte(p))
		var m map[any]any
		if err := c.Decode("s", cookie, &m); err != nil || len(m) == 0 {
			t.Errorf("%s into a map: %v, %v", p, m, err)
		}
		dst := target{Role: "untouched"}
		requireClass(t, c.Decode("s", cookie, &dst), ErrInvalid)
		if dst.Role != "untouched" {
			t.Errorf("%s: dst changed", p)
		}
		var ptrs []*target
		requireClass(t, c.Decode("s", cookie, &ptrs), ErrInvalid)
	}
	cookie := sealConformance(t, vectorSecrets[0], "s", version1, nil, 0, vectorNow, vectorNow, caseNonce("fold-ok"), []byte(`{"role":"user","rolE2":"x"}`))
	var dst target
	if err := c.Decode("s", cookie, &dst); err != nil || dst.Role != "user" {
		t.Errorf("distinct names: %+v, %v", dst, err)
	}
}

// TestNamedJSONIsParsedBeforeSealing: a Named value's JSON text must be one
// strict JSON value (SPEC.md 6.7): text that would close the named value
// and add members to the session is refused, not pasted.
func TestNamedJSONIsParsedBeforeSealing(t *testing.T) {
	c := caseCodec(t, confCase{Secrets: vectorSecrets[:1]}, vectorNow, nil)
	for _, text := range []string{`1},"admin":true,"x":{"a":1`, `{"a":1} {"b":2}`, `{"a":1,"a":2}`, ``, `1e400`, `{"a":`} {
		if _, err := c.Encode("s", map[any]any{"f": Named{Name: "main.Flash", JSON: json.RawMessage(text)}}); err == nil {
			t.Errorf("Named JSON %q sealed", text)
		}
	}
}
