package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// releaseVersion is the release a build names with
// -ldflags "-X main.releaseVersion=v1.2.3" (the Dockerfile's VERSION), for
// builds made without the repository's history; empty: the build info's.
var releaseVersion string

// buildVersion describes the binary from its build information: the module
// version, the VCS revision and time it was built from, and the Go version.
func buildVersion() string {
	version, revision, when, modified := "(devel)", "unknown", "", false
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				revision = s.Value
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	if releaseVersion != "" {
		version = releaseVersion
	}
	if modified {
		revision += " (modified)"
	}
	s := fmt.Sprintf("cabinetbot %s\nrevision %s", version, revision)
	if when != "" {
		s += "\nbuilt from a commit of " + when
	}
	return s + "\n" + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH
}

// printVersion is `cabinetbot version` (and --version).
func printVersion(out io.Writer) {
	fmt.Fprintln(out, buildVersion())
}
