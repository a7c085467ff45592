"""The IOC operators' console: parse the request, call one domain function, render."""

from cityops.console.views.hotline import hotline, hotline_submit, hotline_suggest
from cityops.console.views.live import events
from cityops.console.views.map import map_page, map_points, map_stations
from cityops.console.views.photos import (
    photo_blur_save,
    photo_original,
    photos_page,
    photos_waiting,
)
from cityops.console.views.queue import queue, view_delete, view_save
from cityops.console.views.report import (
    accept,
    assign,
    close,
    merge,
    note,
    reclassify,
    reject,
    reopen,
    report,
    resolve,
)

__all__ = [
    "accept",
    "assign",
    "close",
    "events",
    "hotline",
    "hotline_submit",
    "hotline_suggest",
    "map_page",
    "map_points",
    "map_stations",
    "merge",
    "note",
    "photo_blur_save",
    "photo_original",
    "photos_page",
    "photos_waiting",
    "queue",
    "reclassify",
    "reject",
    "reopen",
    "report",
    "resolve",
    "view_delete",
    "view_save",
]
