package gorillastore

// ReadsLen returns how many sessions the store's side table holds, for
// the test that it does not grow with the requests served.
func ReadsLen(s *Store) int {
	n := 0
	s.reads.Range(func(_, _ any) bool { n++; return true })
	return n
}
