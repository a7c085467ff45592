"""Webhooks: where outside platforms call CityOps (Zalo, Messenger, the SMS gateway, inbound
e-mail). Each platform's endpoint is its own module here, checks the platform's signature on the
raw body before anything else, and hands the message to the channels app."""
