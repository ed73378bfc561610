"""Tasks held in memory, in the order they were added."""

from __future__ import annotations

from dataclasses import dataclass, replace

EMPTY_TITLE = "a task needs a title"


@dataclass(frozen=True)
class Task:
    title: str
    done: bool = False


def add_task(tasks: tuple[Task, ...], title: str) -> tuple[Task, ...]:
    if not title.strip():
        raise ValueError(EMPTY_TITLE)
    return (*tasks, Task(title.strip()))


def complete_task(tasks: tuple[Task, ...], index: int) -> tuple[Task, ...]:
    return tuple(replace(t, done=True) if i == index else t for i, t in enumerate(tasks))
