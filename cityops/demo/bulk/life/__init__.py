"""Synthetic reports' lives, row by row as the workflow would write them, for ``seed_bulk``.

``seed_demo`` replays every report through the workflow, which is right for a demo of a few
hundred reports and far too slow for a million (each move locks, checks and writes one row).
``seed_bulk`` writes the *same rows* the workflow would have written — the report with its
status, agency, deadlines, acknowledgement, extension, result and closing times; one
``ReportEvent`` per move with the actor, role, agency, from/to status and visibility the
workflow sets; the ratings; the reporter's follow — with ``bulk_create`` in batches. It
follows the workflow's rules (``rules.MOVES``) rather than calling it: deadlines come from
``deadlines.due_at_for``, an extension replaces ``due_at`` and keeps ``original_due_at``, a
reopen clears ``resolved_at``, a merge or duplicate rejection links the original, and a
deadline passed while the report was active gets its one ``escalated`` event. The tests check
bulk rows and replayed rows against the same invariants and compare their KPIs.
"""

from cityops.demo.bulk.life.generator import Generator
from cityops.demo.bulk.life.story import Cast, Story

__all__ = ["Cast", "Generator", "Story"]
