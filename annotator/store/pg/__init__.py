"""PostgreSQL projects: a team project on a server, behind the same Project API."""
