"""The journal's events: the one constructor, the keys every event carries, and the one time format.

Every line of `.spx/workflow.jsonl` is a JSON object (keys sorted) with `EVENT_KEYS` (time, session, story,
step, decision); each kind of event adds its own keys (hooks: reason, source, hook; the stamp: reason;
reviews: reason, report, digest, findings, files, ...). Times are UTC ISO-8601 with milliseconds
(`2026-11-25T04:10:00.123Z`); older lines and review verdicts (whose time also names the review's report)
carry whole seconds (`2026-11-25T04:10:00Z`). Both read alike: the strings sort by time either way.
Standard library only (the hooks build their events here).
"""

from __future__ import annotations

import time as clock

from spx_python.names import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

TIME_KEY = "time"
SESSION_KEY = "session"
STORY_KEY = "story"
STEP_KEY = "step"
DECISION_KEY = "decision"
EVENT_KEYS = (TIME_KEY, SESSION_KEY, STORY_KEY, STEP_KEY, DECISION_KEY)


def journal_time() -> str:
    """Now, in UTC with milliseconds, e.g. `2026-11-25T04:10:00.123Z`."""
    stamp = clock.time()
    return clock.strftime("%Y-%m-%dT%H:%M:%S", clock.gmtime(stamp)) + f".{int(stamp % 1 * 1000):03d}Z"


def journal_event(
    story: str | None, step: str, decision: str, *, session: str | None = None, time: str | None = None, **fields: Any
) -> dict[str, Any]:
    """An event: `EVENT_KEYS` (time defaults to now) and the kind's own `fields`."""
    return {
        TIME_KEY: journal_time() if time is None else time,
        SESSION_KEY: session,
        STORY_KEY: story,
        STEP_KEY: step,
        DECISION_KEY: decision,
        **fields,
    }
