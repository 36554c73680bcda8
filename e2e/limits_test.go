package e2e

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
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

	"github.com/chromedp/chromedp"

	"github.com/cookieseal/cookieseal"
)

// Issue 9: chunked sessions must stay within what real clients and proxies
// accept for the Cookie header line. These tests put a stock nginx (the
// Debian package, default configuration but for paths and ports) in front
// of a Go app on loopback and drive it with the curl binary; and measure
// what headless Chromium sends.
//
// Without nginx or curl the tests skip, except when CI is set: then they
// fail (.ci/run installs nginx-light).

// need returns the path of a program, skipping or failing the test when it
// is missing.
func need(t *testing.T, name string, dirs ...string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, d := range dirs {
		if p := filepath.Join(d, name); fileExists(p) {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("CI is set but %s is missing; .ci/run installs it", name)
	}
	t.Skipf("%s not installed: apt-get install nginx-light curl", name)
	return ""
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// freeAddr returns a loopback address nobody listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startNginx runs nginx in the foreground as the current user, with a
// generated configuration in a temporary directory (its own pid file, error
// log and temp paths), listening on loopback and proxying to upstream. The
// header buffers are nginx's defaults (large_client_header_buffers 4 8k).
func startNginx(t *testing.T, upstream string) string {
	t.Helper()
	bin := need(t, "nginx", "/usr/sbin")
	need(t, "curl")
	dir := t.TempDir()
	addr := freeAddr(t)
	conf := fmt.Sprintf(`daemon off;
master_process off;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path %[1]s/body;
  proxy_temp_path %[1]s/proxy;
  fastcgi_temp_path %[1]s/fastcgi;
  uwsgi_temp_path %[1]s/uwsgi;
  scgi_temp_path %[1]s/scgi;
  server {
    listen %[2]s;
    location / { proxy_pass http://%[3]s; }
  }
}
`, dir, addr, upstream)
	path := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-p", dir, "-e", filepath.Join(dir, "error.log"), "-c", path)
	var stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting nginx: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	for deadline := time.Now().Add(10 * time.Second); ; {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return addr
		}
		if time.Now().After(deadline) {
			t.Fatalf("nginx did not start: %s", stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// sizedServer is an app that stores ?n= bytes of random text in a session
// cookie (/set) and shows what it reads back (/get), with opts.
func sizedServer(t *testing.T, opts cookieseal.CookieOptions) *httptest.Server {
	t.Helper()
	codec, err := cookieseal.New(cookieseal.Config{Secrets: []string{cookieseal.GenerateSecret()}})
	if err != nil {
		t.Fatal(err)
	}
	opts.Insecure = true // curl over plain http; the sizes are what this tests
	cookies, err := cookieseal.NewCookies(codec, opts)
	if err != nil {
		t.Fatal(err)
	}
	show := func(w http.ResponseWriter, data string) {
		sum := sha256.Sum256([]byte(data))
		fmt.Fprintf(w, "%s %d", hex.EncodeToString(sum[:8]), len(data))
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /set", func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(r.FormValue("n"))
		if err != nil || n < 0 || n > 1<<20 {
			http.Error(w, "n", http.StatusBadRequest)
			return
		}
		data := randomText(n)
		if err := cookies.Write(w, r, "session", data); err != nil {
			code := http.StatusInternalServerError
			if errors.Is(err, cookieseal.ErrTooLarge) {
				code = http.StatusRequestEntityTooLarge
			}
			http.Error(w, err.Error(), code)
			return
		}
		show(w, data)
	})
	mux.HandleFunc("GET /get", func(w http.ResponseWriter, r *http.Request) {
		var data string
		if _, err := cookies.Read(r, "session", &data); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		show(w, data)
	})
	srv := httptest.NewServer(mux) // 127.0.0.1
	t.Cleanup(srv.Close)
	return srv
}

func randomText(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)[:n]
}

// curl runs the curl binary with a cookie jar file, as a user would, and
// returns the status code and body.
func curl(t *testing.T, jar, url string) (int, string) {
	t.Helper()
	out, err := exec.Command("curl", "-sS", "-c", jar, "-b", jar, "-w", "\n%{http_code}", url).Output()
	if err != nil {
		t.Fatalf("curl %s: %v", url, err)
	}
	s := strings.TrimSpace(string(out))
	i := strings.LastIndexByte(s, '\n')
	body, code := strings.TrimSpace(s[:max(i, 0)]), s[i+1:]
	n, err := strconv.Atoi(code)
	if err != nil {
		t.Fatalf("curl %s: status %q", url, code)
	}
	return n, body
}

// largestDefault finds the longest text the default options store, by
// asking Write.
func largestDefault(t *testing.T) int {
	t.Helper()
	codec, err := cookieseal.New(cookieseal.Config{Secrets: []string{cookieseal.GenerateSecret()}})
	if err != nil {
		t.Fatal(err)
	}
	cookies, err := cookieseal.NewCookies(codec, cookieseal.CookieOptions{Insecure: true})
	if err != nil {
		t.Fatal(err)
	}
	lo, hi := 0, 1<<16
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if cookies.Write(httptest.NewRecorder(), nil, "session", strings.Repeat("x", mid)) == nil {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// TestNginxAndCurlCarryEveryDefaultSize drives sessions of every size the
// defaults accept, up to the largest, through curl and a stock nginx to the
// app and back, with another cookie of 800 bytes beside them; one byte more
// fails at Write with ErrTooLarge (413 here).
func TestNginxAndCurlCarryEveryDefaultSize(t *testing.T) {
	app := sizedServer(t, cookieseal.CookieOptions{})
	proxy := "http://" + startNginx(t, strings.TrimPrefix(app.URL, "http://"))
	largest := largestDefault(t)
	t.Logf("the largest text the defaults store: %d bytes", largest)

	var sizes []int
	for n := 1; n < largest; n += 97 {
		sizes = append(sizes, n)
	}
	sizes = append(sizes, largest-1, largest)
	for _, n := range sizes {
		jar := filepath.Join(t.TempDir(), "jar")
		// Another cookie of the site, 800 bytes with its name.
		other := "127.0.0.1\tFALSE\t/\tFALSE\t0\tother\t" + strings.Repeat("o", 800-len("other=")) + "\n"
		if err := os.WriteFile(jar, []byte(other), 0o600); err != nil {
			t.Fatal(err)
		}
		code, set := curl(t, jar, fmt.Sprintf("%s/set?n=%d", proxy, n))
		if code != http.StatusOK {
			t.Fatalf("%d bytes: /set through nginx: %d %s", n, code, set)
		}
		code, got := curl(t, jar, proxy+"/get")
		if code != http.StatusOK || got != set {
			t.Errorf("%d bytes through curl and nginx: %d %q, want %q", n, code, got, set)
		}
	}

	jar := filepath.Join(t.TempDir(), "jar")
	code, body := curl(t, jar, fmt.Sprintf("%s/set?n=%d", proxy, largest+1))
	if code != http.StatusRequestEntityTooLarge || !strings.Contains(body, "too large") {
		t.Errorf("%d bytes: %d %q, want 413 from ErrTooLarge at Write", largest+1, code, body)
	}
}

// TestNginxAndCurlRefuseMore is the evidence for the default: what a raised
// MaxHeaderBytes lets Write send does not get through. A stock nginx
// answers 502 to a response that sets one full 4096-byte cookie (the
// response headers pass its 4 KB proxy_buffer_size) and 400 to a request
// whose Cookie line passes 8 KB (large_client_header_buffers 4 8k); curl
// alone drops the cookies past about 8 KB, so the app sees a part missing.
// If one of these starts passing, the measured limits moved: revisit
// DefaultMaxHeaderBytes and docs/sizes.md.
func TestNginxAndCurlRefuseMore(t *testing.T) {
	app := sizedServer(t, cookieseal.CookieOptions{MaxHeaderBytes: 3 * 4096})
	proxy := "http://" + startNginx(t, strings.TrimPrefix(app.URL, "http://"))
	check := func(what string, got, want int, body string) {
		t.Helper()
		t.Logf("%s: %d %.60q", what, got, body)
		if got != want {
			t.Errorf("%s: %d, want %d", what, got, want)
		}
	}

	jar := filepath.Join(t.TempDir(), "jar")
	code, body := curl(t, jar, proxy+"/set?n=3000") // one cookie of about 4 KB
	check("nginx, a response setting one full cookie", code, http.StatusBadGateway, body)

	const n = 8000 // about 10.7 KB sealed: three parts
	jar = filepath.Join(t.TempDir(), "jar")
	if code, body := curl(t, jar, fmt.Sprintf("%s/set?n=%d", app.URL, n)); code != http.StatusOK {
		t.Fatalf("/set straight to the app: %d %s", code, body)
	}
	// curl sends only part of them: the app sees no whole session.
	code, body = curl(t, jar, app.URL+"/get")
	check("curl's cookie engine, three full parts", code, http.StatusBadRequest, body)
	// All three, in one Cookie line as a browser sends them: nginx refuses
	// the line.
	out, err := exec.Command("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Cookie: "+jarHeader(t, jar), proxy+"/get").Output()
	if err != nil {
		t.Fatal(err)
	}
	code, _ = strconv.Atoi(string(out))
	check("nginx, a request with three full parts", code, http.StatusBadRequest, "")
}

// jarHeader returns the cookies of a curl cookie file as a Cookie header
// value.
func jarHeader(t *testing.T, jar string) string {
	t.Helper()
	b, err := os.ReadFile(jar)
	if err != nil {
		t.Fatal(err)
	}
	var pairs []string
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimPrefix(line, "#HttpOnly_")
		f := strings.Split(line, "\t")
		if strings.HasPrefix(line, "#") || len(f) != 7 {
			continue
		}
		pairs = append(pairs, f[5]+"="+f[6])
	}
	if len(pairs) != 3 {
		t.Fatalf("curl's jar holds %d cookies, want the three parts", len(pairs))
	}
	return strings.Join(pairs, "; ")
}

// TestChromiumSendsLongCookieHeaders measures what headless Chromium sends:
// 50 cookies of 4096 bytes each (the most RFC 6265 promises per domain), a
// Cookie header of about 200 KB, all of it. Chromium is not what limits a
// chunked session; proxies and curl are.
func TestChromiumSendsLongCookieHeaders(t *testing.T) {
	const count = 50
	mux := http.NewServeMux()
	mux.HandleFunc("/set", func(w http.ResponseWriter, r *http.Request) {
		for i := range count {
			name := fmt.Sprintf("c%02d", i)
			http.SetCookie(w, &http.Cookie{Name: name, Value: strings.Repeat("v", 4096-len(name)-1), Path: "/"})
		}
		fmt.Fprint(w, `<!doctype html><p id="n">set</p>`)
	})
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<!doctype html><p id="n">%d %d</p>`, len(r.Cookies()), len(r.Header.Get("Cookie")))
	})
	srv := httptest.NewUnstartedServer(mux)
	srv.Config.MaxHeaderBytes = 1 << 20
	srv.Start()
	t.Cleanup(srv.Close)

	ctx := newBrowser(t)
	do(t, ctx, chromedp.Navigate(srv.URL+"/set"))
	do(t, ctx, chromedp.Navigate(srv.URL+"/echo"))
	got := text(t, ctx, "#n")
	t.Logf("Chromium sent %s (cookies, bytes of Cookie header)", got)
	want := fmt.Sprintf("%d %d", count, count*4096+2*(count-1))
	if got != want {
		t.Errorf("Chromium sent %s, want %s: all of them", got, want)
	}
}
