"""While a citizen describes the problem, the form suggests a category but never overrides one."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cityops.accounts.tests.factories import UserFactory
from cityops.demo.hue import seed_configuration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GARBAGE = "Rác thải sinh hoạt đổ bừa bãi ven đường Lê Lợi mấy ngày nay bốc mùi hôi thối"


def _signed_in_form(new_page):
    UserFactory(username="lan", email="lan@example.vn")
    page = new_page()
    page.goto("/account/sign-in?next=/reports/new")
    page.get_by_label("Email, số điện thoại hoặc tên đăng nhập").fill("lan@example.vn")
    page.get_by_label("Mật khẩu").fill("correct horse battery")
    page.get_by_role("button", name="Đăng nhập").last.click()
    page.wait_for_url("**/reports/new")
    return page


def test_the_described_problem_preselects_its_category(new_page, trained):
    seed_configuration()
    page = _signed_in_form(new_page)

    page.get_by_label("Vấn đề là gì?").fill(GARBAGE)

    # expect(), not wait_for_function: the Content-Security-Policy refuses eval in the page.
    expect(page.locator("#id_category")).to_have_value("sanitation")
    assert "Gợi ý" in page.locator("body").inner_text()


def test_a_category_the_citizen_chose_is_never_overridden(new_page, trained):
    seed_configuration()
    page = _signed_in_form(new_page)
    page.get_by_label("Lĩnh vực").select_option("tourism")

    page.get_by_label("Vấn đề là gì?").fill(GARBAGE)
    page.wait_for_timeout(1500)  # longer than the typing pause after which it asks

    assert page.get_by_label("Lĩnh vực").input_value() == "tourism"
