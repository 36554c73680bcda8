package cookieseal

import (
	"fmt"
)

// JSON plugs a JSON library into a Codec, the way Go web frameworks do
// (fiber's JSONEncoder and JSONDecoder, echo's JSONSerializer): for example
//
//	cookieseal.Config{
//		Secrets: secrets,
//		JSON:    cookieseal.JSON{Marshal: sonic.Marshal, Unmarshal: sonic.Unmarshal},
//	}
//
// with github.com/bytedance/sonic, github.com/goccy/go-json or
// github.com/segmentio/encoding/json. A nil function means encoding/json's.
//
// Who enforces what: the JSON a cookie may hold is fixed by SPEC.md (one
// value, valid UTF-8, no duplicate names, bounded depth, nothing after it).
// cookieseal checks every payload against those rules itself, before the
// plugged Unmarshal sees it, and checks what the plugged Marshal returns
// before it seals it; so a cookie opens or is refused the same whatever
// library is plugged in. What the library decides is only how JSON maps to
// Go values: field-name matching, unknown fields, numbers into interface{},
// the escaping it writes. Session values (map[interface{}]interface{}) are
// always written and read by cookieseal's own typed form; Decode into
// *json.RawMessage never calls Unmarshal.
//
// Unmarshal must not keep data after it returns; the slice Marshal returns
// is cleared once copied, so Marshal must not keep it either.
type JSON struct {
	// Marshal returns the JSON encoding of v; nil means json.Marshal.
	Marshal func(v any) ([]byte, error)
	// Unmarshal parses data into v, a non-nil pointer; nil means
	// json.Unmarshal.
	Unmarshal func(data []byte, v any) error
}

// unmarshalPlugged checks payload, then hands it to the plugged Unmarshal.
func unmarshalPlugged(payload []byte, dst any, unmarshal func([]byte, any) error) error {
	if err := checkPayload(payload); err != nil {
		return err
	}
	return unmarshal(payload, dst)
}

// appendMarshaled appends what j.Marshal makes of value to dst, after
// checking it is JSON that Decode opens, and clears Marshal's own copy.
func appendMarshaled(dst []byte, value any, marshal func(any) ([]byte, error)) ([]byte, error) {
	b, err := marshal(value)
	if err != nil {
		clear(b)
		return dst, fmt.Errorf("cookieseal: encoding value: %w", err)
	}
	if err := checkPayload(b); err != nil {
		clear(b)
		return dst, fmt.Errorf("cookieseal: the plugged JSON Marshal wrote what Decode refuses: %w", err)
	}
	out := append(withRoom(dst, len(b)+tagSize), b...)
	clear(b)
	return out, nil
}

// checkPayload is the check a payload passes before a plugged Unmarshal
// sees it and after a plugged Marshal wrote it: the strict JSON of SPEC.md
// section 5.3 (json.go). Decode and Encode run the same check on every
// payload, plugged library or not.
func checkPayload(b []byte) error {
	return checkJSON(b)
}
