package store

// DerivedLen is how many objects have Derived values (a deleted object must have none).
func (s *Store) DerivedLen() int { return len(s.derived) }
