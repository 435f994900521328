"""Observes each py-libp2p SECIO handshake's ECDH secret and order, without changing either.

py-libp2p's ``libp2p/security/secio/transport.py`` calls the module globals
``create_ephemeral_key_pair`` and ``_select_encryption_parameters`` at handshake
time, so wrapping them there sees what the handshake uses. Its secret is
``x.to_bytes(int_bytelen(x))``: the X coordinate without its leading zero bytes
(like go-libp2p's ``big.Int.Bytes()``), so those zeros are counted as
``full width - len(secret)``.
"""

import contextvars
from dataclasses import dataclass

from libp2p.security.secio import transport as secio_transport

FULL_WIDTH = {"P-256": 32, "P-384": 48, "P-521": 66}


@dataclass
class Handshake:
    """What one handshake showed of its secret (None until it reached that step)."""

    curve: str | None = None
    width: int | None = None
    order: int | None = None
    #: our ephemeral public key, hex, as the remote received it: lets a test find its own record of
    #: this handshake's secret (the remote computes the same one)
    ephemeral_key: str | None = None

    def fields(self) -> dict:
        if self.curve is None or self.width is None:
            return {} if self.order is None else {"order": self.order}
        full_width = FULL_WIDTH[self.curve]
        fields = {
            "secretCurve": self.curve,
            "secretLeadingZeros": full_width - self.width,
            "secretStripped": self.width < full_width,
            "fullWidth": full_width,
            "width": self.width,
            "ephemeralKey": self.ephemeral_key,
        }
        if self.order is not None:
            fields["order"] = self.order
        return fields


current: contextvars.ContextVar[Handshake | None] = contextvars.ContextVar("secio_handshake", default=None)


class Stats:
    def __init__(self) -> None:
        self.handshakes = 0
        self.leading_zero = 0
        self.stripped = 0

    def as_dict(self) -> dict:
        return {"handshakes": self.handshakes, "leadingZero": self.leading_zero, "stripped": self.stripped}


def install(on_secret) -> None:
    """``on_secret(handshake)`` runs once per handshake that reached the ECDH step."""
    create_ephemeral_key_pair = secio_transport.create_ephemeral_key_pair
    select_encryption_parameters = secio_transport._select_encryption_parameters

    def observed_create(curve_type: str):
        public_key, shared_key_generator = create_ephemeral_key_pair(curve_type)

        def observed_shared_key(remote_public_key: bytes) -> bytes:
            secret = shared_key_generator(remote_public_key)
            handshake = current.get()
            if handshake is not None:
                handshake.curve = curve_type
                handshake.width = len(secret)
                handshake.ephemeral_key = public_key.to_bytes().hex()
                on_secret(handshake)
            return secret

        return public_key, observed_shared_key

    def observed_select(local_proposal, remote_proposal):
        selected = select_encryption_parameters(local_proposal, remote_proposal)
        handshake = current.get()
        if handshake is not None:
            # py-libp2p's order is go-libp2p's: 1 when our preferences win
            handshake.order = selected[3]
        return selected

    secio_transport.create_ephemeral_key_pair = observed_create
    secio_transport._select_encryption_parameters = observed_select
