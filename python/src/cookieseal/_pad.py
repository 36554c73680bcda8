"""Length hiding (SPEC.md section 5.4): a sealer pads an uncompressed payload
with trailing spaces, JSON white space every opener accepts, so that the
plaintext it seals (times, session identity and payload) is a multiple of
PAD_BUCKET bytes. Values whose JSON differs by a few bytes then give cookies
of one length. Never past max_payload, never past what the cookie size limit
allows; compressed payloads are not padded."""

from __future__ import annotations

PAD_BUCKET = 32  # bytes

_HEADER_NONCE_TAG = 6 + 24 + 16


def pad_length(pre: int, n: int, max_payload: int, max_value: int) -> int:
    """How many spaces pad a payload of n bytes sealed after pre bytes of
    times and identity."""
    p = pre + n
    pad = -p % PAD_BUCKET
    pad = min(pad, max_payload - n)
    while pad > 0 and ((_HEADER_NONCE_TAG + p + pad) * 4 + 2) // 3 > max_value:
        pad -= 1
    return max(pad, 0)


def pad_payload(payload: bytes, pre: int, max_payload: int, max_value: int) -> bytes:
    """payload followed by its padding."""
    return payload + b" " * pad_length(pre, len(payload), max_payload, max_value)
