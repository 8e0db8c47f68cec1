"""Small file helpers that need no Django (config/keys.py uses them before settings exist)."""

from __future__ import annotations

import os
from pathlib import Path


def write_once(path: Path, data: bytes) -> bytes:
    """Create `path` (mode 0600) with `data` exactly once, even if several processes start
    together, and return what the file holds: the first writer's data wins."""
    if path.exists():
        return path.read_bytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)  # fails if another process won the race; then use its data
    except FileExistsError:
        pass
    finally:
        tmp.unlink()
    return path.read_bytes()
