//! One Rust SECIO peer (crates.io libp2p-secio 0.26.0 on libp2p-core 0.26.0), driven by JSON lines the way
//! ../legacy/peer.cjs is (see the "Rust" section of ../README.md for the whole protocol).
//!
//!   rust-secio-peer --mode bare-secio-listen|bare-secio-dial
//!                   [--key-type ed25519|secp256k1 | --private-key <base64 PrivateKey protobuf>]  (RSA: --private-key)
//!                   [--listen /ip4/127.0.0.1/tcp/0] [--mss]
//!                   [--exchanges P-256,P-384] [--ciphers AES-128,AES-256,TwofishCTR] [--hashes SHA256,SHA512]
//!
//! stdin:  {"cmd":"dial-echo","id":…,"addr":"/ip4/…/tcp/…[/p2p/…]","bytes":N,"chunk":65536,"seed":1,
//!          "closeWrite":"after-echo"|"after-send"}
//!         {"cmd":"abort","target":<id>}  {"cmd":"secret-stats"}  {"cmd":"stop"}   (EOF on stdin stops too)
//! stdout: ready, connect, secret, inbound, result, error, stopped
mod args;
mod echo;
mod events;
mod keys;
mod secure;

use args::Args;
use async_std::io::{prelude::BufReadExt, BufReader};
use async_std::net::{TcpListener, TcpStream};
use async_std::task;
use base64::{engine::general_purpose::STANDARD as BASE64, Engine};
use events::{emit, log};
use futures::future::{AbortHandle, Abortable};
use futures::StreamExt;
use libp2p_core::multiaddr::{Multiaddr, Protocol};
use libp2p_core::PeerId;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

const IMPLEMENTATION: &str = "libp2p-secio 0.26.0 (Rust)";
const DEFAULT_CHUNK: usize = 64 * 1024;
/// A write above this would be a frame libp2p-secio itself (and Go, and Uplink by default) refuses.
const MAX_FRAME: usize = 8 * 1024 * 1024;

struct Peer {
    args: Args,
    identity: keys::Identity,
    peer_id: PeerId,
    /// SECIO handshakes that completed (libp2p-secio reports nothing about those that failed).
    handshakes: AtomicU64,
    running: Mutex<HashMap<String, AbortHandle>>,
}

fn main() {
    let args = match args::parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(error) => {
            emit(json!({ "event": "error", "fatal": true, "error": error }));
            std::process::exit(2);
        }
    };
    std::process::exit(task::block_on(run(args)));
}

async fn run(args: Args) -> i32 {
    let identity = match &args.private_key {
        Some(encoded) => BASE64
            .decode(encoded)
            .map_err(|e| format!("UsageError: --private-key is not base64: {}", e))
            .and_then(|bytes| keys::from_protobuf(&bytes)),
        None => keys::generate(&args.key_type),
    };
    let identity = match identity {
        Ok(identity) => identity,
        Err(error) => {
            emit(json!({ "event": "error", "fatal": true, "origin": "startup", "error": error }));
            return 2;
        }
    };
    let peer_id = identity.keypair.public().into_peer_id();
    let peer = Arc::new(Peer { args, identity, peer_id, handshakes: AtomicU64::new(0), running: Mutex::new(HashMap::new()) });

    let mut addrs = Vec::new();
    if peer.args.mode == "bare-secio-listen" {
        match listen(peer.clone()).await {
            Ok(addr) => addrs.push(addr),
            Err(error) => {
                emit(json!({ "event": "error", "fatal": true, "origin": "startup", "error": error }));
                return 1;
            }
        }
    }

    emit(json!({
        "event": "ready",
        "implementation": IMPLEMENTATION,
        "mode": peer.args.mode,
        "mss": peer.args.mss,
        "stripSecretZeros": false,
        "exchanges": peer.args.exchanges.as_deref().unwrap_or("P-256,P-384"),
        "ciphers": peer.args.ciphers.as_deref().unwrap_or("AES-128,AES-256,TwofishCTR"),
        "hashes": peer.args.hashes.as_deref().unwrap_or("SHA256,SHA512"),
        "peerId": peer.peer_id.to_base58(),
        "keyType": peer.identity.key_type,
        "privateKey": BASE64.encode(&peer.identity.protobuf),
        "addrs": addrs,
        "pid": std::process::id(),
    }));

    let mut lines = BufReader::new(async_std::io::stdin()).lines();
    while let Some(line) = lines.next().await {
        match line {
            Ok(line) if line.trim().is_empty() => {}
            Ok(line) => {
                let peer = peer.clone();
                task::spawn(async move { handle_command(peer, line).await });
            }
            Err(err) => {
                log(&format!("stdin: {}", err));
                break;
            }
        }
    }
    // the controlling process went away: do not linger
    stop(&peer)
}

