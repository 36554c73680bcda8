package cookieseal

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"sync"
	"time"
)

// MaxSecretsFileSize is the largest secrets file a Reloader reads, in bytes.
// A real one holds a few lines; anything bigger is the wrong file.
const MaxSecretsFileSize = 64 << 10 // bytes

// Reloader keeps a Codec's keyring equal to the secrets in a file (see
// [ParseSecretsFile] for the format), so keys rotate without a restart.
//
// Each read opens the path anew (following symbolic links again), takes the
// whole file and compares its SHA-256 with that of the content last applied;
// only a change can call [Codec.SetSecrets]. Reading
// the content, not just the modification time and size, catches a rewrite of
// the same size within the file system's time resolution, and every way of
// replacing the file: in place, by rename, or by the symlink swap of a
// Kubernetes secret volume.
//
// A read can land in the middle of an in-place rewrite and see a torn file,
// for example the first 40 bytes of a new 43-byte secret, which looks like a
// valid secret (Kubernetes files often have no trailing newline, so a
// missing newline proves nothing). Two rules keep such a read from ever
// becoming the sealing key:
//
//   - Settled content only. New content is applied only when two consecutive
//     reads give the same bytes: [Reloader.Run] applies a change at the
//     second poll that sees it (so within two intervals of the write), and
//     [Reloader.Reload] reads the file twice. Content that changed between
//     the two reads is not applied; Run waits for the next poll, Reload
//     reports it.
//   - Keep a key. After the first load, a file that keeps none of the keys
//     in force is refused, as a torn write of a new first secret would be;
//     rotate by adding the new secret first (the runbook does). To replace
//     every key at once (a leaked key), set
//     [ReloaderOptions.AllowReplaceAll], or restart.
//
// A file that is not valid UTF-8, that SetSecrets refuses (no secrets, one
// too short, two identical), that breaks a rule above, or that cannot be read leaves the keyring as it
// was, and Reload says why without quoting the file.
//
// The file should be readable by its owner only: [Reloader.Warning] (and
// Run, through onError, once per mode) reports a *[FileModeWarning] when its
// group or others may access it. Writing the file atomically (a temporary
// file, then rename), as Kubernetes and most secret agents do, is still the
// better practice.
//
// The file owns the keyring: a SetSecrets call made elsewhere is not undone
// until the file changes. A Reloader is safe for concurrent use.
type Reloader struct {
	codec *Codec
	path  string
	opts  ReloaderOptions

	mu      sync.Mutex
	loaded  bool              // the file's secrets were applied at least once
	seen    bool              // sum holds the digest of settled content
	sum     [sha256.Size]byte // of the content last settled, not of any secret alone
	err     error             // outcome of applying that content; nil if applied
	readErr error             // the last read failure, nil after a good read
	pending bool              // next holds the digest of content read once
	next    [sha256.Size]byte // content seen by the last read, not yet settled
	mode    fs.FileMode       // permission bits of the file last read
	warned  fs.FileMode       // mode last reported by Run, 0 if none
	entries []SecretEntry     // of the content applied, for activation times
	first   string            // the sealing secret last applied

	read func(path string) ([]byte, fs.FileMode, error) // readSecretsFileMode unless a test sets it
}

// ReloaderOptions tunes a Reloader. The zero value is the safe default.
type ReloaderOptions struct {
	// AllowReplaceAll lets a reload apply a file that keeps none of the
	// secrets in force. Without it such a file is refused: that is what a
	// torn in-place write of a new first secret looks like, and applying it
	// logs every user out. Replacing every key at once logs every user out
	// too; set this only where that is the intent.
	AllowReplaceAll bool
}

// FileModeWarning says that a secrets file can be accessed by its group or
// by others. It is a warning: the secrets are applied all the same.
type FileModeWarning struct {
	Path string      // the secrets file
	Mode fs.FileMode // permission bits
}

// Error says which file is too open and how to fix it.
func (w *FileModeWarning) Error() string {
	return fmt.Sprintf("cookieseal: secrets file %s has mode %04o: its group or others can access it; "+
		"make it readable by its owner only (chmod 600, or defaultMode: 0400 for a Kubernetes secret volume)", w.Path, uint32(w.Mode))
}

