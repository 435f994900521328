package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	secio "github.com/libp2p/go-libp2p-secio"
	msgio "github.com/libp2p/go-msgio"
)

type event map[string]interface{}

var stdoutMu sync.Mutex

// emit writes one JSON line; stdout carries nothing else.
func emit(e event) {
	line, err := json.Marshal(e)
	if err != nil {
		line, _ = json.Marshal(event{"event": "error", "fatal": false, "origin": "emit", "error": errorText(err)})
	}
	stdoutMu.Lock()
	defer stdoutMu.Unlock()
	os.Stdout.Write(append(line, '\n'))
}

// namedErrors gives the sentinel errors a test may want to match a stable name, as the legacy
// peer's "Name: message" does. go-libp2p v0.10 wraps dial errors without Unwrap, so the message
// is searched too.
var namedErrors = []struct {
	name string
	err  error
}{
	{"ErrWrongPeer", secio.ErrWrongPeer},
	{"ErrMACInvalid", secio.ErrMACInvalid},
	{"ErrBadSig", secio.ErrBadSig},
	{"ErrEcho", secio.ErrEcho},
	{"ErrMsgTooLarge", msgio.ErrMsgTooLarge},
	{"AbortError", errAborted},
	{"DeadlineExceeded", context.DeadlineExceeded},
	{"UnexpectedEOF", io.ErrUnexpectedEOF},
	{"EOF", io.EOF},
}

var errAborted = errors.New("the operation was aborted")

// errorText is "Name: message": Name is one of namedErrors, else the Go type.
func errorText(err error) string {
	if err == nil {
		return "Error: unknown"
	}
	text := err.Error()
	for _, named := range namedErrors {
		if errors.Is(err, named.err) || strings.Contains(text, named.err.Error()) {
			return named.name + ": " + text
		}
	}
	return fmt.Sprintf("%T: %s", err, text)
}
