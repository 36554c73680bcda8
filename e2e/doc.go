// Package e2e plays the guess example and a chunked session in headless
// Chromium (Debian's chromium package, at /usr/bin/chromium) and checks
// what the browser holds. It is a module of its own so that chromedp stays
// out of cookieseal's go.mod; run it with "cd e2e && go test ./...".
//
// Without Chromium the tests skip, except when CI is set: then they fail.
package e2e
