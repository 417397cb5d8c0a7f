-- GET /health/ready: the database, migrations and scheduler checks on every request.
wrk.method = "GET"
wrk.path = "/health/ready"