fn stop(peer: &Peer) -> ! {
    // a `stop` command and stdin's EOF can race: one `stopped` event, one exit
    static STOPPING: Mutex<()> = Mutex::new(());
    let _only_one = STOPPING.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    for handle in peer.running.lock().unwrap().values() {
        handle.abort();
    }
    emit(json!({ "event": "stopped", "secretStats": secret_stats(peer) }));
    std::process::exit(0)
}

fn secret_stats(peer: &Peer) -> Value {
    // ring computes the ECDH secret inside the handshake and returns it at full width; libp2p-secio never
    // exposes it, so leading zeros cannot be counted here (null), and nothing is ever stripped (0).
    json!({ "handshakes": peer.handshakes.load(Ordering::SeqCst), "leadingZero": Value::Null, "stripped": 0 })
}

/// What a `secret` event, a result and an inbound event say about one handshake's secret.
fn secret_fields(curve: &str, ephemeral_key: &[u8]) -> Map<String, Value> {
    let width = match curve {
        "P-256" => json!(32),
        "P-384" => json!(48),
        _ => Value::Null,
    };
    let mut fields = Map::new();
    fields.insert("secretCurve".into(), json!(curve));
    fields.insert("secretStripped".into(), json!(false));
    fields.insert("secretObservable".into(), json!(false));
    fields.insert("fullWidth".into(), width.clone());
    fields.insert("width".into(), width);
    // lets a test find its own record of this handshake's secret (the remote computes the same one)
    fields.insert("ephemeralKey".into(), json!(ephemeral_key.iter().map(|b| format!("{:02x}", b)).collect::<String>()));
    fields
}

fn report_handshake(peer: &Peer, secured: &secure::Secured) {
    let handshake = peer.handshakes.fetch_add(1, Ordering::SeqCst) + 1;
    let mut event = secret_fields(secured.curve, &secured.ephemeral_key);
    event.insert("event".into(), json!("secret"));
    event.insert("handshake".into(), json!(handshake));
    emit(Value::Object(event));
}

fn with_fields(mut base: Value, extra: Map<String, Value>) -> Value {
    if let Value::Object(map) = &mut base {
        map.extend(extra);
    }
    base
}

// ------------------------------------------------------------------ listener

async fn listen(peer: Arc<Peer>) -> Result<String, String> {
    let (address, _) = socket_address(&peer.args.listen)?;
    let listener = TcpListener::bind(address).await.map_err(|e| format!("IoError: cannot listen on {}: {}", address, e))?;
    let local = listener.local_addr().map_err(|e| format!("IoError: {}", e))?;
    let family = if local.is_ipv4() { "ip4" } else { "ip6" };
    let addr = format!("/{}/{}/tcp/{}/p2p/{}", family, local.ip(), local.port(), peer.peer_id.to_base58());
    task::spawn(async move {
        let mut incoming = listener.incoming();
        while let Some(socket) = incoming.next().await {
            match socket {
                Ok(socket) => {
                    task::spawn(inbound(peer.clone(), socket));
                }
                Err(err) => emit(json!({ "event": "error", "fatal": false, "origin": "server", "error": format!("IoError: {}", err) })),
            }
        }
    });
    Ok(addr)
}

