"""Identity service: employees, units, sign-in."""
