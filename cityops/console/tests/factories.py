import factory

from cityops.agencies.tests.factories import AgencyFactory
from cityops.reports.models import RoutingRule
from cityops.reports.tests.factories import CategoryFactory


class RoutingRuleFactory(factory.django.DjangoModelFactory):
    """A city-wide rule by default: the category's reports go to ``agency``."""

    class Meta:
        model = RoutingRule

    category = factory.SubFactory(CategoryFactory)
    area = None
    agency = factory.SubFactory(AgencyFactory)
