package bench

import (
	"github.com/cookieseal/cookieseal"
	gojson "github.com/goccy/go-json"
)

// The Go snippet of docs/performance.md, compiled here (the root module's
// TestDocSnippets checks that the guide quotes it verbatim). It has no
// output: it compiles, and does not run.
func Example_docsJSON() {
	secrets := []string{cookieseal.GenerateSecret()}
	codec, err := cookieseal.New(cookieseal.Config{
		Secrets: secrets,
		JSON:    cookieseal.JSON{Marshal: gojson.Marshal, Unmarshal: gojson.Unmarshal}, // github.com/goccy/go-json
	})
	_, _ = codec, err
}
