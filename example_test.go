package cookieseal_test

import (
	"errors"
	"fmt"
	"log"
	"strings"

	"github.com/cookieseal/cookieseal"
)

type Session struct {
	UserID int    `json:"user_id"`
	Email  string `json:"email"`
}

func Example() {
	// In production the secret comes from your secret store, e.g.
	// cookieseal.SecretsFromEnv(os.Getenv("COOKIESEAL_SECRETS")).
	codec, err := cookieseal.New(cookieseal.Config{Secrets: []string{cookieseal.GenerateSecret()}})
	if err != nil {
		log.Fatal(err)
	}

	cookie, err := codec.Encode("session", Session{UserID: 42, Email: "ada@example.org"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("cookie shows the e-mail:", strings.Contains(cookie, "ada"))

	var s Session
	if err := codec.Decode("session", cookie, &s); err != nil {
		log.Fatal(err)
	}
	fmt.Println("decoded:", s.UserID, s.Email)

	err = codec.Decode("admin_session", cookie, &s)
	fmt.Println("under another name:", errors.Is(err, cookieseal.ErrInvalid))
	// Output:
	// cookie shows the e-mail: false
	// decoded: 42 ada@example.org
	// under another name: true
}

// The first secret seals; every secret opens, until it is removed.
func Example_removedSecret() {
	oldSecret, newSecret := cookieseal.GenerateSecret(), cookieseal.GenerateSecret()
	before, _ := cookieseal.New(cookieseal.Config{Secrets: []string{oldSecret}})
	cookie, _ := before.Encode("session", "still logged in")

	// Deploy 2 puts the new secret first and keeps the old one.
	after, _ := cookieseal.New(cookieseal.Config{Secrets: []string{newSecret, oldSecret}})
	var v string
	info, err := after.DecodeInfo("session", cookie, &v)
	fmt.Println(v, err, "re-issue:", info.Reissue)

	// Deploy 3, after MaxAge, drops the old secret.
	done, _ := cookieseal.New(cookieseal.Config{Secrets: []string{newSecret}})
	err = done.Decode("session", cookie, &v)
	fmt.Println(errors.Is(err, cookieseal.ErrUnknownKey))
	// Output:
	// still logged in <nil> re-issue: true
	// true
}

// gorilla/sessions keeps Session.Values as a map[interface{}]interface{}:
// cookieseal encodes it and gives every value back with its Go type.
func Example_sessionValues() {
	codec, _ := cookieseal.New(cookieseal.Config{Secrets: []string{cookieseal.GenerateSecret()}})
	values := map[any]any{"count": 41, "ratio": 0.5, "id": int64(7), "admin": true}
	cookie, _ := codec.Encode("app", values)

	var got map[any]any
	if err := codec.Decode("app", cookie, &got); err != nil {
		log.Fatal(err)
	}
	count := got["count"].(int) + 1 // an int, not a float64
	fmt.Printf("%d %T %T %T\n", count, got["ratio"], got["id"], got["admin"])
	// Output: 42 float64 int64 bool
}

func ExampleGenerateSecret() {
	a, b := cookieseal.GenerateSecret(), cookieseal.GenerateSecret()
	fmt.Println(len(a), len(a) >= cookieseal.MinSecretSize, a != b)
	// Output: 43 true true
}

// Inspect reads only what a cookie shows without a key.
func ExampleInspect() {
	codec, _ := cookieseal.New(cookieseal.Config{Secrets: []string{cookieseal.GenerateSecret()}})
	cookie, _ := codec.Encode("session", Session{UserID: 1})
	h, err := cookieseal.Inspect(cookie)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("version", h.Version, "sealed by this codec's first key:", h.KeyID == codec.KeyIDs()[0], "compressed:", h.Compressed)
	// Output: version 1 sealed by this codec's first key: true compressed: false
}

func ExampleCodec_Decode_errors() {
	codec, _ := cookieseal.New(cookieseal.Config{Secrets: []string{cookieseal.GenerateSecret()}})
	var s Session
	err := codec.Decode("session", "not a cookie!", &s)
	switch {
	case errors.Is(err, cookieseal.ErrExpired):
		fmt.Println("log in again")
	case errors.Is(err, cookieseal.ErrInvalid):
		fmt.Println("invalid:", err)
	}
	// Output: invalid: cookieseal: invalid cookie: character outside the base64url alphabet at offset 3
}