// NewReloader reads the secrets file at path and sets c's keyring from it,
// with the default ReloaderOptions. It fails, leaving c as it was, if the
// file cannot be read, changes between two reads, or its secrets are
// refused.
func NewReloader(c *Codec, path string) (*Reloader, error) {
	return NewReloaderWithOptions(c, path, ReloaderOptions{})
}

// NewReloaderWithOptions is NewReloader with options.
func NewReloaderWithOptions(c *Codec, path string, opts ReloaderOptions) (*Reloader, error) {
	r := &Reloader{codec: c, path: path, opts: opts}
	if err := r.Reload(); err != nil {
		return nil, err
	}
	return r, nil
}

// Reload reads the secrets file and reads it again, and if both reads agree
// and the content changed since it was last applied, gives its secrets to
// SetSecrets. On error the keyring stays as it was; an unchanged file that
// was refused before returns the same error.
func (r *Reloader) Reload() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, err := r.poll()
	if r.pending {
		_, err = r.poll()
		if r.pending {
			err = fmt.Errorf("cookieseal: secrets file %s changed between two reads, keeping the current keys; reload once it is written", r.path)
		}
	}
	return err
}

// Warning returns a *FileModeWarning if the file, when last read, could be
// accessed by its group or others; otherwise nil.
func (r *Reloader) Warning() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.modeWarning()
}

func (r *Reloader) modeWarning() error {
	if r.mode&0o077 == 0 || runtime.GOOS == "windows" {
		return nil
	}
	return &FileModeWarning{Path: r.path, Mode: r.mode}
}

// reload is one poll of Run: it reads the file once, and says whether the
// outcome is news (the content settled, or the read failure differs from the
// last one).
func (r *Reloader) reload() (changed bool, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.poll()
}

// poll reads the file once. Content that differs from the settled content
// is applied only if the previous poll read the same bytes; otherwise it is
// remembered, and poll returns the outcome of the settled content.
func (r *Reloader) poll() (changed bool, err error) {
	read := r.read
	if read == nil {
		read = readSecretsFileMode
	}
	b, mode, err := read(r.path)
	if err != nil {
		err = fmt.Errorf("cookieseal: reloading secrets, keeping the current keys: %w", err)
		changed = r.readErr == nil || r.readErr.Error() != err.Error()
		r.readErr = err
		r.pending = false // content must be seen on two reads in a row
		return changed, err
	}
	hadReadErr := r.readErr != nil
	r.readErr = nil
	r.mode = mode
	sum := sha256.Sum256(b)
	if r.seen && sum == r.sum {
		r.pending = false
		return r.activate() || hadReadErr, r.err
	}
	if !r.pending || sum != r.next {
		r.pending, r.next = true, sum // seen once: wait for a second read
		return hadReadErr, r.err
	}
	r.pending = false
	r.seen, r.sum = true, sum
	r.err = r.apply(b)
	return true, r.err
}

// apply parses the file's content and gives its secrets to SetSecrets,
// unless a reload after the first would drop every key in force.
func (r *Reloader) apply(content []byte) error {
	refused := func(err error) error {
		return fmt.Errorf("cookieseal: secrets file %s refused, keeping the current keys: %w", r.path, err)
	}
	entries, err := ParseSecretsFileEntries(string(content))
	if err != nil {
		return refused(err)
	}
	secrets, err := RingOrder(entries, r.codec.now())
	if err != nil {
		return refused(err)
	}
	if r.loaded && !r.opts.AllowReplaceAll {
		// Check the list first, so that a bad list says what is wrong with it.
		if _, err := newKeyring(secrets, r.codec.ring.Load()); err != nil {
			return refused(err)
		}
		if !r.keepsAKey(secrets) {
			return refused(errors.New("it keeps none of the current keys, as a torn write would " +
				"(add a new secret before removing the old ones, or set ReloaderOptions.AllowReplaceAll)"))
		}
	}
	if err := r.codec.SetSecrets(secrets); err != nil {
		return refused(err)
	}
	r.loaded = true
	r.entries, r.first = entries, secrets[0]
	return nil
}

