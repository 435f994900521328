//! Command-line options, named as ../legacy/peer.cjs names them where they mean the same thing.
use crate::secure::{parse_ciphers, parse_exchanges, parse_hashes, Preferences};

pub const MODES: [&str; 2] = ["bare-secio-listen", "bare-secio-dial"];

pub struct Args {
    pub mode: String,
    pub key_type: String,
    pub private_key: Option<String>,
    pub listen: String,
    pub mss: bool,
    pub preferences: Preferences,
    /// The lists as given (the library keeps its own and does not expose them), for `ready`.
    pub exchanges: Option<String>,
    pub ciphers: Option<String>,
    pub hashes: Option<String>,
}

pub fn parse(mut argv: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut args = Args {
        mode: "bare-secio-listen".into(),
        key_type: "ed25519".into(),
        private_key: None,
        listen: "/ip4/127.0.0.1/tcp/0".into(),
        mss: false,
        preferences: Preferences { exchanges: None, ciphers: None, hashes: None },
        exchanges: None,
        ciphers: None,
        hashes: None,
    };
    while let Some(option) = argv.next() {
        let mut value = || argv.next().ok_or_else(|| format!("UsageError: {} needs a value", option));
        match option.as_str() {
            "--mode" => args.mode = value()?,
            "--key-type" => args.key_type = value()?,
            "--private-key" => args.private_key = Some(value()?),
            "--listen" => args.listen = value()?,
            "--mss" => args.mss = true,
            "--exchanges" => {
                let list = value()?;
                args.preferences.exchanges = Some(parse_exchanges(&list)?);
                args.exchanges = Some(list);
            }
            "--ciphers" => {
                let list = value()?;
                args.preferences.ciphers = Some(parse_ciphers(&list)?);
                args.ciphers = Some(list);
            }
            "--hashes" => {
                let list = value()?;
                args.preferences.hashes = Some(parse_hashes(&list)?);
                args.hashes = Some(list);
            }
            other => return Err(format!("UsageError: unknown option {}", other)),
        }
    }
    if !MODES.contains(&args.mode.as_str()) {
        return Err(format!("UsageError: --mode must be one of {}", MODES.join(", ")));
    }
    Ok(args)
}
