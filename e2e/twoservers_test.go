package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

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
func writeSecrets(t *testing.T, path string, secrets ...string) {
	t.Helper()
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte("# first seals, all open\n"+strings.Join(secrets, "\n")+"\n"), 0o600); err != nil {
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
	var v pageView
	if err := json.Unmarshal([]byte(text(t, ctx, "#session")), &v); err != nil {
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
	ctx := newBrowser(t)

	if v := visit(t, ctx, goSrv.URL+"/login?user=ada"); v.Server != "go" || v.User != "ada" {
		t.Fatalf("login on Go: %+v", v)
	}
	if v := visit(t, ctx, nodeURL+"/cart/add?item=book"); v.Server != "node" || v.User != "ada" || strings.Join(v.Cart, ",") != "book" {
		t.Fatalf("Node changing the session Go wrote: %+v", v)
	}
	if v := visit(t, ctx, goSrv.URL+"/cart/add?item=pen"); strings.Join(v.Cart, ",") != "book,pen" {
		t.Fatalf("Go changing the session Node wrote: %+v", v)
	}
	before := visit(t, ctx, nodeURL+"/me")
	if before.User != "ada" || strings.Join(before.Cart, ",") != "book,pen" {
		t.Fatalf("Node reading the session back: %+v", before)
	}
	oldID := before.KeyID

	// Rotation step 2: the new secret seals, the old one still opens. The
	// Node server re-issues the cookie under the new key; Go reads it.
	writeSecrets(t, secretsFile, newSecret, oldSecret)
	rotated := visit(t, ctx, nodeURL+"/me")
	if rotated.KeyID != oldID {
		t.Fatalf("the cookie before re-issue should still name the old key %s: %+v", oldID, rotated)
	}
	after := visit(t, ctx, goSrv.URL+"/me")
	if after.KeyID == oldID || after.User != "ada" || strings.Join(after.Cart, ",") != "book,pen" {
		t.Fatalf("Go reading the re-issued cookie: %+v (old key %s)", after, oldID)
	}
	// Step 3: the old secret goes; the session lives on under the new key.
	writeSecrets(t, secretsFile, newSecret)
	for _, url := range []string{nodeURL, goSrv.URL} {
		if v := visit(t, ctx, url+"/me"); v.KeyID != after.KeyID || v.User != "ada" {
			t.Fatalf("%s after the old secret was removed: %+v", url, v)
		}
	}
}
