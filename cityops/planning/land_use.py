"""Land-use codes of Vietnamese zoning maps (Circular 08/2024/TT-BTNMT and the planning
regulations' usual abbreviations): the name to show and the colour of the map's legend.

A code not listed keeps the layer's own name and a neutral grey.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

UNKNOWN_COLOUR = "#9e9e9e"

# code: (name, colour). Colours follow the usual legend (residential yellow/orange, green
# for parks, red for commerce, blue for water), each distinct enough to tell apart.
LAND_USES: dict[str, tuple[Promise, str]] = {
    "ODT": (_("Urban residential land"), "#f4b400"),
    "ONT": (_("Rural residential land"), "#f6d36b"),
    "DGT": (_("Transport land"), "#8d8d8d"),
    "DVH": (_("Cultural facilities"), "#c2185b"),
    "DYT": (_("Health facilities"), "#e53935"),
    "DGD": (_("Education and training facilities"), "#ff7043"),
    "DTT": (_("Sports facilities"), "#7cb342"),
    "CXK": (_("Public green space"), "#2e7d32"),
    "DKV": (_("Recreation and parks"), "#43a047"),
    "TMD": (_("Trade and services land"), "#d81b60"),
    "SKC": (_("Non-agricultural production and business land"), "#8e24aa"),
    "SKK": (_("Industrial park land"), "#6a1b9a"),
    "LUA": (_("Rice land"), "#cddc39"),
    "CLN": (_("Perennial crop land"), "#9ccc65"),
    "HNK": (_("Annual crop land"), "#dce775"),
    "RSX": (_("Production forest"), "#33691e"),
    "RPH": (_("Protection forest"), "#1b5e20"),
    "SON": (_("Rivers and streams"), "#4fc3f7"),
    "MNC": (_("Specialised water surface"), "#0288d1"),
    "NTS": (_("Aquaculture land"), "#4dd0e1"),
    "TON": (_("Religious land"), "#6d4c41"),
    "TIN": (_("Belief land"), "#a1887f"),
    "DTL": (_("Irrigation land"), "#26a69a"),
    "NTD": (_("Cemeteries"), "#546e7a"),
    "DDT": (_("Historical and cultural heritage sites"), "#ad1457"),
    "TSC": (_("Government offices"), "#3949ab"),
    "CQP": (_("Defence land"), "#37474f"),
    "CAN": (_("Security land"), "#455a64"),
    "DHT": (_("Technical infrastructure land"), "#78909c"),
    "DCH": (_("Market land"), "#f06292"),
    "BCS": (_("Unused land"), "#e0e0e0"),
}


def land_use(code: str) -> tuple[str, str]:
    """The name and the legend colour of a land-use code (case and spaces ignored)."""
    found = LAND_USES.get(code.strip().upper())
    if found is None:
        return code, UNKNOWN_COLOUR
    name, colour = found
    return str(name), colour
