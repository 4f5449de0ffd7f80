from datetime import date

import pytest

from fis.format import fmt_datum, fmt_differenz, fmt_wert, fmt_zahl


@pytest.mark.parametrize("value, digits, expected", [
    (1234.5, 1, "1.234,5"), (1234567, 0, "1.234.567"), (0.2, 2, "0,20"), (-3.25, 1, "-3,2"),
    (None, 1, "–"), (float("nan"), 1, "–"),
])
def test_numbers_are_written_the_german_way(value, digits, expected):
    assert fmt_zahl(value, digits) == expected


@pytest.mark.parametrize("value, unit, digits, expected", [
    (12.34, "%", 1, "12,3 %"), (257121.0, "Anzahl", 0, "257.121"), (4.5, "je 1.000", 1, "4,5 je 1.000"),
])
def test_values_carry_their_unit(value, unit, digits, expected):
    assert fmt_wert(value, unit, digits) == expected


@pytest.mark.parametrize("value, unit, expected", [
    (0.43, "%", "+0,4 Pp"), (-1.0, "%", "−1,0 Pp"), (-0.03, "%", "±0,0 Pp"), (980.0, "Anzahl", "+980,0"),
])
def test_differences_are_signed_and_percentages_are_in_points(value, unit, expected):
    assert fmt_differenz(value, unit, 1) == expected


def test_dates_are_day_month_year():
    assert fmt_datum(date(2024, 12, 31)) == "31.12.2024"


def test_fmt_dezimal_keeps_every_digit_without_thousands_separator():
    from fis.format import fmt_dezimal
    assert fmt_dezimal(0.1) == "0,1"
    assert fmt_dezimal(1234.5) == "1234,5"
    assert fmt_dezimal(3.0) == "3"
    assert fmt_dezimal(-12.125) == "-12,125"
