// The tests that exercise the session layer, in one process (MUTATION.md):
// the unit tests first (fast, they kill most mutants), then the scenario
// suite and the conformance suite.
await import('../build/test/cookies.test.js')
await import('../build/test/sessions.test.js')
await import('../build/test/conformance.test.js')
