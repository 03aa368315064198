package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// runConsole pipes lines into the real entry point, as `cabinetbot console`
// with a data dir, and returns what it printed.
func runConsole(t *testing.T, dataDir string, lines ...string) string {
	t.Helper()
	in, err := os.CreateTemp(t.TempDir(), "stdin")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintln(in, strings.Join(lines, "\n"))
	if _, err := in.Seek(0, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	var out bytes.Buffer
	env := func(k string) string {
		if k == envLogLevel {
			return "error"
		}
		return ""
	}
	if err := run([]string{"console", "--data", dataDir}, in, &out, env); err != nil {
		t.Fatalf("console: %v\n%s", err, out.String())
	}
	return out.String()
}

var registered = regexp.MustCompile(`Înregistrat (\d+)/(\d{4})`)

func numbers(out string) []string {
	var ns []string
	for _, m := range registered.FindAllStringSubmatch(out, -1) {
		ns = append(ns, m[1]+"/"+m[2])
	}
	return ns
}

const reg = `inregistreaza de="Ion Popescu" tip=cetatean categorie=petitie subiect="Groapă pe str. Horea"`

func TestPipedConsoleNumbersAcrossRestarts(t *testing.T) {
	dir := t.TempDir()
	year := strconv.Itoa(time.Now().Year())
	out := runConsole(t, dir, reg, reg, reg)
	if got := strings.Join(numbers(out), " "); got != "1/"+year+" 2/"+year+" 3/"+year {
		t.Fatalf("first run: %q\n%s", got, out)
	}
	out = runConsole(t, dir, reg, "arata 2/"+year)
	if got := numbers(out); len(got) != 1 || got[0] != "4/"+year {
		t.Fatalf("after restart: %v\n%s", got, out)
	}
	if !strings.Contains(out, "Înregistrarea 2/"+year) {
		t.Fatalf("record 2 lost:\n%s", out)
	}
}

func TestConsoleAsAnotherPerson(t *testing.T) {
	dir := t.TempDir()
	runConsole(t, dir, "rol console:ana vizualizare")
	in, _ := os.CreateTemp(t.TempDir(), "stdin")
	fmt.Fprintln(in, reg+"\nrestante")
	in.Seek(0, io.SeekStart)
	var out bytes.Buffer
	if err := run([]string{"console", "--data", dir, "--as", "ana"}, in, &out, func(string) string { return "" }); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "nu permite comanda „inregistreaza”") || !strings.Contains(out.String(), "Nicio restanță") {
		t.Fatalf("as ana:\n%s", out.String())
	}
}

// TestKillDuringRegistrations kills a child process with SIGKILL while it
// registers, then checks that every registration it answered is in the
// database and that numbering continues without a gap or a duplicate.
func TestKillDuringRegistrations(t *testing.T) {
	if testing.Short() {
		t.Skip("child process")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestChildConsole$")
	cmd.Env = append(os.Environ(), "CABINET_CHILD_DATA="+dir, envLogLevel+"=error")
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { // keep it busy: always more registrations in flight
		for i := 0; ; i++ {
			if _, err := fmt.Fprintf(stdin, `inregistreaza de="Cetățean %d" subiect="Cerere %d"`+"\n", i, i); err != nil {
				return
			}
		}
	}()
	var answered []string
	sc := bufio.NewScanner(stdout)
	for sc.Scan() && len(answered) < 200 {
		answered = append(answered, numbers(sc.Text())...)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if len(answered) < 200 {
		t.Fatalf("the child answered only %d registrations", len(answered))
	}

	s, err := storage.Open(dir, storage.Options{Words: text.Words})
	if err != nil {
		t.Fatal("reopen after kill:", err)
	}
	defer s.Close()
	year := time.Now().Year()
	for _, n := range answered {
		seq, _ := strconv.Atoi(strings.Split(n, "/")[0])
		if _, err := s.Item(storage.Number{Year: year, Seq: seq}); err != nil {
			t.Fatalf("answered registration %s is lost: %v", n, err)
		}
	}
	last, _ := s.LastNumber(year)
	if last < len(answered) {
		t.Fatalf("last number %d < %d answered", last, len(answered))
	}
	for seq := 1; seq <= last; seq++ { // gapless: every number up to the last exists
		if _, err := s.Item(storage.Number{Year: year, Seq: seq}); err != nil {
			t.Fatalf("number %d/%d is missing: %v", seq, year, err)
		}
	}
	s.Close()
	out := runConsole(t, dir, reg)
	if got := numbers(out); len(got) != 1 || got[0] != fmt.Sprintf("%d/%d", last+1, year) {
		t.Fatalf("after the crash the next number is %v, want %d/%d", got, last+1, year)
	}
}

// TestChildConsole is the child of TestKillDuringRegistrations.
func TestChildConsole(t *testing.T) {
	dir := os.Getenv("CABINET_CHILD_DATA")
	if dir == "" {
		t.Skip("only as a child process")
	}
	err := run([]string{"console", "--data", dir}, os.Stdin, os.Stdout, os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
}

func TestBackupAndRestoreCommands(t *testing.T) {
	dir := t.TempDir()
	runConsole(t, dir, reg, reg)
	file := dir + "-backup.bak.gz"
	quiet := func(string) string { return "" }
	var out bytes.Buffer
	if err := run([]string{"backup", file, "--data", dir}, os.Stdin, &out, quiet); err != nil {
		t.Fatal(err)
	}
	target := t.TempDir()
	if err := run([]string{"restore", file, "--data", target}, os.Stdin, &out, quiet); err != nil {
		t.Fatal(err)
	}
	year := strconv.Itoa(time.Now().Year())
	if got := numbers(runConsole(t, target, reg)); len(got) != 1 || got[0] != "3/"+year {
		t.Fatalf("the restored register continues at %v", got)
	}
	err := run([]string{"restore", file, "--data", target}, os.Stdin, &out, quiet)
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("restore over data without --force: %v", err)
	}
	if err := run([]string{"restore", file, "--data", target, "--force"}, os.Stdin, &out, quiet); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "set aside in") {
		t.Fatalf("output: %s", out.String())
	}
}
