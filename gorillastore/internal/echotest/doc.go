// Package echotest runs echo-contrib/session's tests, and echo request
// cycles, against gorillastore.Store. It has no code of its own.
package echotest
