"""VN_AQI per Decision 1459/QĐ-TCMT: breakpoints, NowCast, hourly and daily, worked examples."""

from fractions import Fraction

import pytest

from cityops.monitoring import aqi

# Every column's breakpoints and the index at each (the decision's table 1).
EDGES = [
    (column, bp, index)
    for column, bps in aqi.BREAKPOINTS.items()
    for bp, index in zip(bps, aqi.INDEX_STEPS, strict=False)
]


@pytest.mark.parametrize(("column", "concentration", "index"), EDGES)
def test_each_breakpoint_gives_exactly_its_index(column, concentration, index):
    assert aqi.sub_index(column, concentration) == index


@pytest.mark.parametrize(("column", "concentration", "index"), [e for e in EDGES if e[1] > 0])
def test_just_below_a_breakpoint_is_still_in_the_lower_segment(column, concentration, index):
    steps = aqi.BREAKPOINTS[column]
    position = steps.index(concentration)
    lower_index = aqi.INDEX_STEPS[position - 1]
    exact = aqi.sub_index_exact(column, Fraction(concentration) - Fraction(1, 100))
    assert lower_index < exact < index


@pytest.mark.parametrize(("column", "concentration", "index"), [e for e in EDGES if e[1] > 0])
def test_just_above_a_breakpoint_is_in_the_upper_segment(column, concentration, index):
    exact = aqi.sub_index_exact(column, Fraction(concentration) + Fraction(1, 100))
    if exact is None:  # O3 8 h has nothing above 400
        assert (column, concentration) == ("o3_8h", 400)
    elif index == 500:  # above the last breakpoint
        assert exact == 500
    else:
        assert index < exact < 500


@pytest.mark.parametrize("column", [c for c in aqi.BREAKPOINTS if c != "o3_8h"])
def test_above_the_last_breakpoint_the_index_is_500(column):
    assert aqi.sub_index(column, aqi.BREAKPOINTS[column][-1] * 2) == 500


def test_o3_8h_above_400_gives_no_index():
    assert aqi.sub_index("o3_8h", 400.1) is None


def test_segments_are_continuous_not_gapped_like_the_epa_table():
    # PM2.5 25 → 50 and 25.05 → just above 50 (EPA would jump to 51 at 25.1).
    assert aqi.sub_index("pm25", 25) == 50
    assert aqi.sub_index("pm25", 25.1) == 50  # 50.2, rounded
    assert aqi.sub_index_exact("pm25", 25.1) == Fraction(502, 10)


def test_negative_concentrations_are_refused():
    with pytest.raises(ValueError, match="negative"):
        aqi.sub_index("pm25", -1)


@pytest.mark.parametrize(
    ("value", "level", "name_vi", "colour"),
    [
        (0, 1, "Tốt", "#00e400"),
        (50, 1, "Tốt", "#00e400"),
        (51, 2, "Trung bình", "#ffff00"),
        (100, 2, "Trung bình", "#ffff00"),
        (101, 3, "Kém", "#ff7e00"),
        (150, 3, "Kém", "#ff7e00"),
        (151, 4, "Xấu", "#ff0000"),
        (200, 4, "Xấu", "#ff0000"),
        (201, 5, "Rất xấu", "#8f3f97"),
        (300, 5, "Rất xấu", "#8f3f97"),
        (301, 6, "Nguy hại", "#7e0023"),
        (500, 6, "Nguy hại", "#7e0023"),
    ],
)
def test_bands_follow_the_decision_with_its_colours(value, level, name_vi, colour):
    band = aqi.band_of(value)
    assert (band.level, band.name_vi, band.colour) == (level, name_vi, colour)


def test_band_colours_are_the_decisions_rgb():
    rgb = [tuple(int(b.colour[i : i + 2], 16) for i in (1, 3, 5)) for b in aqi.BANDS]
    assert rgb == [
        (0, 228, 0),
        (255, 255, 0),
        (255, 126, 0),
        (255, 0, 0),
        (143, 63, 151),
        (126, 0, 35),
    ]


# The decision's worked examples (§2.3) ---------------------------------------------------------

# PM2.5 hourly means 09:00 … 20:00; c1 is 20:00.
EXAMPLE_PM25 = [26.9, 24.7, 20.5, 23.5, 19.5, 16.5, 19.0, 16.5, 20.3, 22.4, 19.6, 20.6][::-1]


def test_worked_example_1_nowcast_is_20_3():
    value = aqi.nowcast(EXAMPLE_PM25)
    assert round(float(value), 1) == 20.3
    assert float(value) == pytest.approx(20.266, abs=5e-4)


def test_worked_example_2_hourly_aqi_follows_the_formula_not_the_printed_erratum():
    result = aqi.hourly_aqi(pm25=EXAMPLE_PM25, o3=136.1, no2=118.7)
    assert result.sub_indices == {"pm25": 41, "o3": 43, "no2": 59}
    assert aqi.sub_index_exact("no2", 118.7) == Fraction(5935, 100)  # the decision prints 60
    assert (result.aqi, result.dominant, result.band.level) == (59, "no2", 2)


