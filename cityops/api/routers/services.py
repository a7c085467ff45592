"""Public service quality: the one-stop-shop offices' figures, ranked (read-only, public)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router, Schema

from cityops.api.schemas import errors
from cityops.services.choices import Criterion
from cityops.services.selectors import MIN_RATINGS, offices_ranking

router = Router(tags=["services"])


class ServiceOfficeOut(Schema):
    code: str = Field(description="The office's code.")
    name: str
    agency: str = Field(description="The agency's name.")
    rank: int | None = Field(description=f"Null below {MIN_RATINGS} ratings; ties share a rank.")
    ratings: int = Field(description="Ratings counted (n).")
    satisfied_percent: int | None = Field(
        description=f"Very satisfied + satisfied over n; null below {MIN_RATINGS} ratings."
    )
    response_rate_percent: int | None = Field(
        description="Ratings by a dossier's QR code over dossiers issued; null below "
        f"{MIN_RATINGS} dossiers."
    )
    criteria_good_percent: dict[str, int | None] = Field(
        description="Per criterion (attitude, time, clarity, fees): the share of 'good' "
        f"answers; null below {MIN_RATINGS} answers."
    )


@router.get(
    "",
    response={200: list[ServiceOfficeOut], **errors(400)},
    summary="List the one-stop-shop offices ranked by citizens' ratings",
)
def service_office_list(request: HttpRequest) -> list[ServiceOfficeOut]:
    """The public ranking of ``/services/``: the same rule, the same hidden figures."""
    return [
        ServiceOfficeOut(
            code=row.code,
            name=row.kpi.name,
            agency=row.agency,
            rank=row.position,
            ratings=row.kpi.n,
            satisfied_percent=row.kpi.satisfied_share.percent,
            response_rate_percent=row.kpi.response.percent,
            criteria_good_percent={
                code: share.percent
                for code, (_label, share) in zip(Criterion.values, row.kpi.criteria, strict=True)
            },
        )
        for row in offices_ranking()
    ]
