"""One py-libp2p SECIO peer (``libp2p`` 0.8.1 from PyPI), driven by JSON lines the way
../legacy/peer.cjs is (the "Python" section of ../README.md has the whole protocol).

  python peer.py --mode bare-secio-listen|bare-secio-dial
                 [--key-type ed25519|secp256k1|rsa | --private-key <base64 PrivateKey protobuf>]
                 [--listen /ip4/127.0.0.1/tcp/0]

stdin:  {"cmd":"dial-echo","id":…,"addr":"/ip4/…/tcp/…[/p2p/…]","bytes":N,"chunk":65536,"seed":1,
         "closeWrite":"after-echo"|"after-send"}
        {"cmd":"abort","target":<id>}  {"cmd":"secret-stats"}  {"cmd":"stop"}   (EOF on stdin stops too)
stdout: ready, connect, secret, inbound, result, error, stopped (JSON lines only; diagnostics go to stderr)

py-libp2p's SECIO is bare only here (no multistream-select) and offers P-256 / AES-128 / SHA256 only.
"""

import argparse
import base64
import json
import os
import sys
import time

import trio
import multiaddr

from libp2p.network.connection.raw_connection import RawConnection
from libp2p.io.trio import TrioTCPStream
from libp2p.peer.id import ID
from libp2p.security.secio import transport as secio_transport

import identity
import secret_probe
from sessions import TransferError, echo, error_text, send_and_verify

IMPLEMENTATION = "py-libp2p 0.8.1 (Python)"
DEFAULT_CHUNK = 64 * 1024
# a write above this makes a frame Go, Rust and Uplink (by default) refuse; py-libp2p itself has no limit
MAX_FRAME = 8 * 1024 * 1024
# py-libp2p's SECIO has no handshake deadline of its own; Go's is 30 s
HANDSHAKE_TIMEOUT = 30


def emit(event: dict) -> None:
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


def log(message: str) -> None:
    sys.stderr.write(f"[python-secio-peer {os.getpid()}] {message}\n")
    sys.stderr.flush()


class Peer:
    def __init__(self, args: argparse.Namespace, key_pair) -> None:
        self.args = args
        self.key_pair = key_pair
        self.transport = secio_transport.Transport(key_pair)
        self.peer_id = self.transport.local_peer.to_base58()
        self.stats = secret_probe.Stats()
        self.running: dict[str, trio.CancelScope] = {}

    def on_secret(self, handshake: secret_probe.Handshake) -> None:
        fields = handshake.fields()
        self.stats.handshakes += 1
        if fields["secretLeadingZeros"] > 0:
            self.stats.leading_zero += 1
        if fields["secretStripped"]:
            self.stats.stripped += 1
        emit({"event": "secret", **fields, "handshake": self.stats.handshakes})

    async def secure(self, socket: trio.SocketStream, expected: ID | None, handshake: secret_probe.Handshake):
        """SECIO on the socket, inside ``handshake``'s context so the probe reports to it."""
        outbound = expected is not None or self.args.mode == "bare-secio-dial"
        raw = RawConnection(TrioTCPStream(socket), initiator=outbound)
        token = secret_probe.current.set(handshake)
        try:
            with trio.fail_after(HANDSHAKE_TIMEOUT):
                if outbound:
                    return await self.transport.secure_outbound(raw, expected)
                return await self.transport.secure_inbound(raw)
        finally:
            secret_probe.current.reset(token)

    # ------------------------------------------------------------ listener

    async def serve(self, socket: trio.SocketStream) -> None:
        remote_addr = "{}:{}".format(*socket.socket.getpeername()[:2])
        handshake = secret_probe.Handshake()
        try:
            session = await self.secure(socket, None, handshake)
        except Exception as err:
            emit({"event": "inbound", "ok": False, "bytes": 0, "error": error_text(err), "remoteAddr": remote_addr, **handshake.fields()})
            await socket.aclose()
            return
        remote_peer = session.remote_peer.to_base58()
        emit({"event": "connect", "remotePeer": remote_peer, "remoteAddr": remote_addr, "direction": "inbound"})
        try:
            done, sha256 = await echo(session, socket)
            emit({"event": "inbound", "remotePeer": remote_peer, "ok": True, "bytes": done, "sha256": sha256, **handshake.fields()})
        except TransferError as err:
            emit({"event": "inbound", "remotePeer": remote_peer, "ok": False, "bytes": err.bytes, "error": err.text, **handshake.fields()})
        finally:
            await socket.aclose()

    # ------------------------------------------------------------ commands

    async def dial_echo(self, command: dict, handshake: secret_probe.Handshake) -> dict:
        if self.args.mode != "bare-secio-dial":
            raise ValueError(f"dial-echo is not available in mode {self.args.mode}")
        addr = command.get("addr")
        if not isinstance(addr, str):
            raise TypeError('dial-echo needs "addr"')
        total = int(command.get("bytes", 0))
        chunk = int(command.get("chunk", DEFAULT_CHUNK))
        if chunk < 1 or (chunk > MAX_FRAME and command.get("oversize") is not True):
            raise ValueError(f'chunk must be 1..{MAX_FRAME} bytes (or say "oversize"), got {chunk}')
        seed = int(command.get("seed", 1))
        close_write = command.get("closeWrite", "after-echo")
        if close_write not in ("after-echo", "after-send"):
            raise ValueError(f'closeWrite must be "after-echo" or "after-send", got {close_write!r}')
        host, port, expected = parse_target(addr)

        started = time.monotonic()
        socket = await trio.open_tcp_stream(host, port)
        try:
            session = await self.secure(socket, expected, handshake)
            done, sha256 = await send_and_verify(session, socket, total, chunk, seed, close_write)
        finally:
            await socket.aclose()
        return {"bytes": done, "sha256": sha256, "ms": round((time.monotonic() - started) * 1000),
                "remotePeer": session.remote_peer.to_base58()}

    async def handle(self, line: str) -> None:
        try:
            command = json.loads(line)
        except json.JSONDecodeError as err:
            emit({"event": "error", "fatal": False, "origin": "command", "error": f"SyntaxError: bad command line: {err}"})
            return

        def reply(fields: dict) -> None:
            event = {"event": "result", "cmd": command.get("cmd")}
            if "id" in command:
                event["id"] = command["id"]
            emit({**event, **fields})

        name = command.get("cmd")
        if name == "dial-echo":
            key = json.dumps(command.get("id"))
            handshake = secret_probe.Handshake()
            with trio.CancelScope() as scope:
                self.running[key] = scope
                try:
                    result = await self.dial_echo(command, handshake)
                    reply({"ok": True, **handshake.fields(), **result})
                except TransferError as err:
                    log(f"dial-echo failed: {err.text}")
                    reply({"ok": False, "bytes": err.bytes, "error": err.text, **handshake.fields()})
                except Exception as err:
                    log(f"dial-echo failed: {error_text(err)}")
                    reply({"ok": False, "error": error_text(err), **handshake.fields()})
                finally:
                    self.running.pop(key, None)
            if scope.cancelled_caught:
                reply({"ok": False, "error": "AbortError: the dial-echo was aborted", **handshake.fields()})
        elif name == "abort":
            scope = self.running.get(json.dumps(command.get("target")))
            if scope is not None:
                scope.cancel()
            reply({"ok": scope is not None})
        elif name == "secret-stats":
            reply({"ok": True, **self.stats.as_dict()})
        elif name == "stop":
            self.stop()
        else:
            reply({"ok": False, "error": f"UnknownCommand: {json.dumps(name)}"})

    def stop(self) -> None:
        emit({"event": "stopped", "secretStats": self.stats.as_dict()})
        os._exit(0)


