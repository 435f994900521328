"""Identity keys in and out as the libp2p PrivateKey protobuf, so one identity can go to every peer.

py-libp2p serializes an Ed25519 private key as its 32-byte seed; the libp2p spec (and Go, JS, Rust)
use 64 bytes, seed then public key. Both are read; the spec's form is written.
"""

from libp2p.crypto import ed25519, rsa, secp256k1
from libp2p.crypto.keys import KeyPair, KeyType, PrivateKey
from libp2p.crypto.pb import crypto_pb2
from libp2p.crypto.serialization import deserialize_private_key


def generate(key_type: str) -> KeyPair:
    if key_type == "ed25519":
        return ed25519.create_new_key_pair()
    if key_type == "secp256k1":
        return secp256k1.create_new_key_pair()
    if key_type == "rsa":
        return rsa.create_new_key_pair(2048)
    raise ValueError(f"--key-type must be one of ed25519, secp256k1, rsa (got {key_type})")


def from_protobuf(data: bytes) -> KeyPair:
    message = crypto_pb2.PrivateKey.FromString(data)
    if message.key_type == KeyType.Ed25519.value and len(message.data) == 64:
        private_key: PrivateKey = ed25519.Ed25519PrivateKey.from_bytes(message.data[:32])
    else:
        private_key = deserialize_private_key(data)
    return KeyPair(private_key, private_key.get_public_key())


def to_protobuf(key_pair: KeyPair) -> bytes:
    private_key = key_pair.private_key
    if private_key.get_type() == KeyType.Ed25519:
        data = private_key.to_bytes() + key_pair.public_key.to_bytes()
        return crypto_pb2.PrivateKey(key_type=KeyType.Ed25519.value, data=data).SerializeToString()
    return private_key.serialize()


def key_type_name(key_pair: KeyPair) -> str:
    return {KeyType.RSA: "rsa", KeyType.Ed25519: "ed25519", KeyType.Secp256k1: "secp256k1"}.get(
        key_pair.private_key.get_type(), "unknown"
    )
