"""Issue 16 F4: an item is validated once; the store stage validates again only a line that a
stage after validation changed, and still never writes a line that does not match the schema."""

from __future__ import annotations

from factories import PipelineRun, feed_lines, make_item

import sdcrawl.pipelines.validate as validate
import sdcrawl.settings as project_settings


class BreakDate:
    """A stage placed after validation that makes the item invalid."""

    def process_item(self, item):
        return {**item, "published": "2012-13-01"}


class RetitleValidly:
    """A stage placed after validation that changes the item, keeping it valid."""

    def process_item(self, item):
        return {**item, "title": item["title"] + " (labots)"}


def _pipelines(extra) -> dict:
    return {**project_settings.ITEM_PIPELINES, extra: 450}  # after dedup, before the store


def _count_validations(monkeypatch) -> list:
    calls = []
    real = validate.field_errors  # the jsonschema run, whoever asks for it

    def counting(item):
        calls.append(item.get("url"))
        return real(item)

    monkeypatch.setattr(validate, "field_errors", counting)
    return calls


def test_an_unchanged_item_is_not_validated_twice(tmp_path, monkeypatch):
    calls = _count_validations(monkeypatch)
    with PipelineRun(tmp_path) as run:
        assert run.process(make_item()) is not None
    assert len(calls) == 1  # the validation stage's; the store recognised the line it passed
    assert len(feed_lines(tmp_path / "feed.jsonl")) == 1
    assert run.stats["sdcrawl/feed/written"] == 1


def test_a_line_made_invalid_after_validation_is_never_written(tmp_path, monkeypatch):
    calls = _count_validations(monkeypatch)
    with PipelineRun(tmp_path, ITEM_PIPELINES=_pipelines(BreakDate)) as run:
        assert run.process(make_item()) is None
    assert len(calls) == 2
    assert not (tmp_path / "feed.jsonl").exists() or feed_lines(tmp_path / "feed.jsonl") == []
    assert run.stats["sdcrawl/feed/invalid"] == 1
    assert "sdcrawl/feed/written" not in run.stats


def test_a_line_changed_validly_after_validation_is_checked_and_written(tmp_path, monkeypatch):
    calls = _count_validations(monkeypatch)
    with PipelineRun(tmp_path, ITEM_PIPELINES=_pipelines(RetitleValidly)) as run:
        assert run.process(make_item()) is not None
    assert len(calls) == 2
    [line] = feed_lines(tmp_path / "feed.jsonl")
    assert line["title"].endswith(" (labots)")
    assert "_validated" not in line
