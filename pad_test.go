package cookieseal

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// TestPadHidesSmallDifferences: {"answer": n, "try_number": 1} for n = 1..10
// at the default settings gives ten cookies of one length (SPEC.md 5.4),
// as plain JSON and as session values.
func TestPadHidesSmallDifferences(t *testing.T) {
	c, err := New(Config{Secrets: newSecrets(1)})
	if err != nil {
		t.Fatal(err)
	}
	plain, typed := map[int]bool{}, map[int]bool{}
	for n := 1; n <= 10; n++ {
		s, err := c.Encode("session", map[string]any{"answer": n, "try_number": 1})
		if err != nil {
			t.Fatal(err)
		}
		plain[len(s)] = true
		s, err = c.Encode("session", map[any]any{"answer": n, "try_number": 1})
		if err != nil {
			t.Fatal(err)
		}
		typed[len(s)] = true
	}
	if len(plain) != 1 || len(typed) != 1 {
		t.Errorf("lengths vary with the answer: plain %v, typed %v", plain, typed)
	}
}

// TestPadIsTrailingSpacesWithinTheLimits: the padding is spaces after the
// JSON, up to a plaintext of a multiple of 32 bytes, never past MaxPayload,
// and none for a compressed payload.
func TestPadIsTrailingSpacesWithinTheLimits(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	s, err := c.Encode("s", map[string]int{"a": 1})
	if err != nil {
		t.Fatal(err)
	}
	var raw json.RawMessage
	if err := c.Decode("s", s, &raw); err != nil {
		t.Fatal(err)
	}
	if want := `{"a":1}` + strings.Repeat(" ", 32-issuedAtSize-7); string(raw) != want {
		t.Errorf("payload %q, want %q", raw, want)
	}
	capped, err := New(Config{Secrets: newSecrets(1), MaxPayload: 9})
	if err != nil {
		t.Fatal(err)
	}
	s, err = capped.Encode("s", map[string]int{"a": 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := capped.Decode("s", s, &raw); err != nil || string(raw) != `{"a":1}  ` {
		t.Errorf("capped at MaxPayload: %q, %v", raw, err)
	}
	z, err := New(Config{Secrets: newSecrets(1), Compress: true})
	if err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat(`{"sku":"sku-0001","qty":1},`, 80)
	s, err = z.Encode("s", big)
	if err != nil {
		t.Fatal(err)
	}
	var out string
	if err := z.Decode("s", s, &out); err != nil || out != big {
		t.Fatalf("compressed round trip: %v", err)
	}
	if h, _ := Inspect(s); !h.Compressed {
		t.Fatal("not compressed")
	}
	if err := z.Decode("s", s, &raw); err != nil || strings.HasSuffix(string(raw), " ") {
		t.Errorf("a compressed payload is padded: %v", err)
	}
}

// TestEncodeKeepsNegativeZero: a negative zero is sealed as -0, as
// JavaScript and Python seal it (SPEC.md 3.2).
func TestEncodeKeepsNegativeZero(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	s, err := c.Encode("s", map[string]float64{"z": math.Copysign(0, -1)})
	if err != nil {
		t.Fatal(err)
	}
	var raw json.RawMessage
	if err := c.Decode("s", s, &raw); err != nil || unpadded(raw) != `{"z":-0}` {
		t.Errorf("sealed %q, %v", raw, err)
	}
}
