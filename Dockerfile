# Debian 12 (bookworm): its postgresql-client is 15, the major version of docker-compose.yml's
# postgres. `manage.py backup` refuses a pg_dump of another major version: a newer one (17 in
# Debian 13) writes settings PostgreSQL 15 does not know, and its dumps would not restore.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
# pg_dump and pg_restore for backups (README "Backup and restore").
RUN apt-get update && \
    apt-get install -y --no-install-recommends postgresql-client && \
    rm -rf /var/lib/apt/lists/*
COPY pyproject.toml ./
COPY . .
RUN pip install --no-cache-dir . && \
    DEBUG=True python manage.py collectstatic --noinput
# The folders the volumes mount on, owned by the app's user: a new named volume takes them.
RUN useradd --system --home /app casetracker && mkdir -p var/documents var/backups && \
    chmod 700 var/backups && chown -R casetracker var
USER casetracker
EXPOSE 8000
