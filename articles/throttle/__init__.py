"""Throttling abuse: who the client is behind a proxy, counters that stay exact under parallel
requests, and the admin login lockout."""
