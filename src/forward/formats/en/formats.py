"""English date formats for Forward.

Django's own English formats are American ("Sept. 3, 2026, 2:30 p.m.", "09/03/2026"). Forward's
English readers are in Asia-Pacific, where day-month-year and the 24-hour clock are the norm and
"09/03/2026" is read as 9 March, so English pages say "3 Sep 2026 14:30" (as they did before the
pages used the locale's named formats). The other languages use Django's formats: zh-hans
"2026年9月3日 14:30", id "3 Sep 2026, 14.30", ms "3 Sep 2026, 2:30 ptg".
"""

DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
