package cookieseal_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cookieseal/cookieseal"
)

// writeAtomic replaces path with text the way secret agents do: a
// temporary file in the same directory, then rename.
func writeAtomic(t *testing.T, path, text string) {
	t.Helper()
	tmp, err := os.CreateTemp(filepath.Dir(path), ".secrets-*")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tmp.WriteString(text); err != nil {
		t.Fatal(err)
	}
	if err := tmp.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		t.Fatal(err)
	}
}

// keyIDsOf returns the key IDs a codec with these secrets would have.
func keyIDsOf(t *testing.T, secrets ...string) []cookieseal.KeyID {
	t.Helper()
	c, err := cookieseal.New(cookieseal.Config{Secrets: secrets})
	if err != nil {
		t.Fatal(err)
	}
	return c.KeyIDs()
}

// sealedBy returns a cookie sealed by secret alone.
func sealedBy(t *testing.T, secret string) string {
	t.Helper()
	c, err := cookieseal.New(cookieseal.Config{Secrets: []string{secret}})
	if err != nil {
		t.Fatal(err)
	}
	return mustEncode(t, c, "session", map[string]string{"sealed": "yes"})
}

// checkNoSecret fails if err's text contains any of the secrets.
func checkNoSecret(t *testing.T, err error, secrets ...string) {
	t.Helper()
	for i, s := range secrets {
		if strings.Contains(err.Error(), s) || strings.Contains(err.Error(), s[:16]) {
			t.Errorf("error quotes secret %d: %v", i, err)
		}
	}
}

// TestReloaderRewritesUnderConcurrentDecode rewrites the secrets file
// (valid, invalid, valid, ...) while other goroutines decode, both by
// calling Reload and with Run polling, and checks that no cookie sealed by
// a secret of the file in force ever fails.
func TestReloaderRewritesUnderConcurrentDecode(t *testing.T) {
	a, b, c := cookieseal.GenerateSecret(), cookieseal.GenerateSecret(), cookieseal.GenerateSecret()
	cookies := map[string]string{a: sealedBy(t, a), b: sealedBy(t, b), c: sealedBy(t, c)}
	path := filepath.Join(t.TempDir(), "secrets")
	writeAtomic(t, path, "# cookieseal\n"+a+"\n")

	codec, err := cookieseal.New(cookieseal.Config{Secrets: []string{a}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := cookieseal.NewReloader(codec, path)
	if err != nil {
		t.Fatal(err)
	}

	// Secret a is in every valid file, so its cookie must never fail; the
	// others may fail only as ErrUnknownKey, never as anything else.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	var decodes atomic.Int64
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				for s, cookie := range cookies {
					var v map[string]string
					err := codec.Decode("session", cookie, &v)
					switch {
					case s == a && err != nil:
						t.Errorf("worker %d: cookie of a secret in every file failed: %v", w, err)
						return
					case err != nil && !errors.Is(err, cookieseal.ErrUnknownKey):
						t.Errorf("worker %d: got %v, want nil or ErrUnknownKey", w, err)
						return
					}
					decodes.Add(1)
				}
			}
		}()
	}
	var reported []error
	var reportedMu sync.Mutex
	runDone := make(chan error, 1)
	go func() {
		runDone <- r.Run(ctx, time.Millisecond, func(err error) {
			reportedMu.Lock()
			defer reportedMu.Unlock()
			reported = append(reported, err)
		})
	}()

	steps := []struct {
		name  string
		text  string
		valid []string // the ring after the step: the file's, or the last valid one
		bad   bool
	}{
		{"add b second", a + "\n" + b + "\n", []string{a, b}, false},
		{"b first", b + "\n" + a + "  # retiring\n", []string{b, a}, false},
		{"a short secret", b + "\nshort-secret\n" + a + "\n", []string{b, a}, true},
		{"no secrets at all", "# emptied by mistake\n", []string{b, a}, true},
		{"two identical secrets", a + "\n" + a + "\n", []string{b, a}, true},
		{"drop b, add c", a + "\n" + c + "\n", []string{a, c}, false},
		{"same secrets, new comment", "# rotated\n" + a + "\n" + c + "\n", []string{a, c}, false},
		{"c first", c + "\n" + a + "\n", []string{c, a}, false},
		{"back to a alone", a + "\n", []string{a}, false},
	}
	for _, st := range steps {
		writeAtomic(t, path, st.text)
		err := r.Reload()
		if st.bad {
			if err == nil {
				t.Fatalf("%s: Reload accepted an invalid file", st.name)
			}
			checkNoSecret(t, err, a, b, c)
		} else if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if got, want := codec.KeyIDs(), keyIDsOf(t, st.valid...); !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: got key IDs %v, want %v", st.name, got, want)
		}
		inRing := map[string]bool{}
		for _, s := range st.valid {
			inRing[s] = true
		}
		for s, cookie := range cookies {
			var v map[string]string
			err := codec.Decode("session", cookie, &v)
			if inRing[s] && err != nil {
				t.Errorf("%s: cookie of a secret in the ring: %v", st.name, err)
			}
			if !inRing[s] && !errors.Is(err, cookieseal.ErrUnknownKey) {
				t.Errorf("%s: cookie of a secret not in the ring: got %v, want ErrUnknownKey", st.name, err)
			}
		}
	}
	before := decodes.Load()
	deadline := time.Now().Add(5 * time.Second)
	for decodes.Load() < before+100 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	cancel()
	wg.Wait()
	if err := <-runDone; !errors.Is(err, context.Canceled) {
		t.Errorf("Run returned %v, want context.Canceled", err)
	}
	if decodes.Load() == 0 {
		t.Fatal("no decode ran concurrently")
	}
	reportedMu.Lock()
	defer reportedMu.Unlock()
	for _, err := range reported {
		checkNoSecret(t, err, a, b, c)
	}
	t.Logf("%d concurrent decodes, %d errors reported by Run", decodes.Load(), len(reported))
}

