"""Tourist support's reads."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from cityops.tourism.models import Conversation, FaqEntry, Question


def faq_entries_with_feedback() -> QuerySet[FaqEntry]:
    """The entries with how often each was shown and how often it helped or did not."""
    return FaqEntry.objects.annotate(
        times_shown=Count("shown"),
        helpful_count=Count("shown", filter=Q(shown__helpful=True)),
        unhelpful_count=Count("shown", filter=Q(shown__helpful=False)),
    )


def conversation_questions(conversation: Conversation) -> QuerySet[Question]:
    """The conversation's questions in order, with the answers shown and their entries' texts."""
    return (
        Question.objects.filter(conversation=conversation)
        .prefetch_related("shown__entry__texts")
        .order_by("asked_at", "pk")
    )
