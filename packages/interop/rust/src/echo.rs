//! The two data paths: echoing a secured stream (listener), and sending a pattern while checking its echo
//! (dialer). Every write is one SECIO frame (libp2p-secio's sink never splits), so the size of the writes
//! is the size of the frames this peer sends.
use crate::events::io_error_text;
use crate::secure::SecureIo;
use async_std::net::TcpStream;
use std::net::Shutdown;
use futures::future::try_join;
use futures::prelude::*;
use sha2::{Digest, Sha256};

/// Reads take at most one frame, and libp2p-secio accepts frames up to 8 MiB: a buffer this big
/// echoes each frame it receives as one frame of the same size.
pub const ECHO_BUFFER: usize = 8 * 1024 * 1024;

pub struct Transferred {
    pub bytes: u64,
    pub sha256: String,
}

pub struct Failed {
    pub bytes: u64,
    pub error: String,
}

fn hex(digest: impl AsRef<[u8]>) -> String {
    digest.as_ref().iter().map(|b| format!("{:02x}", b)).collect()
}

/// Sends back everything, then closes our side once the remote has closed its own.
pub async fn echo(mut io: SecureIo, socket: TcpStream) -> Result<Transferred, Failed> {
    let mut buffer = vec![0u8; ECHO_BUFFER];
    let mut digest = Sha256::new();
    let mut bytes = 0u64;
    let failed = |bytes: u64| move |err: std::io::Error| Failed { bytes, error: io_error_text(&err) };
    loop {
        let n = io.read(&mut buffer).await.map_err(failed(bytes))?;
        if n == 0 {
            break;
        }
        digest.update(&buffer[..n]);
        io.write_all(&buffer[..n]).await.map_err(failed(bytes))?;
        io.flush().await.map_err(failed(bytes))?;
        bytes += n as u64;
    }
    io.close().await.map_err(failed(bytes))?;
    // close() only flushed (see Secured::socket); the FIN is ours to send
    let _ = socket.shutdown(Shutdown::Write);
    Ok(Transferred { bytes, sha256: hex(digest.finalize()) })
}

/// The legacy peer's byte pattern (xorshift32; seed 0 is replaced by 1), so that a seed means the same bytes.
struct Pattern(u32);

impl Pattern {
    fn new(seed: u32) -> Self {
        Pattern(if seed == 0 { 1 } else { seed })
    }

    fn fill(&mut self, out: &mut [u8]) {
        let mut x = self.0;
        for byte in out.iter_mut() {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            *byte = x as u8;
        }
        self.0 = x;
    }
}

/// When the dialer sends its FIN.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum CloseWrite {
    /// Once the whole echo is back (the legacy peer's way): the echo side never writes after our FIN.
    AfterEcho,
    /// As soon as the last byte is written: the echo side must finish its echo after our FIN.
    AfterSend,
}

/// Writes `total` pattern bytes in writes of `chunk`, half-closes (see CloseWrite), and checks byte for
/// byte that exactly those bytes come back before the echo side closes. Reading runs alongside writing,
/// so TCP's own flow control is all the pacing needed.
pub async fn send_and_verify(io: SecureIo, socket: TcpStream, total: u64, chunk: usize, seed: u32, close_write: CloseWrite) -> Result<Transferred, Failed> {
    let (mut reader, mut writer) = io.split();
    let (echoed_tx, echoed_rx) = futures::channel::oneshot::channel::<()>();

    let send = async move {
        let mut pattern = Pattern::new(seed);
        let mut buffer = vec![0u8; chunk];
        let mut sent = 0u64;
        while sent < total {
            let n = chunk.min((total - sent) as usize);
            pattern.fill(&mut buffer[..n]);
            let written = async {
                writer.write_all(&buffer[..n]).await?;
                writer.flush().await
            };
            written.await.map_err(|err| Failed { bytes: sent, error: io_error_text(&err) })?;
            sent += n as u64;
        }
        if close_write == CloseWrite::AfterEcho {
            // a failed reader drops the sender; try_join reports the reader's error then
            let _ = echoed_rx.await;
        }
        // every frame out (close() only flushes: see Secured::socket), then our FIN: the echo side sees
        // the end and closes its side in turn
        writer.close().await.map_err(|err| Failed { bytes: sent, error: io_error_text(&err) })?;
        let _ = socket.shutdown(Shutdown::Write);
        Ok(())
    };

    let receive = async move {
        let mut pattern = Pattern::new(seed);
        let mut buffer = vec![0u8; ECHO_BUFFER];
        let mut expected = vec![0u8; ECHO_BUFFER];
        let mut digest = Sha256::new();
        let mut received = 0u64;
        let mut echoed_tx = Some(echoed_tx);
        loop {
            if received == total {
                if let Some(tx) = echoed_tx.take() {
                    let _ = tx.send(());
                }
            }
            let n = reader.read(&mut buffer).await.map_err(|err| Failed { bytes: received, error: io_error_text(&err) })?;
            if n == 0 {
                break;
            }
            if received + n as u64 > total {
                return Err(Failed { bytes: received, error: format!("EchoMismatchError: {} bytes came back, {} were sent", received + n as u64, total) });
            }
            pattern.fill(&mut expected[..n]);
            if let Some(at) = (0..n).find(|&i| buffer[i] != expected[i]) {
                return Err(Failed { bytes: received, error: format!("EchoMismatchError: the echo differs at byte {} of {}", received + at as u64, total) });
            }
            digest.update(&buffer[..n]);
            received += n as u64;
        }
        if received < total {
            return Err(Failed { bytes: received, error: format!("EchoTruncatedError: the echo ended after {} of {} bytes", received, total) });
        }
        Ok(Transferred { bytes: received, sha256: hex(digest.finalize()) })
    };

    try_join(send, receive).await.map(|((), echoed)| echoed)
}
