package bench

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// Session is the small session of issue 5: a user id, an e-mail, roles, a
// CSRF token, two flash messages and three preferences; 279 bytes of JSON.
type Session struct {
	UserID  int64    `json:"user_id"`
	Email   string   `json:"email"`
	Roles   []string `json:"roles"`
	CSRF    string   `json:"csrf_token"`
	Flashes []string `json:"flashes"`
	Prefs   Prefs    `json:"prefs"`
}

// Prefs are the three preferences of a Session.
type Prefs struct {
	Theme    string `json:"theme"`
	Language string `json:"language"`
	TimeZone string `json:"time_zone"`
}

func smallSession() Session {
	return Session{
		UserID:  4_815_162_342,
		Email:   "ada.lovelace@analytical-engine.example",
		Roles:   []string{"admin", "editor"},
		CSRF:    "3q2-7wAAAAAB8w6XUM4tNOl1cVm0fJ2xZnHpJp9nCQ4",
		Flashes: []string{"All saved.", "Two-factor auth is on!"},
		Prefs:   Prefs{Theme: "dark", Language: "en-GB", TimeZone: "Europe/London"},
	}
}

// Item is one line of a Cart.
type Item struct {
	SKU   string `json:"sku"`
	Name  string `json:"name"`
	Qty   int    `json:"qty"`
	Price int64  `json:"price"` // cents
}

// Cart is the large session: 30 items, about 2.9 KB of JSON.
type Cart struct {
	Items []Item `json:"items"`
}

func cart() Cart {
	names := []string{"Organic cotton T-shirt", "Merino wool socks", "Waxed canvas tote bag", "Stainless steel bottle", "Recycled notebook A5"}
	sizes := []string{"small", "medium", "large"}
	c := Cart{Items: make([]Item, 30)}
	for i := range c.Items {
		c.Items[i] = Item{
			SKU:   fmt.Sprintf("SKU-%04d-%s", 1000+37*i, strings.ToUpper(sizes[i%3][:1])),
			Name:  fmt.Sprintf("%s, %s, colour number %02d", names[i%len(names)], sizes[i%3], i%7),
			Qty:   1 + i%4,
			Price: int64(1299 + 250*i),
		}
	}
	return c
}

// gorillaValues is a gorilla/sessions Session.Values with ints, strings and
// bools.
func gorillaValues() map[any]any {
	return map[any]any{
		"user_id":       4815162342,
		"email":         "ada.lovelace@analytical-engine.example",
		"authenticated": true,
		"admin":         false,
		"visits":        17,
		"csrf_token":    "3q2-7wAAAAAB8w6XUM4tNOl1cVm0fJ2xZnHpJp9nCQ4",
		"theme":         "dark",
		"last_page":     "/account/settings",
	}
}

// TestValueSizes keeps the values at the sizes the benchmarks claim.
func TestValueSizes(t *testing.T) {
	for _, tc := range []struct {
		name     string
		v        any
		min, max int
	}{
		{"small session", smallSession(), 270, 290},
		{"cart", cart(), 2800, 3000},
	} {
		b, err := json.Marshal(tc.v)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) < tc.min || len(b) > tc.max {
			t.Errorf("%s: %d bytes of JSON, want %d..%d", tc.name, len(b), tc.min, tc.max)
		}
	}
}
