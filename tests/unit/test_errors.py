"""Status error classes, error body parsing and messages."""

from __future__ import annotations

import pytest

from twelvelabs_async.errors import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
    make_status_error,
    parse_error_body,
)


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, InternalServerError),
        (503, InternalServerError),
        (599, InternalServerError),
    ],
)
def test_status_maps_to_class(status: int, cls: type[APIStatusError]) -> None:
    """Each documented status gets its own subclass."""
    err = make_status_error(status, {}, b"", "GET", "embed/tasks")
    assert type(err) is cls
    assert err.status_code == status


@pytest.mark.parametrize("status", [402, 405, 418, 451])
def test_other_4xx_is_plain(status: int) -> None:
    """A 4xx without a named class is a plain APIStatusError."""
    assert type(make_status_error(status, {}, b"", "GET", "x")) is APIStatusError


def test_flat_body() -> None:
    """The flat {code, message, docs_url} shape yields code and message."""
    body = b'{"code":"parameter_invalid","message":"bad clip","docs_url":"https://d"}'
    assert parse_error_body(body) == ("parameter_invalid", "bad clip", None)


def test_nested_body() -> None:
    """The nested {error: {code, message, details}} shape yields all three."""
    body = b'{"error":{"code":"parameter_invalid","message":"bad seg","details":{"f":"v"}}}'
    assert parse_error_body(body) == ("parameter_invalid", "bad seg", {"f": "v"})


def test_non_json_body_becomes_an_excerpt() -> None:
    """A non-JSON body gives no code and a short single-line excerpt."""
    code, message, details = parse_error_body(b"<html>\n  <b>Bad   Gateway</b>\n" + b"x" * 900)
    assert code is None
    assert details is None
    assert message is not None
    assert message.startswith("<html> <b>Bad Gateway</b>")
    assert len(message) == 200
    assert message.endswith("...")


@pytest.mark.parametrize("body", [b"", b"[]", b'{"unrelated": 1}', b"null"])
def test_bodies_without_error_fields(body: bytes) -> None:
    """Bodies without code or message give no code; a JSON excerpt stands as the message."""
    code, _message, _details = parse_error_body(body)
    assert code is None


def test_message_format_and_fields() -> None:
    """The message reads '<status> <code>: <message> (<METHOD> <path>)' plus the request id."""
    err = make_status_error(
        404,
        {"X-Request-Id": "abc"},
        b'{"code":"resource_not_exist","message":"Task 123 does not exist"}',
        "GET",
        "embed-v2/tasks/123",
    )
    assert str(err) == (
        "404 resource_not_exist: Task 123 does not exist (GET embed-v2/tasks/123) [request id abc]"
    )
    assert err.code == "resource_not_exist"
    assert err.api_message == "Task 123 does not exist"
    assert err.request_id == "abc"
    assert err.raw_body is not None
    assert err.raw_body.startswith(b"{")
    assert err.body == {"code": "resource_not_exist", "message": "Task 123 does not exist"}


def test_message_without_body() -> None:
    """An empty 401 still says what to check."""
    err = make_status_error(401, {}, b"", "GET", "embed/tasks")
    assert str(err) == "401: the API key was rejected; check TWELVELABS_API_KEY (GET embed/tasks)"