def test_worked_example_3_daily_aqi_is_110_dominated_by_pm25():
    result = aqi.daily_aqi(pm25_mean_24h=55.7, o3_max_1h=114.6, o3_max_8h=89.3, no2_max_1h=130.8)
    assert result.sub_indices == {"pm25": 110, "o3": 45, "no2": 65}
    assert (result.aqi, result.dominant, result.band.name_en) == (110, "pm25", "Poor")


def test_109_5_rounds_half_up_to_110_despite_floating_point():
    assert aqi.sub_index_exact("pm25", 55.7) == Fraction(1095, 10)
    assert aqi.sub_index("pm25", 55.7) == 110


O3_31_HOURS = [
    15.7, 14.2, 17.7, 18.9, 19.3, 15.7, 19.7, 22.6, 27.1, 29.0, 31.9, 25.3, 34.7, 35.2, 41.6,
    45.7, 49.2, 55.8, 69.6, 78.3, 91.5, 97.7, 81.2, 71.8, 43.5, 34.3, 21.5, 20.5, 19.4, 20.4,
    21.3,
]  # fmt: skip


def test_worked_example_4_max_8_hour_o3_mean_is_74_4_at_17_00():
    assert round(float(aqi.day_max_8h(O3_31_HOURS)), 1) == 74.4
    means = aqi.rolling_means(O3_31_HOURS, window=8)
    # means[0] is labelled 01:00 (hours 18:00 … 01:00); 17:00 is the 17th.
    assert means.index(max(means)) == 16


def test_an_8_hour_mean_needs_6_of_its_8_hours():
    five_hours = [None] * 26 + [100.0] * 5
    six_hours = [None] * 25 + [100.0] * 6
    assert aqi.day_max_8h(five_hours) is None
    assert aqi.day_max_8h(six_hours) == 100


def test_o3_daily_term_is_the_larger_of_its_two_columns():
    one_hour_wins = aqi.daily_aqi(pm25_mean_24h=1, o3_max_1h=300, o3_max_8h=100)
    eight_hour_wins = aqi.daily_aqi(pm25_mean_24h=1, o3_max_1h=114.6, o3_max_8h=89.3)
    assert one_hour_wins.sub_indices["o3"] == 150
    assert eight_hour_wins.sub_indices["o3"] == 45


def test_o3_8_hour_term_is_dropped_above_400():
    result = aqi.daily_aqi(pm25_mean_24h=1, o3_max_1h=500, o3_max_8h=450)
    assert result.sub_indices["o3"] == aqi.sub_index("o3_1h", 500) == 225


# NowCast and missing data ----------------------------------------------------------------------


def test_nowcast_needs_two_of_the_three_latest_hours():
    assert aqi.nowcast([None, None, 30, 30, 30]) is None
    assert aqi.nowcast([30, None, None, 30]) is None
    assert aqi.nowcast([None, 30, 30]) == 30
    assert aqi.nowcast([30, None, 30]) == 30


def test_a_missing_hour_drops_out_of_both_sums_when_w_is_above_half():
    # w* = 20/30: weights w^0, (c2 missing), w^2.
    w = Fraction(2, 3)
    expected = (30 + w**2 * 20) / (1 + w**2)
    assert aqi.nowcast([30, None, 20]) == expected


def test_w_at_or_below_half_uses_powers_of_half():
    # c_min / c_max = 10 / 40 ≤ ½ → Σ (½)^i c_i.
    hours = [40, 10, 20]
    assert aqi.nowcast(hours) == Fraction(1, 2) * 40 + Fraction(1, 4) * 10 + Fraction(1, 8) * 20


def test_w_at_or_below_half_with_a_missing_hour_drops_its_term():
    assert aqi.nowcast([40, None, 10]) == Fraction(1, 2) * 40 + Fraction(1, 8) * 10


def test_steady_concentrations_give_the_same_nowcast():
    assert aqi.nowcast([35.0] * 12) == 35


def test_only_twelve_hours_count():
    assert aqi.nowcast([10] * 12 + [1000]) == 10


def test_all_zero_hours_give_zero():
    assert aqi.nowcast([0, 0, 0]) == 0


def test_hourly_aqi_needs_pm():
    assert aqi.hourly_aqi(o3=150, no2=100) is None
    assert aqi.daily_aqi(o3_max_1h=150, no2_max_1h=100) is None


def test_pm10_alone_is_enough():
    result = aqi.hourly_aqi(pm10=[150, 150, 150])
    assert (result.aqi, result.dominant) == (100, "pm10")


def test_ties_name_particulate_matter_dominant():
    result = aqi.hourly_aqi(pm25=[25, 25], no2=100)
    assert (result.aqi, result.dominant) == (50, "pm25")


@pytest.mark.parametrize(
    ("kwargs", "dominant"),
    [
        ({"co_max_1h": 30000}, "co"),
        ({"so2_max_1h": 350}, "so2"),
        ({"no2_max_1h": 200}, "no2"),
        ({"pm10_mean_24h": 150}, "pm10"),
    ],
)
def test_daily_aqi_takes_the_largest_sub_index(kwargs, dominant):
    result = aqi.daily_aqi(pm25_mean_24h=10, **kwargs)
    assert (result.aqi, result.dominant) == (100, dominant)
