package main

import (
	"context"
	"fmt"
	"strings"
	"sync"

	libp2p "github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p-core/crypto"
	"github.com/libp2p/go-libp2p-core/helpers"
	"github.com/libp2p/go-libp2p-core/host"
	"github.com/libp2p/go-libp2p-core/network"
	"github.com/libp2p/go-libp2p-core/peer"
	"github.com/libp2p/go-libp2p-core/protocol"
	mplex "github.com/libp2p/go-libp2p-mplex"
	secio "github.com/libp2p/go-libp2p-secio"
	libp2ptls "github.com/libp2p/go-libp2p-tls"
	yamux "github.com/libp2p/go-libp2p-yamux"
	tcp "github.com/libp2p/go-tcp-transport"
	ma "github.com/multiformats/go-multiaddr"
)

// hostSecurity: the security transports of the host, in preference order.
var hostSecurity = secio.ID + "," + libp2ptls.ID

var muxerOptions = map[string]libp2p.Option{
	"yamux": libp2p.Muxer("/yamux/1.0.0", yamux.DefaultTransport),
	"mplex": libp2p.Muxer("/mplex/6.7.0", mplex.DefaultTransport),
}

// hostPeer: a go-libp2p v0.10 host with TCP, secio and TLS (its default security, secio
// observed), and the muxers asked for, handling the echo protocol.
type hostPeer struct {
	host     host.Host
	protocol string
	mu       sync.Mutex
	// the last finished handshake with each peer, for the fields of its results and events
	lastHandshake map[peer.ID]*handshakeInfo
	streams       sync.WaitGroup
}

func startHost(opts *options, priv crypto.PrivKey, transport *observedSecio) (*hostPeer, error) {
	h := &hostPeer{protocol: opts.protocol, lastHandshake: map[peer.ID]*handshakeInfo{}}
	transport.onFinish = func(remote peer.ID, info *handshakeInfo) {
		h.mu.Lock()
		h.lastHandshake[remote] = info
		h.mu.Unlock()
	}
	options := []libp2p.Option{
		libp2p.Identity(priv),
		libp2p.ListenAddrStrings(opts.listen),
		libp2p.Transport(tcp.NewTCPTransport),
		// go-libp2p v0.10.3's default security list, in its order: secio first, then TLS
		libp2p.Security(secio.ID, transport),
		libp2p.Security(libp2ptls.ID, libp2ptls.New),
		libp2p.DisableRelay(),
		libp2p.Ping(false),
	}
	for _, name := range strings.Split(opts.muxers, ",") {
		options = append(options, muxerOptions[name])
	}
	var err error
	h.host, err = libp2p.New(context.Background(), options...)
	if err != nil {
		return nil, err
	}
	h.host.Network().Notify(&network.NotifyBundle{
		ConnectedF: func(_ network.Network, c network.Conn) {
			emit(event{"event": "connect", "remotePeer": c.RemotePeer().Pretty(), "remoteAddr": c.RemoteMultiaddr().String(), "direction": strings.ToLower(c.Stat().Direction.String())})
		},
		DisconnectedF: func(_ network.Network, c network.Conn) {
			emit(event{"event": "disconnect", "remotePeer": c.RemotePeer().Pretty()})
		},
	})
	h.host.SetStreamHandler(protocol.ID(opts.protocol), h.serve)
	return h, nil
}

func (h *hostPeer) handshakeWith(p peer.ID) *handshakeInfo {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.lastHandshake[p]
}

func (h *hostPeer) addrs() []string {
	out := []string{}
	for _, addr := range h.host.Addrs() {
		out = append(out, fmt.Sprintf("%s/p2p/%s", addr, h.host.ID().Pretty()))
	}
	return out
}

func (h *hostPeer) serve(s network.Stream) {
	h.streams.Add(1)
	defer h.streams.Done()
	remote := s.Conn().RemotePeer()
	count, digest, err := echo(s, &frameCounter{})
	result := merge(event{"event": "inbound", "protocol": string(s.Protocol()), "remotePeer": remote.Pretty(), "ok": err == nil, "bytes": count}, h.handshakeWith(remote).fields())
	if err != nil {
		s.Reset()
		result["error"] = errorText(err)
	} else {
		s.Close()
		result["sha256"] = digest
	}
	emit(result)
}

func (h *hostPeer) dialEcho(ctx context.Context, addr, proto string, req echoRequest) (event, error) {
	target, err := ma.NewMultiaddr(addr)
	if err != nil {
		return event{}, err
	}
	info, err := peer.AddrInfoFromP2pAddr(target)
	if err != nil {
		return event{}, err
	}
	if err := h.host.Connect(ctx, *info); err != nil {
		return event{}, err
	}
	s, err := h.host.NewStream(ctx, info.ID, protocol.ID(proto))
	if err != nil {
		return h.handshakeWith(info.ID).fields(), err
	}
	stopResetting := context.AfterFunc(ctx, func() { s.Reset() })
	defer stopResetting()
	digest, err := sendAndVerify(ctx, s, req, &frameCounter{})
	fields := merge(event{"remotePeer": s.Conn().RemotePeer().Pretty()}, h.handshakeWith(info.ID).fields())
	if err != nil {
		s.Reset()
		return fields, err
	}
	fields["sha256"] = digest
	// half-close, then wait for the remote's end
	if err := helpers.FullClose(s); err != nil {
		return fields, fmt.Errorf("closing the echo stream: %w", err)
	}
	return fields, nil
}

func (h *hostPeer) hangUp(p string) error {
	id, err := peer.Decode(p)
	if err != nil {
		return err
	}
	return h.host.Network().ClosePeer(id)
}

func (h *hostPeer) close() {
	h.host.Close()
	h.streams.Wait()
}
