//! SECIO on a TCP socket, bare (`upgrade_inbound`/`upgrade_outbound` straight on the socket) or behind
//! multistream-select (libp2p-core's `apply_inbound`/`apply_outbound`, which negotiate `/secio/1.0.0` first).
use crate::events::secio_error_text;
use async_std::net::TcpStream;
use futures::prelude::*;
use libp2p_core::upgrade::{self, InboundUpgrade, OutboundUpgrade, UpgradeError};
use libp2p_core::PeerId;
use libp2p_secio::{Cipher, Digest, KeyAgreement, SecioConfig, SecioError, SecioOutput};
use std::pin::Pin;
use std::time::Duration;

pub const PROTOCOL: &[u8] = b"/secio/1.0.0";
/// libp2p-secio has no handshake deadline of its own; Go's is 30 s.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(30);

pub trait Duplex: AsyncRead + AsyncWrite + Send {}
impl<T: AsyncRead + AsyncWrite + Send> Duplex for T {}
pub type SecureIo = Pin<Box<dyn Duplex>>;

pub struct Secured {
    pub remote_peer: PeerId,
    /// From the length of our ephemeral public key (uncompressed point: 65 bytes on P-256, 97 on P-384).
    pub curve: &'static str,
    /// Our ephemeral public key (uncompressed point), as the remote received it in our Exchange.
    pub ephemeral_key: Vec<u8>,
    pub io: SecureIo,
    /// The socket under `io`: closing `io` only flushes (async-std's close does not shut the socket down),
    /// so the FIN that ends our side is sent here.
    pub socket: TcpStream,
}


#[derive(Clone)]
pub struct Preferences {
    pub exchanges: Option<Vec<KeyAgreement>>,
    pub ciphers: Option<Vec<Cipher>>,
    pub hashes: Option<Vec<Digest>>,
}

pub fn config(keypair: libp2p_core::identity::Keypair, preferences: &Preferences) -> SecioConfig {
    let mut config = SecioConfig::new(keypair);
    if let Some(exchanges) = &preferences.exchanges {
        config = config.key_agreements(exchanges);
    }
    if let Some(ciphers) = &preferences.ciphers {
        config = config.ciphers(ciphers);
    }
    if let Some(hashes) = &preferences.hashes {
        config = config.digests(hashes);
    }
    config
}

pub async fn secure(socket: TcpStream, config: SecioConfig, outbound: bool, mss: bool) -> Result<Secured, String> {
    let raw = socket.clone();
    let handshake = async move {
        match (mss, outbound) {
            (false, true) => config.upgrade_outbound(socket, PROTOCOL).await.map(secured).map_err(|e| secio_error_text(&e)),
            (false, false) => config.upgrade_inbound(socket, PROTOCOL).await.map(secured).map_err(|e| secio_error_text(&e)),
            (true, true) => upgrade::apply_outbound(socket, config, upgrade::Version::V1).await.map(secured).map_err(upgrade_error_text),
            (true, false) => upgrade::apply_inbound(socket, config).await.map(secured).map_err(upgrade_error_text),
        }
    };
    let (remote_peer, curve, ephemeral_key, io) = async_std::future::timeout(HANDSHAKE_TIMEOUT, handshake)
        .await
        .unwrap_or_else(|_| Err(format!("TimeoutError: the SECIO handshake took longer than {} s", HANDSHAKE_TIMEOUT.as_secs())))?;
    Ok(Secured { remote_peer, curve, ephemeral_key, io, socket: raw })
}

fn secured<S>((remote_peer, output): (PeerId, SecioOutput<S>)) -> (PeerId, &'static str, Vec<u8>, SecureIo)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let curve = match output.ephemeral_public_key.len() {
        65 => "P-256",
        97 => "P-384",
        _ => "unknown",
    };
    let ephemeral_key = output.ephemeral_public_key.clone();
    (remote_peer, curve, ephemeral_key, Box::pin(output))
}

fn upgrade_error_text(err: UpgradeError<SecioError>) -> String {
    match err {
        UpgradeError::Select(negotiation) => format!("NegotiationError: {}", negotiation),
        UpgradeError::Apply(secio) => secio_error_text(&secio),
    }
}

pub fn parse_exchanges(list: &str) -> Result<Vec<KeyAgreement>, String> {
    parse_list(list, "--exchanges", |name| match name {
        "P-256" => Some(KeyAgreement::EcdhP256),
        "P-384" => Some(KeyAgreement::EcdhP384),
        _ => None,
    })
}

pub fn parse_ciphers(list: &str) -> Result<Vec<Cipher>, String> {
    parse_list(list, "--ciphers", |name| match name {
        "AES-128" => Some(Cipher::Aes128),
        "AES-256" => Some(Cipher::Aes256),
        "TwofishCTR" => Some(Cipher::TwofishCtr),
        _ => None,
    })
}

pub fn parse_hashes(list: &str) -> Result<Vec<Digest>, String> {
    parse_list(list, "--hashes", |name| match name {
        "SHA256" => Some(Digest::Sha256),
        "SHA512" => Some(Digest::Sha512),
        _ => None,
    })
}

fn parse_list<T>(list: &str, option: &str, known: impl Fn(&str) -> Option<T>) -> Result<Vec<T>, String> {
    list.split(',')
        .map(|name| known(name).ok_or_else(|| format!("UsageError: {} does not know {:?}", option, name)))
        .collect()
}
