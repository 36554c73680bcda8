package cookieseal_test

import (
	"context"
	"encoding/json"
	"expvar"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/cookieseal/cookieseal"
)

// Rotating a key and watching the old one go quiet with KeyUsage.
func Example_rotation() {
	oldSecret, newSecret := cookieseal.GenerateSecret(), cookieseal.GenerateSecret()
	codec, err := cookieseal.New(cookieseal.Config{Secrets: []string{oldSecret}})
	if err != nil {
		log.Fatal(err)
	}
	cookie, _ := codec.Encode("session", "alice") // a cookie out in a browser
	oldID := codec.KeyIDs()[0]
	name := func(id cookieseal.KeyID) string {
		if id == oldID {
			return "old"
		}
		return "new"
	}
	report := func(step string) {
		fmt.Print(step, ":")
		for _, u := range codec.KeyUsage() {
			fmt.Printf(" %s key opened %d, primary %t;", name(u.ID), u.Opened, u.Primary)
		}
		fmt.Println()
	}

	// 1. Add the new secret second on every server; deploy.
	if err := codec.SetSecrets([]string{oldSecret, newSecret}); err != nil {
		log.Fatal(err)
	}
	// 2. Once every server has it, move it first; deploy.
	if err := codec.SetSecrets([]string{newSecret, oldSecret}); err != nil {
		log.Fatal(err)
	}
	var user string
	info, _ := codec.DecodeInfo("session", cookie, &user)
	// The handler judges the session first; accepted, it is re-issued under
	// the new key with its issued-at kept, so the rotation extends nothing.
	if info.Reissue { // sealed under a key that no longer seals
		cookie, _ = codec.Reissue("session", user, info)
	}
	report("after the switch")
	for range 3 { // the user's next requests
		codec.DecodeInfo("session", cookie, &user)
	}
	report("later")
	// 3. When the old key's Opened has not moved for MaxAge, drop it.
	if err := codec.SetSecrets([]string{newSecret}); err != nil {
		log.Fatal(err)
	}
	report("done")
	// Output:
	// after the switch: new key opened 0, primary true; old key opened 1, primary false;
	// later: new key opened 3, primary true; old key opened 1, primary false;
	// done: new key opened 3, primary true;
}

// Reloading the keyring when a mounted secrets file changes.
func ExampleCodec_WatchSecretsFile() {
	dir, err := os.MkdirTemp("", "cookieseal")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "secrets") // e.g. /etc/cookieseal/secrets
	err = os.WriteFile(path, []byte("# the first secret seals\n"+cookieseal.GenerateSecret()+"\n"), 0o600)
	if err != nil {
		log.Fatal(err)
	}

	secrets, err := cookieseal.ReadSecretsFile(path)
	if err != nil {
		log.Fatal(err)
	}
	codec, err := cookieseal.New(cookieseal.Config{Secrets: secrets})
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	defer stop() // stops the polling
	err = codec.WatchSecretsFile(ctx, path, 10*time.Second, func(err error) {
		log.Print(err) // never quotes a secret
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("keys:", len(codec.KeyIDs()))
	// Output:
	// keys: 1
}

// Publishing key usage with expvar, so /debug/vars shows each key's count
// and when it last opened a cookie.
func ExampleCodec_KeyUsage() {
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	codec, err := cookieseal.New(cookieseal.Config{
		Secrets: []string{cookieseal.GenerateSecret()},
		Now:     func() time.Time { return now },
	})
	if err != nil {
		log.Fatal(err)
	}
	expvar.Publish("cookieseal_keys", expvar.Func(func() any {
		type key struct {
			ID         string    `json:"id"`
			Primary    bool      `json:"primary"`
			Opened     uint64    `json:"opened"`
			LastOpened time.Time `json:"last_opened"`
		}
		var keys []key
		for _, u := range codec.KeyUsage() {
			keys = append(keys, key{u.ID.String(), u.Primary, u.Opened, u.LastOpened})
		}
		return keys
	}))

	cookie, _ := codec.Encode("session", "alice")
	var user string
	codec.Decode("session", cookie, &user)

	var keys []struct {
		Primary    bool      `json:"primary"`
		Opened     uint64    `json:"opened"`
		LastOpened time.Time `json:"last_opened"`
	}
	if err := json.Unmarshal([]byte(expvar.Get("cookieseal_keys").String()), &keys); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%+v\n", keys)
	// Output:
	// [{Primary:true Opened:1 LastOpened:2026-06-01 09:00:00 +0000 UTC}]
}
