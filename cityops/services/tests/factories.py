import factory

from cityops.agencies.tests.factories import AgencyFactory
from cityops.platform import clock
from cityops.services.models import Desk, Dossier, Office, Officer, Procedure


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    code = factory.Sequence(lambda n: f"mot-cua-{n}")
    name = factory.Sequence(lambda n: f"Bộ phận một cửa {n}")
    agency = factory.SubFactory(AgencyFactory)
    address = "01 Lê Lợi, Huế"


class DeskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Desk

    office = factory.SubFactory(OfficeFactory)
    code = factory.Sequence(lambda n: f"quay-{n}")
    name = factory.Sequence(lambda n: f"Quầy {n}")


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    office = factory.SubFactory(OfficeFactory)
    name = factory.Sequence(lambda n: f"Trần Thị Mai {n}")
    staff_code = factory.Sequence(lambda n: f"CB{n:03d}")


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procedure

    code = factory.Sequence(lambda n: f"1.00{n:04d}")
    name = factory.Sequence(lambda n: f"Thủ tục {n}")


class DossierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dossier

    desk = factory.SubFactory(DeskFactory)
    number = factory.Sequence(lambda n: f"000.00.{n:04d}")
    procedure = factory.SubFactory(ProcedureFactory)
    officer = factory.LazyAttribute(lambda d: OfficerFactory(office=d.desk.office))
    issued_at = factory.LazyFunction(clock.now)
