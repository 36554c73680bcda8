package cookieseal

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// vectorsDir is where the externally written vectors live: $COOKIESEAL_VECTORS,
// or ../shared/vectors beside the repository.
func vectorsDir() string {
	if d := os.Getenv("COOKIESEAL_VECTORS"); d != "" {
		return d
	}
	return filepath.Join("..", "shared", "vectors")
}

// readVectors loads one vector file. A missing file fails the test: vectors
// that silently vanish would leave the primitives untested.
func readVectors(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(vectorsDir(), name))
	require.NoError(t, err, "set COOKIESEAL_VECTORS to the shared vectors folder")
	require.NoError(t, json.Unmarshal(b, v))
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

// The draft's A.3.1 known answer, as published.
func TestXChaChaDraftKnownAnswer(t *testing.T) {
	h := func(s string) []byte { b, err := hex.DecodeString(s); require.NoError(t, err); return b }
	a, err := newAEAD(h("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"))
	require.NoError(t, err)
	out, err := aeadSeal(a, nil, h("404142434445464748494a4b4c4d4e4f5051525354555657"),
		[]byte("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it."),
		h("50515253c0c1c2c3c4c5c6c7"))
	require.NoError(t, err)
	assert.Equal(t, "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff921f9664c97637da9768812f615c68b13b52e"+"c0875924c1c7987947deafd8780acf49", hex.EncodeToString(out))
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
