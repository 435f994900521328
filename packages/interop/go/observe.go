package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"net"
	"reflect"
	"strings"
	"sync"

	"github.com/libp2p/go-libp2p-core/crypto"
	"github.com/libp2p/go-libp2p-core/peer"
	"github.com/libp2p/go-libp2p-core/sec"
	secio "github.com/libp2p/go-libp2p-secio"
	pb "github.com/libp2p/go-libp2p-secio/pb"
)

// fieldWidths: the curve's field width in bytes, which Node, WebCrypto and Rust key with.
var fieldWidths = map[string]int{"P-256": 32, "P-384": 48, "P-521": 66}

// handshakeInfo is what one SECIO handshake looked like from Go's side.
type handshakeInfo struct {
	// Known once both Proposes crossed the wire (also for a handshake that fails later).
	proposesSeen bool
	curve        string
	order        int
	// Known only for a handshake Go finished: read from its session.
	finished bool
	cipher   string
	hash     string
	width    int
	number   int
}

// fields are the ones the legacy peer puts on its results and inbound events.
func (h *handshakeInfo) fields() event {
	e := event{}
	if h == nil || !h.proposesSeen {
		return e
	}
	e["secretCurve"] = h.curve
	e["order"] = h.order
	if h.finished {
		full := fieldWidths[h.curve]
		e["secretLeadingZeros"] = full - h.width
		e["secretStripped"] = h.width < full
		e["width"] = h.width
		e["fullWidth"] = full
		e["cipher"] = h.cipher
		e["hash"] = h.hash
		e["handshake"] = h.number
	}
	return e
}

func (h *handshakeInfo) macSize() int {
	if h.hash == "SHA512" {
		return 64
	}
	return 32
}

type secretStats struct {
	mu                                      sync.Mutex
	handshakes, leadingZero, stripped, fail int
}

var stats secretStats

func (s *secretStats) snapshot() event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return event{"handshakes": s.handshakes, "leadingZero": s.leadingZero, "stripped": s.stripped, "failed": s.fail}
}

// observedSecio is go-libp2p-secio's own Transport, with each handshake's Proposes and
// finished session read as they are (nothing on the wire is changed).
type observedSecio struct {
	inner *secio.Transport
	// onFinish is called for every handshake Go finished, after its secret event.
	onFinish func(remote peer.ID, info *handshakeInfo)
}

var _ sec.SecureTransport = (*observedSecio)(nil)

func newObservedSecio(priv crypto.PrivKey) (*observedSecio, error) {
	inner, err := secio.New(priv)
	if err != nil {
		return nil, err
	}
	return &observedSecio{inner: inner}, nil
}

func (t *observedSecio) SecureInbound(ctx context.Context, insecure net.Conn) (sec.SecureConn, error) {
	sc, _, err := t.secure(ctx, insecure, "", "inbound")
	return sc, err
}

func (t *observedSecio) SecureOutbound(ctx context.Context, insecure net.Conn, p peer.ID) (sec.SecureConn, error) {
	sc, _, err := t.secure(ctx, insecure, p, "outbound")
	return sc, err
}

// secure runs one handshake and reports it: a secret event when it finished, a failure count
// when it did not.
func (t *observedSecio) secure(ctx context.Context, insecure net.Conn, p peer.ID, direction string) (sec.SecureConn, *handshakeInfo, error) {
	tap := &proposeTap{Conn: insecure}
	var (
		sc  sec.SecureConn
		err error
	)
	if direction == "inbound" {
		sc, err = t.inner.SecureInbound(ctx, tap)
	} else {
		sc, err = t.inner.SecureOutbound(ctx, tap, p)
	}
	info := tap.info()
	if err != nil {
		stats.mu.Lock()
		stats.fail++
		stats.mu.Unlock()
		return nil, info, err
	}
	if err := readSession(sc, info); err != nil {
		sc.Close()
		return nil, info, err
	}

	stats.mu.Lock()
	stats.handshakes++
	info.number = stats.handshakes
	if info.width < fieldWidths[info.curve] {
		stats.leadingZero++
		stats.stripped++
	}
	stats.mu.Unlock()

	secret := info.fields()
	secret["event"] = "secret"
	secret["remotePeer"] = sc.RemotePeer().Pretty()
	secret["direction"] = direction
	emit(secret)
	if t.onFinish != nil {
		t.onFinish(sc.RemotePeer(), info)
	}
	return sc, info, nil
}

