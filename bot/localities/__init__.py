"""Official open data about places: France Services points and the 2024 priority neighbourhoods
(QPV), shipped with the package (``bot/data/opendata/``) and read with the standard library.

``data``: the snapshots as typed records; ``communes``: a commune from an INSEE code, a postal
code or a name; ``hours``: opening hours and « today » in Europe/Paris; ``generate``: the
``contacts/officiels.yaml`` file of ``python -m bot localize``; ``near``: the nearest points to
a resident; ``refresh``: ``python -m bot opendata refresh``. Telegram-free.
"""
