/** `uplink --help`; each verb's help is the part of it that names the verb. */
export const USAGE = `uplink: connect to libp2p peers and watch every stage of the upgrade

usage:
  uplink listen [--port N] [--host IP] [--ws-port N] [connection flags]
      print this node's /p2p/ addresses, then one line per inbound connection;
      serves ${'/echo/1.0.0'} and libp2p ping (/ipfs/ping/1.0.0) until Ctrl-C
  uplink dial <multiaddr> [--echo BYTES] [connection flags]
      connect, printing each stage as it happens with its time; --echo sends
      BYTES random bytes on /echo/1.0.0 and checks the reply
  uplink ping <multiaddr> [-c N] [--interval MS] [--connect] [connection flags]
      N pings over one connection (or, with --connect, N full connection
      setups), then min/avg/p99
  uplink key new [--type ed25519|secp256k1|rsa] [--bits N] [--out FILE] [--force]
  uplink key show FILE
      make an identity file, or print the PeerId of one

connection flags:
  --crypto LIST   crypto channels to offer, in order (secio,noise,tls,plaintext)
                  default secio,noise,tls
  --muxer LIST    stream muxers to offer, in order (yamux,mplex); default yamux,mplex
  --key FILE      identity file (uplink key new); default a new Ed25519 identity
  --legacy        plaintext in the off-spec form js-libp2p 0.28/0.29 speak (dial),
                  or answer each dialer in its own form (listen)
  --timeout MS    how long one connection upgrade may take; default 10000
  --json          one JSON object per line instead of text, for scripts

exit codes: 0 ok, 1 other failure, 2 usage, 3 connect, 4 negotiate-crypto,
  5 handshake, 6 verify-peer (wrong peer), 7 negotiate-muxer, 8 stream, 130 interrupted
`
