"""The package's layering as a checked contract, read from the source with ``ast``.

The rules live in ``pyproject.toml`` (``[tool.twelvelabs_async.layering]``):

* the ``no_client`` folders (``resources/``) never import the client, which hands them a
  requester instead;
* only the ``http_client_only_in`` folder imports aiohttp's client side (``aiohttp.web``
  and its multipart readers, the fake server's side, are allowed anywhere);
* the ``standalone`` folders (``models/``) import nothing hand-written but themselves.

Every import counts: at module level, inside functions, under ``TYPE_CHECKING``; absolute
and relative.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path
from typing import Any

import twelvelabs_async

PACKAGE = Path(twelvelabs_async.__file__).parent
PYPROJECT = PACKAGE.parent / "pyproject.toml"


def _rules() -> dict[str, Any]:
    data = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    rules: dict[str, Any] = data["tool"]["twelvelabs_async"]["layering"]
    return rules


def _module_name(root: Path, path: Path) -> str:
    parts = [root.name, *path.relative_to(root).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(root: Path, path: Path) -> list[tuple[int, str, str | None]]:
    """``(line, module, name)`` for each import in ``path``; ``name`` for ``from`` imports."""
    module = _module_name(root, path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[tuple[int, str, str | None]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name, None) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            found.extend((node.lineno, base, alias.name) for alias in node.names)
    return found


def _inside(module: str, folder: str) -> bool:
    return module == folder or module.startswith(folder + ".")


def _is_http_client(module: str, name: str | None, server_names: frozenset[str]) -> bool:
    if not _inside(module, "aiohttp"):
        return False
    if _inside(module, "aiohttp.web") or module.startswith("aiohttp.web_"):
        return False
    if module == "aiohttp":
        return name is None or name not in server_names
    return module != "aiohttp.multipart"


def violations(root: Path, rules: dict[str, Any]) -> list[str]:
    """Every import in the package at ``root`` that breaks ``rules``, as ``file:line: why``."""
    pkg = root.name
    client = f"{pkg}.client"
    no_client = [f"{pkg}.{f}" for f in rules["no_client"]]
    http_home = f"{pkg}.{rules['http_client_only_in']}"
    server_names = frozenset(rules["http_server_names"])
    standalone = [f"{pkg}.{f}" for f in rules["standalone"]]
    out: list[str] = []
    for path in sorted(root.rglob("*.py")):
        module = _module_name(root, path)
        where = f"{path.relative_to(root).as_posix()}"
        alone = [f for f in standalone if _inside(module, f)]
        for line, imported, name in _imports(root, path):
            # ``from a import b`` may load the module ``a.b``: judge by the most specific.
            target = imported if name is None else f"{imported}.{name}"
            loads = {imported, target}
            if any(_inside(module, f) for f in no_client) and client in loads:
                out.append(f"{where}:{line}: must not import the client")
            if not _inside(module, http_home) and _is_http_client(imported, name, server_names):
                out.append(f"{where}:{line}: aiohttp client outside {http_home} ({target})")
            if alone and _inside(imported, pkg) and not _inside(target, alone[0]):
                out.append(f"{where}:{line}: {alone[0]} must not import {target}")
    return out


def test_the_package_keeps_its_layering() -> None:
    """No resource imports the client, aiohttp's client stays in one folder, models alone."""
    assert violations(PACKAGE, _rules()) == []


def test_the_rules_name_real_folders() -> None:
    """Each folder the rules name exists, and the HTTP folder does import aiohttp."""
    rules = _rules()
    for folder in [*rules["no_client"], *rules["standalone"], rules["http_client_only_in"]]:
        assert (PACKAGE / folder / "__init__.py").exists(), folder
    folder = PACKAGE / rules["http_client_only_in"]
    assert any(
        module == "aiohttp"
        for path in folder.glob("*.py")
        for _, module, _ in _imports(PACKAGE, path)
    )


def test_every_kind_of_violation_is_caught(tmp_path: Path) -> None:
    """A synthetic package breaking each rule, in each import form, fails the check."""
    rules = {
        "no_client": ["resources"],
        "http_client_only_in": "_net",
        "http_server_names": ["web", "BodyPartReader"],
        "standalone": ["models"],
    }
    root = tmp_path / "pkg"
    files = {
        "__init__.py": "",
        "client.py": "import aiohttp\n",
        "_net/__init__.py": "import aiohttp\nfrom aiohttp import ClientSession\n",
        "_net/_session.py": "from aiohttp.client import ClientTimeout\n",
        "resources/__init__.py": "",
        "resources/absolute.py": "from pkg.client import Client\n",
        "resources/relative.py": (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..client import Client\n"
        ),
        "resources/module_form.py": "from pkg import client\n",
        "resources/lazy.py": "def f():\n    import pkg.client\n",
        "resources/fine.py": "from pkg import errors\nfrom ._base import Resource\n",
        "testing/__init__.py": "",
        "testing/server.py": "from aiohttp import web, BodyPartReader\nimport aiohttp.web\n",
        "testing/sneaky.py": "from aiohttp import ClientSession, web\n",
        "cli/__init__.py": "import aiohttp.client_exceptions\n",
        "models/__init__.py": "from pkg.models._generated import Thing\nfrom . import _generated\n",
        "models/_generated.py": "import attrs\nfrom pkg import _convert\n",
        "models/_extra.py": "from .. import errors\n",
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    assert violations(root, rules) == [
        "cli/__init__.py:1: aiohttp client outside pkg._net (aiohttp.client_exceptions)",
        "client.py:1: aiohttp client outside pkg._net (aiohttp)",
        "models/_extra.py:1: pkg.models must not import pkg.errors",
        "models/_generated.py:2: pkg.models must not import pkg._convert",
        "resources/absolute.py:1: must not import the client",
        "resources/lazy.py:2: must not import the client",
        "resources/module_form.py:1: must not import the client",
        "resources/relative.py:3: must not import the client",
        "testing/sneaky.py:1: aiohttp client outside pkg._net (aiohttp.ClientSession)",
    ]
