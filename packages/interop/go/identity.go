package main

import (
	"encoding/base64"
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/libp2p/go-libp2p-core/crypto"
	pb "github.com/libp2p/go-libp2p-core/crypto/pb"
	"github.com/libp2p/go-libp2p-core/peer"
)

// loadIdentity decodes a PrivateKey protobuf (base64), or generates a key of keyType.
// ECDSA keys are go-libp2p-core's: P-256, PKIX public key, DER signatures.
func loadIdentity(keyType, privateKey string) (crypto.PrivKey, error) {
	if privateKey != "" {
		raw, err := base64.StdEncoding.DecodeString(privateKey)
		if err != nil {
			return nil, fmt.Errorf("--private-key: %w", err)
		}
		return crypto.UnmarshalPrivateKey(raw)
	}
	var (
		priv crypto.PrivKey
		err  error
	)
	switch keyType {
	case "rsa":
		priv, _, err = crypto.GenerateKeyPair(crypto.RSA, 2048)
	case "ed25519":
		priv, _, err = crypto.GenerateKeyPair(crypto.Ed25519, -1)
	case "secp256k1":
		priv, _, err = crypto.GenerateKeyPair(crypto.Secp256k1, -1)
	case "ecdsa":
		priv, _, err = crypto.GenerateKeyPair(crypto.ECDSA, -1)
	default:
		err = fmt.Errorf("unknown key type %q", keyType)
	}
	return priv, err
}

func peerIDOf(priv crypto.PrivKey) (peer.ID, error) {
	return peer.IDFromPrivateKey(priv)
}

func keyTypeName(pub crypto.PubKey) string {
	switch pub.Type() {
	case pb.KeyType_RSA:
		return "rsa"
	case pb.KeyType_Ed25519:
		return "ed25519"
	case pb.KeyType_Secp256k1:
		return "secp256k1"
	case pb.KeyType_ECDSA:
		return "ecdsa"
	}
	return "unknown"
}

func goVersion() string { return runtime.Version() }

var reportedModules = map[string]bool{
	"github.com/libp2p/go-libp2p":            true,
	"github.com/libp2p/go-libp2p-core":       true,
	"github.com/libp2p/go-libp2p-secio":      true,
	"github.com/libp2p/go-libp2p-mplex":      true,
	"github.com/libp2p/go-mplex":             true,
	"github.com/libp2p/go-libp2p-yamux":      true,
	"github.com/libp2p/go-yamux":             true,
	"github.com/libp2p/go-msgio":             true,
	"github.com/libp2p/go-tcp-transport":     true,
	"github.com/multiformats/go-multistream": true,
}

// moduleVersions: the libp2p modules this binary was built with (from its build info), so a
// test can check the pins it runs against.
func moduleVersions() map[string]string {
	versions := map[string]string{}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return versions
	}
	for _, dep := range info.Deps {
		if reportedModules[dep.Path] {
			version := dep.Version
			if dep.Replace != nil {
				version = dep.Replace.Version
			}
			versions[dep.Path] = version
		}
	}
	return versions
}
