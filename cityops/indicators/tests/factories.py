from datetime import date

import factory

from cityops.agencies.tests.factories import AgencyFactory
from cityops.indicators.choices import Direction, Frequency, Source
from cityops.indicators.models import Indicator, Upload, Value


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    code = factory.Sequence(lambda n: f"indicator-{n}")
    name = factory.Sequence(lambda n: f"Chỉ tiêu {n}")
    sector = "health"
    unit = "%"
    direction = Direction.UP
    baseline_value = 50.0
    baseline_period = date(2020, 1, 1)
    target_value = 80.0
    target_year = 2025
    department = factory.SubFactory(AgencyFactory)
    frequency = Frequency.YEARLY


class UploadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Upload

    source = Source.CSV
    file_name = "so-lieu.csv"
    sha256 = "0" * 64


class ValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Value

    indicator = factory.SubFactory(IndicatorFactory)
    period = date(2023, 1, 1)
    value = 60.0
    upload = factory.SubFactory(UploadFactory)
    row = factory.Sequence(lambda n: n + 2)
