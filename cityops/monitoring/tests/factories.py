import factory

from cityops.monitoring import rollups
from cityops.monitoring.choices import SensorKind, metrics_of_kind
from cityops.monitoring.models import Reading, Sensor
from cityops.platform import clock


class SensorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sensor

    code = factory.Sequence(lambda n: f"test-aq-{n:03d}")
    name = factory.Sequence(lambda n: f"Trạm thử {n}")
    kind = SensorKind.AIR_QUALITY
    lat = 16.46
    lon = 107.59
    metrics = factory.LazyAttribute(lambda s: metrics_of_kind(s.kind))


class ReadingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reading

    sensor = factory.SubFactory(SensorFactory)
    metric = "pm25"
    observed_at = factory.LazyFunction(clock.now)
    value = 20.0
    received_at = factory.LazyFunction(clock.now)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        reading = super()._create(model_class, *args, **kwargs)
        rollups.pending_mark([reading])  # as the ingest does, so hourly history sees it
        return reading