// activate puts first, once its activate= time has come, the secret that
// the settled content says should seal now (SESSIONS.md S7.5), and reports
// whether it changed the ring. The file need not change: every poll checks.
func (r *Reloader) activate() bool {
	if r.err != nil || len(r.entries) == 0 {
		return false
	}
	secrets, err := RingOrder(r.entries, r.codec.now())
	if err != nil || secrets[0] == r.first {
		return false
	}
	if r.codec.SetSecrets(secrets) != nil {
		return false
	}
	r.first = secrets[0]
	return true
}

// keepsAKey reports whether one of secrets is in the codec's ring.
func (r *Reloader) keepsAKey(secrets []string) bool {
	ring := r.codec.ring.Load()
	for _, s := range secrets {
		sum := sha256.Sum256([]byte(s))
		for _, k := range ring.keys {
			if k.sum == sum {
				return true
			}
		}
	}
	return false
}

// readSecretsFile reads at most MaxSecretsFileSize bytes of path. Errors name
// the file but never quote it.
func readSecretsFile(path string) ([]byte, error) {
	b, _, err := readSecretsFileMode(path)
	return b, err
}

// readSecretsFileMode is readSecretsFile that also returns the permission
// bits of the file it read (after following symbolic links).
func readSecretsFileMode(path string) ([]byte, fs.FileMode, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err // *PathError: operation, path, cause
	}
	defer f.Close()
	var mode fs.FileMode
	if fi, err := f.Stat(); err == nil {
		mode = fi.Mode().Perm()
	}
	b, err := io.ReadAll(io.LimitReader(f, MaxSecretsFileSize+1))
	if err != nil {
		return nil, 0, fmt.Errorf("reading %s: %w", path, err)
	}
	if len(b) > MaxSecretsFileSize {
		return nil, 0, fmt.Errorf("%s is larger than %d bytes", path, MaxSecretsFileSize)
	}
	return b, mode, nil
}

// Run polls the file every interval until ctx is done, then returns ctx's
// error. A change is applied at the second poll in a row that reads it (see
// Reloader). It calls onError, if not nil, with each new failure: once when
// the file turns invalid or unreadable, not again until it changes; and with
// a *FileModeWarning once for each group- or world-accessible mode the file
// is seen with, starting with the mode it has when Run starts. Errors never
// quote a secret, so onError may log them.
func (r *Reloader) Run(ctx context.Context, every time.Duration, onError func(error)) error {
	if every <= 0 {
		return errInterval(every)
	}
	r.warnMode(onError)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			if changed, err := r.reload(); changed && err != nil && onError != nil {
				onError(err)
			}
			r.warnMode(onError)
		}
	}
}

// warnMode calls onError with a FileModeWarning if the file's mode is open
// to others and differs from the mode last reported.
func (r *Reloader) warnMode(onError func(error)) {
	r.mu.Lock()
	w := r.modeWarning()
	if w == nil {
		r.warned = 0
	} else if r.mode == r.warned {
		w = nil
	} else {
		r.warned = r.mode
	}
	r.mu.Unlock()
	if w != nil && onError != nil {
		onError(w)
	}
}

func errInterval(every time.Duration) error {
	return fmt.Errorf("cookieseal: reload interval %v, want more than 0", every)
}

// WatchSecretsFile sets c's keyring from the secrets file at path, then
// polls the file every interval in a new goroutine until ctx is done, as
// [Reloader] describes, with the default ReloaderOptions: a change applies
// at the second poll that reads it, a file that keeps none of the current
// keys is refused, and onError hears of each new failure and of a file its
// group or others can access (*FileModeWarning). It returns an error, and
// starts nothing, if the file cannot be read, changes between two reads, its
// secrets are refused, or every is not positive.
//
// Each poll opens, stats, reads, hashes and closes the file: for a file of
// three secrets about 10µs and 900 bytes of garbage in 6 allocations
// (BenchmarkReloaderPoll, 2-core amd64), so polling every few seconds costs
// nothing measurable. Keys are derived again only when the content changes
// (BenchmarkReloaderChange: two reads, and three keys derived twice, once to
// check the list and once to install it; under 0.3 ms).
func (c *Codec) WatchSecretsFile(ctx context.Context, path string, every time.Duration, onError func(error)) error {
	if every <= 0 {
		return errInterval(every)
	}
	r, err := NewReloader(c, path)
	if err != nil {
		return err
	}
	go r.Run(ctx, every, onError)
	return nil
}
