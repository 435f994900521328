"""The two data paths over a py-libp2p SECIO session: echo (listener), and send a pattern while checking
its echo (dialer). Every ``session.write`` is one SECIO frame (py-libp2p never splits), and
``session.read()`` returns one frame's plaintext, so the echo answers each frame with one of the same size.
"""

import hashlib

import trio

from libp2p.io.exceptions import IncompleteReadError
from libp2p.security.secio.exceptions import PeerMismatchException


class TransferError(Exception):
    """A data path failed after ``bytes`` bytes; ``text`` is the "Name: message" to report."""

    def __init__(self, bytes_done: int, text: str) -> None:
        super().__init__(text)
        self.bytes = bytes_done
        self.text = text


def error_text(err: BaseException) -> str:
    if isinstance(err, PeerMismatchException) and err.args and isinstance(err.args[0], dict):
        ids = err.args[0]
        return (f"PeerMismatchException: expected {ids.get('expected_remote_peer')} "
                f"but the remote is {ids.get('received_remote_peer')}")
    if isinstance(err, trio.TooSlowError):
        return "TimeoutError: the operation took too long"
    message = str(err)
    return f"{type(err).__name__}: {message}" if message else type(err).__name__


def pattern(seed: int, total: int) -> bytes:
    """The dialer's bytes: SHAKE-128 of the seed (4 bytes, big-endian); one C call, so a Python peer can
    make many MiB at once, and the tests can make the same bytes with node:crypto."""
    return hashlib.shake_128(seed.to_bytes(4, "big")).digest(total)


async def read_frame(session) -> bytes | None:
    """One frame's plaintext, or None when the remote closed cleanly at a frame boundary."""
    try:
        return await session.read()
    except IncompleteReadError as err:
        # the 4-byte length prefix of the next frame never began: the remote sent its FIN
        if err.expected_bytes == 4 and err.received_bytes == 0:
            return None
        raise


async def echo(session, socket) -> tuple[int, str]:
    """Sends back every frame; after the remote's FIN sends ours. Returns (bytes, sha256 hex)."""
    digest = hashlib.sha256()
    done = 0
    try:
        while (data := await read_frame(session)) is not None:
            digest.update(data)
            await session.write(data)
            done += len(data)
        await socket.send_eof()
    except Exception as err:
        raise TransferError(done, error_text(err)) from err
    return done, digest.hexdigest()


async def send_and_verify(session, socket, total: int, chunk: int, seed: int, close_write: str = "after-echo") -> tuple[int, str]:
    """Writes ``total`` pattern bytes in writes of ``chunk``, sends its FIN (``after-echo``: once the whole
    echo is back, as the legacy and Go peers do; ``after-send``: right after the last write), and checks
    byte for byte that exactly those bytes come back before the remote closes. Returns (bytes, sha256 hex
    of the echo)."""
    expected = memoryview(pattern(seed, total))
    received = 0
    digest = hashlib.sha256()
    echoed = trio.Event()
    if total == 0:
        echoed.set()

    async def send() -> None:
        sent = 0
        try:
            while sent < total:
                n = min(chunk, total - sent)
                await session.write(bytes(expected[sent:sent + n]))
                sent += n
            if close_write == "after-echo":
                await echoed.wait()
            await socket.send_eof()
        except Exception as err:
            raise TransferError(sent, error_text(err)) from err

    async def receive() -> None:
        nonlocal received
        try:
            while (data := await read_frame(session)) is not None:
                if received + len(data) > total:
                    raise TransferError(received, f"EchoMismatchError: {received + len(data)} bytes came back, {total} were sent")
                if data != expected[received:received + len(data)]:
                    at = next(i for i, b in enumerate(data) if b != expected[received + i])
                    raise TransferError(received, f"EchoMismatchError: the echo differs at byte {received + at} of {total}")
                digest.update(data)
                received += len(data)
                if received == total:
                    echoed.set()
        except TransferError:
            raise
        except Exception as err:
            raise TransferError(received, error_text(err)) from err
        if received < total:
            raise TransferError(received, f"EchoTruncatedError: the echo ended after {received} of {total} bytes")

    try:
        async with trio.open_nursery() as nursery:
            nursery.start_soon(send)
            nursery.start_soon(receive)
    except BaseExceptionGroup as group:
        # the first failure is the one to report; the other task was cancelled by it
        first = next((e for e in group.exceptions if isinstance(e, TransferError)), group.exceptions[0])
        raise first if isinstance(first, TransferError) else TransferError(received, error_text(first))
    return received, digest.hexdigest()
