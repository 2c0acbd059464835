"""The package's public names: all importable, the heavy ones loaded only on first use."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import twelvelabs_async

# Each check runs in a fresh interpreter: this process has long imported everything.
_LOADED_AFTER = """
import json, sys
{stmt}
print(json.dumps(sorted(m for m in sys.modules if m.startswith("twelvelabs_async"))))
"""

HEAVY = ("twelvelabs_async.bulk", "twelvelabs_async.models", "twelvelabs_async._convert")


def _modules_loaded_after(stmt: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", _LOADED_AFTER.format(stmt=stmt)],
        capture_output=True,
        text=True,
        check=True,
    )
    loaded: list[str] = json.loads(out.stdout.strip().splitlines()[-1])
    return loaded


def test_every_name_in_all_imports() -> None:
    """`from twelvelabs_async import X` works for every name in `__all__`, lazy ones included."""
    for name in twelvelabs_async.__all__:
        namespace: dict[str, object] = {}
        exec(f"from twelvelabs_async import {name}", namespace)
        assert namespace[name] is getattr(twelvelabs_async, name)


def test_lazy_names_are_the_real_objects() -> None:
    """The lazily exported names are the very objects their home modules define."""
    from twelvelabs_async.bulk import BulkEmbedJob, BulkItem, BulkSummary
    from twelvelabs_async.resources.embed_v2 import media_source_from_file

    assert twelvelabs_async.BulkEmbedJob is BulkEmbedJob
    assert twelvelabs_async.BulkItem is BulkItem
    assert twelvelabs_async.BulkSummary is BulkSummary
    assert twelvelabs_async.media_source_from_file is media_source_from_file


def test_dir_lists_every_public_name() -> None:
    """`dir(twelvelabs_async)` shows every name of `__all__`, including not-yet-loaded ones."""
    assert set(twelvelabs_async.__all__) <= set(dir(twelvelabs_async))


def test_unknown_attribute_raises_attribute_error() -> None:
    """An unknown attribute raises AttributeError naming it (so hasattr and typos behave)."""
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = twelvelabs_async.no_such_name
    assert not hasattr(twelvelabs_async, "no_such_name")


def test_import_does_not_load_bulk_or_models() -> None:
    """`import twelvelabs_async` loads neither the bulk engine, the models nor the converter."""
    loaded = _modules_loaded_after("import twelvelabs_async")
    assert "twelvelabs_async.client" in loaded
    assert [m for m in loaded if m.startswith(HEAVY)] == []


def test_client_construction_does_not_load_bulk_or_models() -> None:
    """Building a client and reaching `client.embed` still loads no bulk engine or models."""
    loaded = _modules_loaded_after(
        "from twelvelabs_async import AsyncTwelveLabs; "
        "AsyncTwelveLabs('k', base_url='http://127.0.0.1:9/v1.3').embed"
    )
    assert "twelvelabs_async.resources.embed" in loaded
    assert [m for m in loaded if m.startswith(HEAVY)] == []


def test_first_access_loads_the_lazy_module() -> None:
    """Touching `twelvelabs_async.BulkEmbedJob` imports the bulk engine on demand."""
    loaded = _modules_loaded_after("import twelvelabs_async; twelvelabs_async.BulkEmbedJob")
    assert "twelvelabs_async.bulk" in loaded
