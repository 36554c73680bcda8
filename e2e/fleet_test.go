package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cookieseal/cookieseal"
	"github.com/cookieseal/cookieseal/redisrevoke"
	"github.com/cookieseal/cookieseal/redisrevoke/redistest"
	"github.com/redis/go-redis/v9"
)

// The fleet test of issue 25: a Go, a Node and a Python server share one
// Redis (the revocation list, SESSIONS.md S9.5) and one Kubernetes-style
// secrets directory (a ..data symlink swapped atomically), on loopback. It
// checks, through each server's HTTP API with cookies sent as a browser
// would: a session created on one is read on the others; "log out this
// device" and "log out everywhere" (issued through a third server) refuse
// the sessions they name on every server within the revocation cache time,
// and nothing else; a new key added with an activate= time seals nowhere
// before it and everywhere after it, with nobody logged out; the ..data
// swap is picked up by all three; with Redis stopped every server fails
// open as configured (its cached answers kept, unknown sessions accepted,
// revocations refused with 503) and recovers when Redis returns.
//
// COOKIESEAL_FLEET=1 (set by .ci/run) makes missing node, js/dist, a
// Python with cookieseal and redis (COOKIESEAL_FLEET_PYTHON, default
// python3) or redis-server a failure instead of a skip.

const fleetEnv = "COOKIESEAL_FLEET"

// fleetCache is the revocation cache time of every server.
const fleetCache = 500 * time.Millisecond

// k8sSecrets is a secrets directory as a Kubernetes secret volume lays it
// out: secrets -> ..data/secrets, ..data -> ..<version>.
type k8sSecrets struct {
	dir string
	n   int
}

func newK8sSecrets(t *testing.T, content string) *k8sSecrets {
	k := &k8sSecrets{dir: t.TempDir()}
	k.swap(t, content)
	if err := os.Symlink(filepath.Join("..data", "secrets"), filepath.Join(k.dir, "secrets")); err != nil {
		t.Fatal(err)
	}
	return k
}

func (k *k8sSecrets) path() string { return filepath.Join(k.dir, "secrets") }

// swap writes a new version and points ..data at it with one rename, as the
// kubelet does.
func (k *k8sSecrets) swap(t *testing.T, content string) {
	k.n++
	version := fmt.Sprintf("..2026_v%d", k.n)
	if err := os.Mkdir(filepath.Join(k.dir, version), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(k.dir, version, "secrets"), []byte(content), 0o400); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(k.dir, "..data_tmp")
	if err := os.Symlink(version, tmp); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(k.dir, "..data")); err != nil {
		t.Fatal(err)
	}
}

// fleetSkip fails under COOKIESEAL_FLEET and skips otherwise.
func fleetSkip(t *testing.T, format string, a ...any) {
	t.Helper()
	if os.Getenv(fleetEnv) != "" {
		t.Fatalf(format, a...)
	}
	t.Skipf(format+" (%s=1 makes this a failure)", append(a, fleetEnv)...)
}

// startMember runs a server script that prints "listening on URL".
func startMember(t *testing.T, env []string, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), env...)
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
		t.Fatalf("%s: %v", args[0], err)
	}
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
	if !ok || !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("%s said %q", args[0], line)
	}
	return url
}

