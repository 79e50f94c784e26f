"""Date formats per language (settings.FORMAT_MODULE_PATH): one date style per language.

Long dates with month names go wrong inside sentences: Latvian puts the month in the
nominative after a preposition ("kopš 2026. gada 4. augusts"), Lithuanian and Russian end in an
abbreviation's full stop that doubles at the end of a sentence ("8 d..", "2026 г.."). Every
language but English therefore writes dates in its usual numeric form, long and short alike;
English writes "6 Dec 2026" everywhere rather than US numeric dates next to long ones. Times
are on the 24-hour clock in all four.
"""
