"""The package's layering as a checked contract, read from the source with ``ast``.

* ``resources/`` never imports the client (the client hands resources a requester);
* only ``_transport/`` imports aiohttp's client side (``aiohttp.web`` and its multipart
  reader, the fake server's side, are allowed anywhere);
* ``models/`` imports nothing hand-written (only other modules of ``models/``).

Every import counts: at module level, inside functions, under ``TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import twelvelabs_async

PACKAGE = Path(twelvelabs_async.__file__).parent

#: What may be taken from ``aiohttp`` itself outside the transport: the server side.
_SERVER_NAMES = frozenset({"web", "BodyPartReader", "MultipartReader"})


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


def _targets(module: str, name: str | None) -> list[str]:
    """The modules an import may load: ``from a import b`` may load ``a`` and ``a.b``."""
    return [module] if name is None else [module, f"{module}.{name}"]


def violations(root: Path) -> list[str]:
    """Every import in the package at ``root`` that breaks the contract, as ``file:line: why``."""
    pkg = root.name
    out: list[str] = []
    for path in sorted(root.rglob("*.py")):
        module = _module_name(root, path)
        where = path.relative_to(root).as_posix()
        in_transport = module == f"{pkg}._transport" or module.startswith(f"{pkg}._transport.")
        in_resources = module.startswith(f"{pkg}.resources")
        in_models = module == f"{pkg}.models" or module.startswith(f"{pkg}.models.")
        for line, imported, name in _imports(root, path):
            targets = _targets(imported, name)
            if in_resources and f"{pkg}.client" in targets:
                out.append(f"{where}:{line}: resources must not import the client")
            if not in_transport and _is_aiohttp_client(imported, name):
                shown = imported if name is None else f"{imported}.{name}"
                out.append(f"{where}:{line}: aiohttp client outside _transport/ ({shown})")
            hand_written = not targets[-1].startswith(f"{pkg}.models")
            if in_models and imported.split(".")[0] == pkg and hand_written:
                out.append(f"{where}:{line}: models must not import hand-written code")
    return out


def _is_aiohttp_client(module: str, name: str | None) -> bool:
    if module != "aiohttp" and not module.startswith("aiohttp."):
        return False
    if module == "aiohttp.web" or module.startswith("aiohttp.web_"):
        return False
    if module == "aiohttp":
        return name is None or name not in _SERVER_NAMES
    return module not in {"aiohttp.multipart"}


def test_the_package_keeps_its_layering() -> None:
    """resources/ without the client, aiohttp's client in _transport/ only, models/ alone."""
    assert violations(PACKAGE) == []


def test_the_check_sees_the_real_package() -> None:
    """The contract reads the real tree: the transport does import aiohttp, resources exist."""
    transport = _imports(PACKAGE, PACKAGE / "_transport" / "__init__.py")
    assert any(module == "aiohttp" for _, module, _ in transport)
    assert list((PACKAGE / "resources").glob("*.py"))
    assert list((PACKAGE / "models").glob("*.py"))


def test_every_kind_of_violation_is_caught(tmp_path: Path) -> None:
    """A synthetic package breaking each rule, in each import form, fails the check."""
    root = tmp_path / "pkg"
    files = {
        "__init__.py": "",
        "client.py": "import aiohttp\n",  # outside _transport: caught
        "_transport/__init__.py": "import aiohttp\nfrom aiohttp import ClientSession\n",
        "_transport/_session.py": "from aiohttp.client import ClientTimeout\n",
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
    found = violations(root)
    assert found == [
        "cli/__init__.py:1: aiohttp client outside _transport/ (aiohttp.client_exceptions)",
        "client.py:1: aiohttp client outside _transport/ (aiohttp)",
        "models/_extra.py:1: models must not import hand-written code",
        "models/_generated.py:2: models must not import hand-written code",
        "resources/absolute.py:1: resources must not import the client",
        "resources/lazy.py:2: resources must not import the client",
        "resources/module_form.py:1: resources must not import the client",
        "resources/relative.py:3: resources must not import the client",
        "testing/sneaky.py:1: aiohttp client outside _transport/ (aiohttp.ClientSession)",
    ]
