"""Assets and multipart uploads over real sockets: the fake's API host and its storage host."""

from __future__ import annotations

import asyncio
import hashlib
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from twelvelabs_async import AsyncTwelveLabs
from twelvelabs_async.bulk import BulkEmbedJob
from twelvelabs_async.errors import AssetFailedError, InvalidRequestError, UploadError
from twelvelabs_async.resources.embed_v2 import MAX_BASE64_SOURCE_BYTES
from twelvelabs_async.resources.multipart_upload import UploadProgress, UploadState
from twelvelabs_async.testing import FakeTwelveLabsServer

CHUNK = 256 * 1024
SIGNED = {"x-amz-server-side-encryption": "AES256", "Content-Type": "video/mp4"}


@pytest.fixture
async def fake() -> AsyncIterator[FakeTwelveLabsServer]:
    """A fake whose sessions cut files into 256 KiB chunks and hand out 3 URLs at first."""
    async with FakeTwelveLabsServer(processing_time=0) as server:
        server.assets.chunk_size = CHUNK
        server.assets.initial_urls = 3
        server.assets.processing_time = 0.1
        yield server


@pytest.fixture
async def client(fake: FakeTwelveLabsServer) -> AsyncIterator[AsyncTwelveLabs]:
    """A client of the fake that also sends a default header of its own."""
    async with AsyncTwelveLabs(
        api_key=fake.api_key, base_url=fake.base_url, headers={"X-Team": "search"}
    ) as c:
        yield c


def _media(tmp_path: Path, size: int, name: str = "match.mp4") -> Path:
    path = tmp_path / name
    path.write_bytes(os.urandom(size))
    return path


