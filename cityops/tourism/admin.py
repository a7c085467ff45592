"""Admin: staff edit the FAQ per language (an entry with its texts inline) and see how often
each answer was shown and helped; conversations are evidence, read only."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cityops.tourism.models import Conversation, FaqEntry, FaqText, Question, Shown
from cityops.tourism.selectors import faq_entries_with_feedback


class FaqTextInline(admin.StackedInline):
    model = FaqText
    extra = 0
    fields = ("language", "question", "phrasings", "answer")


@admin.register(FaqEntry)
class FaqEntryAdmin(admin.ModelAdmin):
    list_display = (
        "key", "topic", "is_active", "languages", "times_shown", "helpful_count",
        "unhelpful_count",
    )  # fmt: skip
    list_filter = ("topic", "is_active")
    search_fields = ("key", "texts__question", "texts__answer")
    inlines = [FaqTextInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[FaqEntry]:
        return faq_entries_with_feedback().prefetch_related("texts")

    @admin.display(description=_("languages"))
    def languages(self, entry: FaqEntry) -> str:
        return ", ".join(sorted(text.language for text in entry.texts.all()))

    @admin.display(description=_("shown"), ordering="times_shown")
    def times_shown(self, entry: FaqEntry) -> int:
        return entry.times_shown  # type: ignore[attr-defined]

    @admin.display(description=_("helped"), ordering="helpful_count")
    def helpful_count(self, entry: FaqEntry) -> int:
        return entry.helpful_count  # type: ignore[attr-defined]

    @admin.display(description=_("did not help"), ordering="unhelpful_count")
    def unhelpful_count(self, entry: FaqEntry) -> int:
        return entry.unhelpful_count  # type: ignore[attr-defined]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ("asked_at", "language", "detected_language", "is_complaint", "text")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ("pk", "started_at", "language", "report")
    list_filter = ("language",)
    readonly_fields = ("language", "started_at", "report")
    exclude = ("token",)
    inlines = [QuestionInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Shown)
class ShownAdmin(admin.ModelAdmin):
    list_display = ("entry", "language", "rank", "score", "helpful", "feedback_at")
    list_filter = ("helpful", "language")
    readonly_fields = ("question", "entry", "language", "rank", "score", "helpful", "feedback_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
