package cookieseal

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// primitivesDir holds the externally written vectors (README.md there says
// where each came from); the tests read nothing outside the repository.
const primitivesDir = "testdata/primitives"

// readVectors loads one vector file. A missing file fails the test: vectors
// that silently vanish would leave the primitives untested.
func readVectors(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(primitivesDir, name))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, v))
}

// readKAT reads the "Name = hex" lines of a known-answer text file, in
// order, each [section] starting a new map.
func readKAT(t *testing.T, name string) []map[string][]byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(primitivesDir, name))
	require.NoError(t, err)
	var out []map[string][]byte
	cur := map[string][]byte{}
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "[") {
			if len(cur) > 0 {
				out = append(out, cur)
			}
			cur = map[string][]byte{}
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		v = strings.TrimSpace(v)
		if i := strings.IndexAny(v, " ("); i >= 0 {
			v = v[:i]
		}
		if v == "" {
			cur[strings.TrimSpace(k)] = []byte{}
			continue
		}
		d, err := hex.DecodeString(v)
		if err != nil {
			continue // not a hex value (Hash = SHA-256, L = 42)
		}
		cur[strings.TrimSpace(k)] = d
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

type hexBytes []byte

func (h *hexBytes) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	d, err := hex.DecodeString(s)
	*h = d
	return err
}

