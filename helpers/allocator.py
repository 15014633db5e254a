"""Let the C allocator keep freed memory for reuse while the model runs (Linux with glibc only).

The vectorized model (:func:`helpers.model.simulate_arrays`) creates and frees a few hundred arrays of
100-250 kB per block of draws. With glibc's default settings, memory freed at the top of the heap is
handed back to the operating system as soon as more than 128 kB is free there, and arrays above the
(adaptive) mmap threshold get fresh pages from the kernel. Either way the next array starts on pages the
kernel must fault in again: on a 2-core machine that was about a third of the model's run time.

:func:`keep_freed_memory` raises glibc's trim threshold to 64 MiB and fixes its mmap threshold at 32 MiB
(glibc's own adaptive ceiling on 64-bit systems), so freed blocks are reused. The cost: a process may hold
up to 64 MiB of freed memory instead of returning it at once. Results do not change, only speed.

It is applied once per process, the first time the model is evaluated. It does nothing on other
platforms or C libraries, and it leaves the allocator alone when the user has already tuned it through
``MALLOC_TRIM_THRESHOLD_``, ``MALLOC_MMAP_THRESHOLD_``, ``MALLOC_TOP_PAD_`` or ``GLIBC_TUNABLES``. Set
``HELPERS_KEEP_ALLOCATOR=1`` to opt out.
"""

from __future__ import annotations

import ctypes
import os
import platform
import sys

#: mallopt() parameter numbers from glibc's <malloc.h>.
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
TRIM_THRESHOLD_BYTES = 64 * 1024 * 1024
MMAP_THRESHOLD_BYTES = 32 * 1024 * 1024
#: Environment variables through which a user tunes glibc's allocator (or opts out of this module).
USER_SETTINGS = ("MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TOP_PAD_", "GLIBC_TUNABLES",
                 "HELPERS_KEEP_ALLOCATOR")

_status: str | None = None


def _decide(environ, sys_platform: str, libc: str) -> str | None:
    """Why the allocator must be left alone, or None when it may be tuned."""
    if not sys_platform.startswith("linux") or libc != "glibc":
        return f"not Linux with glibc ({sys_platform}, {libc or 'unknown C library'})"
    for name in USER_SETTINGS:
        if environ.get(name):
            return f"{name} is set"
    return None


def keep_freed_memory() -> str:
    """Tune glibc's allocator once per process; returns ``"tuned"`` or ``"left alone: <reason>"``."""
    global _status
    if _status is not None:
        return _status
    reason = _decide(os.environ, sys.platform, platform.libc_ver()[0])
    if reason is None:
        try:
            mallopt = ctypes.CDLL("libc.so.6").mallopt
        except (OSError, AttributeError) as exc:
            reason = f"mallopt unavailable ({exc})"
        else:
            mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
            mallopt.restype = ctypes.c_int
            ok = mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES) and mallopt(M_TRIM_THRESHOLD,
                                                                            TRIM_THRESHOLD_BYTES)
            reason = None if ok else "mallopt refused the settings"
    _status = "tuned" if reason is None else f"left alone: {reason}"
    return _status


def status() -> str | None:
    """What :func:`keep_freed_memory` did in this process (None: not called yet)."""
    return _status
