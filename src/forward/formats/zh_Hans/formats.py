"""Simplified Chinese number formats for Forward.

Django groups Chinese numbers in fours with no separator ("1000000"), which is hard to read in the
impact figures; mainland publications (and the programme's own reports) write 1,000,000. Dates and
everything else stay Django's.
"""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
