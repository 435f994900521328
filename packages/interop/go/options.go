package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	secio "github.com/libp2p/go-libp2p-secio"
)

const (
	modeNode       = "node"
	modeBareListen = "bare-secio-listen"
	modeBareDial   = "bare-secio-dial"
)

var (
	modes    = []string{modeNode, modeBareListen, modeBareDial}
	keyTypes = []string{"rsa", "ed25519", "secp256k1", "ecdsa"}
	muxers   = []string{"yamux", "mplex"}
)

type options struct {
	mode       string
	keyType    string
	privateKey string
	listen     string
	mss        bool
	exchanges  string
	ciphers    string
	hashes     string
	muxers     string
	protocol   string
}

func parseOptions(args []string) (*options, error) {
	opts := &options{}
	flags := flag.NewFlagSet("go-peer", flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	flags.StringVar(&opts.mode, "mode", modeNode, "node|bare-secio-listen|bare-secio-dial")
	flags.StringVar(&opts.keyType, "key-type", "ed25519", "rsa|ed25519|secp256k1|ecdsa")
	flags.StringVar(&opts.privateKey, "private-key", "", "base64 of a libp2p PrivateKey protobuf")
	flags.StringVar(&opts.listen, "listen", "/ip4/127.0.0.1/tcp/0", "listen multiaddr")
	flags.BoolVar(&opts.mss, "mss", false, "bare modes: multistream-select /secio/1.0.0 first")
	flags.StringVar(&opts.exchanges, "exchanges", secio.DefaultSupportedExchanges, "secio curves, most preferred first")
	flags.StringVar(&opts.ciphers, "ciphers", secio.DefaultSupportedCiphers, "secio ciphers, most preferred first")
	flags.StringVar(&opts.hashes, "hashes", secio.DefaultSupportedHashes, "secio hashes, most preferred first")
	flags.StringVar(&opts.muxers, "muxers", "yamux,mplex", "node: stream muxers, most preferred first")
	flags.StringVar(&opts.protocol, "protocol", echoProtocol, "node: the echo protocol handled")
	if err := flags.Parse(args); err != nil {
		return nil, err
	}
	if flags.NArg() != 0 {
		return nil, fmt.Errorf("unexpected arguments %q", flags.Args())
	}
	if !contains(modes, opts.mode) {
		return nil, fmt.Errorf("--mode must be one of %s", strings.Join(modes, ", "))
	}
	if opts.privateKey == "" && !contains(keyTypes, opts.keyType) {
		return nil, fmt.Errorf("--key-type must be one of %s", strings.Join(keyTypes, ", "))
	}
	if err := checkList("--muxers", opts.muxers, strings.Join(muxers, ",")); err != nil {
		return nil, err
	}
	return opts, nil
}

// applySuites sets go-libp2p-secio's preference lists (package variables, read at every
// handshake): this is how a test forces one curve, cipher or hash from the Go side. Only the
// names Go itself runs are allowed, so a typo cannot make Go offer something it cannot run.
func applySuites(opts *options) error {
	if err := checkList("--exchanges", opts.exchanges, secio.DefaultSupportedExchanges); err != nil {
		return err
	}
	if err := checkList("--ciphers", opts.ciphers, secio.DefaultSupportedCiphers); err != nil {
		return err
	}
	if err := checkList("--hashes", opts.hashes, secio.DefaultSupportedHashes); err != nil {
		return err
	}
	// set once, before any handshake runs (they read these without a lock)
	secio.SupportedExchanges = opts.exchanges
	secio.SupportedCiphers = opts.ciphers
	secio.SupportedHashes = opts.hashes
	return nil
}

type suites struct{ exchanges, ciphers, hashes string }

func currentSuites() suites {
	return suites{secio.SupportedExchanges, secio.SupportedCiphers, secio.SupportedHashes}
}

func checkList(flagName, list, supported string) error {
	if list == "" {
		return fmt.Errorf("%s must name at least one of %s", flagName, supported)
	}
	seen := map[string]bool{}
	for _, name := range strings.Split(list, ",") {
		if !contains(strings.Split(supported, ","), name) {
			return fmt.Errorf("%s: %q is not one of %s", flagName, name, supported)
		}
		if seen[name] {
			return errors.New(flagName + ": " + name + " named twice")
		}
		seen[name] = true
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, item := range list {
		if item == s {
			return true
		}
	}
	return false
}
