import io
from datetime import date

import factory
from PIL import Image

from cityops.agencies.tests.factories import AgencyFactory
from cityops.online.models import Fee, OnlineService

DOCUMENTS = [
    {"key": "cccd", "name": "Căn cước công dân", "required": True},
    {"key": "to-khai", "name": "Tờ khai", "required": False},
]


class OnlineServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OnlineService

    code = factory.Sequence(lambda n: f"dich-vu-{n}")
    name = factory.Sequence(lambda n: f"Cấp bản sao trích lục hộ tịch {n}")
    documents = factory.LazyFunction(lambda: [dict(d) for d in DOCUMENTS])
    processing_days = 3
    agency = factory.SubFactory(AgencyFactory)


class FeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fee

    service = factory.SubFactory(OnlineServiceFactory)
    valid_from = date(2020, 1, 1)
    amount_vnd = 8000


def photo_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
