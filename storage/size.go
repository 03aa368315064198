package storage

import (
	"os"
	"path/filepath"
)

// Size returns the bytes the database takes on disk: its tables (LSM, the
// .sst files) and its value log (.vlog). It reads the directory: Badger's
// own figures stay at zero with its metrics off, as they are here.
func (s *Store) Size() (lsm, vlog int64) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return 0, 0
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		switch filepath.Ext(e.Name()) {
		case ".sst":
			lsm += info.Size()
		case ".vlog":
			vlog += info.Size()
		}
	}
	return lsm, vlog
}

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
