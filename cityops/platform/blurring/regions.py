"""A box to blur, as stored next to an evidence image and edited by an operator."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

KINDS = frozenset({"face", "plate", "manual"})
SOURCES = frozenset({"detector", "operator"})
# No camera frame or upload comes near this; anything larger is a forged or broken record.
MAX_COORDINATE = 100_000
_FIELDS = ("x", "y", "width", "height")


@dataclass(frozen=True)
class Region:
    """A box in an image's pixels (origin top left) that must not be shown unblurred."""

    x: int
    y: int
    width: int
    height: int
    kind: str  # "face" | "plate" | "manual"
    source: str = "detector"  # "detector" | "operator"

    def __post_init__(self) -> None:
        for name in _FIELDS:
            value = getattr(self, name)
            # bool is an int subclass: True as a width is a bug, not a pixel.
            if type(value) is not int:
                raise ValueError(f"{name} must be an integer")
            if not 0 <= value <= MAX_COORDINATE:
                raise ValueError(f"{name} must be between 0 and {MAX_COORDINATE}")
        if self.width < 1 or self.height < 1:
            raise ValueError("width and height must be at least 1")
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(sorted(KINDS))}")
        if self.source not in SOURCES:
            raise ValueError(f"source must be one of {', '.join(sorted(SOURCES))}")

    def as_dict(self) -> dict[str, object]:
        return {
            "x": self.x,
            "y": self.y,
            "width": self.width,
            "height": self.height,
            "kind": self.kind,
            "source": self.source,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Region:
        """The region ``data`` describes (as ``as_dict`` writes it); ``ValueError`` otherwise.

        Keys other than the six are ignored; ``source`` defaults to ``"detector"``.
        """
        if not isinstance(data, Mapping):
            raise ValueError("a region must be a mapping")
        missing = [key for key in (*_FIELDS, "kind") if key not in data]
        if missing:
            raise ValueError(f"missing {', '.join(missing)}")
        values = {key: data[key] for key in _FIELDS}
        kind, source = data["kind"], data.get("source", "detector")
        if not isinstance(kind, str) or not isinstance(source, str):
            raise ValueError("kind and source must be strings")
        return cls(
            x=values["x"],  # type: ignore[arg-type]  # checked in __post_init__
            y=values["y"],  # type: ignore[arg-type]
            width=values["width"],  # type: ignore[arg-type]
            height=values["height"],  # type: ignore[arg-type]
            kind=kind,
            source=source,
        )
