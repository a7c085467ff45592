"""The public ranking's fair rule, and the registry's CSV import (all or nothing)."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from cityops.agencies.tests.factories import AgencyFactory
from cityops.services.choices import Level, Via
from cityops.services.models import Desk, Office, Officer, Procedure
from cityops.services.registry import ImportRefused, registry_import
from cityops.services.selectors import offices_ranking
from cityops.services.services import Answers, rating_submit
from cityops.services.tests.factories import DeskFactory


def rated(name: str, levels: list[str]) -> Office:
    desk = DeskFactory(office__name=name)
    for level in levels:
        rating_submit(desk=desk, answers=Answers(level=level, scores={}), via=Via.DESK)
    return desk.office


def test_offices_are_ranked_by_the_share_satisfied_with_ties_sharing_a_place(db):
    s, d = Level.SATISFIED, Level.DISSATISFIED
    rated("Phường An Cựu", [s] * 9 + [d])
    rated("Phường Vỹ Dạ", [s] * 9 + [d])
    rated("Sở Tư pháp", [s] * 12)
    rated("Xã Phú Mậu", [s] * 9)  # nine ratings: listed, not ranked
    ranking = [(row.kpi.name, row.position) for row in offices_ranking()]
    assert ranking == [
        ("Sở Tư pháp", 1),
        ("Phường An Cựu", 2),
        ("Phường Vỹ Dạ", 2),
        ("Xã Phú Mậu", None),
    ]


CSV_OFFICES = (
    "code,name,agency_code,area_code,address\nmc-phu-hoi,Một cửa Phú Hội,{agency},,01 Lê Lợi\n"
)


def test_the_registry_is_imported_from_csv(db):
    agency = AgencyFactory(code="ubnd-phu-hoi")
    done = registry_import(kind="offices", text=CSV_OFFICES.format(agency=agency.code))
    assert (done.created, done.updated) == (1, 0)
    registry_import(
        kind="desks", text="office_code,code,name\nmc-phu-hoi,q1,Quầy 1\nmc-phu-hoi,q2,Quầy 2\n"
    )
    registry_import(
        kind="officers", text="office_code,name,staff_code\nmc-phu-hoi,Lê Thị Hoa,CB01\n"
    )
    registry_import(kind="procedures", text="code,name\n1.001234,Chứng thực bản sao\n")
    assert Desk.objects.filter(office__code="mc-phu-hoi").count() == 2
    assert Officer.objects.get().staff_code == "CB01"
    # Again, renamed: updated, not doubled.
    again = registry_import(
        kind="procedures", text="code,name\n1.001234,Chứng thực bản sao (mới)\n"
    )
    assert (again.created, again.updated) == (0, 1)
    assert Procedure.objects.get().name == "Chứng thực bản sao (mới)"


def test_a_file_with_a_wrong_row_imports_nothing_and_says_which_rows(db):
    AgencyFactory(code="ubnd-phu-hoi")
    text = (
        "code,name,agency_code,area_code,address\n"
        "mc-a,Một cửa A,ubnd-phu-hoi,,01 Lê Lợi\n"
        "mc-b,Một cửa B,khong-co,,02 Lê Lợi\n"
        "mc c,,ubnd-phu-hoi,,03 Lê Lợi\n"
        "mc-a,Một cửa A lần nữa,ubnd-phu-hoi,,01 Lê Lợi\n"
    )
    with pytest.raises(ImportRefused) as refused:
        registry_import(kind="offices", text=text)
    rows = [error.split(":")[0] for error in refused.value.errors]
    assert len(rows) == 3
    assert all(row.split()[-1] in {"3", "4", "5"} for row in rows)
    assert "khong-co" in refused.value.errors[0]
    assert not Office.objects.exists()


def test_the_import_command_reports_rows_and_writes_nothing_on_error(db, tmp_path):
    path = tmp_path / "desks.csv"
    path.write_text("office_code,code,name\nkhong-co,q1,Quầy 1\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("services_import", "desks", str(path))
    assert not Desk.objects.exists()


def test_the_admin_imports_a_csv_and_lists_the_wrong_rows(admin_user, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(admin_user)
    url = "/admin/services/procedure/import/"
    bad = SimpleUploadedFile("p.csv", "code,name\n1.001234,\n1.004884,Đăng ký khai sinh\n".encode())
    page = client.post(url, {"file": bad})
    assert page.status_code == 200
    assert 'id="import-errors"' in page.content.decode()
    assert not Procedure.objects.exists()
    good = SimpleUploadedFile("p.csv", "code,name\n1.004884,Đăng ký khai sinh\n".encode())
    assert client.post(url, {"file": good}).status_code == 302
    assert Procedure.objects.get().name == "Đăng ký khai sinh"
