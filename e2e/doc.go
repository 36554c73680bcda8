// Package e2e plays the guess example and a chunked session in headless
// Chromium (Debian's chromium package, at /usr/bin/chromium) and checks
// what the browser holds; it also drives sessions through a stock nginx
// (Debian's nginx-light, started by the test on loopback) and the curl
// binary, and measures what Chromium sends (limits_test.go). It is a module
// of its own so that chromedp stays out of cookieseal's go.mod; run it with
// "cd e2e && go test ./...".
//
// Without Chromium, nginx or curl the tests skip, except when CI is set:
// then they fail.
package e2e
