package main

import (
	"context"

	"github.com/libp2p/go-libp2p-core/crypto"
)

// peerMode is what a mode offers the command loop.
type peerMode interface {
	addrs() []string
	dialEcho(ctx context.Context, addr, protocol string, req echoRequest, oversize bool) (event, error)
	hangUp(peer string) error
	close()
}

type bareMode struct{ *barePeer }

func (b bareMode) dialEcho(ctx context.Context, addr, _ string, req echoRequest, oversize bool) (event, error) {
	return b.barePeer.dialEcho(ctx, addr, req, oversize)
}

type hostMode struct{ *hostPeer }

func (h hostMode) dialEcho(ctx context.Context, addr, protocol string, req echoRequest, _ bool) (event, error) {
	return h.hostPeer.dialEcho(ctx, addr, protocol, req)
}

func startPeer(opts *options, priv crypto.PrivKey) (*runningPeer, error) {
	transport, err := newObservedSecio(priv)
	if err != nil {
		return nil, err
	}
	var mode peerMode
	if opts.mode == modeNode {
		h, err := startHost(opts, priv, transport)
		if err != nil {
			return nil, err
		}
		mode = hostMode{h}
	} else {
		self, err := peerIDOf(priv)
		if err != nil {
			return nil, err
		}
		b, err := startBare(opts, transport, self)
		if err != nil {
			return nil, err
		}
		mode = bareMode{b}
	}
	return newRunningPeer(opts, mode), nil
}
