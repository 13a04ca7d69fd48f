"""Norwegian number and NOK formatting, explicit rather than global.

``USE_THOUSAND_SEPARATOR`` is off: with it on, Django would group every integer a template
prints — ids in form values, years — as "1 268". Figures that are quantities use these
functions (or the ``number`` and ``nok`` template filters) instead.
"""

from decimal import Decimal

from django.utils import formats


def format_number(value, decimal_pos: int | None = None) -> str:
    """1234567.5 → '1 234 567,5' (non-breaking space, decimal comma in the active locale)."""
    if value is None or value == "":
        return ""
    return formats.number_format(value, decimal_pos, use_l10n=True, force_grouping=True)


def format_nok(value, *, decimals: bool | None = None) -> str:
    """1234.5 → 'kr 1 234,50'; whole amounts print without øre unless ``decimals``."""
    if value is None or value == "":
        return ""
    amount = Decimal(str(value))
    if decimals is None:
        decimals = amount != amount.to_integral_value()
    return "kr\xa0" + format_number(amount, 2 if decimals else 0)
