"""BulkOptions: a bulk job's settings in one frozen object, checked once, same as the keywords."""

from __future__ import annotations

import typing
from collections.abc import AsyncIterator
from typing import Any

import attrs
import pytest

from twelvelabs_async import AsyncTwelveLabs, InvalidRequestError
from twelvelabs_async.bulk import BulkEmbedJob, BulkOptions, BulkSettings
from twelvelabs_async.bulk._worker import Worker
from twelvelabs_async.testing import FakeTwelveLabsServer, no_sleep

INPUTS = ["https://cdn.example.com/a.mp4", "https://cdn.example.com/b.mp4"]


@pytest.fixture
async def client() -> AsyncIterator[AsyncTwelveLabs]:
    """A client that these tests never send a request with."""
    async with AsyncTwelveLabs("tlk-bulk-options-key") as c:
        yield c


def test_options_are_frozen() -> None:
    """A BulkOptions cannot be changed after it was checked."""
    config = BulkOptions(model_name="marengo3.0")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        config.concurrency = 2  # type: ignore[misc]


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"model_name": ""}, "model_name must be a non-empty string"),
        ({"api": "v3"}, "api must be one of v1, v2, v2-sync"),
        ({"concurrency": 0}, "concurrency must be a positive integer"),
        ({"concurrency": True}, "concurrency must be a positive integer"),
        ({"wait_concurrency": 0}, "wait_concurrency must be a positive integer"),
        ({"max_attempts": 0}, "max_attempts must be a positive integer"),
        ({"max_rate_limit_waits": 1.5}, "max_rate_limit_waits must be an integer"),
        ({"poll_interval": 0}, "poll_interval must be a number of seconds > 0"),
        ({"poll_interval": float("inf")}, "poll_interval must be a number of seconds > 0"),
        ({"task_timeout": -1}, "task_timeout must be a number of seconds > 0"),
        ({"reconcile_delay": -0.5}, "reconcile_delay must be a number of seconds >= 0"),
        ({"embedding_option": "visual"}, "embedding_option must be a list of strings"),
        ({"options": ["clip"]}, "options must be a mapping"),
    ],
)
def test_invalid_settings_raise_when_built(changes: dict[str, Any], match: str) -> None:
    """Each invalid setting raises InvalidRequestError naming it, before any job exists."""
    values: dict[str, Any] = {"model_name": "marengo3.0", **changes}
    with pytest.raises(InvalidRequestError, match=match):
        BulkOptions(**values)


async def test_keyword_form_builds_the_same_options(client: AsyncTwelveLabs) -> None:
    """The keywords and the object give equal settings, input keys and journal identity."""
    by_keywords = BulkEmbedJob(
        client,
        INPUTS,
        model_name="marengo3.0",
        api="v2",
        concurrency=3,
        options={"embedding_scope": ["clip"], "embedding_dimension": 512},
        embedding_option=["visual"],
    )
    config = BulkOptions(
        model_name="marengo3.0",
        api="v2",
        concurrency=3,
        options={"embedding_scope": ["clip"], "embedding_dimension": 512},
        embedding_option=["visual"],
    )
    by_object = BulkEmbedJob(client, INPUTS, config)
    assert by_keywords.config == by_object.config == config
    assert [w.key for w in by_keywords.items] == [w.key for w in by_object.items]
    assert (by_object.api, by_object.concurrency, by_object.wait_concurrency) == ("v2", 3, 12)
    assert config.top_level == {"embedding_dimension": 512}
    assert config.create_keywords == {"embedding_scope": ["clip"], "embedding_option": ["visual"]}


async def test_both_forms_at_once_are_refused(client: AsyncTwelveLabs) -> None:
    """A BulkOptions plus keywords raises, naming the keywords, instead of ignoring some."""
    config = BulkOptions(model_name="marengo3.0")
    with pytest.raises(InvalidRequestError, match=r"not both.*concurrency"):
        BulkEmbedJob(client, INPUTS, config, concurrency=2)


async def test_keyword_form_errors(client: AsyncTwelveLabs) -> None:
    """A missing model_name or an unknown keyword raises InvalidRequestError naming it."""
    with pytest.raises(InvalidRequestError, match="model_name is required"):
        BulkEmbedJob(client, INPUTS)
    with pytest.raises(InvalidRequestError, match=r"unknown bulk job setting.*concurency"):
        BulkEmbedJob(client, INPUTS, model_name="marengo3.0", concurency=2)  # type: ignore[call-arg]
    with pytest.raises(InvalidRequestError, match="must be a BulkOptions"):
        BulkEmbedJob(client, INPUTS, {"model_name": "marengo3.0"})  # type: ignore[arg-type]


def test_keyword_names_match_the_fields() -> None:
    """The keyword form's TypedDict names exactly the fields of BulkOptions."""
    assert set(typing.get_type_hints(BulkSettings)) == {f.name for f in attrs.fields(BulkOptions)}


def test_the_worker_takes_the_options_object() -> None:
    """The worker gets one BulkOptions, not the settings one by one."""
    init = {f.name for f in attrs.fields(Worker) if f.init}
    assert "config" in init
    assert not init & {f.name for f in attrs.fields(BulkOptions)}


async def test_a_job_built_from_options_runs() -> None:
    """A job given a BulkOptions embeds every input against the fake server."""
    config = BulkOptions(model_name="marengo3.0", concurrency=2, poll_interval=1)
    async with FakeTwelveLabsServer(processing_time=0) as server:
        client = AsyncTwelveLabs(server.api_key, base_url=server.base_url)
        with no_sleep():
            async with client:
                summary = await BulkEmbedJob(client, INPUTS, config).run()
    assert (summary.total, summary.succeeded, summary.failed) == (2, 2, 0)