async fn inbound(peer: Arc<Peer>, socket: TcpStream) {
    let remote_addr = socket.peer_addr().map(|a| a.to_string()).unwrap_or_default();
    let config = secure::config(peer.identity.keypair.clone(), &peer.args.preferences);
    let secured = match secure::secure(socket, config, false, peer.args.mss).await {
        Ok(secured) => secured,
        Err(error) => {
            emit(json!({ "event": "inbound", "ok": false, "bytes": 0, "error": error, "remoteAddr": remote_addr }));
            return;
        }
    };
    let remote_peer = secured.remote_peer.to_base58();
    report_handshake(&peer, &secured);
    emit(json!({ "event": "connect", "remotePeer": remote_peer, "remoteAddr": remote_addr, "direction": "inbound" }));
    let fields = secret_fields(secured.curve, &secured.ephemeral_key);
    let event = match echo::echo(secured.io, secured.socket).await {
        Ok(echoed) => json!({ "event": "inbound", "remotePeer": remote_peer, "ok": true, "bytes": echoed.bytes, "sha256": echoed.sha256 }),
        Err(failed) => json!({ "event": "inbound", "remotePeer": remote_peer, "ok": false, "bytes": failed.bytes, "error": failed.error }),
    };
    emit(with_fields(event, fields));
}

// ------------------------------------------------------------------ commands

async fn handle_command(peer: Arc<Peer>, line: String) {
    let command: Value = match serde_json::from_str(&line) {
        Ok(command) => command,
        Err(err) => {
            emit(json!({ "event": "error", "fatal": false, "origin": "command", "error": format!("SyntaxError: bad command line: {}", err) }));
            return;
        }
    };
    let name = command["cmd"].as_str().unwrap_or("").to_string();
    let reply = |fields: Value| {
        let mut event = json!({ "event": "result", "cmd": name });
        if !command["id"].is_null() {
            event["id"] = command["id"].clone();
        }
        if let (Value::Object(event), Value::Object(fields)) = (&mut event, fields) {
            event.extend(fields);
        }
        emit(event);
    };
    match name.as_str() {
        "dial-echo" => reply(dial_echo_command(&peer, &command).await),
        "abort" => {
            let target = command["target"].to_string();
            let handle = peer.running.lock().unwrap().get(&target).cloned();
            if let Some(handle) = &handle {
                handle.abort();
            }
            reply(json!({ "ok": handle.is_some() }));
        }
        "secret-stats" => reply(with_fields(json!({ "ok": true }), secret_stats(&peer).as_object().cloned().unwrap_or_default())),
        "stop" => stop(&peer),
        other => reply(json!({ "ok": false, "error": format!("UnknownCommand: {:?}", other) })),
    }
}

async fn dial_echo_command(peer: &Arc<Peer>, command: &Value) -> Value {
    if peer.args.mode != "bare-secio-dial" {
        return json!({ "ok": false, "error": format!("UsageError: dial-echo is not available in mode {}", peer.args.mode) });
    }
    let (handle, registration) = AbortHandle::new_pair();
    let key = command["id"].to_string();
    peer.running.lock().unwrap().insert(key.clone(), handle);
    let started = Instant::now();
    let outcome = Abortable::new(dial_echo(peer.clone(), command.clone()), registration).await;
    peer.running.lock().unwrap().remove(&key);
    match outcome {
        Ok(Ok((mut fields, remote_peer, echoed))) => {
            fields.extend(json!({
                "ok": true,
                "bytes": echoed.bytes,
                "sha256": echoed.sha256,
                "ms": started.elapsed().as_millis() as u64,
                "remotePeer": remote_peer,
            }).as_object().cloned().unwrap_or_default());
            Value::Object(fields)
        }
        Ok(Err((mut fields, error))) => {
            log(&format!("dial-echo failed: {}", error));
            fields.insert("ok".into(), json!(false));
            fields.insert("error".into(), json!(error));
            Value::Object(fields)
        }
        Err(_aborted) => json!({ "ok": false, "error": "AbortError: the dial-echo was aborted" }),
    }
}

