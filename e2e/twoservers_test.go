package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cookieseal/cookieseal"
	"github.com/cookieseal/cookieseal/examples/twoservers/goserver"
)

// twoServersEnv, set by the js block of .ci/run once js/dist is built,
// makes a missing Node or js/dist a failure instead of a skip.
const twoServersEnv = "COOKIESEAL_TWO_SERVERS"

// pageView is what the two servers show in <pre id="session">.
type pageView struct {
	Server   string   `json:"server"`
	User     string   `json:"user"`
	Cart     []string `json:"cart"`
	KeyID    string   `json:"key_id"`
	IssuedAt int64    `json:"issued_at"`
	Error    string   `json:"error"`
}

// writeSecrets replaces the secrets file atomically, as a secret store would.
// The file has a comment line and an inline comment after the sealing
// secret, which both servers must strip alike (SESSIONS.md section 7): a
// server that took "secret  # note" as the secret would derive another key
// ID and refuse every cookie of the other.
func writeSecrets(t *testing.T, path string, secrets ...string) {
	t.Helper()
	tmp := path + ".tmp"
	text := "# first seals, all open\n" + secrets[0] + "  # sealing since this rotation\n"
	for _, s := range secrets[1:] {
		text += s + "\n"
	}
	if err := os.WriteFile(tmp, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// startNode runs examples/twoservers/node/server.mjs on a free loopback port
// and returns its base URL.
func startNode(t *testing.T, secretsFile string) string {
	t.Helper()
	node, err := exec.LookPath("node")
	dist := filepath.Join("..", "js", "dist", "index.js")
	if _, statErr := os.Stat(dist); err != nil || statErr != nil {
		if os.Getenv(twoServersEnv) != "" {
			t.Fatalf("%s is set but node (%v) or %s (%v) is missing", twoServersEnv, err, dist, statErr)
		}
		t.Skipf("needs node and js/dist (cd js && npm ci && npm run build): %v %v", err, statErr)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, node, filepath.Join("..", "examples", "twoservers", "node", "server.mjs"))
	cmd.Env = append(os.Environ(), "SECRETS_FILE="+secretsFile, "PORT=0")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); _ = cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("node server: %v", err)
	}
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
	if !ok || !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("node server said %q", line)
	}
	return url
}

// visit loads url in the tab and returns the session the page shows.
func visit(t *testing.T, ctx context.Context, url string) pageView {
	t.Helper()
	do(t, ctx, chromedp.Navigate(url))
	return decodeView(t, url, text(t, ctx, "#session"))
}

// decodeView parses what a page shows in <pre id="session">, failing on an
// error the page reports.
func decodeView(t *testing.T, url, shown string) pageView {
	t.Helper()
	var v pageView
	if err := json.Unmarshal([]byte(shown), &v); err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	if v.Error != "" {
		t.Fatalf("%s: %s server: %s", url, v.Server, v.Error)
	}
	return v
}

// TestTwoServersShareOneSession: a Go server and a Node server on two
// loopback ports share one session cookie in a real browser: log in on Go,
// change the session on Node, read it back on Go; then rotate the key
// through the secrets file both read, and drop the old one.
func TestTwoServersShareOneSession(t *testing.T) {
	ctx := newBrowser(t)
	shareOneSession(t, func(url string) pageView { return visit(t, ctx, url) })
}

// TestTwoServersShareOneSessionHTTP is the same scenario through Go's HTTP
// client and a cookie jar (which, like a browser, shares cookies across the
// ports of one host), so that it runs where Chromium is not installed.
func TestTwoServersShareOneSessionHTTP(t *testing.T) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	shareOneSession(t, func(url string) pageView {
		t.Helper()
		resp, err := client.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		_, rest, ok := strings.Cut(string(body), `<pre id="session">`)
		shown, _, ok2 := strings.Cut(rest, "</pre>")
		if !ok || !ok2 {
			t.Fatalf("%s: status %d, no <pre id=\"session\">: %q", url, resp.StatusCode, body)
		}
		return decodeView(t, url, html.UnescapeString(shown))
	})
}

// shareOneSession runs the two-server scenario, loading each URL with visit.
func shareOneSession(t *testing.T, visit func(url string) pageView) {
	dir := t.TempDir()
	secretsFile := filepath.Join(dir, "secrets")
	oldSecret, newSecret := cookieseal.GenerateSecret(), cookieseal.GenerateSecret()
	writeSecrets(t, secretsFile, oldSecret)

	nodeURL := startNode(t, secretsFile)
	h, err := goserver.New(secretsFile)
	if err != nil {
		t.Fatal(err)
	}
	goSrv := httptest.NewServer(h) // 127.0.0.1, another port: browsers share cookies across ports
	t.Cleanup(goSrv.Close)

	if v := visit(goSrv.URL + "/login?user=ada"); v.Server != "go" || v.User != "ada" {
		t.Fatalf("login on Go: %+v", v)
	}
	if v := visit(nodeURL + "/cart/add?item=book"); v.Server != "node" || v.User != "ada" || strings.Join(v.Cart, ",") != "book" {
		t.Fatalf("Node changing the session Go wrote: %+v", v)
	}
	if v := visit(goSrv.URL + "/cart/add?item=pen"); strings.Join(v.Cart, ",") != "book,pen" {
		t.Fatalf("Go changing the session Node wrote: %+v", v)
	}
	before := visit(nodeURL + "/me")
	if before.User != "ada" || strings.Join(before.Cart, ",") != "book,pen" {
		t.Fatalf("Node reading the session back: %+v", before)
	}
	oldID := before.KeyID
	if want := keyID(t, oldSecret); oldID != want {
		t.Fatalf("the session names key %s, want %s, the key ID of the file's secret without its comment", oldID, want)
	}

	// Rotation step 2: the new secret seals, the old one still opens. The
	// Node server re-issues the cookie under the new key; Go reads it.
	writeSecrets(t, secretsFile, newSecret, oldSecret)
	rotated := visit(nodeURL + "/me")
	if rotated.KeyID != oldID {
		t.Fatalf("the cookie before re-issue should still name the old key %s: %+v", oldID, rotated)
	}
	after := visit(goSrv.URL + "/me")
	if after.KeyID != keyID(t, newSecret) || after.User != "ada" || strings.Join(after.Cart, ",") != "book,pen" {
		t.Fatalf("Go reading the re-issued cookie: %+v (old key %s)", after, oldID)
	}
	// Step 3: the old secret goes; the session lives on under the new key.
	writeSecrets(t, secretsFile, newSecret)
	for _, url := range []string{nodeURL, goSrv.URL} {
		if v := visit(url + "/me"); v.KeyID != after.KeyID || v.User != "ada" {
			t.Fatalf("%s after the old secret was removed: %+v", url, v)
		}
	}
}

// keyID is the key ID of secret, as hex.
func keyID(t *testing.T, secret string) string {
	t.Helper()
	c, err := cookieseal.New(cookieseal.Config{Secrets: []string{secret}})
	if err != nil {
		t.Fatal(err)
	}
	return c.KeyIDs()[0].String()
}
