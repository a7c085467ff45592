import factory

from cityops.agencies.choices import AgencyKind, AreaKind
from cityops.agencies.models import Agency, Area


def square(lon: float, lat: float, half: float = 0.01) -> dict:
    """A GeoJSON square polygon around a point, for areas in tests."""
    ring = [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    code = factory.Sequence(lambda n: f"9{n:04d}")
    name = factory.Sequence(lambda n: f"Phường Thử {n}")
    kind = AreaKind.WARD
    centroid_lat = 16.46
    centroid_lon = 107.59
    boundary = factory.LazyAttribute(lambda a: square(a.centroid_lon, a.centroid_lat))


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"agency-{n}")
    name = factory.Sequence(lambda n: f"Đơn vị {n}")
    kind = AgencyKind.DEPARTMENT
