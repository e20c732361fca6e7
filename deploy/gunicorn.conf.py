# /etc/renkei/gunicorn.conf.py — the app server (renkei-web.service).
# https://docs.gunicorn.org/en/stable/settings.html

# Only the reverse proxy may reach this port (firewall it to the proxy's address).
bind = "0.0.0.0:8000"
# Two to four per core. The web process renders no reports (the worker does), so
# requests are short.
workers = 4
timeout = 60
graceful_timeout = 30
# Replace a worker process after this many requests (bounds slow memory growth).
max_requests = 2000
max_requests_jitter = 200
# Renkei writes its own log lines as JSON (LOG_FORMAT=json); the proxy logs each request
# with the same X-Request-ID, so gunicorn's own access log is left off.
accesslog = None
errorlog = "-"
