// Command go-peer is one go-libp2p SECIO peer (github.com/libp2p/go-libp2p-secio v0.2.3, and a
// go-libp2p v0.10.3 host for the full stack), driven by JSON lines like
// packages/interop/legacy/peer.cjs so that every reference peer can be driven the same way.
//
//	go-peer --mode node|bare-secio-listen|bare-secio-dial
//	        [--key-type rsa|ed25519|secp256k1|ecdsa | --private-key <base64 PrivateKey protobuf>]
//	        [--listen <multiaddr>]            (node and bare-secio-listen; default /ip4/127.0.0.1/tcp/0)
//	        [--mss]                           (bare modes: multistream-select /secio/1.0.0 first)
//	        [--exchanges P-521[,P-384…]]      (secio.SupportedExchanges; default P-256,P-384,P-521)
//	        [--ciphers AES-128[,AES-256]]     (secio.SupportedCiphers; default AES-256,AES-128)
//	        [--hashes SHA512[,SHA256]]        (secio.SupportedHashes; default SHA256,SHA512)
//	        [--muxers yamux,mplex]            (node: stream muxers offered, most preferred first)
//	        [--protocol /echo/1.0.0]          (node: the echo protocol handled)
//
// stdout carries only JSON lines (events); diagnostics go to stderr.
// stdin carries JSON line commands; every reply repeats the command's "id" if it had one:
//
//	{"cmd":"dial-echo","id":…,"addr":"/ip4/…/tcp/…[/p2p/…]","protocol":"/echo/1.0.0","bytes":N,"chunk":65536,"seed":1,"window":1048576,"oversize":false}
//	    -> {"event":"result","cmd":"dial-echo","id":…,"ok":true,"bytes":N,"ms":…,"remotePeer":"…","sha256":"…",…}
//	    -> {"event":"result","cmd":"dial-echo","id":…,"ok":false,"error":"Name: message",…}
//	   (node: host.Connect + NewStream(protocol); bare modes: TCP + [mss] + secio, "protocol" ignored;
//	    a /p2p/ part is the expected peer, checked by secio. Every mode can dial.)
//	{"cmd":"abort","target":<id of a running dial-echo>}
//	{"cmd":"hang-up","peer":"<peer id>"}     (node mode)
//	{"cmd":"secret-stats"} -> {"event":"result","cmd":"secret-stats","ok":true,"handshakes":N,"leadingZero":N,"stripped":N,"failed":N}
//	{"cmd":"stop"} -> {"event":"stopped","secretStats":{…}} and exit 0.  EOF on stdin, SIGTERM, SIGINT also stop.
//
// Unsolicited events: ready, connect/disconnect, inbound (one echo session ended), error, and
// secret (one per SECIO handshake Go completed):
//
//	{"event":"secret","secretCurve":"P-521","secretLeadingZeros":1,"secretStripped":true,"order":1,"fullWidth":66,"width":65,"cipher":"AES-256","hash":"SHA256","handshake":N,"remotePeer":"…","direction":"inbound"}
//
// go-libp2p-core keys every session with big.Int.Bytes() of the ECDH X coordinate, which drops
// its leading zero bytes: "width" is the length of the secret Go keyed with (read from the
// finished session), "fullWidth" the curve's field width, so "secretLeadingZeros" is exact and
// "secretStripped" is true whenever it is not 0. "order" is Go's SECIO order (1: Go's
// preferences won), computed from the two Propose messages seen on the wire. A handshake that
// fails has no session to read: it is counted in secret-stats "failed", and its result or
// inbound event carries the "secretCurve" and "order" known from the Proposes (no "width").
// dial-echo results and inbound events of SECIO sessions repeat their handshake's fields.
// Bare sessions also report "maxFrameIn" / "maxFrameOut": the largest SECIO frame (ciphertext +
// MAC, the uint32 length prefix) read and written. See README.md for the whole protocol.
package main

import (
	"encoding/base64"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/libp2p/go-libp2p-core/crypto"
)

func main() {
	opts, err := parseOptions(os.Args[1:])
	if err != nil {
		emit(event{"event": "error", "fatal": true, "error": "UsageError: " + err.Error()})
		os.Exit(2)
	}
	if err := applySuites(opts); err != nil {
		emit(event{"event": "error", "fatal": true, "error": "UsageError: " + err.Error()})
		os.Exit(2)
	}

	priv, err := loadIdentity(opts.keyType, opts.privateKey)
	if err != nil {
		fatal("startup", err)
	}
	p, err := startPeer(opts, priv)
	if err != nil {
		fatal("startup", err)
	}

	id, _ := peerIDOf(priv)
	privBytes, err := crypto.MarshalPrivateKey(priv)
	if err != nil {
		fatal("startup", err)
	}
	ready := event{
		"event":            "ready",
		"mode":             opts.mode,
		"peerId":           id.Pretty(),
		"keyType":          keyTypeName(priv.GetPublic()),
		"privateKey":       base64.StdEncoding.EncodeToString(privBytes),
		"addrs":            p.addrs(),
		"stripSecretZeros": true,
		"exchanges":        currentSuites().exchanges,
		"ciphers":          currentSuites().ciphers,
		"hashes":           currentSuites().hashes,
		"go":               goVersion(),
		"modules":          moduleVersions(),
		"pid":              os.Getpid(),
	}
	if opts.mode == modeNode {
		ready["muxers"] = opts.muxers
		ready["security"] = hostSecurity
		ready["protocol"] = opts.protocol
	} else {
		ready["mss"] = opts.mss
	}

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-signals
		p.stop(0)
	}()

	emit(ready)
	runCommands(os.Stdin, p)
}

func fatal(origin string, err error) {
	logf("%s failed: %v", origin, err)
	emit(event{"event": "error", "fatal": true, "origin": origin, "error": errorText(err)})
	os.Exit(1)
}

func logf(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "[go-peer %d] "+format+"\n", append([]interface{}{os.Getpid()}, args...)...)
}
