"""Vietnamese text intelligence: category suggestion, duplicate detection, personal-data masking.

CityOps suggests; operators decide. Entry points for delivery code:
``classifier.suggest_category``, ``priority.suggest_priority`` (both for a report:
``suggestions.suggestion_for_report``), ``duplicates.similar_reports`` /
``duplicates.similar_to_report`` and ``masking.mask_personal_data`` / ``masking.masked_for``.
See docs/intelligence.md.
"""