// startGoMember serves the Go member in this process.
func startGoMember(t *testing.T, secretsPath, redisAddr string) string {
	t.Helper()
	codec, err := cookieseal.New(cookieseal.Config{Secrets: []string{cookieseal.GenerateSecret()}, MaxAge: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	reloader, err := cookieseal.NewReloader(codec, secretsPath)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go func() { _ = reloader.Run(ctx, 100*time.Millisecond, func(error) {}) }()
	rc := redis.NewClient(&redis.Options{Addr: redisAddr, MaxRetries: -1, DialTimeout: 200 * time.Millisecond, ContextTimeoutEnabled: true})
	list := redisrevoke.New(rc, redisrevoke.Options{CacheTTL: fleetCache, Timeout: 200 * time.Millisecond})
	cookies, err := cookieseal.NewCookies(codec, cookieseal.CookieOptions{Insecure: true, Revocations: list})
	if err != nil {
		t.Fatal(err)
	}
	classes := map[error]string{cookieseal.ErrInvalid: "invalid", cookieseal.ErrExpired: "expired", cookieseal.ErrUnknownKey: "unknown_key",
		cookieseal.ErrTooLarge: "too_large", cookieseal.ErrRevoked: "revoked", http.ErrNoCookie: "none"}
	reply := func(w http.ResponseWriter, status int, body map[string]any) {
		body["server"] = "go"
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(body)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) { reply(w, 200, map[string]any{}) })
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		user := r.URL.Query().Get("user")
		if err := cookies.Login(w, r, "session", map[string]any{"user": user}, user); err != nil {
			reply(w, 503, map[string]any{"error": "login"})
			return
		}
		reply(w, 200, map[string]any{"user": user})
	})
	session := func(w http.ResponseWriter, r *http.Request) (map[string]any, cookieseal.Info, bool) {
		var v map[string]any
		info, err := cookies.Read(r, "session", &v)
		if err != nil {
			class := "unclassified"
			for e, c := range classes {
				if errors.Is(err, e) {
					class = c
				}
			}
			reply(w, 401, map[string]any{"error": class})
			return nil, info, false
		}
		return v, info, true
	}
	mux.HandleFunc("/me", func(w http.ResponseWriter, r *http.Request) {
		v, info, ok := session(w, r)
		if !ok {
			return
		}
		if err := cookies.Reissue(w, r, "session", v, info); err != nil {
			reply(w, 503, map[string]any{"error": "reissue"})
			return
		}
		reply(w, 200, map[string]any{"user": v["user"], "sid": info.SessionID, "subject": info.Subject})
	})
	mux.HandleFunc("/logout", func(w http.ResponseWriter, r *http.Request) {
		_, info, ok := session(w, r)
		if !ok {
			return
		}
		if err := cookies.Revoke(r.Context(), info); err != nil {
			reply(w, 503, map[string]any{"error": "revoke"})
			return
		}
		_ = cookies.Delete(w, r, "session")
		reply(w, 200, map[string]any{})
	})
	mux.HandleFunc("/logout-all", func(w http.ResponseWriter, r *http.Request) {
		_, info, ok := session(w, r)
		if !ok {
			return
		}
		if err := cookies.RevokeSubject(r.Context(), info.Subject); err != nil {
			reply(w, 503, map[string]any{"error": "revoke"})
			return
		}
		_ = cookies.Delete(w, r, "session")
		reply(w, 200, map[string]any{})
	})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: mux}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return "http://" + l.Addr().String()
}

// device is one browser's session cookie.
type device struct{ cookie string }

// answer is a server's JSON reply.
type answer struct {
	status int
	Server string `json:"server"`
	User   string `json:"user"`
	SID    string `json:"sid"`
	Error  string `json:"error"`
	keyID  string // of the session cookie the reply set, if any
}

