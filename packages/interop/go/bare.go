package main

import (
	"context"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p-core/peer"
	secio "github.com/libp2p/go-libp2p-secio"
	ma "github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr-net"
	mss "github.com/multiformats/go-multistream"
)

// barePeer: go-libp2p-secio straight on a TCP socket (optionally behind multistream-select's
// /secio/1.0.0), as the legacy peer's bare modes: a listener that echoes, and dials.
type barePeer struct {
	transport *observedSecio
	useMss    bool
	listener  net.Listener
	self      peer.ID
	sessions  sync.WaitGroup
	mu        sync.Mutex
	conns     map[net.Conn]struct{}
}

func startBare(opts *options, transport *observedSecio, self peer.ID) (*barePeer, error) {
	b := &barePeer{transport: transport, useMss: opts.mss, self: self, conns: map[net.Conn]struct{}{}}
	if opts.mode != modeBareListen {
		return b, nil
	}
	addr, err := ma.NewMultiaddr(opts.listen)
	if err != nil {
		return nil, err
	}
	network, hostPort, err := manet.DialArgs(addr)
	if err != nil {
		return nil, err
	}
	b.listener, err = net.Listen(network, hostPort)
	if err != nil {
		return nil, err
	}
	go b.accept()
	return b, nil
}

func (b *barePeer) addrs() []string {
	if b.listener == nil {
		return []string{}
	}
	addr, err := manet.FromNetAddr(b.listener.Addr())
	if err != nil {
		return []string{}
	}
	return []string{fmt.Sprintf("%s/p2p/%s", addr, b.self.Pretty())}
}

func (b *barePeer) track(c net.Conn) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.conns == nil {
		return false
	}
	b.conns[c] = struct{}{}
	return true
}

func (b *barePeer) untrack(c net.Conn) {
	b.mu.Lock()
	delete(b.conns, c)
	b.mu.Unlock()
}

func (b *barePeer) accept() {
	for {
		conn, err := b.listener.Accept()
		if err != nil {
			return
		}
		if !b.track(conn) {
			conn.Close()
			return
		}
		b.sessions.Add(1)
		go func() {
			defer b.sessions.Done()
			defer b.untrack(conn)
			b.serve(conn)
		}()
	}
}

// serve: [mss] + secio + echo until EOF, then one inbound event.
func (b *barePeer) serve(conn net.Conn) {
	defer conn.Close()
	remoteAddr := conn.RemoteAddr().String()
	ctx := context.Background()
	if b.useMss {
		conn.SetDeadline(time.Now().Add(secio.HandshakeTimeout))
		muxer := mss.NewMultistreamMuxer()
		muxer.AddHandler(secio.ID, nil)
		if _, _, err := muxer.Negotiate(conn); err != nil {
			emit(event{"event": "inbound", "ok": false, "bytes": 0, "remoteAddr": remoteAddr, "error": errorText(err)})
			return
		}
		conn.SetDeadline(time.Time{})
	}
	sc, info, err := b.transport.secure(ctx, conn, "", "inbound")
	if err != nil {
		emit(merge(event{"event": "inbound", "ok": false, "bytes": 0, "remoteAddr": remoteAddr, "error": errorText(err)}, info.fields()))
		return
	}
	remotePeer := sc.RemotePeer().Pretty()
	emit(event{"event": "connect", "remotePeer": remotePeer, "remoteAddr": remoteAddr, "direction": "inbound"})
	frames := &frameCounter{}
	count, digest, err := echo(sc, frames)
	result := merge(event{"event": "inbound", "remotePeer": remotePeer, "ok": err == nil, "bytes": count}, info.fields(), frames.frames(info.macSize()))
	if err != nil {
		result["error"] = errorText(err)
	} else {
		result["sha256"] = digest
	}
	emit(result)
}

// dialEcho: TCP + [mss] + secio (the /p2p/ part of addr is the expected peer) + sendAndVerify.
// The returned fields describe the handshake even when it failed.
func (b *barePeer) dialEcho(ctx context.Context, addr string, req echoRequest, oversize bool) (event, error) {
	transportAddr, expected, err := splitP2p(addr)
	if err != nil {
		return event{}, err
	}
	network, hostPort, err := manet.DialArgs(transportAddr)
	if err != nil {
		return event{}, err
	}
	var dialer net.Dialer
	conn, err := dialer.DialContext(ctx, network, hostPort)
	if err != nil {
		return event{}, err
	}
	defer conn.Close()
	// an abort (or stop) ends whatever is blocked on the socket
	stopClosing := context.AfterFunc(ctx, func() { conn.Close() })
	defer stopClosing()

	if b.useMss {
		if err := mss.SelectProtoOrFail(secio.ID, conn); err != nil {
			return event{}, err
		}
	}
	sc, info, err := b.transport.secure(ctx, conn, expected, "outbound")
	if err != nil {
		return info.fields(), err
	}
	// In bare SECIO each write is one frame: keep them within every reader's 8 MiB unless told
	// otherwise (so chunk >= 8 MiB gives frames of exactly 8 MiB).
	if !oversize && req.chunk > maxFrame-info.macSize() {
		req.chunk = maxFrame - info.macSize()
	}
	frames := &frameCounter{}
	digest, err := sendAndVerify(ctx, sc, req, frames)
	fields := merge(event{"remotePeer": sc.RemotePeer().Pretty()}, info.fields(), frames.frames(info.macSize()))
	if err != nil {
		return fields, err
	}
	fields["sha256"] = digest
	// Our write side ends (FIN) only now; give the listener a moment to finish its side
	// cleanly, so that it does not see a reset.
	if tcp, ok := conn.(*net.TCPConn); ok {
		tcp.CloseWrite()
		sc.SetReadDeadline(time.Now().Add(2 * time.Second))
		sc.Read(make([]byte, 1))
	}
	return fields, nil
}

// splitP2p: "/ip4/…/tcp/…/p2p/<id>" -> the transport address and the expected peer ("" if none).
func splitP2p(addr string) (ma.Multiaddr, peer.ID, error) {
	target, err := ma.NewMultiaddr(addr)
	if err != nil {
		return nil, "", err
	}
	id, err := target.ValueForProtocol(ma.P_P2P)
	if err != nil {
		return target, "", nil
	}
	expected, err := peer.Decode(id)
	if err != nil {
		return nil, "", err
	}
	p2p, err := ma.NewMultiaddr("/p2p/" + id)
	if err != nil {
		return nil, "", err
	}
	return target.Decapsulate(p2p), expected, nil
}

func (b *barePeer) hangUp(string) error {
	return fmt.Errorf("hang-up is not available in bare modes")
}

// close stops accepting, ends every session, and waits for them.
func (b *barePeer) close() {
	if b.listener != nil {
		b.listener.Close()
	}
	b.mu.Lock()
	for c := range b.conns {
		c.Close()
	}
	b.conns = nil
	b.mu.Unlock()
	b.sessions.Wait()
}

func merge(events ...event) event {
	out := event{}
	for _, e := range events {
		for k, v := range e {
			out[k] = v
		}
	}
	return out
}
