package cookieseal

import (
	"os"
	"path/filepath"
	"testing"
)

// TestReloadReportsOnlyNews checks the changed flag that Run uses to call
// onError once per new failure rather than on every poll.
func TestReloadReportsOnlyNews(t *testing.T) {
	good := GenerateSecret() + "\n"
	path := filepath.Join(t.TempDir(), "secrets")
	write := func(text string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	c, err := New(Config{Secrets: []string{GenerateSecret()}})
	if err != nil {
		t.Fatal(err)
	}
	write(good)
	r, err := NewReloader(c, path)
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name    string
		do      func()
		changed bool
		fails   bool
	}{
		{"unchanged valid file", func() {}, false, false},
		{"file turns invalid", func() { write("short\n") }, true, true},
		{"still invalid", func() {}, false, true},
		{"another invalid content", func() { write("# none\n") }, true, true},
		{"valid again", func() { write(good) }, true, false},
		{"file removed", func() { os.Remove(path) }, true, true},
		{"still removed", func() {}, false, true},
		{"back with the same content", func() { write(good) }, true, false},
		{"unchanged after that", func() {}, false, false},
	}
	for _, st := range steps {
		st.do()
		changed, err := r.reload()
		if changed != st.changed || (err != nil) != st.fails {
			t.Errorf("%s: got changed %t, error %v; want changed %t, failure %t", st.name, changed, err, st.changed, st.fails)
		}
	}
}
