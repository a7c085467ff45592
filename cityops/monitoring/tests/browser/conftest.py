from cityops.portal.tests.browser.conftest import browser, new_page  # noqa: F401
