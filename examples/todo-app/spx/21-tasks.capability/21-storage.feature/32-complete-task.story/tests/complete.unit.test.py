from todo.tasks import Task, complete_task


def test_completing_marks_only_that_task() -> None:
    assert complete_task((Task("a"), Task("b")), 1) == (Task("a"), Task("b", done=True))
