package e2e

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestMeasureHeaderLimits measures, by binary search on loopback, the
// numbers docs/sizes.md's size table gives: the longest Cookie value a Go
// server and a stock nginx take, the longest Set-Cookie value a response
// may carry through nginx, and how many bytes of cookies curl sends from its
// jar. It only logs; run it with
//
//	cd e2e && COOKIESEAL_MEASURE=1 go test -run TestMeasureHeaderLimits -v
func TestMeasureHeaderLimits(t *testing.T) {
	if os.Getenv("COOKIESEAL_MEASURE") == "" {
		t.Skip("set COOKIESEAL_MEASURE=1 to measure")
	}
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n, err := strconv.Atoi(r.FormValue("set")); err == nil {
			http.SetCookie(w, &http.Cookie{Name: "s", Value: strings.Repeat("v", n), Path: "/", MaxAge: 86400,
				HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode})
			w.Header().Set("Cache-Control", "no-store")
		}
		fmt.Fprintf(w, "%d %d", len(r.Cookies()), len(r.Header.Get("Cookie")))
	}))
	t.Cleanup(app.Close)
	goAddr := strings.TrimPrefix(app.URL, "http://")
	ngAddr := startNginx(t, goAddr)

	// status sends one request with a Cookie value of n bytes (or asks the
	// app to set one) and returns the status line.
	status := func(addr, query string, n int) string {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		cookie := ""
		if query == "" {
			cookie = "Cookie: a=" + strings.Repeat("x", n-2) + "\r\n"
		} else {
			query += strconv.Itoa(n)
		}
		fmt.Fprintf(c, "GET /%s HTTP/1.1\r\nHost: 127.0.0.1\r\n%sConnection: close\r\n\r\n", query, cookie)
		line, _ := bufio.NewReader(c).ReadString('\n')
		return strings.TrimSpace(line)
	}
	largest := func(ok func(n int) bool, hi int) int {
		lo := 1
		for lo < hi {
			mid := (lo + hi + 1) / 2
			if ok(mid) {
				lo = mid
			} else {
				hi = mid - 1
			}
		}
		return lo
	}
	is200 := func(addr, query string) func(int) bool {
		return func(n int) bool { return strings.Contains(status(addr, query, n), " 200 ") }
	}

	n := largest(is200(goAddr, ""), 4<<20)
	t.Logf("Go net/http server: longest Cookie value %d bytes; one more: %s", n, status(goAddr, "", n+1))
	n = largest(is200(ngAddr, ""), 1<<20)
	t.Logf("nginx request: longest Cookie value %d bytes (a header line of %d with \"Cookie: \" and CRLF); one more: %s",
		n, n+len("Cookie: ")+2, status(ngAddr, "", n+1))
	n = largest(is200(ngAddr, "?set="), 1<<20)
	t.Logf("nginx response: longest Set-Cookie value %d bytes (with cookieseal's attributes); one more: %s", n, status(ngAddr, "?set=", n+1))

	// curl: two cookies in its jar, together total bytes of "a=...; b=...".
	jar := filepath.Join(t.TempDir(), "jar")
	sent := func(total int) bool {
		a := strings.Repeat("v", 4000)
		b := strings.Repeat("w", total-len("a=")-len(a)-len("; b="))
		line := "127.0.0.1\tFALSE\t/\tFALSE\t0\t"
		if err := os.WriteFile(jar, []byte(line+"a\t"+a+"\n"+line+"b\t"+b+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("curl", "-sS", "-b", jar, app.URL).Output()
		if err != nil {
			t.Fatal(err)
		}
		return strings.HasPrefix(string(out), "2 ")
	}
	n = largest(sent, 9000)
	t.Logf("curl from its jar: two cookies of %d bytes in all are sent, %d are not", n, n+1)
}
