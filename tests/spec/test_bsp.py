"""BSP names, order and numbering (catalogue P16-P19 of the upstream study)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spx_python.spec.bsp import (
    BSP_MAX,
    BSP_MIN,
    NoRoomError,
    format_bsp,
    next_number,
    number_between,
    parse_bsp,
    parse_container_name,
)


@pytest.mark.parametrize(
    ("name", "bsp", "slug", "kind"),
    [
        ("21-core-cli.capability", (21,), "core-cli", "capability"),
        ("32-directory-walking.feature", (32,), "directory-walking", "feature"),
        ("20@54-audit.feature", (20, 54), "audit", "feature"),
        ("20@54@32-trace.story", (20, 54, 32), "trace", "story"),
    ],
)
def test_p16_valid_names_parse(name: str, bsp: tuple[int, ...], slug: str, kind: str) -> None:
    parsed = parse_container_name(name)
    assert parsed is not None
    assert (parsed.bsp, parsed.slug, parsed.kind) == (bsp, slug, kind)


@pytest.mark.parametrize(
    "name",
    [
        "capability-21_foo",
        "21_foo.capability",
        "foo.capability",
        "21-foo",
        "21-Foo.capability",
        "21-.capability",
        "100-foo.capability",
        "09-foo.capability",
        "5-foo.story",
        "21@5-foo.feature",
        "21-foo.capability\n",
        "٢١-foo.capability",  # Arabic-Indic digits look like 21
        "21-foo.adr",
    ],
)
def test_p17_invalid_names_are_rejected(name: str) -> None:
    assert parse_container_name(name) is None


def test_p18_sort_order_of_bsp_numbers() -> None:
    numbers = ["32", "21", "20@54", "20", "20@54@32"]
    parsed = [parse_bsp(n) for n in numbers]
    assert all(p is not None for p in parsed)
    ordered = sorted(p for p in parsed if p is not None)
    assert [format_bsp(p) for p in ordered] == ["20", "20@54", "20@54@32", "21", "32"]


@pytest.mark.parametrize(
    ("existing", "after", "before", "expected"),
    [
        ([(54,)], None, None, "76"),  # append after 54
        ([(21,), (54,)], (21,), None, "37"),  # insert between 21 and 54
        ([(21,)], None, (21,), "15"),  # prepend before 21
        ([], None, None, "21"),  # first
        ([(20,), (21,)], (20,), None, "20@54"),  # no integer gap
        ([(21,), (32,), (43,)], None, None, "71"),  # features 21, 32, 43 + create
        ([(98,)], None, None, "98@54"),
        ([(20,), (20, 54), (21,)], (20, 54), None, "20@76"),
    ],
)
def test_p19_numbering_rules(
    existing: list[tuple[int, ...]], after: tuple[int, ...] | None, before: tuple[int, ...] | None, expected: str
) -> None:
    assert format_bsp(next_number(existing, after=after, before=before)) == expected


def test_nothing_sorts_before_ten() -> None:
    with pytest.raises(NoRoomError, match="renumber"):
        number_between(None, (10,))


bsps = st.lists(st.integers(BSP_MIN, BSP_MAX), min_size=1, max_size=4).map(tuple)


@given(st.lists(bsps, min_size=1, max_size=20))
def test_sorting_is_a_total_order_consistent_with_text(values: list[tuple[int, ...]]) -> None:
    """Sorting the parsed tuples equals sorting the formatted names segment by segment, and round-trips."""
    texts = [format_bsp(v) for v in values]
    assert [parse_bsp(t) for t in texts] == values
    by_tuple = sorted(values)
    by_segments = sorted(values, key=lambda v: [int(p) for p in format_bsp(v).split("@")])
    assert by_tuple == by_segments
    for a, b in itertools.pairwise(by_tuple):
        assert a <= b


@given(st.lists(bsps, min_size=0, max_size=12, unique=True), st.data())
def test_new_numbers_land_exactly_where_asked(existing: list[tuple[int, ...]], data: st.DataObject) -> None:
    ordered = sorted(existing)
    if ordered and data.draw(st.booleans()):
        anchor = data.draw(st.sampled_from(ordered))
        later = [b for b in ordered if b > anchor]
        try:
            new = next_number(ordered, after=anchor)
        except NoRoomError:
            # only when the next sibling is anchor@10[@10...]: nothing fits between them
            tail = later[0][len(anchor) :]
            assert later[0][: len(anchor)] == anchor and set(tail) == {BSP_MIN}
            return
        assert anchor < new
        assert not later or new < later[0]
    else:
        new = next_number(ordered)
        assert not ordered or new > ordered[-1]
    assert parse_bsp(format_bsp(new)) == new
    assert new not in ordered
