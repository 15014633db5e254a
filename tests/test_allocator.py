"""helpers.allocator: when glibc's allocator is tuned, and that tuning never changes the model's results."""

from __future__ import annotations

import hashlib
import os
import platform
import subprocess
import sys

import pytest

from helpers import allocator
from helpers.paths import ROOT

GLIBC_LINUX = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"


def test_decide_tunes_only_glibc_linux_without_user_settings():
    assert allocator._decide({}, "linux", "glibc") is None
    assert "not Linux with glibc" in allocator._decide({}, "darwin", "")
    assert "not Linux with glibc" in allocator._decide({}, "linux", "musl")
    assert "not Linux with glibc" in allocator._decide({}, "win32", "")


@pytest.mark.parametrize("name", allocator.USER_SETTINGS)
def test_decide_respects_every_user_setting(name):
    assert allocator._decide({name: "1"}, "linux", "glibc") == f"{name} is set"
    assert allocator._decide({name: ""}, "linux", "glibc") is None  # empty means unset


_SCRIPT = """
import hashlib, numpy as np
from helpers import allocator, model
res = model.simulate_arrays(model.draw_parameters(6000, 7), model.option_scores(), model.default_city())
digest = hashlib.sha256(b"".join(np.ascontiguousarray(res[k]).tobytes() for k in model.OUTCOMES)).hexdigest()
print(allocator.status())
print(digest)
"""


def _run(extra_env: dict[str, str]) -> tuple[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in allocator.USER_SETTINGS}
    env.update(extra_env)
    out = subprocess.run([sys.executable, "-c", _SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                         check=True, timeout=120).stdout.split("\n")
    return out[0], out[1]


def test_first_model_run_tunes_once_and_results_do_not_depend_on_it():
    status_default, digest_default = _run({})
    status_opt_out, digest_opt_out = _run({"HELPERS_KEEP_ALLOCATOR": "1"})
    if GLIBC_LINUX:
        assert status_default == "tuned"
    else:
        assert status_default.startswith("left alone: not Linux with glibc")
    assert status_opt_out == "left alone: HELPERS_KEEP_ALLOCATOR is set"
    assert len(digest_default) == len(hashlib.sha256().hexdigest())
    assert digest_default == digest_opt_out


def test_keep_freed_memory_answers_the_same_on_every_call():
    first = allocator.keep_freed_memory()
    assert allocator.status() == first
    assert allocator.keep_freed_memory() == first
    assert first == "tuned" or first.startswith("left alone: ")