// readSession reads, from go-libp2p-secio's unexported session struct, the suite and the length
// of the shared secret it keyed with (reflection reads unexported fields; nothing is changed).
func readSession(sc sec.SecureConn, info *handshakeInfo) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("cannot read go-libp2p-secio's session (%T): %v", sc, r)
		}
	}()
	session := reflect.ValueOf(sc).Elem()
	local := session.FieldByName("local")
	info.width = session.FieldByName("sharedSecret").Len()
	info.curve = local.FieldByName("curveT").String()
	info.cipher = local.FieldByName("cipherT").String()
	info.hash = local.FieldByName("hashT").String()
	info.finished = true
	if _, known := fieldWidths[info.curve]; !known {
		return fmt.Errorf("session curve %q unknown", info.curve)
	}
	return nil
}

// proposeTap records the first message each way (the two Proposes: uint32 length + protobuf)
// to compute Go's order exactly as go-libp2p-secio does, then passes bytes through untouched.
type proposeTap struct {
	net.Conn
	mu                sync.Mutex
	sent, got         []byte
	sentDone, gotDone bool
}

const maxProposeCapture = 64 * 1024

func (c *proposeTap) Write(b []byte) (int, error) {
	c.mu.Lock()
	if !c.sentDone {
		c.sent, c.sentDone = capture(c.sent, b)
	}
	c.mu.Unlock()
	return c.Conn.Write(b)
}

func (c *proposeTap) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	c.mu.Lock()
	if !c.gotDone && n > 0 {
		c.got, c.gotDone = capture(c.got, b[:n])
	}
	c.mu.Unlock()
	return n, err
}

// capture appends until one whole length-prefixed message is held.
func capture(buf, b []byte) ([]byte, bool) {
	buf = append(buf, b...)
	if len(buf) < 4 {
		return buf, false
	}
	size := int(binary.BigEndian.Uint32(buf))
	if size > maxProposeCapture {
		return nil, true
	}
	if len(buf) < 4+size {
		return buf, false
	}
	return buf[:4+size], true
}

func (c *proposeTap) info() *handshakeInfo {
	c.mu.Lock()
	defer c.mu.Unlock()
	info := &handshakeInfo{}
	if !c.sentDone || !c.gotDone || len(c.sent) < 4 || len(c.got) < 4 {
		return info
	}
	local, remote := new(pb.Propose), new(pb.Propose)
	if local.Unmarshal(c.sent[4:]) != nil || remote.Unmarshal(c.got[4:]) != nil {
		return info
	}
	// go-libp2p-secio: order = cmp(H(remote_pubkey||local_rand), H(local_pubkey||remote_rand))
	oh1 := sha256.Sum256(append(append([]byte{}, remote.GetPubkey()...), local.GetRand()...))
	oh2 := sha256.Sum256(append(append([]byte{}, local.GetPubkey()...), remote.GetRand()...))
	info.order = bytes.Compare(oh1[:], oh2[:])
	if info.order == 0 {
		return info
	}
	info.curve = selectBest(info.order, local.GetExchanges(), remote.GetExchanges())
	info.proposesSeen = info.curve != ""
	return info
}

// selectBest is go-libp2p-secio's choice rule (the side with order > 0 has its list walked first).
func selectBest(order int, ours, theirs string) string {
	first, second := strings.Split(ours, ","), strings.Split(theirs, ",")
	if order < 0 {
		first, second = second, first
	}
	for _, a := range first {
		for _, b := range second {
			if a == b {
				return a
			}
		}
	}
	return ""
}
