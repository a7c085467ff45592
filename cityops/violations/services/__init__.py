"""The writes of the violations domain (Contract 2 of issue 20), one verb each.

- ``detections``: a camera's event in (``detection_receive``), the job that makes it a case
  (``detection_process``).
- ``cases``: the officers' steps, the owner's data (recorded and read, each a step), the notice.
- ``blurring``: each frame's public copy, and the hand edits of what is blurred.
"""

from cityops.violations.evidence import ChainCheck, evidence_verify
from cityops.violations.services.blurring import (
    evidence_blur_edit,
    frame_blur,
    frames_blur,
    frames_blur_pending,
)
from cityops.violations.services.cases import (
    Owner,
    case_close,
    case_confirm,
    case_contest,
    case_lookup_url,
    case_notice_issue,
    case_owner_record,
    case_owner_view,
    case_payment_record,
    case_reject,
    case_review,
)
from cityops.violations.services.detections import (
    detection_process,
    detection_receive,
    detection_receive_json,
    detections_stale,
)

__all__ = [
    "ChainCheck",
    "Owner",
    "case_close",
    "case_confirm",
    "case_contest",
    "case_lookup_url",
    "case_notice_issue",
    "case_owner_record",
    "case_owner_view",
    "case_payment_record",
    "case_reject",
    "case_review",
    "detection_process",
    "detection_receive",
    "detection_receive_json",
    "detections_stale",
    "evidence_blur_edit",
    "evidence_verify",
    "frame_blur",
    "frames_blur",
    "frames_blur_pending",
]
