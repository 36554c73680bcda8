package main

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"testing"
	"time"
)

func TestFirstPartCount(t *testing.T) {
	for v, want := range map[string]int{
		"2.AQAB":    2,
		"9999.A-_z": 9999,
		"1.AQAB":    0, // one part has no count
		"0.AQAB":    0,
		"02.AQAB":   0, // not canonical
		"10000.A":   0, // more parts than any budget
		"3.":        0,
		"3.AQ*B":    0,
		"3.AQ.B":    0,
		".AQAB":     0,
		"x3.AQAB":   0,
		"AQAB":      0,
		"-2.AQAB":   0,
	} {
		n, ok := firstPartCount(v)
		if ok != (want != 0) || n != want {
			t.Errorf("firstPartCount(%q) = %d, %t; want %d", v, n, ok, want)
		}
	}
}

func TestIsPairs(t *testing.T) {
	for v, want := range map[string]bool{
		"AQAB":      false,
		"MTY0fA==":  false, // padded base64, as gorilla writes it
		"AQAB=":     false,
		"s=AQAB":    true,
		"=AQAB":     true, // the empty name
		"s==AQAB":   true,
		"a=1; b=2":  true,
		"AQAB;":     true,
		"Cookie: x": false, // no '=': a bare (bad) value
	} {
		if got := isPairs(v); got != want {
			t.Errorf("isPairs(%q) = %t, want %t", v, got, want)
		}
	}
}

func TestMaxAgeFlag(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"0", 0, true},
		{"1", time.Second, true},
		{"86400", 24 * time.Hour, true},
		{"-5", -5 * time.Second, true},
		{"9223372036", 9223372036 * time.Second, true},
		{"9223372037", 0, false},
		{"-9223372036", -9223372036 * time.Second, true},
		{"-9223372037", 0, false},
		{"1.5h", 90 * time.Minute, true},
		{"0s", 0, true},
		{"soon", 0, false},
		{"", 0, false},
	} {
		var m maxAgeFlag
		err := m.Set(tc.in)
		if (err == nil) != tc.ok || tc.ok && time.Duration(m) != tc.want {
			t.Errorf("Set(%q) = %v, %v; want %v, ok %t", tc.in, time.Duration(m), err, tc.want, tc.ok)
		}
	}
}

func TestAltNamesAndQuoteName(t *testing.T) {
	for name, want := range map[string][]string{
		"s":           {"__Host-s", "__Secure-s"},
		"__Host-s":    {"s", "__Secure-s"},
		"__Secure-s":  {"s", "__Host-s"},
		"":            {"__Host-", "__Secure-"},
		"x__Host-abc": {"__Host-x__Host-abc", "__Secure-x__Host-abc"},
	} {
		if got := altNames(name); !reflect.DeepEqual(got, want) {
			t.Errorf("altNames(%q) = %q, want %q", name, got, want)
		}
	}
	for name, want := range map[string]string{"": `""`, "s": "s", "__Host-s": "__Host-s", "a b": `"a b"`, "a;b": `"a;b"`} {
		if got := quoteName(name); got != want {
			t.Errorf("quoteName(%q) = %s, want %s", name, got, want)
		}
	}
}

// shortWriter writes at most n bytes per call, without an error.
type shortWriter struct {
	n   int
	buf bytes.Buffer
}

func (w *shortWriter) Write(p []byte) (int, error) {
	p = p[:min(len(p), w.n)]
	return w.buf.Write(p)
}

func TestErrWriter(t *testing.T) {
	sw := &shortWriter{n: 3}
	w := &errWriter{w: sw}
	if n, err := w.Write([]byte("ab")); n != 2 || err != nil {
		t.Errorf("first write: %d, %v", n, err)
	}
	if _, err := w.Write([]byte("cdef")); !errors.Is(err, io.ErrShortWrite) {
		t.Errorf("short write: %v, want io.ErrShortWrite", err)
	}
	if n, err := w.Write([]byte("g")); n != 0 || !errors.Is(err, io.ErrShortWrite) || sw.buf.String() != "abcde" {
		t.Errorf("after a failure: %d, %v, wrote %q; want nothing more written", n, err, sw.buf.String())
	}
}