def parse_target(addr: str) -> tuple[str, int, ID | None]:
    target = multiaddr.Multiaddr(addr)
    protocols = [p.name for p in target.protocols()]
    host = target.value_for_protocol("ip4" if "ip4" in protocols else "ip6")
    port = int(target.value_for_protocol("tcp"))
    expected = ID.from_base58(target.value_for_protocol("p2p")) if "p2p" in protocols else None
    return host, port, expected


async def read_commands(peer: Peer, nursery: trio.Nursery) -> None:
    stdin = trio.lowlevel.FdStream(os.dup(sys.stdin.fileno()))
    pending = b""
    while chunk := await stdin.receive_some():
        pending += chunk
        *lines, pending = pending.split(b"\n")
        for line in lines:
            if line.strip():
                nursery.start_soon(peer.handle, line.decode())
    # the controlling process went away: do not linger
    peer.stop()


async def main(args: argparse.Namespace) -> None:
    if args.private_key is not None:
        key_pair = identity.from_protobuf(base64.b64decode(args.private_key))
    else:
        key_pair = identity.generate(args.key_type)
    peer = Peer(args, key_pair)
    secret_probe.install(peer.on_secret)

    async with trio.open_nursery() as nursery:
        addrs = []
        if args.mode == "bare-secio-listen":
            listen = multiaddr.Multiaddr(args.listen)
            host = listen.value_for_protocol("ip4")
            listeners = await trio.open_tcp_listeners(int(listen.value_for_protocol("tcp")), host=host)
            address, port = listeners[0].socket.getsockname()[:2]
            addrs.append(f"/ip4/{address}/tcp/{port}/p2p/{peer.peer_id}")
            nursery.start_soon(trio.serve_listeners, peer.serve, listeners)

        emit({
            "event": "ready",
            "implementation": IMPLEMENTATION,
            "mode": args.mode,
            "mss": False,
            "stripSecretZeros": True,
            "exchanges": secio_transport.DEFAULT_SUPPORTED_EXCHANGES,
            "ciphers": secio_transport.DEFAULT_SUPPORTED_CIPHERS,
            "hashes": secio_transport.DEFAULT_SUPPORTED_HASHES,
            "pattern": "shake128",
            "peerId": peer.peer_id,
            "keyType": identity.key_type_name(key_pair),
            "privateKey": base64.b64encode(identity.to_protobuf(key_pair)).decode(),
            "addrs": addrs,
            "pid": os.getpid(),
        })
        nursery.start_soon(read_commands, peer, nursery)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="py-libp2p SECIO peer for Uplink's interop tests")
    parser.add_argument("--mode", choices=["bare-secio-listen", "bare-secio-dial"], default="bare-secio-listen")
    parser.add_argument("--key-type", choices=["ed25519", "secp256k1", "rsa"], default="ed25519")
    parser.add_argument("--private-key")
    parser.add_argument("--listen", default="/ip4/127.0.0.1/tcp/0")
    return parser.parse_args()


if __name__ == "__main__":
    try:
        arguments = parse_args()
    except SystemExit as exit_:
        if exit_.code:
            emit({"event": "error", "fatal": True, "error": "UsageError: bad arguments (see stderr)"})
        raise
    try:
        trio.run(main, arguments)
    except Exception as err:
        log(f"startup failed: {error_text(err)}")
        emit({"event": "error", "fatal": True, "origin": "startup", "error": error_text(err)})
        sys.exit(1)
