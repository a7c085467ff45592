"""MQTT plumbing shared by the ingest worker, the simulated feed, the bench and the tests."""

from __future__ import annotations

import ssl
import uuid
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from cityops.platform.errors import InvalidInput

READINGS_TOPIC = "cityops/sensors/+/readings"
SHARE_GROUP = "cityops"


@dataclass(frozen=True)
class Broker:
    host: str
    port: int
    tls: bool = False
    username: str | None = None
    password: str | None = None

    @property
    def url(self) -> str:
        return f"{'mqtts' if self.tls else 'mqtt'}://{self.host}:{self.port}"


def broker_of(url: str) -> Broker:
    """``mqtt://[user:password@]host[:port]`` (1883) or ``mqtts://…`` (TLS, 8883)."""
    parts = urlsplit(url)
    if parts.scheme not in ("mqtt", "mqtts", "tcp", "ssl") or not parts.hostname:
        raise InvalidInput(
            f"MQTT_URL must look like mqtt://host:1883 or mqtts://host:8883, not {url!r}.",
            fields={"MQTT_URL": ["Use mqtt://host:port or mqtts://host:port."]},
        )
    tls = parts.scheme in ("mqtts", "ssl")
    return Broker(
        host=parts.hostname,
        port=parts.port or (8883 if tls else 1883),
        tls=tls,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def readings_topic(code: str, *, root: str = "cityops") -> str:
    return f"{root}/sensors/{code}/readings"


def client_for(
    broker: Broker,
    *,
    client_id: str | None = None,
    manual_ack: bool = False,
    mqtt5: bool = True,
    persistent: bool = True,
) -> mqtt.Client:
    """A paho client for ``broker`` (not connected yet): MQTT 5, or 3.1.1 for the embedded
    amqtt broker (with a persistent session unless ``persistent`` is False).
    """
    client = mqtt.Client(
        CallbackAPIVersion.VERSION2,
        client_id=client_id or f"cityops-{uuid.uuid4().hex[:12]}",
        protocol=mqtt.MQTTv5 if mqtt5 else mqtt.MQTTv311,
        clean_session=None if mqtt5 else not persistent,
        manual_ack=manual_ack,
    )
    if broker.tls:
        client.tls_set(cert_reqs=ssl.CERT_REQUIRED)
    if broker.username:
        client.username_pw_set(broker.username, broker.password)
    client.reconnect_delay_set(min_delay=1, max_delay=30)
    return client


def session_properties(*, expiry_seconds: int) -> Properties:
    """CONNECT properties of a persistent session that outlives a restart for a while."""
    properties = Properties(PacketTypes.CONNECT)
    properties.SessionExpiryInterval = expiry_seconds
    return properties
