//! stdout carries only JSON lines (events); diagnostics go to stderr.
use libp2p_secio::SecioError;
use serde_json::Value;
use std::io::{self, Write};

/// One event, as one line, flushed at once (the test reads line by line).
pub fn emit(event: Value) {
    let line = event.to_string();
    let mut out = io::stdout().lock();
    // a closed stdout means the controller went away; stop() follows from stdin's EOF
    let _ = writeln!(out, "{}", line);
    let _ = out.flush();
}

pub fn log(message: &str) {
    eprintln!("[rust-secio-peer {}] {}", std::process::id(), message);
}

/// The variant name of an enum's Debug form: `HmacNotMatching`, `IoError(...)` -> `IoError`.
fn variant_name<T: std::fmt::Debug>(value: &T) -> String {
    let debug = format!("{:?}", value);
    debug.split(|c: char| c == '(' || c == ' ' || c == '{').next().unwrap_or("").to_string()
}

/// "Name: message", the error form every peer of the interop tests reports.
pub fn secio_error_text(err: &SecioError) -> String {
    format!("SecioError({}): {}", variant_name(err), err)
}

/// Errors of the secured stream are io::Errors wrapping a SecioError (libp2p-secio's `map_err`).
pub fn io_error_text(err: &io::Error) -> String {
    if let Some(secio) = err.get_ref().and_then(|inner| inner.downcast_ref::<SecioError>()) {
        return secio_error_text(secio);
    }
    format!("IoError({:?}): {}", err.kind(), err)
}
