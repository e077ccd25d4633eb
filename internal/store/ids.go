package store

// NewID makes an id from the store's generator (for files named before
// their row exists).
func (s *Store) NewID() string { return s.ids.New() }
