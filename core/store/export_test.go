package store

// DerivedLen is how many objects have Derived values (a deleted object must have none).
func (s *Store) DerivedLen() int { return len(s.derived) }

// SameBits is sameBits.
func SameBits[T any](a, b *T) bool { return sameBits(a, b) }
