package cookieseal

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"time"
)

// String returns the Config as Format prints it, every secret redacted.
func (c Config) String() string { return fmt.Sprint(c) }

// LogValue gives log/slog the redacted form of String.
func (c Config) LogValue() slog.Value { return slog.StringValue(c.String()) }

// MarshalJSON writes the Config's settings with every secret replaced by
// "[redacted]", so that json.Marshal of a struct holding a Config leaks no
// secret. Legacy decoders are counted, not written (they hold keys); Now is
// left out.
func (c Config) MarshalJSON() ([]byte, error) {
	redacted := make([]string, len(c.Secrets))
	for i := range redacted {
		redacted[i] = "[redacted]"
	}
	return json.Marshal(struct {
		Secrets    []string
		MaxAge     time.Duration
		RefreshAge time.Duration
		MaxLength  int
		Compress   bool
		Legacy     int
	}{redacted, c.MaxAge, c.RefreshAge, c.MaxLength, c.Compress, len(c.Legacy)})
}
