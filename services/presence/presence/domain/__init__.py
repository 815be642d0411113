"""Pure domain rules of the presence service (Si Pelawan).

Plain Python only: no Flask, no pymongo, no pika. Every module here can be
imported and unit-tested without any I/O.

* ``geofence``  -- WGS84 geodesic distance and the office radius check.
* ``schedule``  -- office working hours, date-range overrides, working days.
* ``clock``     -- UTC instant -> office-local time and office date.
* ``lateness``  -- late (TL) / early-leave (PSW) minutes, bands, deductions.
* ``status``    -- attendance statuses, work modes, one employee-day's status.
* ``roster``    -- fair, deterministic WFO/WFH roster ("presensi shift").
* ``leave``     -- leave types, request validation, state transitions.
* ``recap``     -- one employee's monthly recap from per-day records.
"""