def _chunk_hashes(path: Path, chunk: int) -> list[tuple[int, str]]:
    data = path.read_bytes()
    return [
        (i // chunk + 1, hashlib.sha256(data[i : i + chunk]).hexdigest())
        for i in range(0, len(data), chunk)
    ]


async def test_multichunk_upload_matches_file_and_keeps_key_off_storage(
    fake: FakeTwelveLabsServer, client: AsyncTwelveLabs, tmp_path: Path
) -> None:
    """A 10-chunk upload ends in a ready asset equal to the file; storage never sees the key."""
    fake.assets.upload_headers = dict(SIGNED)
    path = _media(tmp_path, 9 * CHUNK + 1234)
    seen: list[UploadProgress] = []
    result = await client.multipart_upload.upload_file(
        path, concurrency=4, batch_size=3, progress_callback=seen.append
    )
    assert result.chunks_sent == 10
    assert result.asset_url
    asset = await client.assets.wait_for_ready(result.asset_id, sleep_interval=0.05)
    assert asset.status == "ready"
    assert asset.filename == "match.mp4"
    record = fake.assets.assets[result.asset_id]
    assert record.chunks == _chunk_hashes(path, CHUNK)
    assert seen[-1].status == "completed"
    assert seen[-1].bytes_sent == path.stat().st_size
    puts = fake.assets.storage.puts
    assert len(puts) == 10
    for put in puts:
        names = {k.lower() for k in put.headers}
        assert "x-api-key" not in names
        assert "x-team" not in names
        assert "user-agent" not in names
        assert put.headers["x-amz-server-side-encryption"] == "AES256"
        assert fake.api_key not in repr(put.headers)
    # Three URLs came with the session; the rest were asked for in runs of at most 50.
    assert fake.requests_to("multipart_upload.get_additional_presigned_urls")


async def test_failed_put_and_expired_urls_are_retried_on_fresh_urls(
    fake: FakeTwelveLabsServer, client: AsyncTwelveLabs, tmp_path: Path
) -> None:
    """A 500 from storage and URLs that expired early both lead to fresh URLs and success."""
    path = _media(tmp_path, 4 * CHUNK)
    fake.assets.url_lifetime = 30.0  # inside the client's one-minute margin: refreshed
    fake.assets.storage.fail_puts = 2
    result = await client.multipart_upload.upload_file(path, retry_delay=0.01, concurrency=2)
    assert fake.assets.assets[result.asset_id].chunks == _chunk_hashes(path, CHUNK)
    refreshed = fake.requests_to("multipart_upload.get_additional_presigned_urls")
    assert refreshed
    assert all(r.json["count"] <= 50 for r in refreshed)


async def test_url_expired_at_the_storage_is_refreshed(
    fake: FakeTwelveLabsServer, client: AsyncTwelveLabs, tmp_path: Path
) -> None:
    """URLs the storage deems expired (403) are replaced by fresh ones."""
    path = _media(tmp_path, 3 * CHUNK)
    original = fake.assets.storage.mint

    def mint_expired(upload_id: str, index: int, lifetime: float) -> tuple[str, float]:
        url, expires = original(upload_id, index, lifetime)
        if not fake.requests_to("multipart_upload.get_additional_presigned_urls"):
            fake.assets.storage.expire_all()
        return url, expires

    fake.assets.storage.mint = mint_expired  # type: ignore[method-assign,assignment]
    result = await client.multipart_upload.upload_file(path, retry_delay=0.01)
    statuses = [p.status for p in fake.assets.storage.puts]
    assert 403 in statuses
    assert fake.assets.assets[result.asset_id].chunks == _chunk_hashes(path, CHUNK)


async def test_chunk_failing_for_good_raises_a_resumable_error(
    fake: FakeTwelveLabsServer, client: AsyncTwelveLabs, tmp_path: Path
) -> None:
    """When storage keeps failing, UploadError carries the upload id; resume finishes it.

    The API gives a session's upload headers only when it is opened, so resuming by id
    alone suits sessions without any (a state file keeps them otherwise).
    """
    path = _media(tmp_path, 3 * CHUNK)
    fake.assets.upload_headers = {}
    fake.assets.storage.fail_puts = 100
    with pytest.raises(UploadError) as caught:
        await client.multipart_upload.upload_file(path, max_retries=1, retry_delay=0.01)
    assert caught.value.upload_id
    fake.assets.storage.fail_puts = 0
    result = await client.multipart_upload.upload_file(
        path, resume=caught.value.upload_id, retry_delay=0.01
    )
    assert fake.assets.assets[result.asset_id].chunks == _chunk_hashes(path, CHUNK)


async def test_expired_session_with_state_file_starts_over(
    fake: FakeTwelveLabsServer, client: AsyncTwelveLabs, tmp_path: Path
) -> None:
    """A session that expired is replaced by a new one when a state file drives the upload."""
    path = _media(tmp_path, 2 * CHUNK)
    state = tmp_path / "match.upload.json"
    fake.assets.storage.fail_puts = 100
    with pytest.raises(UploadError) as caught:
        await client.multipart_upload.upload_file(
            path, state_file=state, max_retries=0, retry_delay=0.01
        )
    assert state.exists()
    fake.assets.expire_session(str(caught.value.upload_id))
    fake.assets.storage.fail_puts = 0
    result = await client.multipart_upload.upload_file(path, state_file=state)
    assert result.upload_id != caught.value.upload_id
    assert not state.exists()


async def test_file_changing_during_upload_is_an_error(
    fake: FakeTwelveLabsServer, client: AsyncTwelveLabs, tmp_path: Path
) -> None:
    """Appending to the file while it uploads fails the upload instead of a corrupt asset."""
    path = _media(tmp_path, 6 * CHUNK)

    def grow(progress: UploadProgress) -> None:
        if progress.completed_chunks == 2:
            with path.open("ab") as handle:
                handle.write(b"more")

    with pytest.raises(UploadError, match=r"changed|shrank"):
        await client.multipart_upload.upload_file(path, concurrency=1, progress_callback=grow)


async def test_assets_upload_picks_direct_and_refuses_over_10_gb(
    fake: FakeTwelveLabsServer, client: AsyncTwelveLabs, tmp_path: Path
) -> None:
    """A small file goes direct and comes back ready; an 11 GB sparse file is refused unsent."""
    small = _media(tmp_path, 5000, "clip.mp4")
    asset = await client.assets.upload(small, user_metadata={"match": 7})
    assert asset.status == "ready"
    assert asset.method == "direct"
    assert asset.user_metadata == {"match": 7}
    assert (
        fake.assets.assets[str(asset.id)].sha256 == hashlib.sha256(small.read_bytes()).hexdigest()
    )
    huge = tmp_path / "huge.mp4"
    with huge.open("wb") as handle:
        handle.truncate(11 * 1000**3)
    before = len(fake.requests)
    with pytest.raises(InvalidRequestError, match="10 GB"):
        await client.assets.upload(huge)
    assert len(fake.requests) == before
    listed = [a.id async for a in client.assets.list(asset_types=["video"], filename="CLIP")]
    assert listed == [asset.id]


async def test_failed_asset_raises_with_the_platform_error(
    fake: FakeTwelveLabsServer, client: AsyncTwelveLabs, tmp_path: Path
) -> None:
    """wait_for_ready raises AssetFailedError carrying the platform's reason."""
    fake.assets.fail_filenames.add("broken.mp4")
    path = _media(tmp_path, 1000, "broken.mp4")
    with pytest.raises(AssetFailedError, match="could not be processed") as caught:
        await client.assets.upload(path)
    assert caught.value.asset_id


async def test_official_sdk_upload_file_completes_against_the_fake(
    fake: FakeTwelveLabsServer, tmp_path: Path
) -> None:
    """The official SDK's upload_file completes against the fake's two hosts."""
    twelvelabs = pytest.importorskip("twelvelabs")
    path = _media(tmp_path, 3 * CHUNK + 10)
    async with httpx.AsyncClient(timeout=30) as http:
        sdk = twelvelabs.AsyncTwelveLabs(
            api_key=fake.api_key, base_url=fake.base_url, httpx_client=http
        )
        result = await sdk.multipart_upload.upload_file(str(path))
    assert fake.assets.assets[result.asset_id].chunks == _chunk_hashes(path, CHUNK)


_CHILD = textwrap.dedent(
    """
    import asyncio, sys
    from twelvelabs_async import AsyncTwelveLabs

    async def main() -> None:
        async with AsyncTwelveLabs(api_key=sys.argv[1], base_url=sys.argv[2]) as client:
            await client.multipart_upload.upload_file(
                sys.argv[3], state_file=sys.argv[4], concurrency=1, batch_size=1
            )

    asyncio.run(main())
    """
)


async def test_sigkill_mid_upload_then_resume_sends_only_missing_chunks(
    fake: FakeTwelveLabsServer, client: AsyncTwelveLabs, tmp_path: Path
) -> None:
    """After SIGKILL, the same call resumes from the state file and re-sends no stored chunk."""
    path = _media(tmp_path, 8 * CHUNK)
    state = tmp_path / "match.upload.json"
    fake.assets.storage.put_delay = 0.15
    child = subprocess.Popen(  # noqa: ASYNC220 - killed with SIGKILL, waited for in a thread
        [sys.executable, "-c", _CHILD, fake.api_key, fake.base_url, str(path), str(state)]
    )
    try:
        for _ in range(400):
            reported = sum(len(s.reported) for s in fake.assets.sessions.values())
            if reported >= 3:
                break
            await asyncio.sleep(0.02)
        child.send_signal(signal.SIGKILL)
    finally:
        await asyncio.to_thread(child.wait)
    (session,) = fake.assets.sessions.values()
    stored = set(session.reported)
    assert 3 <= len(stored) < 8
    assert state.exists()
    fake.assets.storage.put_delay = 0
    result = await client.multipart_upload.upload_file(path, state_file=state)
    assert result.chunks_skipped == len(stored)
    for index in stored:
        assert len(fake.assets.storage.puts_of(session.upload_id, index)) == 1
    assert fake.assets.assets[result.asset_id].chunks == _chunk_hashes(path, CHUNK)
    assert not state.exists()


async def test_v2_task_on_a_large_local_file_goes_through_an_asset(
    fake: FakeTwelveLabsServer, client: AsyncTwelveLabs, tmp_path: Path
) -> None:
    """A local file above the base64 limit is uploaded, waited for, and sent as asset_id."""
    big = tmp_path / "long.mp4"
    with big.open("wb") as handle:
        handle.truncate(MAX_BASE64_SOURCE_BYTES + 1)
    with pytest.raises(InvalidRequestError, match="base64"):
        await client.embed.v2.tasks.create(
            model_name="marengo3.0", video={"media_source": big}, upload_large_files=False
        )
    assert not fake.assets.assets
    task = await client.embed.v2.tasks.create(model_name="marengo3.0", video={"media_source": big})
    (asset,) = fake.assets.assets.values()
    assert asset.size == big.stat().st_size
    assert asset.status() == "ready"
    (sent,) = fake.requests_to("embed.v2.tasks.create")
    assert sent.json["video"]["media_source"] == {"asset_id": asset.id}
    assert task.id


async def test_v2_small_local_file_stays_base64(
    fake: FakeTwelveLabsServer, client: AsyncTwelveLabs, tmp_path: Path
) -> None:
    """A local file under the base64 limit is sent inline, with no asset made."""
    small = _media(tmp_path, 4000, "short.mp4")
    await client.embed.v2.create(model_name="marengo3.0", video={"media_source": small})
    (sent,) = fake.requests_to("embed.v2.create")
    assert "base64_string" in sent.json["video"]["media_source"]
    assert not fake.assets.assets


async def test_bulk_v2_large_local_file_resumes_without_uploading_again(
    fake: FakeTwelveLabsServer, client: AsyncTwelveLabs, tmp_path: Path
) -> None:
    """A bulk v2 job journals the asset of a large file; its resume reuses it, not re-uploads."""
    big = tmp_path / "long.mp4"
    with big.open("wb") as handle:
        handle.truncate(MAX_BASE64_SOURCE_BYTES + 1)
    journal = tmp_path / "job.jsonl"
    fake.faults.add("client_error", endpoints=["embed.v2.tasks.create"], status=400)
    first = await BulkEmbedJob(
        client, [big], api="v2", model_name="marengo3.0", journal=journal, poll_interval=0.05
    ).run()
    assert first.failed == 1
    assert len(fake.assets.assets) == 1
    fake.faults.clear()
    second = await BulkEmbedJob(
        client, [big], api="v2", model_name="marengo3.0", journal=journal, poll_interval=0.05,
        retry_failed=True,
    ).run()  # fmt: skip
    assert second.succeeded == 1
    assert len(fake.assets.assets) == 1
    assert len(fake.requests_to("assets.create")) == 1
    (asset_id,) = fake.assets.assets
    (sent, *_) = fake.requests_to("embed.v2.tasks.create")[::-1]
    assert sent.json["video"]["media_source"] == {"asset_id": asset_id}


async def test_cancelled_upload_reports_what_it_stored_and_resumes(
    fake: FakeTwelveLabsServer, client: AsyncTwelveLabs, tmp_path: Path
) -> None:
    """Cancelling (as Ctrl-C does) reports the chunks stored; the resume sends only the rest."""
    path = _media(tmp_path, 6 * CHUNK)
    state = tmp_path / "match.upload.json"
    fake.assets.storage.put_delay = 0.1
    done = asyncio.Event()

    async def watch(progress: UploadProgress) -> None:
        if progress.completed_chunks >= 2:
            done.set()

    job = asyncio.create_task(
        client.multipart_upload.upload_file(
            path, state_file=state, concurrency=1, batch_size=10, progress_callback=watch
        )
    )
    await done.wait()
    job.cancel()
    with pytest.raises(asyncio.CancelledError):
        await job
    (session,) = fake.assets.sessions.values()
    stored = set(session.reported)
    assert len(stored) >= 2
    fake.assets.storage.put_delay = 0
    result = await client.multipart_upload.upload_file(path, state_file=state)
    assert result.chunks_skipped == len(stored)
    for index in stored:
        assert len(fake.assets.storage.puts_of(session.upload_id, index)) == 1
    assert fake.assets.assets[result.asset_id].chunks == _chunk_hashes(path, CHUNK)


async def test_resume_from_a_saved_state_keeps_the_upload_headers(
    fake: FakeTwelveLabsServer, client: AsyncTwelveLabs, tmp_path: Path
) -> None:
    """The UploadState given to on_session resumes a session that needs its upload headers."""
    fake.assets.upload_headers = dict(SIGNED)
    path = _media(tmp_path, 3 * CHUNK)
    saved: list[UploadState] = []
    fake.assets.storage.fail_puts = 100
    with pytest.raises(UploadError):
        await client.multipart_upload.upload_file(
            path, on_session=saved.append, max_retries=0, retry_delay=0.01
        )
    fake.assets.storage.fail_puts = 0
    (state,) = saved
    again = UploadState.from_dict(state.to_dict())
    result = await client.multipart_upload.upload_file(path, resume=again)
    assert result.upload_id == state.upload_id
    assert fake.assets.assets[result.asset_id].chunks == _chunk_hashes(path, CHUNK)


async def test_asset_create_checks_arguments_before_sending(
    fake: FakeTwelveLabsServer, client: AsyncTwelveLabs, tmp_path: Path
) -> None:
    """Bad create arguments and list filters raise InvalidRequestError with nothing sent."""
    with pytest.raises(InvalidRequestError, match="file="):
        await client.assets.create(method="direct")
    with pytest.raises(InvalidRequestError, match="url="):
        await client.assets.create(method="url", file=b"x")
    with pytest.raises(InvalidRequestError, match="user_metadata"):
        await client.assets.create(method="url", url="https://a/b.mp4", user_metadata={"a": [1]})
    with pytest.raises(InvalidRequestError, match="asset_types"):
        client.assets.list(asset_types=[""])
    with pytest.raises(InvalidRequestError, match="page_limit"):
        client.assets.list(page_limit=51)
    assert fake.requests == []
    asset = await client.assets.create(
        method="url", url="https://cdn.example.com/a.mp4", user_metadata={"k": True}
    )
    (sent,) = fake.requests_to("assets.create")
    assert sent.form["user_metadata"] == ['{"k":true}']
    await client.assets.delete(str(asset.id), force=True)
    assert fake.requests_to("assets.delete")[0].query == {"force": ["true"]}


async def test_bulk_reports_asset_upload_progress_as_uploaded_events(
    fake: FakeTwelveLabsServer, client: AsyncTwelveLabs, tmp_path: Path
) -> None:
    """A bulk v2 asset upload emits 'uploaded' events ending at the file's size (the CLI bar)."""
    big = tmp_path / "long.mp4"
    with big.open("wb") as handle:
        handle.truncate(MAX_BASE64_SOURCE_BYTES + 1)
    events: list[tuple[int | None, int | None]] = []

    def on_event(event: Any) -> None:
        if event.kind == "uploaded":
            events.append((event.bytes_sent, event.bytes_total))

    summary = await BulkEmbedJob(
        client, [big], api="v2", model_name="marengo3.0", poll_interval=0.05, on_event=on_event
    ).run()
    assert summary.succeeded == 1
    assert events[-1] == (big.stat().st_size, big.stat().st_size)


async def test_official_sdk_style_snippets_run_unchanged(
    fake: FakeTwelveLabsServer,
    client: AsyncTwelveLabs,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The official SDK's documented upload_file and assets.list examples run as written."""
    path = _media(tmp_path, 2 * CHUNK + 1, "large_video.mp4")

    async def progress_callback(progress: Any) -> None:
        print(
            f"Progress: {progress.percentage:.1f}% "
            f"({progress.completed_chunks}/{progress.total_chunks} chunks)"
        )

    result = await client.multipart_upload.upload_file(
        str(path), filename="my-video.mp4", progress_callback=progress_callback, batch_size=5
    )
    print(f"Upload completed! Asset ID: {result.asset_id}")
    response = client.assets.list(
        page=1,
        page_limit=10,
        asset_ids=[result.asset_id],
        asset_types=["image", "video", "document"],
        filename="my-video",
    )
    first = await client.assets.list(page_limit=10, asset_types=["video"])
    assert [a.id for a in first.items] == [result.asset_id]
    items = [item async for item in response]
    pages = [page async for page in response.iter_pages()]
    assert [i.id for i in items] == [result.asset_id]
    assert len(pages) == 1
    out = capsys.readouterr().out
    assert "(3/3 chunks)" in out
    assert f"Asset ID: {result.asset_id}" in out
