"""The ``online`` payment handler, registered when the app is ready."""

from cityops.online.services import PURPOSE, application_paid
from cityops.payments.hooks import on_paid

on_paid(PURPOSE)(application_paid)
