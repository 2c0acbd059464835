"""Fault injection rules for the fake server.

A :class:`Fault` is one rule: what goes wrong (``kind``), where (``endpoints``,
``methods``), how often (``rate``, ``skip``, ``times``) and the kind's parameters. The
:class:`Faults` controller holds the rules of one server, draws from one seeded random
generator (so a sequential test is reproducible) and can be changed while the server runs.

Kinds:

- ``latency``: wait ``seconds`` before answering, then answer normally.
- ``rate_limit``: answer 429 ``too_many_requests`` with ``Retry-After`` and
  ``X-Ratelimit-*`` headers; after ``limit`` requests per ``window`` seconds, or, without
  ``limit``, for a ``rate`` share of requests.
- ``server_error``: answer ``status`` (500 JSON, 502 HTML, 503 JSON with ``Retry-After``).
- ``client_error``: answer a 4xx ``status`` with the endpoint's error body shape (flat for
  v1, nested for v2), ``code`` (a documented code fitting the status when not given) and
  ``message``; nothing is created.
- ``drop_connection``: close the connection without answering.
- ``truncate_body``: announce a longer Content-Length than the body sent, then close.
- ``stall``: wait ``seconds`` (default an hour, ended early when the server stops).
- ``malformed_json``: answer 200 with a body that is not valid JSON.
- ``unknown_status``: replace every task ``status`` in the answer with ``value``.
- ``fail_task``: a created task ends ``failed`` with ``message`` (one of
  :data:`TASK_ERROR_MESSAGES` when not given); targets: ``rate`` share, or only inputs
  whose file name, URL or stem is in ``names``.
- ``embed_error``: ``POST /embed`` answers 200 but one modality (``modality``, or all)
  carries ``error_message`` instead of segments.

For ``server_error`` and ``drop_connection`` on a create endpoint, ``task_created`` says
whether the task exists anyway ("response lost") or not ("failed before processing").
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from twelvelabs_async.errors import InvalidRequestError

ENDPOINTS: tuple[str, ...] = (
    "embed.create",
    "embed.tasks.create",
    "embed.tasks.list",
    "embed.tasks.status",
    "embed.tasks.retrieve",
    "embed.v2.create",
    "embed.v2.tasks.create",
    "embed.v2.tasks.list",
    "embed.v2.tasks.retrieve",
)
"""Endpoint names used by fault rules and request records."""

CREATE_ENDPOINTS: frozenset[str] = frozenset(
    {"embed.create", "embed.tasks.create", "embed.v2.create", "embed.v2.tasks.create"}
)
"""The endpoints that do work (and cost money) on the real service."""

TASK_ERROR_MESSAGES: tuple[str, ...] = (
    "The embedding service is temporarily unstable. Please try again later.",
    "The embedding task failed. Please try again later.",
    "We could not process your media for embedding. Please verify the input file and try again.",
)
"""The documented ``error.message`` texts of failed tasks."""

KINDS: frozenset[str] = frozenset(
    {
        "latency",
        "rate_limit",
        "server_error",
        "client_error",
        "drop_connection",
        "truncate_body",
        "stall",
        "malformed_json",
        "unknown_status",
        "fail_task",
        "embed_error",
    }
)
_CONTENT_KINDS = frozenset({"fail_task", "embed_error"})


@dataclass
class Fault:
    """One fault rule.

    Attributes:
        kind: What goes wrong; one of the kinds listed in the module docstring.
        endpoints: Endpoint names the rule applies to (see :data:`ENDPOINTS`); ``None``
            means all endpoints.
        methods: HTTP methods the rule applies to; ``None`` means all.
        rate: Share of matching requests the rule fires on (0 to 1).
        skip: Let this many matching requests through before the rule may fire.
        times: Fire at most this many times; ``None`` means no limit.
        seconds: Delay for ``latency`` and ``stall``.
        status: HTTP status for ``server_error`` (500, 502 or 503) or ``client_error``
            (400 to 499).
        code: The error code of ``client_error`` (``None``: one fitting the status).
        task_created: For ``server_error``/``drop_connection`` on creates: the task is
            created before the failure (the response is lost) instead of not at all.
        limit: For ``rate_limit``: requests allowed per window before answering 429.
        window: For ``rate_limit``: the window in seconds.
        retry_after: ``Retry-After`` seconds sent with 429 and 503 answers.
        value: The status value sent by ``unknown_status``.
        message: The text of ``fail_task`` and ``embed_error``.
        modality: ``text``, ``image`` or ``audio`` for ``embed_error``; ``None`` for all.
        names: For ``fail_task``: file names, URLs or stems whose tasks fail.
        fired: How many times the rule has fired (read it in tests).
    """

    kind: str
    endpoints: frozenset[str] | None = None
    methods: frozenset[str] | None = None
    rate: float = 1.0
    skip: int = 0
    times: int | None = None
    seconds: float = 3600.0
    status: int = 500
    code: str | None = None
    task_created: bool = False
    limit: int | None = None
    window: float = 60.0
    retry_after: float = 1.0
    value: str = "queued"
    message: str | None = None
    modality: str | None = None
    names: frozenset[str] | None = None
    fired: int = 0
    _seen: int = field(default=0, repr=False)
    _window_start: float = field(default=-1.0, repr=False)
    _window_used: int = field(default=0, repr=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise InvalidRequestError(
                f"unknown fault kind {self.kind!r}; use one of {sorted(KINDS)}"
            )
        if not 0.0 <= self.rate <= 1.0:
            raise InvalidRequestError(f"fault rate must be between 0 and 1, got {self.rate}")
        if self.kind == "server_error" and self.status not in (500, 502, 503):
            raise InvalidRequestError(
                f"server_error status must be 500, 502 or 503, got {self.status}"
            )
        if self.kind == "client_error" and not 400 <= self.status <= 499:
            raise InvalidRequestError(f"client_error status must be 400 to 499, got {self.status}")
        if self.endpoints is not None:
            self.endpoints = frozenset(self.endpoints)
            unknown = self.endpoints - set(ENDPOINTS)
            if unknown:
                raise InvalidRequestError(
                    f"unknown endpoints {sorted(unknown)}; use {list(ENDPOINTS)}"
                )
        if self.methods is not None:
            self.methods = frozenset(m.upper() for m in self.methods)
        if self.names is not None:
            self.names = frozenset(self.names)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Fault:
        """Build a rule from a JSON-like mapping (lists become sets).

        Args:
            data: Field names and values; ``kind`` is required.

        Returns:
            The rule.

        Raises:
            ValueError: On an unknown field, kind or endpoint.
        """
        public = {f.name for f in fields(cls) if not f.name.startswith("_")} - {"fired"}
        unknown = set(data) - public
        if unknown:
            raise InvalidRequestError(
                f"unknown fault fields {sorted(unknown)}; use {sorted(public)}"
            )
        values = dict(data)
        for key in ("endpoints", "methods", "names"):
            if values.get(key) is not None:
                values[key] = frozenset(values[key])
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        """Return the rule as JSON-ready data (sets become sorted lists)."""
        out = {k: v for k, v in asdict(self).items() if not k.startswith("_")}
        for key in ("endpoints", "methods", "names"):
            if out[key] is not None:
                out[key] = sorted(out[key])
        return out

    def matches(self, endpoint: str, method: str) -> bool:
        """Return whether the rule covers this endpoint and method."""
        if self.endpoints is not None and endpoint not in self.endpoints:
            return False
        return self.methods is None or method.upper() in self.methods


class Faults:
    """The fault rules of one server, changeable while it runs.

    Args:
        rules: Initial rules.
        seed: Seed of the random generator deciding ``rate`` draws and messages.
    """

    def __init__(self, rules: Iterable[Fault] = (), seed: int = 0) -> None:
        self.rules: list[Fault] = list(rules)
        self.random = random.Random(seed)

    def add(self, kind: str, **params: Any) -> Fault:
        """Add a rule and return it (keyword arguments are :class:`Fault` fields).

        Args:
            kind: The fault kind.
            **params: Other :class:`Fault` fields; sequences are accepted for sets.

        Returns:
            The new rule, whose ``fired`` counter tests can read.
        """
        rule = Fault.from_dict({"kind": kind, **params})
        self.rules.append(rule)
        return rule

    def latency(self, seconds: float, **params: Any) -> Fault:
        """Delay matching requests by ``seconds``."""
        return self.add("latency", seconds=seconds, **params)

    def rate_limit(self, limit: int | None = None, **params: Any) -> Fault:
        """Answer 429 after ``limit`` requests per window (or for a ``rate`` share)."""
        return self.add("rate_limit", limit=limit, **params)

    def server_error(self, status: int = 500, **params: Any) -> Fault:
        """Answer matching requests with a 500, 502 or 503."""
        return self.add("server_error", status=status, **params)

    def client_error(self, status: int = 400, code: str | None = None, **params: Any) -> Fault:
        """Answer matching requests with a 4xx error body (``code``/``message`` optional)."""
        return self.add("client_error", status=status, code=code, **params)

    def drop_connection(self, **params: Any) -> Fault:
        """Close the connection of matching requests without an answer."""
        return self.add("drop_connection", **params)

    def truncate_body(self, **params: Any) -> Fault:
        """Send a shorter body than the Content-Length announces, then close."""
        return self.add("truncate_body", **params)

    def stall(self, seconds: float = 3600.0, **params: Any) -> Fault:
        """Hold matching requests for ``seconds`` before answering."""
        return self.add("stall", seconds=seconds, **params)

    def malformed_json(self, **params: Any) -> Fault:
        """Answer matching requests with an invalid JSON body."""
        return self.add("malformed_json", **params)

    def unknown_status(self, value: str = "queued", **params: Any) -> Fault:
        """Report task statuses as ``value`` in matching answers."""
        return self.add("unknown_status", value=value, **params)

    def fail_tasks(self, **params: Any) -> Fault:
        """Make created tasks (a share, or those of ``names``) end as ``failed``."""
        return self.add("fail_task", **params)

    def embed_error(self, modality: str | None = None, **params: Any) -> Fault:
        """Give ``POST /embed`` results an ``error_message`` for ``modality``."""
        return self.add("embed_error", modality=modality, **params)

    def clear(self) -> None:
        """Remove every rule."""
        self.rules.clear()

    def _fire(self, rule: Fault) -> bool:
        rule._seen += 1
        if rule._seen <= rule.skip:
            return False
        if rule.times is not None and rule.fired >= rule.times:
            return False
        if rule.rate < 1.0 and self.random.random() >= rule.rate:
            return False
        rule.fired += 1
        return True

    def pick(self, endpoint: str, method: str) -> list[Fault]:
        """Return the transport-level rules firing for one request, in rule order.

        ``rate_limit`` rules with a ``limit`` are returned whenever they match, because
        their window counters (and ``X-Ratelimit-*`` headers) concern every request; the
        caller asks :meth:`over_limit` whether to answer 429.
        """
        firing: list[Fault] = []
        for rule in self.rules:
            if rule.kind in _CONTENT_KINDS or not rule.matches(endpoint, method):
                continue
            if (rule.kind == "rate_limit" and rule.limit is not None) or self._fire(rule):
                firing.append(rule)
        return firing

    @staticmethod
    def over_limit(rule: Fault, now: float) -> tuple[bool, float, int]:
        """Count one request against a windowed rate limit.

        Args:
            rule: A ``rate_limit`` rule with a ``limit``.
            now: The current monotonic time.

        Returns:
            ``(limited, window_end, used)``: whether to answer 429, when the window ends
            (monotonic) and how many requests the window has seen.
        """
        assert rule.limit is not None
        if rule._window_start < 0 or now >= rule._window_start + rule.window:
            rule._window_start = now
            rule._window_used = 0
        rule._window_used += 1
        limited = rule._window_used > rule.limit
        if limited:
            rule.fired += 1
        return limited, rule._window_start + rule.window, rule._window_used

    def task_failure(self, endpoint: str, names: Iterable[str]) -> str | None:
        """Decide at creation whether a task will fail, returning its error message.

        Args:
            endpoint: The create endpoint.
            names: The input's file name, URL and stem.

        Returns:
            The failure message, or ``None`` for a task that succeeds.
        """
        candidates = set(names)
        for rule in self.rules:
            if rule.kind != "fail_task" or not rule.matches(endpoint, "POST"):
                continue
            if rule.names is not None and not (rule.names & candidates):
                continue
            if self._fire(rule):
                return rule.message or self.random.choice(TASK_ERROR_MESSAGES)
        return None

    def embed_errors(self, modalities: Iterable[str]) -> dict[str, str]:
        """Return the ``error_message`` per modality for one ``POST /embed`` request."""
        errors: dict[str, str] = {}
        for rule in self.rules:
            if rule.kind != "embed_error" or not rule.matches("embed.create", "POST"):
                continue
            targets = [m for m in modalities if rule.modality in (None, m) and m not in errors]
            if targets and self._fire(rule):
                for modality in targets:
                    errors[modality] = rule.message or (
                        f"The {modality} input could not be embedded. "
                        "Please verify the input and try again."
                    )
        return errors
