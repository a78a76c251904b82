"""Short codes people type (firm keys, workshop join codes, facilitator secrets) and the secrets' salted hashes.

Codes use 31 characters that cannot be confused when read aloud or copied by hand (no 0/O, 1/I/L),
are drawn with `secrets`, and are accepted in any case with spaces or hyphens.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

from .engine import StoreError

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
SECRET_LENGTH = 12  # 31^12 ≈ 8·10^17 (59 bits) behind scrypt
_SEPARATORS = re.compile(r"[\s\-]+")
# scrypt cost: 16 MiB and ~50 ms per check, a deliberate brake on guessing
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def digest(value: str) -> str:
    """A value's SHA-256 in hex: what the store keeps of a high-entropy token it must match but never show
    (sign-in tokens, browser-session ids) and, cut short, how the audit log names a firm key."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def new_code(length: int) -> str:
    """A fresh random code of `length` characters from the unambiguous alphabet."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise_code(text: str, length: int, what: str) -> str:
    """A code as typed (any case, spaces or hyphens) in canonical form; StoreError if it cannot be one."""
    code = _SEPARATORS.sub("", str(text)).upper()
    if len(code) != length or any(ch not in ALPHABET for ch in code):
        raise StoreError(f"'{text}' is not a valid {what}: it has {length} characters from {ALPHABET}",
                         f"bad_{what.replace(' ', '_')}", text=text, length=length, alphabet=ALPHABET)
    return code


def group(code: str, size: int = 4) -> str:
    """A long code in hyphenated groups, easier to read out: ABCD-EFGH-JKMN."""
    return "-".join(code[i:i + size] for i in range(0, len(code), size))


def hash_secret(secret: str) -> str:
    """Salted scrypt hash of a (normalised) secret, self-describing: scrypt$n$r$p$salt$hash."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, dklen=32, **_SCRYPT)
    params = "$".join(str(_SCRYPT[k]) for k in ("n", "r", "p"))
    return f"scrypt${params}${_b64(salt)}${_b64(digest)}"


def secret_matches(secret: str, stored: str) -> bool:
    """Whether a secret hashes to the stored hash (constant-time comparison)."""
    _, n, r, p, salt, digest = stored.split("$")
    candidate = hashlib.scrypt(secret.encode(), salt=base64.b64decode(salt), dklen=32, n=int(n), r=int(r), p=int(p))
    return hmac.compare_digest(candidate, base64.b64decode(digest))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
