package store

// SetBroadSearch sets how many matching messages make a search broad
// (search.go), so tests run both plans on a small desk;
// below 0, every search is broad.
func SetBroadSearch(s *Store, n int) { s.broad = n }
