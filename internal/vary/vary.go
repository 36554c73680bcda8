// Package vary adds "Vary: Cookie" to a response's header once
// (SESSIONS.md S5.7), for the Cookies of the root package and for
// gorillastore, which writes its own Set-Cookie lines.
package vary

import (
	"net/http"
	"strings"
)

// AddCookie adds "Vary: Cookie" to h unless a Vary field already names
// Cookie (in any letter case) or "*".
func AddCookie(h http.Header) {
	for _, v := range h.Values("Vary") {
		for _, f := range strings.Split(v, ",") {
			if f = strings.TrimSpace(f); f == "*" || strings.EqualFold(f, "Cookie") {
				return
			}
		}
	}
	h.Add("Vary", "Cookie")
}