func TestReloaderSameSizeSameModTime(t *testing.T) {
	a, b := cookieseal.GenerateSecret(), cookieseal.GenerateSecret()
	path := filepath.Join(t.TempDir(), "secrets")
	if err := os.WriteFile(path, []byte(a+"\n"+b+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	codec := newCodec(t)
	r, err := cookieseal.NewReloader(codec, path)
	if err != nil {
		t.Fatal(err)
	}
	// Swap the lines in place: same size; then put the old mtime back.
	if err := os.WriteFile(path, []byte(b+"\n"+a+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, fi.ModTime(), fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	if fi2, err := os.Stat(path); err != nil || fi2.Size() != fi.Size() || !fi2.ModTime().Equal(fi.ModTime()) {
		t.Fatalf("rewrite changed size or mtime (%v): the test proves nothing", err)
	}
	if err := r.Reload(); err != nil {
		t.Fatal(err)
	}
	if got, want := codec.KeyIDs(), keyIDsOf(t, b, a); !reflect.DeepEqual(got, want) {
		t.Errorf("got key IDs %v, want %v", got, want)
	}
}

// TestReloaderSymlinkSwap replays a Kubernetes secret volume update: the
// file is a symlink through ..data, which is swapped by rename to a new
// timestamped directory.
func TestReloaderSymlinkSwap(t *testing.T) {
	a, b := cookieseal.GenerateSecret(), cookieseal.GenerateSecret()
	dir := t.TempDir()
	version := func(name, text string) {
		t.Helper()
		if err := os.Mkdir(filepath.Join(dir, name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name, "secrets"), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(name, filepath.Join(dir, "..data_tmp")); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(filepath.Join(dir, "..data_tmp"), filepath.Join(dir, "..data")); err != nil {
			t.Fatal(err)
		}
	}
	version("..2026_12_08_v1", a+"\n")
	path := filepath.Join(dir, "secrets")
	if err := os.Symlink(filepath.Join("..data", "secrets"), path); err != nil {
		t.Fatal(err)
	}
	codec := newCodec(t)
	r, err := cookieseal.NewReloader(codec, path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := codec.KeyIDs(), keyIDsOf(t, a); !reflect.DeepEqual(got, want) {
		t.Fatalf("got key IDs %v, want %v", got, want)
	}
	version("..2026_12_08_v2", b+"\n"+a+"\n")
	if err := os.RemoveAll(filepath.Join(dir, "..2026_12_08_v1")); err != nil {
		t.Fatal(err)
	}
	if err := r.Reload(); err != nil {
		t.Fatal(err)
	}
	if got, want := codec.KeyIDs(), keyIDsOf(t, b, a); !reflect.DeepEqual(got, want) {
		t.Errorf("after the swap got key IDs %v, want %v", got, want)
	}
}

func TestReloaderMissingAndOversizedFile(t *testing.T) {
	a, b := cookieseal.GenerateSecret(), cookieseal.GenerateSecret()
	path := filepath.Join(t.TempDir(), "secrets")
	codec := newCodec(t)
	ring := codec.KeyIDs()

	if _, err := cookieseal.NewReloader(codec, path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: got %v, want os.ErrNotExist", err)
	}
	if got := codec.KeyIDs(); !reflect.DeepEqual(got, ring) {
		t.Errorf("a failed NewReloader changed the ring to %v", got)
	}

	writeAtomic(t, path, a+"\n")
	r, err := cookieseal.NewReloader(codec, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := r.Reload(); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("removed file: got %v, want os.ErrNotExist", err)
	}
	if got, want := codec.KeyIDs(), keyIDsOf(t, a); !reflect.DeepEqual(got, want) {
		t.Errorf("removed file: got key IDs %v, want %v kept", got, want)
	}

	big := b + "\n" + strings.Repeat("#", cookieseal.MaxSecretsFileSize) + "\n"
	writeAtomic(t, path, big)
	if err := r.Reload(); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("oversized file: got %v, want a size error", err)
	} else {
		checkNoSecret(t, err, a, b)
	}
	if got, want := codec.KeyIDs(), keyIDsOf(t, a); !reflect.DeepEqual(got, want) {
		t.Errorf("oversized file: got key IDs %v, want %v kept", got, want)
	}

	// Exactly the limit is accepted.
	exact := b + "\n" + a + "\n" + strings.Repeat("#", cookieseal.MaxSecretsFileSize-len(b)-len(a)-3) + "\n"
	writeAtomic(t, path, exact)
	if err := r.Reload(); err != nil {
		t.Errorf("file of exactly MaxSecretsFileSize bytes: %v", err)
	}
	if got, want := codec.KeyIDs(), keyIDsOf(t, b, a); !reflect.DeepEqual(got, want) {
		t.Errorf("got key IDs %v, want %v", got, want)
	}
}

func TestNewReloaderRefusesInvalidFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secrets")
	writeAtomic(t, path, "# no secret yet\n")
	codec := newCodec(t)
	ring := codec.KeyIDs()
	if _, err := cookieseal.NewReloader(codec, path); err == nil {
		t.Error("NewReloader accepted a file without secrets")
	}
	if err := codec.WatchSecretsFile(context.Background(), path, time.Second, nil); err == nil {
		t.Error("WatchSecretsFile accepted a file without secrets")
	}
	if got := codec.KeyIDs(); !reflect.DeepEqual(got, ring) {
		t.Errorf("got key IDs %v after refused files, want %v", got, ring)
	}
}

func TestWatchSecretsFile(t *testing.T) {
	a, b := cookieseal.GenerateSecret(), cookieseal.GenerateSecret()
	path := filepath.Join(t.TempDir(), "secrets")
	writeAtomic(t, path, a+"\n")
	codec := newCodec(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	for _, every := range []time.Duration{0, -time.Second} {
		if err := codec.WatchSecretsFile(ctx, path, every, nil); err == nil {
			t.Errorf("WatchSecretsFile accepted interval %v", every)
		}
	}
	errs := make(chan error, 16)
	if err := codec.WatchSecretsFile(ctx, path, 2*time.Millisecond, func(err error) { errs <- err }); err != nil {
		t.Fatal(err)
	}
	if got, want := codec.KeyIDs(), keyIDsOf(t, a); !reflect.DeepEqual(got, want) {
		t.Fatalf("after WatchSecretsFile got key IDs %v, want %v (loaded at once)", got, want)
	}

	writeAtomic(t, path, b+"\n"+a+"\n")
	want := keyIDsOf(t, b, a)
	deadline := time.Now().Add(5 * time.Second)
	for !reflect.DeepEqual(codec.KeyIDs(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("the watcher did not apply the new file within 5s: key IDs %v, want %v", codec.KeyIDs(), want)
		}
		time.Sleep(time.Millisecond)
	}

	writeAtomic(t, path, "too-short\n")
	select {
	case err := <-errs:
		checkNoSecret(t, err, a, b)
		if !strings.Contains(err.Error(), "keeping the current keys") {
			t.Errorf("got %v, want it to say the keys were kept", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("onError was not called within 5s of an invalid file")
	}
	if got := codec.KeyIDs(); !reflect.DeepEqual(got, want) {
		t.Errorf("after an invalid file got key IDs %v, want %v", got, want)
	}
}

func TestReloaderRunStopsAndRefusesBadInterval(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secrets")
	writeAtomic(t, path, cookieseal.GenerateSecret()+"\n")
	r, err := cookieseal.NewReloader(newCodec(t), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Run(context.Background(), 0, nil); err == nil {
		t.Error("Run accepted interval 0")
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx, time.Millisecond, nil) }()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("got %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return within 5s of cancel")
	}
}

// BenchmarkReloaderPoll is the cost of one poll of an unchanged file of
// three secrets: open, read, hash, close.
func BenchmarkReloaderPoll(b *testing.B) {
	path := filepath.Join(b.TempDir(), "secrets")
	text := "# cookieseal\n" + cookieseal.GenerateSecret() + "\n" + cookieseal.GenerateSecret() + "\n" + cookieseal.GenerateSecret() + "\n"
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		b.Fatal(err)
	}
	c, err := cookieseal.New(cookieseal.Config{Secrets: []string{cookieseal.GenerateSecret()}})
	if err != nil {
		b.Fatal(err)
	}
	r, err := cookieseal.NewReloader(c, path)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if err := r.Reload(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReloaderChange is the cost of a poll that finds a new file of
// three secrets and installs it: the poll plus key derivation.
func BenchmarkReloaderChange(b *testing.B) {
	path := filepath.Join(b.TempDir(), "secrets")
	s1, s2, s3 := cookieseal.GenerateSecret(), cookieseal.GenerateSecret(), cookieseal.GenerateSecret()
	texts := []string{s1 + "\n" + s2 + "\n" + s3 + "\n", s2 + "\n" + s3 + "\n" + s1 + "\n"}
	if err := os.WriteFile(path, []byte(texts[0]), 0o600); err != nil {
		b.Fatal(err)
	}
	c, err := cookieseal.New(cookieseal.Config{Secrets: []string{s1}})
	if err != nil {
		b.Fatal(err)
	}
	r, err := cookieseal.NewReloader(c, path)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		b.StopTimer()
		if err := os.WriteFile(path, []byte(texts[i%2]), 0o600); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := r.Reload(); err != nil {
			b.Fatal(err)
		}
	}
}
