import factory

from cityops.reports.choices import Channel, Priority, ReportStatus
from cityops.reports.models import Category, Report
from cityops.reports.services import report_search_fields


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"category-{n}")
    name = factory.Sequence(lambda n: f"Lĩnh vực {n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")
    default_priority = Priority.NORMAL


class ReportFactory(factory.django.DjangoModelFactory):
    """A bare report row; tests that need a real history drive it through the workflow."""

    class Meta:
        model = Report

    description = "Đèn đường hỏng trước nhà số 12"
    category = factory.SubFactory(CategoryFactory)
    lat = 16.46
    lon = 107.59
    channel = Channel.WEB
    status = ReportStatus.SUBMITTED

    @classmethod
    def _adjust_kwargs(cls, **kwargs: object) -> dict[str, object]:
        """The search texts, as intake writes them with the texts."""
        texts = {field: str(kwargs.get(field, "")) for field in ("title", "description", "address")}
        return {**kwargs, **report_search_fields(**texts)}