// call sends d's cookie to url+path and keeps the cookie the reply sets.
func (d *device) call(t *testing.T, url, path string) answer {
	t.Helper()
	method := http.MethodGet
	if path != "/me" {
		method = http.MethodPost
	}
	req, err := http.NewRequest(method, url+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d.cookie != "" {
		req.Header.Set("Cookie", "session="+d.cookie)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a answer
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		t.Fatalf("%s%s: %v", url, path, err)
	}
	a.status = resp.StatusCode
	for _, c := range resp.Cookies() {
		if c.Name == "session" && c.MaxAge > 0 {
			d.cookie = c.Value
			h, err := cookieseal.Inspect(c.Value)
			if err != nil {
				t.Fatal(err)
			}
			a.keyID = h.KeyID.String()
		}
	}
	return a
}

func TestFleetRevocationAndKeyLifecycle(t *testing.T) {
	node, nerr := exec.LookPath("node")
	_, derr := os.Stat(filepath.Join("..", "js", "dist", "redis.js"))
	_, rerr := os.Stat(filepath.Join("..", "js", "node_modules", "redis"))
	if nerr != nil || derr != nil || rerr != nil {
		fleetSkip(t, "needs node, js/dist and js/node_modules (cd js && npm ci && npm run build): %v %v %v", nerr, derr, rerr)
	}
	python := os.Getenv("COOKIESEAL_FLEET_PYTHON")
	if python == "" {
		python = "python3"
	}
	if err := exec.Command(python, "-c", "import cookieseal.redis, redis").Run(); err != nil {
		fleetSkip(t, "needs a Python with cookieseal and redis-py (COOKIESEAL_FLEET_PYTHON): %v", err)
	}
	if os.Getenv(fleetEnv) != "" {
		t.Setenv("CI", "true") // redistest: a missing redis-server fails
	}
	rs := redistest.Start(t)
	_, port, _ := net.SplitHostPort(rs.Addr)

	oldS, newS := cookieseal.GenerateSecret(), cookieseal.GenerateSecret()
	ids := func(s string) string {
		c, err := cookieseal.New(cookieseal.Config{Secrets: []string{s}})
		if err != nil {
			t.Fatal(err)
		}
		return c.KeyIDs()[0].String()
	}
	oldID, newID := ids(oldS), ids(newS)
	sec := newK8sSecrets(t, oldS+"\n")
	env := []string{"SECRETS_FILE=" + sec.path(), "REDIS_PORT=" + port, fmt.Sprintf("CACHE_MS=%d", fleetCache.Milliseconds())}
	servers := map[string]string{
		"go":     startGoMember(t, sec.path(), rs.Addr),
		"node":   startMember(t, env, node, filepath.Join("fleet", "server.mjs")),
		"python": startMember(t, env, python, filepath.Join("fleet", "server.py")),
	}
	order := []string{"go", "node", "python"}
	// expect checks what d gets from /me on every server.
	expect := func(step string, d *device, user string) {
		t.Helper()
		for _, name := range order {
			a := d.call(t, servers[name], "/me")
			switch {
			case user == "" && (a.status != 401 || a.Error != "revoked"):
				t.Errorf("%s: %s answered %d %q for user %q, want 401 revoked", step, name, a.status, a.Error, a.User)
			case user != "" && (a.status != 200 || a.User != user):
				t.Errorf("%s: %s answered %d %q, want 200 for %s", step, name, a.status, a.Error, user)
			}
		}
	}
	login := func(server, user string) *device {
		t.Helper()
		d := &device{}
		if a := d.call(t, servers[server], "/login?user="+user); a.status != 200 || d.cookie == "" {
			t.Fatalf("login of %s on %s: %d %s", user, server, a.status, a.Error)
		}
		return d
	}

	// A session created on one server is read on the others.
	phone, laptop, tablet, bob := login("go", "alice"), login("node", "alice"), login("python", "alice"), login("python", "bob")
	expect("sessions read across the fleet", phone, "alice")
	expect("sessions read across the fleet", laptop, "alice")
	expect("sessions read across the fleet", tablet, "alice")
	expect("sessions read across the fleet", bob, "bob")

	// Log out this device (the laptop, created on Node) through Python.
	saved := *laptop
	if a := laptop.call(t, servers["python"], "/logout"); a.status != 200 {
		t.Fatalf("logout: %d %s", a.status, a.Error)
	}
	time.Sleep(fleetCache)
	expect("log out this device", &saved, "")
	expect("log out this device: the user's other device", phone, "alice")
	expect("log out this device: another user", bob, "bob")

	// Log out everywhere: the phone (created on Go) asks Node; the tablet
	// (created on Python) is alice's second device.
	savedPhone := *phone
	// Sessions created in the second of the revocation are kept (SESSIONS.md
	// S9.2, so that the login that follows is not refused): revoke in a
	// later second than the logins above.
	time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(time.Second)))
	if a := phone.call(t, servers["node"], "/logout-all"); a.status != 200 {
		t.Fatalf("logout-all: %d %s", a.status, a.Error)
	}
	time.Sleep(fleetCache)
	expect("log out everywhere", &savedPhone, "")
	expect("log out everywhere: the second device", tablet, "")
	expect("log out everywhere: another user", bob, "bob")
	again := login("go", "alice") // a login right after it is not refused
	expect("log in again after log out everywhere", again, "alice")

	// A new key with an activate= time, through a ..data swap: every server
	// opens it at once (a cookie the test seals with it) and seals with the
	// old key until the time, with the new one after; nobody is logged out.
	at := time.Now().Add(4 * time.Second).Truncate(time.Second).Add(time.Second)
	sec.swap(t, newS+" #activate="+at.UTC().Format("2006-01-02T15:04:05Z")+"\n"+oldS+"\n")
	time.Sleep(500 * time.Millisecond) // five polls: read twice and settled
	probeCodec, err := cookieseal.New(cookieseal.Config{Secrets: []string{newS}, SessionIDs: true, MaxAge: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	probe, err := probeCodec.EncodeSession("session", map[string]any{"user": "carol"}, "carol")
	if err != nil {
		t.Fatal(err)
	}
	expect("the ..data swap is picked up (a cookie of the new key opens)", &device{probe}, "carol")
	if time.Now().After(at) {
		t.Fatal("the machine is too slow for the activation step: the activate= time passed before the check")
	}
	for _, name := range order {
		d := login(name, "erin")
		if h, _ := cookieseal.Inspect(d.cookie); h.KeyID.String() != oldID {
			t.Errorf("before the activate= time %s sealed with %s, want the old key %s", name, h.KeyID, oldID)
		}
	}
	time.Sleep(time.Until(at) + 300*time.Millisecond) // three polls after it
	for _, name := range order {
		d := login(name, "erin")
		if h, _ := cookieseal.Inspect(d.cookie); h.KeyID.String() != newID {
			t.Errorf("after the activate= time %s sealed with %s, want the new key %s", name, h.KeyID, newID)
		}
	}
	// bob's cookie (old key) still opens everywhere, and is re-issued with
	// the new key by the first server that reads it.
	if a := bob.call(t, servers["go"], "/me"); a.status != 200 || a.keyID != newID {
		t.Errorf("bob after the rotation: %d %s, re-issued with %q, want %s", a.status, a.Error, a.keyID, newID)
	}
	expect("after the rotation", bob, "bob")
	expect("after the rotation", again, "alice")

	// Redis stopped: every server fails open (the default): cached answers
	// are kept however old (the revoked phone stays refused, bob is
	// served), a session never seen is accepted, and revoking fails (503).
	rs.Stop()
	time.Sleep(fleetCache)
	expect("Redis down: a revoked session seen before", &savedPhone, "")
	expect("Redis down: a good session seen before", bob, "bob")
	dave := login("node", "dave")
	expect("Redis down: a session never seen", dave, "dave")
	for _, name := range order {
		d := *dave
		if a := d.call(t, servers[name], "/logout-all"); a.status != 503 {
			t.Errorf("Redis down: %s answered %d to a revocation, want 503", name, a.status)
		}
	}
	// Redis back (with its data): revocations are read and written again.
	if err := rs.Restart(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(fleetCache + 300*time.Millisecond) // the clients reconnect every 100 ms
	expect("Redis back: revoked", &saved, "")
	expect("Redis back: good", dave, "dave")
	time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(time.Second)))
	if a := bob.call(t, servers["python"], "/logout-all"); a.status != 200 {
		t.Fatalf("Redis back: logout-all: %d %s", a.status, a.Error)
	}
	time.Sleep(fleetCache)
	expect("Redis back: log out everywhere", bob, "")
	expect("Redis back: another user", dave, "dave")
}
