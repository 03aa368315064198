package storage

// Size returns the bytes the database takes on disk: its tables (LSM) and
// its value log. Badger refreshes these figures about once a minute.
func (s *Store) Size() (lsm, vlog int64) { return s.db.Size() }

// RegistrationsByCategory counts the items registered from one day to
// another (inclusive, YYYY-MM-DD) by category, from the statistics blocks.
func (s *Store) RegistrationsByCategory(from, to string) (map[string]float64, error) {
	out := map[string]float64{}
	err := s.StatsRegistered(from, to, func(st *Stat) bool {
		out[st.Category]++
		return true
	})
	return out, err
}
