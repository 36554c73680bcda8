//go:build goexperiment.jsonv2

package bench

import (
	jsonv2 "encoding/json/v2"

	"github.com/cookieseal/cookieseal"
)

// With GOEXPERIMENT=jsonv2 (Go 1.25+), encoding/json/v2 joins the libraries
// under test; encoding/json itself then runs on v2 too.
func init() {
	experimentJSON = append(experimentJSON, jsonLib{"json-v2", cookieseal.JSON{
		Marshal:   func(v any) ([]byte, error) { return jsonv2.Marshal(v) },
		Unmarshal: func(data []byte, v any) error { return jsonv2.Unmarshal(data, v) },
	}})
}
