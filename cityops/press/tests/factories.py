import factory

from cityops.press.choices import SourceKind
from cityops.press.models import Source


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    name = factory.Sequence(lambda n: f"Báo thử {n}")
    kind = SourceKind.FEED
    url = factory.Sequence(lambda n: f"http://127.0.0.1:9/feed-{n}.xml")
    poll_interval = 900
