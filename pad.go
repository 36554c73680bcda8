package cookieseal

import (
	"encoding/base64"
	"strings"
)

// PadBucket is the bucket of length hiding (SPEC.md section 5.4): a sealer
// pads an uncompressed payload with trailing spaces, which every opener
// accepts as JSON white space, so that the plaintext it seals (times,
// session identity and payload) is a multiple of PadBucket bytes. Values
// whose JSON differs by a few bytes then give cookies of one length. It
// never pads past MaxPayload or past what MaxLength allows, and a
// compressed payload is not padded.
const PadBucket = 32 // bytes

// padPayload appends the padding to buf, which holds the header, nonce,
// times and identity (prefix bytes in all) and then the payload. maxValue
// is the longest cookie value allowed.
func padPayload(buf []byte, prefix, maxPayload, maxValue int) []byte {
	return append(buf, spaces[:padLen(prefix-headerSize-nonceSize, len(buf)-prefix, maxPayload, maxValue)]...)
}

// padLen is how many spaces pad a payload of n bytes sealed after pre bytes
// of times and identity.
func padLen(pre, n, maxPayload, maxValue int) int {
	p := pre + n
	pad := (p+PadBucket-1)/PadBucket*PadBucket - p
	pad = min(pad, maxPayload-n)
	for pad > 0 && base64.RawURLEncoding.EncodedLen(headerSize+nonceSize+p+pad+tagSize) > maxValue {
		pad--
	}
	return max(pad, 0)
}

var spaces = []byte(strings.Repeat(" ", PadBucket))
