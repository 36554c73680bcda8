package cookieseal

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// newFileReloader writes text to a new secrets file with mode 0600 and
// returns a Reloader over it for a codec that starts with the file's
// secrets.
func newFileReloader(t *testing.T, text string, opts ReloaderOptions) (*Reloader, *Codec, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "secrets")
	writeInPlace(t, path, text)
	secrets, err := ParseSecretsFile(text)
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(Config{Secrets: secrets})
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewReloaderWithOptions(c, path, opts)
	if err != nil {
		t.Fatal(err)
	}
	return r, c, path
}

// writeInPlace rewrites path in place (truncate, then write), as an editor
// or an agent that does not rename does.
func writeInPlace(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

func idsOf(t *testing.T, secrets ...string) []KeyID {
	t.Helper()
	ids := make([]KeyID, len(secrets))
	for i, s := range secrets {
		id, _, err := deriveKey(s)
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = id
	}
	return ids
}

// TestReloadReportsOnlyNews checks the changed flag that Run uses to call
// onError once per new failure rather than on every poll, with a change
// settling at the second poll that reads it.
func TestReloadReportsOnlyNews(t *testing.T) {
	good := GenerateSecret() + "\n"
	r, _, path := newFileReloader(t, good, ReloaderOptions{})
	write := func(text string) func() { return func() { writeInPlace(t, path, text) } }
	steps := []struct {
		name    string
		do      func()
		changed bool
		fails   bool
	}{
		{"unchanged valid file", nil, false, false},
		{"file turns invalid: first read", write("short\n"), false, false},
		{"second read: refused", nil, true, true},
		{"still invalid", nil, false, true},
		{"another invalid content: first read", write("# none\n"), false, true},
		{"second read: refused", nil, true, true},
		{"valid again: first read", write(good), false, true},
		{"second read: applied", nil, true, false},
		{"file removed", func() { os.Remove(path) }, true, true},
		{"still removed", nil, false, true},
		{"back with the same content", write(good), true, false},
		{"unchanged after that", nil, false, false},
	}
	for _, st := range steps {
		if st.do != nil {
			st.do()
		}
		changed, err := r.reload()
		if changed != st.changed || (err != nil) != st.fails {
			t.Errorf("%s: got changed %t, error %v; want changed %t, failure %t", st.name, changed, err, st.changed, st.fails)
		}
	}
}

// TestReloaderNeverAppliesATornWrite replays issue 10's finding: a poll in
// the middle of an in-place rewrite read the first 40 bytes of a new 43-byte
// secret, a valid-looking secret, and made it the sealing key.
func TestReloaderNeverAppliesATornWrite(t *testing.T) {
	old, fresh := GenerateSecret(), GenerateSecret()
	torn := fresh[:40]         // what a read saw mid-write: no newline, 40 bytes
	full := fresh + "\n" + old // the file being written, without a trailing newline
	tornID := idsOf(t, torn)[0]
	oldCookie := func(c *Codec) string {
		t.Helper()
		o, err := New(Config{Secrets: []string{old}})
		if err != nil {
			t.Fatal(err)
		}
		s, err := o.Encode("s", 1)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}

	t.Run("seen on one poll", func(t *testing.T) {
		// Even with the keep-a-key rule off, a torn state seen by one poll
		// only is never applied.
		r, c, path := newFileReloader(t, old+"\n", ReloaderOptions{AllowReplaceAll: true})
		cookie := oldCookie(c)
		for i, text := range []string{torn, full, "", "", ""} {
			if text != "" {
				writeInPlace(t, path, text)
			}
			if _, err := r.reload(); err != nil {
				t.Fatalf("poll %d: %v", i, err)
			}
			if slices := c.KeyIDs(); slicesContains(slices, tornID) {
				t.Fatalf("poll %d applied the torn secret: key IDs %v", i, slices)
			}
			if err := c.Decode("s", cookie, new(int)); err != nil {
				t.Fatalf("poll %d: a cookie of the old key fails: %v", i, err)
			}
		}
		if got, want := c.KeyIDs(), idsOf(t, fresh, old); !reflect.DeepEqual(got, want) {
			t.Errorf("after the write settled: key IDs %v, want %v", got, want)
		}
	})

	t.Run("seen on two polls", func(t *testing.T) {
		// A writer that stalls for a whole interval: two polls read the
		// torn state; it keeps none of the current keys, so it is refused.
		r, c, path := newFileReloader(t, old+"\n", ReloaderOptions{})
		cookie := oldCookie(c)
		writeInPlace(t, path, torn)
		r.reload()
		_, err := r.reload()
		if err == nil || !strings.Contains(err.Error(), "keeps none of the current keys") || strings.Contains(err.Error(), torn) {
			t.Errorf("torn file seen twice: got %v, want a refusal that quotes nothing", err)
		}
		if got, want := c.KeyIDs(), idsOf(t, old); !reflect.DeepEqual(got, want) {
			t.Errorf("key IDs %v, want %v kept", got, want)
		}
		if err := c.Decode("s", cookie, new(int)); err != nil {
			t.Errorf("a cookie of the old key fails: %v", err)
		}
		if err := r.Reload(); err == nil {
			t.Error("Reload applied the torn file")
		}
		writeInPlace(t, path, full)
		if err := r.Reload(); err != nil {
			t.Fatal(err)
		}
		if got, want := c.KeyIDs(), idsOf(t, fresh, old); !reflect.DeepEqual(got, want) {
			t.Errorf("after the write: key IDs %v, want %v", got, want)
		}
	})

	t.Run("Reload reads twice", func(t *testing.T) {
		// Reload's two reads straddle the end of the write: nothing applied.
		r, c, _ := newFileReloader(t, old+"\n", ReloaderOptions{AllowReplaceAll: true})
		reads := []string{torn, full}
		r.read = func(string) ([]byte, fs.FileMode, error) {
			b := reads[0]
			if len(reads) > 1 {
				reads = reads[1:]
			}
			return []byte(b), 0o600, nil
		}
		err := r.Reload()
		if err == nil || !strings.Contains(err.Error(), "changed between two reads") {
			t.Errorf("got %v, want a changed-between-reads error", err)
		}
		if got, want := c.KeyIDs(), idsOf(t, old); !reflect.DeepEqual(got, want) {
			t.Errorf("key IDs %v, want %v kept", got, want)
		}
		if err := r.Reload(); err != nil { // the file has settled
			t.Fatal(err)
		}
		if got, want := c.KeyIDs(), idsOf(t, fresh, old); !reflect.DeepEqual(got, want) {
			t.Errorf("after the write: key IDs %v, want %v", got, want)
		}
	})

	t.Run("replace all when allowed", func(t *testing.T) {
		r, c, path := newFileReloader(t, old+"\n", ReloaderOptions{AllowReplaceAll: true})
		writeInPlace(t, path, fresh)
		if err := r.Reload(); err != nil {
			t.Fatal(err)
		}
		if got, want := c.KeyIDs(), idsOf(t, fresh); !reflect.DeepEqual(got, want) {
			t.Errorf("key IDs %v, want %v", got, want)
		}
	})
}

func slicesContains(ids []KeyID, id KeyID) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func TestReloaderWarnsAboutFileMode(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permission bits")
	}
	r, _, path := newFileReloader(t, GenerateSecret()+"\n", ReloaderOptions{})
	var got []error
	onError := func(err error) { got = append(got, err) }
	if err := r.Warning(); err != nil {
		t.Errorf("mode 0600: Warning() = %v, want nil", err)
	}
	r.warnMode(onError)
	for _, step := range []struct {
		mode  fs.FileMode
		warns bool // a new warning from this poll
	}{
		{0o644, true},  // Kubernetes' default
		{0o644, false}, // reported once
		{0o640, true},  // group-readable: a new mode, a new warning
		{0o604, true},
		{0o400, false},
		{0o660, true},
		{0o600, false},
	} {
		if err := os.Chmod(path, step.mode); err != nil {
			t.Fatal(err)
		}
		before := len(got)
		if err := r.Reload(); err != nil {
			t.Fatal(err)
		}
		r.warnMode(onError)
		if warned := len(got) > before; warned != step.warns {
			t.Errorf("mode %04o: warned %t, want %t", step.mode, warned, step.warns)
		}
		var w *FileModeWarning
		open := step.mode&0o077 != 0
		if err := r.Warning(); errors.As(err, &w) != open || open && (w.Mode != step.mode || w.Path != path) {
			t.Errorf("mode %04o: Warning() = %v", step.mode, err)
		}
	}
	for _, err := range got {
		if !strings.Contains(err.Error(), "its group or others can access it") {
			t.Errorf("warning %q does not say what is wrong", err)
		}
	}
}
