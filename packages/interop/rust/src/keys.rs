//! Identity keys in and out as the libp2p PrivateKey protobuf (`08 <type> 12 <len> <data>`), so that one
//! identity can be handed to every peer of the interop tests. libp2p-core 0.26 can generate Ed25519 and
//! secp256k1 keys but only load RSA ones (from PKCS#8), so an RSA identity must be given.
use libp2p_core::identity::{self, ed25519, secp256k1, Keypair};

pub struct Identity {
    pub keypair: Keypair,
    pub key_type: &'static str,
    /// The PrivateKey protobuf, as the `ready` event reports it.
    pub protobuf: Vec<u8>,
}

const RSA: u64 = 0;
const ED25519: u64 = 1;
const SECP256K1: u64 = 2;

pub fn generate(key_type: &str) -> Result<Identity, String> {
    match key_type {
        "ed25519" => {
            let pair = ed25519::Keypair::generate();
            let protobuf = encode_private_key(ED25519, &pair.encode());
            Ok(Identity { keypair: Keypair::Ed25519(pair), key_type: "ed25519", protobuf })
        }
        "secp256k1" => {
            let pair = secp256k1::Keypair::generate();
            let protobuf = encode_private_key(SECP256K1, &pair.secret().to_bytes());
            Ok(Identity { keypair: Keypair::Secp256k1(pair), key_type: "secp256k1", protobuf })
        }
        "rsa" => Err("UsageError: libp2p-core 0.26 cannot generate RSA keys; pass one with --private-key".into()),
        other => Err(format!("UsageError: --key-type must be one of ed25519, secp256k1, rsa (got {})", other)),
    }
}

pub fn from_protobuf(protobuf: &[u8]) -> Result<Identity, String> {
    let (key_type, mut data) = decode_private_key(protobuf)?;
    let bad = |e: identity::error::DecodingError| format!("InvalidPrivateKey: {}", e);
    let (keypair, name) = match key_type {
        RSA => (Keypair::rsa_from_pkcs8(&mut pkcs1_to_pkcs8(&data)).map_err(bad)?, "rsa"),
        ED25519 => (Keypair::Ed25519(ed25519::Keypair::decode(&mut data).map_err(bad)?), "ed25519"),
        SECP256K1 => {
            let secret = secp256k1::SecretKey::from_bytes(&mut data).map_err(bad)?;
            (Keypair::Secp256k1(secp256k1::Keypair::from(secret)), "secp256k1")
        }
        other => return Err(format!("UnsupportedKeyType: key type {} is not RSA, Ed25519 or secp256k1", other)),
    };
    Ok(Identity { keypair, key_type: name, protobuf: protobuf.to_vec() })
}

fn encode_private_key(key_type: u64, data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x08];
    write_varint(&mut out, key_type);
    out.push(0x12);
    write_varint(&mut out, data.len() as u64);
    out.extend_from_slice(data);
    out
}

fn decode_private_key(bytes: &[u8]) -> Result<(u64, Vec<u8>), String> {
    let malformed = || "InvalidPrivateKey: not a libp2p PrivateKey protobuf".to_string();
    let (mut key_type, mut data, mut pos) = (None, None, 0);
    while pos < bytes.len() {
        let tag = read_varint(bytes, &mut pos).ok_or_else(malformed)?;
        match (tag >> 3, tag & 7) {
            (1, 0) => key_type = Some(read_varint(bytes, &mut pos).ok_or_else(malformed)?),
            (2, 2) => {
                let len = read_varint(bytes, &mut pos).ok_or_else(malformed)? as usize;
                let end = pos.checked_add(len).filter(|end| *end <= bytes.len()).ok_or_else(malformed)?;
                data = Some(bytes[pos..end].to_vec());
                pos = end;
            }
            _ => return Err(malformed()),
        }
    }
    Ok((key_type.ok_or_else(malformed)?, data.ok_or_else(malformed)?))
}

fn write_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn read_varint(bytes: &[u8], pos: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *bytes.get(*pos)?;
        *pos += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Some(value);
        }
    }
    None
}

/// libp2p's RSA PrivateKey holds PKCS#1 `RSAPrivateKey` DER; ring (through libp2p-core) loads PKCS#8:
/// `SEQUENCE { INTEGER 0, SEQUENCE { OID rsaEncryption, NULL }, OCTET STRING { pkcs1 } }`.
fn pkcs1_to_pkcs8(pkcs1: &[u8]) -> Vec<u8> {
    const RSA_ENCRYPTION: [u8; 9] = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
    let algorithm = [der(0x06, &RSA_ENCRYPTION), vec![0x05, 0x00]].concat();
    der(0x30, &[der(0x02, &[0x00]), der(0x30, &algorithm), der(0x04, pkcs1)].concat())
}

fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    if content.len() < 0x80 {
        out.push(content.len() as u8);
    } else {
        let len = (content.len() as u64).to_be_bytes();
        let significant: Vec<u8> = len.iter().copied().skip_while(|b| *b == 0).collect();
        out.push(0x80 | significant.len() as u8);
        out.extend_from_slice(&significant);
    }
    out.extend_from_slice(content);
    out
}
