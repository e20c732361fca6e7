"""The environment of a production deployment, as the deployment checks expect it."""

# The production variables README.md documents (values of a real installation's kind).
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k3Jd9-pQz7_Vx2LmN8rTcW4yHs6BfGa1UeYo0iKlZ5nMbR-w8Ej2Tq6Xc0Vb4Nm",
    "ALLOWED_HOSTS": "renkei.example.jp",
    "CSRF_TRUSTED_ORIGINS": "https://renkei.example.jp",
    "DATABASE_URL": "postgres://renkei:secret@db.example.jp:5432/renkei",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
}
