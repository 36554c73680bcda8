package cookieseal_test

import (
	"fmt"
	"time"

	"github.com/cookieseal/cookieseal"
)

// Flash is a flash message an application keeps in its session, as
// gorilla/sessions' AddFlash stores it.
type Flash struct {
	Kind, Text string
}

func init() {
	// The same name in every program that seals or opens the cookies.
	cookieseal.Register("example.Flash", &Flash{})
}

// A registered type travels as its JSON and comes back as the same Go type.
func ExampleRegister() {
	codec, err := cookieseal.New(cookieseal.Config{Secrets: []string{cookieseal.GenerateSecret()}})
	if err != nil {
		panic(err)
	}
	values := map[any]any{
		"_flash":  []any{&Flash{Kind: "info", Text: "Saved."}},
		"timeout": 90 * time.Second,
	}
	cookie, err := codec.Encode("session", values)
	if err != nil {
		panic(err)
	}
	var got map[any]any
	if err := codec.Decode("session", cookie, &got); err != nil {
		panic(err)
	}
	f := got["_flash"].([]any)[0].(*Flash)
	fmt.Printf("%T %s: %s; timeout %v\n", f, f.Kind, f.Text, got["timeout"].(time.Duration))
	// Output: *cookieseal_test.Flash info: Saved.; timeout 1m30s
}
