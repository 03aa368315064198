package storage

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/dgraph-io/badger/v4"
)

func TestANewDatabaseRecordsItsFormat(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{NoSync: true, BeforeUpgrade: func(*Store, int, int) error {
		t.Error("a new database is not upgraded")
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, err := s.getString(key(kFormat)); err != nil || v != "2" {
		t.Fatalf("q/format = %q, %v", v, err)
	}
	if f, _ := s.Format(); f != FormatVersion {
		t.Fatalf("format %d", f)
	}
}

func TestANewerFormatIsRefusedAndNothingChanges(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.updateState(context.Background(), func(t *Txn) error { return t.set(key(kFormat), []byte("99")) }); err != nil {
		t.Fatal(err)
	}
	before, _ := s.Snapshot()
	s.Close()
	_, err = Open(dir, Options{NoSync: true, BeforeUpgrade: func(*Store, int, int) error {
		t.Error("a newer format is not upgraded")
		return nil
	}})
	var fe *FormatError
	if !errors.Is(err, ErrNewerFormat) || !errors.As(err, &fe) || fe.Have != 99 || fe.Want != FormatVersion {
		t.Fatalf("open a newer format: %v", err)
	}
	s, err = Open(dir, Options{NoSync: true, BeforeUpgrade: func(*Store, int, int) error { return nil }})
	if err == nil {
		s.Close()
		t.Fatal("opened the second time")
	}
	// Look at the data with Badger alone: it is as it was.
	db, err := badger.Open(badger.DefaultOptions(dir).WithLogger(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	after := map[string]string{}
	if err := db.View(func(txn *badger.Txn) error {
		return scanValues(txn, nil, func(k, v []byte) (bool, error) {
			after[string(k)] = string(v)
			return true, nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, after) {
		t.Fatal("a refused start changed the data")
	}
}

func TestAFailedBackupStopsTheUpgrade(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Register(context.Background(), 2026, Item{Sender: "Ana", Subject: "x", Category: "petitie", Status: StatusRegistered}, Meta{Who: "console:op"}); err != nil {
		t.Fatal(err)
	}
	// Make it look like the first release's data.
	if err := s.updateState(context.Background(), func(t *Txn) error { return t.del(key(kFormat)) }); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = Open(dir, Options{NoSync: true, BeforeUpgrade: func(_ *Store, from, to int) error {
		if from != 1 || to != FormatVersion {
			t.Errorf("upgrade %d → %d", from, to)
		}
		return errors.New("disk full")
	}})
	if err == nil || !strings.Contains(err.Error(), "disk full") || !strings.Contains(err.Error(), "nothing was changed") {
		t.Fatalf("open: %v", err)
	}
	s, err = Open(dir, Options{NoSync: true, BeforeUpgrade: func(*Store, int, int) error { return nil }})
	if err != nil {
		t.Fatalf("the next start: %v", err)
	}
	defer s.Close()
	if v, _ := s.getString(key(kFormat)); v != "2" {
		t.Fatalf("q/format %q after the upgrade", v)
	}
}
