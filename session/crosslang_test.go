package session

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cookieseal/cookieseal"
	"github.com/stretchr/testify/require"
)

// TestCrossLanguageSession: a session that the Manager wrote, typed values
// and all, opens in the JavaScript package (js/dist, through its Cookies,
// which assembles a session in two cookies too) and in the Python package
// (its public Codec.open, for one cookie and for the value of two cookies
// joined as SPEC.md section 10 says), with the types
// each gives Go's values.
//
// It runs when COOKIESEAL_SESSION_CROSSLANG=1 (.ci/run sets it after it has
// built js/ and installed python/):
//
//	COOKIESEAL_SESSION_NODE=node        Node, on js/dist (cd js && npm ci && npm run build)
//	COOKIESEAL_SESSION_PYTHON=python3   a Python with the package's dependencies (pip install -e python);
//	                                    the package itself is this tree's python/src
//
// Under CI=true a missing Node, js/dist or Python package is a failure.
func TestCrossLanguageSession(t *testing.T) {
	if os.Getenv("COOKIESEAL_SESSION_CROSSLANG") == "" {
		t.Skip("set COOKIESEAL_SESSION_CROSSLANG=1 to open the Manager's sessions in JS and Python")
	}
	missing := func(format string, args ...any) {
		t.Helper()
		if os.Getenv("CI") != "" {
			t.Fatalf(format, args...)
		}
		t.Skipf(format, args...)
	}
	node := envOr("COOKIESEAL_SESSION_NODE", "node")
	python := envOr("COOKIESEAL_SESSION_PYTHON", "python3")
	dist, absErr := filepath.Abs(filepath.Join("..", "js", "dist", "index.js"))
	require.NoError(t, absErr)
	if _, err := exec.LookPath(node); err != nil {
		missing("no Node (%v)", err)
	}
	if _, err := os.Stat(dist); err != nil {
		missing("no JS build: cd js && npm ci && npm run build (%v)", err)
	}
	pySrc, absErr := filepath.Abs(filepath.Join("..", "python", "src"))
	require.NoError(t, absErr)
	pyEnv := append(os.Environ(), "PYTHONPATH="+pySrc) // this tree's package
	probe := exec.Command(python, "-c", "import cookieseal")
	probe.Env = pyEnv
	if out, err := probe.CombinedOutput(); err != nil {
		missing("no Python with the cookieseal package's dependencies: pip install -e python (%v: %s)", err, out)
	}

	secret := cookieseal.GenerateSecret()
	codec, err := cookieseal.New(cookieseal.Config{Secrets: []string{secret}}) // the real clock: the other languages open at theirs
	require.NoError(t, err)
	m := New(codec)
	m.Cookie.MaxHeaderBytes = 12288
	when := time.Date(2026, 11, 27, 17, 0, 0, 123456789, time.FixedZone("", 5*3600+1800))
	put := func(pad string) string {
		b := newBrowser()
		inRequest(m, b, func(ctx context.Context) {
			m.RenewToken(ctx)
			m.Put(ctx, "user", 42)
			m.Put(ctx, "big", int64(1)<<40)
			m.Put(ctx, "name", "Ada ☕")
			m.Put(ctx, "admin", true)
			m.Put(ctx, "ratio", 0.25)
			m.Put(ctx, "raw", []byte{0, 1, 254, 255})
			m.Put(ctx, "when", when)
			m.Put(ctx, "roles", []string{"admin", "dev"})
			if pad != "" {
				m.Put(ctx, "pad", pad)
			}
		})
		return b.header()
	}
	dir := t.TempDir()
	one, two := filepath.Join(dir, "one.txt"), filepath.Join(dir, "two.txt")
	require.NoError(t, os.WriteFile(one, []byte(put("")), 0o600))
	twoHeader := put(strings.Repeat("p", 4000))
	require.Equal(t, 2, strings.Count(twoHeader, "__Host-session"), "two cookies: %.80s", twoHeader)
	require.NoError(t, os.WriteFile(two, []byte(twoHeader), 0o600))
	env := append(os.Environ(), "COOKIESEAL_SECRETS="+secret)

	js := `
const { Codec, Cookies } = await import(process.argv[1])
const fs = await import('node:fs')
const cookies = new Cookies(new Codec({ secrets: [process.env.COOKIESEAL_SECRETS] }), { hostPrefix: true })
for (const file of process.argv.slice(2)) {
  const s = cookies.read(fs.readFileSync(file, 'latin1'), 'session')
  const m = s.value // an object: every key is a string
  const lines = []
  for (const k of Object.keys(m).sort()) {
    const v = m[k]
    const kind = v instanceof Uint8Array ? 'Uint8Array' : Array.isArray(v) ? 'Array' : v === null ? 'null' : typeof v === 'object' ? v.constructor.name : typeof v
    const text = v instanceof Uint8Array ? Buffer.from(v).toString('base64') : Array.isArray(v) ? JSON.stringify(v) : typeof v === 'object' ? JSON.stringify(v, (_, x) => typeof x === 'bigint' ? x.toString() : x) : String(v)
    lines.push(k + '=' + kind + ':' + (k === 'pad' ? text.length : text))
  }
  console.log(lines.join('\n') + '\n--')
}
`
	cmd := exec.Command(node, "--input-type=module", "-e", js, "file://"+dist, one, two)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	t.Logf("JS:\n%s", out)
	jsOne, jsTwo := splitRuns(t, string(out))

	py := `
import base64, json, os, sys
from cookieseal import Codec
codec = Codec([os.environ["COOKIESEAL_SECRETS"]])
def show(m):
    lines = []
    for k in sorted(m.keys()):
        v = m[k]
        if isinstance(v, bytes):
            text = base64.b64encode(v).decode()
        elif isinstance(v, list):
            text = json.dumps(list(v))
        elif isinstance(v, int) and not isinstance(v, bool):
            text = str(int(v))
        elif k == "pad":
            text = str(len(v))
        else:
            text = str(v)
        lines.append(f"{k}={type(v).__name__}:{text}")
    print("\n".join(lines) + "\n--")
def pairs(path):
    return dict(p.split("=", 1) for p in open(path, encoding="latin-1").read().split("; "))
show(codec.open("__Host-session", pairs(sys.argv[1])["__Host-session"]))
# Two cookies: the head holds the count, a ".", and part 0 (SPEC.md
# section 10); the value is the parts joined, opened as one.
two = pairs(sys.argv[2])
count, first = two["__Host-session"].split(".", 1)
joined = first + "".join(two[f"__Host-session.{i}"] for i in range(1, int(count)))
whole = Codec([os.environ["COOKIESEAL_SECRETS"]], max_length=len("__Host-session") + 1 + len(joined))
show(whole.open("__Host-session", joined))
`
	cmd = exec.Command(python, "-c", py, one, two)
	cmd.Env = append(pyEnv, "COOKIESEAL_SECRETS="+secret)
	out, err = cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	t.Logf("Python:\n%s", out)
	pyOne, pyTwo := splitRuns(t, string(out))

	wantJS := []string{
		"admin=boolean:true",
		"big=bigint:1099511627776",
		"name=string:Ada ☕",
		"ratio=number:0.25",
		"raw=Uint8Array:AAH+/w==",
		`roles=Array:["admin","dev"]`,
		"user=number:42",
		"when=string:2026-11-27T17:00:00.123456789+05:30",
	}
	wantPy := []string{
		"admin=bool:True",
		"big=Int64:1099511627776",
		"name=str:Ada ☕",
		"ratio=float:0.25",
		"raw=bytes:AAH+/w==",
		`roles=Strings:["admin", "dev"]`,
		"user=int:42",
		"when=Time:2026-11-27T17:00:00.123456789+05:30",
	}
	require.Equal(t, wantJS, jsOne)
	require.Equal(t, withPad(wantJS, "pad=string:4000"), jsTwo)
	require.Equal(t, wantPy, pyOne)
	require.Equal(t, withPad(wantPy, "pad=str:4000"), pyTwo)
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// splitRuns splits the output of the two files' runs, each ended by "--".
func splitRuns(t *testing.T, out string) ([]string, []string) {
	t.Helper()
	runs := strings.Split(strings.TrimSpace(out), "\n--")
	require.Len(t, runs, 3, "%s", out) // two runs and what follows the last "--"
	return strings.Split(strings.TrimSpace(runs[0]), "\n"), strings.Split(strings.TrimSpace(runs[1]), "\n")
}

// withPad returns lines with the pad line, sorted.
func withPad(lines []string, pad string) []string {
	out := append(append([]string(nil), lines...), pad)
	sort.Strings(out)
	return out
}
