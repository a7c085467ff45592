"""The Django admin's sign-in page, for administrators only, pointing everyone else to the one
sign-in of CityOps (the portal's), which opens each role's own workspace."""

from __future__ import annotations

from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.translation import gettext_lazy as _

TEMPLATE = "accounts/admin_sign_in.html"


class AdminSignInForm(AdminAuthenticationForm):
    """Django's form, whose refusal no longer reads as "wrong password" to an operator whose
    password was right. The message is the same either way, so it tells an attacker nothing."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": _(
            "Signing in to the administration failed: either the user name or password is "
            "wrong, or the account is not an administrator's. IOC operators, agency staff and "
            "leaders sign in on the staff sign-in page."
        ),
    }