func TestWycheproofXChaCha20Poly1305(t *testing.T) {
	var file struct {
		TestGroups []struct {
			Tests []struct {
				TcID   int      `json:"tcId"`
				Flags  []string `json:"flags"`
				Key    hexBytes `json:"key"`
				IV     hexBytes `json:"iv"`
				AAD    hexBytes `json:"aad"`
				Msg    hexBytes `json:"msg"`
				CT     hexBytes `json:"ct"`
				Tag    hexBytes `json:"tag"`
				Result string   `json:"result"`
			} `json:"tests"`
		} `json:"testGroups"`
	}
	readVectors(t, "wycheproof_xchacha20_poly1305_test.json", &file)
	var valid, invalid, nonceSize int
	for _, g := range file.TestGroups {
		for _, tc := range g.Tests {
			a, err := newAEAD(tc.Key)
			require.NoError(t, err, "tcId %d", tc.TcID)
			sealed := append(bytes.Clone(tc.CT), tc.Tag...)
			// Neither call may panic, whatever the nonce size.
			got, openErr := aeadOpen(a, nil, tc.IV, sealed, tc.AAD)
			out, sealErr := aeadSeal(a, nil, tc.IV, tc.Msg, tc.AAD)
			switch tc.Result {
			case "valid":
				valid++
				require.NoError(t, openErr, "tcId %d", tc.TcID)
				assert.True(t, bytes.Equal(tc.Msg, got), "tcId %d: got %x, want %x", tc.TcID, got, tc.Msg)
				require.NoError(t, sealErr, "tcId %d", tc.TcID)
				assert.Equal(t, sealed, out, "tcId %d", tc.TcID)
			case "invalid":
				invalid++
				assert.Error(t, openErr, "tcId %d", tc.TcID)
				assert.Nil(t, got, "tcId %d", tc.TcID)
				if contains(tc.Flags, "InvalidNonceSize") {
					nonceSize++
					assert.ErrorIs(t, openErr, errNonceSize, "tcId %d", tc.TcID)
					assert.ErrorIs(t, sealErr, errNonceSize, "tcId %d", tc.TcID)
				}
			default:
				t.Fatalf("tcId %d: result %q", tc.TcID, tc.Result)
			}
		}
	}
	assert.Equal(t, 246, valid)
	assert.Equal(t, 69, invalid)
	assert.Equal(t, 9, nonceSize)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestAEADOpenShortCiphertext(t *testing.T) {
	a, err := newAEAD(make([]byte, keySize))
	require.NoError(t, err)
	nonce := make([]byte, nonceSize)
	for n := 0; n < tagSize; n++ {
		_, err := aeadOpen(a, nil, nonce, make([]byte, n), nil)
		assert.ErrorIs(t, err, errShort, "%d bytes", n)
	}
	_, err = aeadOpen(a, nil, nonce, make([]byte, tagSize), nil)
	assert.ErrorIs(t, err, errOpen, "a tag-sized input reaches Open and fails there")
}

// The draft's A.3.1 known answer, read from its text.
func TestXChaChaDraftKnownAnswer(t *testing.T) {
	kat := readKAT(t, "draft-irtf-cfrg-xchacha-03_A3_aead_xchacha20_poly1305.txt")
	require.Len(t, kat, 1)
	v := kat[0]
	for _, k := range []string{"Key", "IV/Nonce", "Plaintext", "AAD", "Ciphertext", "Tag"} {
		require.NotEmpty(t, v[k], k)
	}
	a, err := newAEAD(v["Key"])
	require.NoError(t, err)
	out, err := aeadSeal(a, nil, v["IV/Nonce"], v["Plaintext"], v["AAD"])
	require.NoError(t, err)
	assert.Equal(t, hex.EncodeToString(append(bytes.Clone(v["Ciphertext"]), v["Tag"]...)), hex.EncodeToString(out))
	assert.Equal(t, "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.", string(v["Plaintext"]))
	pt, err := aeadOpen(a, nil, v["IV/Nonce"], out, v["AAD"])
	require.NoError(t, err)
	assert.Equal(t, v["Plaintext"], pt)
}

// RFC 5869's three SHA-256 cases, read from their text.
func TestRFC5869(t *testing.T) {
	kat := readKAT(t, "rfc5869_hkdf_sha256_test_cases_1-3.txt")
	require.Len(t, kat, 3)
	for i, v := range kat {
		okm, err := hkdfSHA256(v["IKM"], v["salt"], string(v["info"]), len(v["OKM"]))
		require.NoError(t, err, "case %d", i+1)
		assert.Equal(t, hex.EncodeToString(v["OKM"]), hex.EncodeToString(okm), "case %d", i+1)
	}
	assert.Len(t, kat[0]["OKM"], 42)
	assert.Len(t, kat[1]["OKM"], 82)
	assert.Empty(t, kat[2]["salt"])
}

func TestWycheproofHKDFSHA256(t *testing.T) {
	var file struct {
		TestGroups []struct {
			Tests []struct {
				TcID   int      `json:"tcId"`
				IKM    hexBytes `json:"ikm"`
				Salt   hexBytes `json:"salt"`
				Info   hexBytes `json:"info"`
				Size   int      `json:"size"`
				OKM    hexBytes `json:"okm"`
				Result string   `json:"result"`
			} `json:"tests"`
		} `json:"testGroups"`
	}
	readVectors(t, "wycheproof_hkdf_sha256_test.json", &file)
	var n int
	for _, g := range file.TestGroups {
		for _, tc := range g.Tests {
			n++
			okm, err := hkdfSHA256(tc.IKM, tc.Salt, string(tc.Info), tc.Size)
			if tc.Result == "valid" {
				require.NoError(t, err, "tcId %d", tc.TcID)
				assert.True(t, bytes.Equal(tc.OKM, okm), "tcId %d: got %x, want %x", tc.TcID, okm, tc.OKM)
			} else {
				assert.Error(t, err, "tcId %d", tc.TcID)
			}
		}
	}
	assert.Equal(t, 86, n)
}

// deriveKey is HKDF-SHA256 with the labels SPEC.md gives: checked here
// against the generic helper, which the Wycheproof vectors check.
func TestDeriveKeyFollowsSpec(t *testing.T) {
	secret := GenerateSecret()
	id, k, err := deriveKey(secret)
	require.NoError(t, err)
	wantKey, err := hkdfSHA256([]byte(secret), []byte("cookieseal/v1"), "cookieseal/v1 XChaCha20-Poly1305 key", 32)
	require.NoError(t, err)
	wantID, err := hkdfSHA256([]byte(secret), []byte("cookieseal/v1"), "cookieseal/v1 key id", 4)
	require.NoError(t, err)
	assert.Equal(t, wantKey, k)
	assert.Equal(t, KeyID(uint32(wantID[0])<<24|uint32(wantID[1])<<16|uint32(wantID[2])<<8|uint32(wantID[3])), id)
	assert.NotEqual(t, wantKey[:4], wantID, "key and key ID differ")
}
