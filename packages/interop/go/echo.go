package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sync"
)

const (
	echoProtocol  = "/echo/1.0.0"
	defaultChunk  = 64 * 1024
	defaultWindow = 1024 * 1024
	// Go's msgio (and every other SECIO reader) refuses frames over 8 MiB.
	maxFrame = 8 * 1024 * 1024
	// One read of the echo takes a whole SECIO frame (go-libp2p-secio reads a frame straight
	// into the buffer when it fits), so what goes back is one frame of the same size.
	echoBuffer = maxFrame
)

var echoBuffers = sync.Pool{New: func() interface{} { b := make([]byte, echoBuffer); return &b }}

// pattern is the legacy peer's deterministic byte stream: xorshift32, one byte per step, seed 0
// taken as 1. It does not depend on how it is cut into chunks.
type pattern struct{ x uint32 }

func newPattern(seed uint32) *pattern {
	if seed == 0 {
		seed = 1
	}
	return &pattern{x: seed}
}

func (p *pattern) fill(b []byte) {
	x := p.x
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	p.x = x
}

// frameCounter records the largest single Read and Write, which on a bare SECIO session are
// whole frames' plaintexts.
type frameCounter struct {
	mu                sync.Mutex
	maxRead, maxWrite int
}

func (f *frameCounter) read(n int) {
	f.mu.Lock()
	if n > f.maxRead {
		f.maxRead = n
	}
	f.mu.Unlock()
}

func (f *frameCounter) wrote(n int) {
	f.mu.Lock()
	if n > f.maxWrite {
		f.maxWrite = n
	}
	f.mu.Unlock()
}

// frames: the largest frames (length prefix: ciphertext + MAC) read and written.
func (f *frameCounter) frames(macSize int) event {
	f.mu.Lock()
	defer f.mu.Unlock()
	e := event{}
	if f.maxRead > 0 {
		e["maxFrameIn"] = f.maxRead + macSize
	}
	if f.maxWrite > 0 {
		e["maxFrameOut"] = f.maxWrite + macSize
	}
	return e
}

type echoRequest struct {
	total  int
	chunk  int
	seed   uint32
	window int
}

// sendAndVerify writes total pattern bytes in chunk-sized writes, never more than window bytes
// ahead of the echo, and checks that exactly those bytes come back. The write side stays open
// until the whole echo has been read (a half-close is never needed to get it).
func sendAndVerify(ctx context.Context, rw io.ReadWriter, req echoRequest, frames *frameCounter) (string, error) {
	var (
		mu       sync.Mutex
		progress = sync.NewCond(&mu)
		received int
		failed   bool
	)
	digest := sha256.New()
	readErr := make(chan error, 1)
	go func() {
		expected := newPattern(req.seed)
		// a frame's plaintext is never longer than the whole echo: this still reads whole frames
		size := echoBuffer
		if req.total < size {
			size = req.total + 1
		}
		buf := make([]byte, size)
		want := make([]byte, size)
		var err error
		for received < req.total {
			var n int
			n, err = rw.Read(buf)
			if n > 0 {
				frames.read(n)
				if received+n > req.total {
					err = fmt.Errorf("echo longer than the %d bytes sent", req.total)
					break
				}
				expected.fill(want[:n])
				for i := 0; i < n; i++ {
					if buf[i] != want[i] {
						err = fmt.Errorf("echo differs at byte %d of %d", received+i, req.total)
						break
					}
				}
				if err != nil {
					break
				}
				digest.Write(buf[:n])
				mu.Lock()
				received += n
				progress.Broadcast()
				mu.Unlock()
			}
			if err != nil {
				if errors.Is(err, io.EOF) {
					err = fmt.Errorf("echo ended after %d of %d bytes: %w", received, req.total, io.ErrUnexpectedEOF)
				}
				break
			}
		}
		mu.Lock()
		failed = err != nil
		progress.Broadcast()
		mu.Unlock()
		readErr <- err
	}()

	writeErr := make(chan error, 1)
	go func() {
		source := newPattern(req.seed)
		buf := make([]byte, req.chunk)
		for sent := 0; sent < req.total; {
			n := req.chunk
			if req.total-sent < n {
				n = req.total - sent
			}
			mu.Lock()
			for sent-received > req.window && !failed && ctx.Err() == nil {
				progress.Wait()
			}
			stop := failed || ctx.Err() != nil
			mu.Unlock()
			if stop {
				writeErr <- nil
				return
			}
			source.fill(buf[:n])
			if _, err := rw.Write(buf[:n]); err != nil {
				writeErr <- err
				return
			}
			frames.wrote(n)
			sent += n
		}
		writeErr <- nil
	}()

	// wake a writer waiting on the window when the context ends
	stopWaking := context.AfterFunc(ctx, func() {
		mu.Lock()
		progress.Broadcast()
		mu.Unlock()
	})
	defer stopWaking()

	select {
	case err := <-readErr:
		if err != nil {
			return "", err
		}
	case err := <-writeErr:
		if err != nil {
			return "", err
		}
		select {
		case err := <-readErr:
			if err != nil {
				return "", err
			}
		case <-ctx.Done():
			return "", ctx.Err()
		}
	case <-ctx.Done():
		return "", ctx.Err()
	}
	return hex.EncodeToString(digest.Sum(nil)), nil
}

// echo sends back everything it reads, one write per read, until EOF. It returns the bytes
// echoed and the SHA-256 of them.
func echo(rw io.ReadWriter, frames *frameCounter) (int, string, error) {
	bufp := echoBuffers.Get().(*[]byte)
	defer echoBuffers.Put(bufp)
	buf := *bufp
	digest := sha256.New()
	count := 0
	for {
		n, err := rw.Read(buf)
		if n > 0 {
			frames.read(n)
			digest.Write(buf[:n])
			if _, werr := rw.Write(buf[:n]); werr != nil {
				return count, "", werr
			}
			frames.wrote(n)
			count += n
		}
		if errors.Is(err, io.EOF) {
			return count, hex.EncodeToString(digest.Sum(nil)), nil
		}
		if err != nil {
			return count, "", err
		}
	}
}
