"""Programs written the way the official ``twelvelabs`` async client's documentation writes them.

Each is a whole program (module-level client, ``async def main()``, ``asyncio.run``), with
the placeholder key ``YOUR_API_KEY``; the base URL comes from ``TWELVELABS_BASE_URL``, which
both SDKs read. A few ``assert`` lines check what the documentation says the calls return.
:func:`migrate` makes the one change a user makes: the imports.
"""

from __future__ import annotations

#: Import lines of the official SDK and what they become (request classes such as
#: ``twelvelabs.types.TextInputRequest`` keep coming from the official package).
IMPORTS = {
    "from twelvelabs import AsyncTwelveLabs": "from twelvelabs_async import AsyncTwelveLabs",
    "from twelvelabs.core.api_error import ApiError": (
        "from twelvelabs_async.errors import ApiError"
    ),
    "from twelvelabs.errors import ": "from twelvelabs_async.errors import ",
}


def migrate(code: str) -> str:
    """Change the imports of an official-SDK program, and nothing else.

    ``from twelvelabs import AsyncTwelveLabs, X`` is split: the client comes from
    ``twelvelabs_async``, the request classes ``X`` still from ``twelvelabs``.
    """
    out: list[str] = []
    for line in code.splitlines():
        head = "from twelvelabs import AsyncTwelveLabs, "
        if line.startswith(head):
            out.append(IMPORTS["from twelvelabs import AsyncTwelveLabs"])
            out.append("from twelvelabs import " + line.removeprefix(head))
            continue
        for old, new in IMPORTS.items():
            if line == old or (old.endswith(" ") and line.startswith(old)):
                line = new + line.removeprefix(old)
                break
        out.append(line)
    return "\n".join(out) + "\n"


SNIPPETS: dict[str, str] = {}

SNIPPETS["v1_create_status_wait_retrieve"] = """
import asyncio

from twelvelabs import AsyncTwelveLabs

client = AsyncTwelveLabs(
    api_key="YOUR_API_KEY",
)


async def main() -> None:
    task = await client.embed.tasks.create(
        model_name="marengo3.0",
        video_url="https://cdn.example.com/clips/match.mp4",
        video_clip_length=5,
        video_embedding_scope=["clip", "video"],
    )
    print(f"Created task: id={task.id}")

    status = await client.embed.tasks.status(
        task_id=task.id,
    )
    print(f"Status: {status.status}")

    async def on_task_update(task) -> None:
        print(f"  Status={task.status}")

    status = await client.embed.tasks.wait_for_done(
        task_id=task.id,
        sleep_interval=0.1,
        callback=on_task_update,
    )
    assert status.status == "ready"

    result = await client.embed.tasks.retrieve(
        task_id=task.id,
        embedding_option=["visual", "audio"],
    )
    segments = result.video_embedding.segments
    assert segments
    for segment in segments:
        assert segment.embedding_option in ("visual", "audio")
        assert len(segment.float_) > 0
        print(segment.embedding_scope, segment.start_offset_sec, segment.end_offset_sec)


asyncio.run(main())
"""

SNIPPETS["v1_list_and_paging"] = """
import asyncio

from twelvelabs import AsyncTwelveLabs

client = AsyncTwelveLabs(
    api_key="YOUR_API_KEY",
)


async def main() -> None:
    for i in range(3):
        await client.embed.tasks.create(
            model_name="marengo3.0",
            video_url=f"https://cdn.example.com/clips/list-{i}.mp4",
        )

    response = await client.embed.tasks.list(
        page=1,
        page_limit=2,
    )
    assert len(response.items) == 2
    assert response.has_next
    assert "application/json" in response.response.headers["content-type"]
    seen = []
    async for item in response:
        seen.append(item.id)
    assert len(seen) >= 3

    # alternatively, you can paginate page-by-page
    pages = []
    async for page in response.iter_pages():
        pages.append(page.items)
    assert len(pages) >= 2

    next_page = await response.next_page()
    assert next_page is not None
    assert next_page.items


asyncio.run(main())
"""

SNIPPETS["v1_embed_create_each_modality"] = """
import asyncio

from twelvelabs import AsyncTwelveLabs

client = AsyncTwelveLabs(
    api_key="YOUR_API_KEY",
)


async def main() -> None:
    res = await client.embed.create(
        model_name="marengo3.0",
        text="a man walking a dog",
    )
    assert len(res.text_embedding.segments[0].float_) > 0

    res = await client.embed.create(
        model_name="marengo3.0",
        image_url="https://cdn.example.com/images/dog.png",
    )
    assert res.image_embedding.segments[0].float_

    res = await client.embed.create(
        model_name="marengo3.0",
        audio_url="https://cdn.example.com/audio/bark.wav",
        audio_start_offset_sec=0,
    )
    assert res.audio_embedding.segments


asyncio.run(main())
"""

