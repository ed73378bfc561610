import pytest
from todo.tasks import EMPTY_TITLE, Task, add_task


def test_adding_a_task_appends_it() -> None:
    assert add_task((), " buy milk ") == (Task("buy milk"),)


def test_a_blank_title_is_refused() -> None:
    with pytest.raises(ValueError, match=EMPTY_TITLE):
        add_task((), "  ")
