package cookieseal

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// MaxSecretsFileSize is the largest secrets file a Reloader reads, in bytes.
// A real one holds a few lines; anything bigger is the wrong file.
const MaxSecretsFileSize = 64 << 10 // bytes

// Reloader keeps a Codec's keyring equal to the secrets in a file (see
// [ParseSecretsFile] for the format), so keys rotate without a restart.
//
// Each [Reloader.Reload] reads the whole file and compares its SHA-256 with
// that of the last read; only a change calls [Codec.SetSecrets]. Reading the
// content, not just the modification time and size, catches a rewrite of the
// same size within the file system's time resolution, and every way of
// replacing the file: in place, by rename, or by the symlink swap of a
// Kubernetes secret volume. A file that SetSecrets refuses (no secrets, one
// too short, two identical) or that cannot be read leaves the keyring as it
// was, and Reload says why without quoting the file.
//
// Write the file atomically (a temporary file, then rename), as Kubernetes
// and most secret agents do: a Reloader that reads a file halfway through an
// in-place rewrite applies what it read if it is a valid list, for example
// the new first line without the old secret below it, until the next Reload.
//
// The file owns the keyring: a SetSecrets call made elsewhere is not undone
// until the file changes. A Reloader is safe for concurrent use.
type Reloader struct {
	codec *Codec
	path  string

	mu      sync.Mutex
	seen    bool              // sum holds the digest of a successful read
	sum     [sha256.Size]byte // of the content last read, not of any secret alone
	err     error             // outcome of applying that content; nil if applied
	readErr error             // the last read failure, nil after a good read
}

// NewReloader reads the secrets file at path and sets c's keyring from it.
// It fails, leaving c as it was, if the file cannot be read or its secrets
// are refused.
func NewReloader(c *Codec, path string) (*Reloader, error) {
	r := &Reloader{codec: c, path: path}
	if err := r.Reload(); err != nil {
		return nil, err
	}
	return r, nil
}

// Reload reads the secrets file and, if its content changed since the last
// Reload, gives its secrets to SetSecrets. On error the keyring stays as it
// was; an unchanged file that was refused before returns the same error.
func (r *Reloader) Reload() error {
	_, err := r.reload()
	return err
}

// reload is Reload that also says whether the outcome is news: the content
// or the read failure differs from the last call's.
func (r *Reloader) reload() (changed bool, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	b, err := readSecretsFile(r.path)
	if err != nil {
		err = fmt.Errorf("cookieseal: reloading secrets, keeping the current keys: %w", err)
		changed = r.readErr == nil || r.readErr.Error() != err.Error()
		r.readErr = err
		return changed, err
	}
	hadReadErr := r.readErr != nil
	r.readErr = nil
	sum := sha256.Sum256(b)
	if r.seen && sum == r.sum {
		return hadReadErr, r.err
	}
	r.seen, r.sum = true, sum
	r.err = nil
	if err := r.codec.SetSecrets(ParseSecretsFile(string(b))); err != nil {
		r.err = fmt.Errorf("cookieseal: secrets file %s refused, keeping the current keys: %w", r.path, err)
	}
	return true, r.err
}

// readSecretsFile reads at most MaxSecretsFileSize bytes of path. Errors name
// the file but never quote it.
func readSecretsFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err // *PathError: operation, path, cause
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxSecretsFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if len(b) > MaxSecretsFileSize {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, MaxSecretsFileSize)
	}
	return b, nil
}

// Run calls Reload every interval until ctx is done, then returns ctx's
// error. It calls onError, if not nil, with each new failure: once when the
// file turns invalid or unreadable, not again until it changes. Errors never
// quote a secret, so onError may log them.
func (r *Reloader) Run(ctx context.Context, every time.Duration, onError func(error)) error {
	if every <= 0 {
		return errInterval(every)
	}
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
		}
	}
}

func errInterval(every time.Duration) error {
	return fmt.Errorf("cookieseal: reload interval %v, want more than 0", every)
}

// WatchSecretsFile sets c's keyring from the secrets file at path, then
// polls the file every interval in a new goroutine until ctx is done, as
// [Reloader] describes. It returns an error, and starts nothing, if the file
// cannot be read, its secrets are refused, or every is not positive.
//
// Each poll opens, reads, hashes and closes the file: for a file of three
// secrets about 7µs and 700 bytes of garbage in 5 allocations
// (BenchmarkReloaderPoll, 2-core amd64), so polling every few seconds costs
// nothing measurable. Keys are derived again only when the content changes
// (about 45µs for three secrets, BenchmarkReloaderChange).
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