SNIPPETS["request_options_dict"] = """
import asyncio

from twelvelabs import AsyncTwelveLabs

client = AsyncTwelveLabs(
    api_key="YOUR_API_KEY",
)


async def main() -> None:
    task = await client.embed.tasks.create(
        model_name="marengo3.0",
        video_url="https://cdn.example.com/clips/options.mp4",
        request_options={"timeout_in_seconds": 30},
    )
    status = await client.embed.tasks.status(
        task_id=task.id,
        request_options={
            "timeout_in_seconds": 20,
            "max_retries": 3,
            "additional_headers": {"X-Trace-Id": "trace-1"},
        },
    )
    assert status.status in ("processing", "ready")


asyncio.run(main())
"""

SNIPPETS["v2_create_each_input"] = """
import asyncio
import base64

from twelvelabs import AsyncTwelveLabs
from twelvelabs.types import ImageInputRequest, MediaSource, TextInputRequest, VideoInputRequest

client = AsyncTwelveLabs(
    api_key="YOUR_API_KEY",
)


async def main() -> None:
    res = await client.embed.v_2.create(
        input_type="text",
        model_name="marengo3.0",
        text=TextInputRequest(
            input_text="man walking a dog",
        ),
    )
    assert len(res.data[0].embedding) > 0

    image = base64.b64encode(b"\\x89PNG\\r\\n\\x1a\\n" + bytes(64)).decode()
    res = await client.embed.v_2.create(
        input_type="image",
        model_name="marengo3.0",
        image=ImageInputRequest(
            media_source=MediaSource(
                base_64_string=image,
            ),
        ),
    )
    assert res.data[0].embedding

    res = await client.embed.v_2.create(
        input_type="video",
        model_name="marengo3.0",
        video=VideoInputRequest(
            media_source=MediaSource(
                url="https://cdn.example.com/clips/short.mp4",
            ),
            start_sec=0.0,
            end_sec=12.0,
        ),
    )
    assert len(res.data) >= 1


asyncio.run(main())
"""

SNIPPETS["v2_tasks_create_retrieve_list"] = """
import asyncio

from twelvelabs import AsyncTwelveLabs, AsyncVideoInputRequest, MediaSource

client = AsyncTwelveLabs(
    api_key="YOUR_API_KEY",
)


async def main() -> None:
    task = await client.embed.v_2.tasks.create(
        input_type="video",
        model_name="marengo3.0",
        video=AsyncVideoInputRequest(
            media_source=MediaSource(
                url="https://cdn.example.com/clips/long.mp4",
            ),
        ),
    )
    print(f"Created task: id={task.id} status={task.status}")

    result = await client.embed.v_2.tasks.retrieve(
        task_id=task.id,
    )
    while result.status == "processing":
        await asyncio.sleep(0.1)
        result = await client.embed.v_2.tasks.retrieve(
            task_id=task.id,
        )
    assert result.status == "ready"
    assert result.data[0].embedding

    response = await client.embed.v_2.tasks.list(
        page=1,
        page_limit=10,
    )
    ids = [item.id async for item in response]
    assert task.id in ids


asyncio.run(main())
"""

SNIPPETS["errors_caught"] = """
import asyncio

from twelvelabs import AsyncTwelveLabs
from twelvelabs.core.api_error import ApiError
from twelvelabs.errors import NotFoundError

client = AsyncTwelveLabs(
    api_key="YOUR_API_KEY",
)


async def main() -> None:
    try:
        await client.embed.tasks.retrieve(
            task_id="000000000000000000000000",
        )
        raise SystemExit("expected an error")
    except ApiError as e:
        assert e.status_code == 404
        assert isinstance(e.body, dict)
        assert isinstance(e.headers, dict) or hasattr(e.headers, "get")
        print(e.status_code, e.body)

    try:
        await client.embed.v_2.tasks.retrieve(
            task_id="000000000000000000000000",
        )
        raise SystemExit("expected an error")
    except NotFoundError as e:
        assert e.status_code == 404
        assert e.body


asyncio.run(main())
"""

SNIPPETS["with_raw_response"] = """
import asyncio

from twelvelabs import AsyncTwelveLabs

client = AsyncTwelveLabs(
    api_key="YOUR_API_KEY",
)


async def main() -> None:
    task = await client.embed.tasks.create(
        model_name="marengo3.0",
        video_url="https://cdn.example.com/clips/raw.mp4",
    )
    response = await client.embed.tasks.with_raw_response.status(
        task_id=task.id,
    )
    assert response.headers["content-type"].startswith("application/json")
    assert response.data.id == task.id


asyncio.run(main())
"""

SNIPPETS["create_bulk"] = """
import asyncio

from twelvelabs import AsyncTwelveLabs

client = AsyncTwelveLabs(
    api_key="YOUR_API_KEY",
)


async def main() -> None:
    videos = [
        {"video_url": "https://example.com/video1.mp4", "video_embedding_scope": ["clip", "video"]},
        {"video_url": "https://example.com/video2.mp4", "video_embedding_scope": ["clip"]},
    ]
    tasks = await client.embed.tasks.create_bulk(
        model_name="marengo3.0",
        videos=videos,
    )
    print(tasks)
    assert len(tasks) == 2
    for task in tasks:
        done = await client.embed.tasks.wait_for_done(task_id=task.id, sleep_interval=0.1)
        assert done.status == "ready"


asyncio.run(main())
"""