type DialOutcome = Result<(Map<String, Value>, String, echo::Transferred), (Map<String, Value>, String)>;

/// TCP, [multistream-select,] SECIO, the expected-peer check, then the echo.
async fn dial_echo(peer: Arc<Peer>, command: Value) -> DialOutcome {
    let none = Map::new;
    let addr = command["addr"].as_str().ok_or_else(|| (none(), "TypeError: dial-echo needs \"addr\"".to_string()))?;
    let total = command["bytes"].as_u64().unwrap_or(0);
    let chunk = command["chunk"].as_u64().map(|c| c as usize).unwrap_or(DEFAULT_CHUNK);
    let oversize = command["oversize"].as_bool().unwrap_or(false);
    if chunk == 0 || (chunk > MAX_FRAME && !oversize) {
        return Err((none(), format!("RangeError: chunk must be 1..{} bytes (or say \"oversize\"), got {}", MAX_FRAME, chunk)));
    }
    let seed = command["seed"].as_u64().unwrap_or(1) as u32;
    let close_write = match command["closeWrite"].as_str().unwrap_or("after-echo") {
        "after-echo" => echo::CloseWrite::AfterEcho,
        "after-send" => echo::CloseWrite::AfterSend,
        other => return Err((none(), format!("RangeError: closeWrite must be \"after-echo\" or \"after-send\", got {:?}", other))),
    };
    let (address, expected) = socket_address(addr).map_err(|e| (none(), e))?;

    let socket = TcpStream::connect(address).await.map_err(|e| (none(), format!("IoError({:?}): {}", e.kind(), e)))?;
    let config = secure::config(peer.identity.keypair.clone(), &peer.args.preferences);
    let secured = secure::secure(socket, config, true, peer.args.mss).await.map_err(|e| (none(), e))?;
    report_handshake(&peer, &secured);
    let fields = secret_fields(secured.curve, &secured.ephemeral_key);
    let remote_peer = secured.remote_peer.to_base58();

    // libp2p-secio does not check who answered (rust-libp2p's swarm did that above it), so this peer does.
    if let Some(expected) = expected {
        if expected != secured.remote_peer {
            return Err((fields, format!("UnexpectedPeerError: expected {} but the remote is {}", expected.to_base58(), remote_peer)));
        }
    }

    match echo::send_and_verify(secured.io, secured.socket, total, chunk, seed, close_write).await {
        Ok(echoed) => Ok((fields, remote_peer, echoed)),
        Err(failed) => {
            let mut fields = fields;
            fields.insert("bytes".into(), json!(failed.bytes));
            Err((fields, failed.error))
        }
    }
}

/// `/ip4|ip6/<ip>/tcp/<port>[/p2p/<id>]` -> the socket address and the expected peer, if any.
fn socket_address(addr: &str) -> Result<(SocketAddr, Option<PeerId>), String> {
    let multiaddr: Multiaddr = addr.parse().map_err(|e| format!("InvalidMultiaddr: {}: {}", addr, e))?;
    let (mut ip, mut port, mut peer) = (None, None, None);
    for protocol in multiaddr.iter() {
        match protocol {
            Protocol::Ip4(v4) => ip = Some(std::net::IpAddr::V4(v4)),
            Protocol::Ip6(v6) => ip = Some(std::net::IpAddr::V6(v6)),
            Protocol::Tcp(p) => port = Some(p),
            Protocol::P2p(hash) => peer = Some(PeerId::from_multihash(hash).map_err(|_| format!("InvalidMultiaddr: {} has a bad /p2p/ id", addr))?),
            other => return Err(format!("InvalidMultiaddr: {} has {} (only ip4/ip6, tcp and p2p)", addr, other)),
        }
    }
    match (ip, port) {
        (Some(ip), Some(port)) => Ok((SocketAddr::new(ip, port), peer)),
        _ => Err(format!("InvalidMultiaddr: {} needs an IP address and a TCP port", addr)),
    }
}
