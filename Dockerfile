FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml ./
COPY . .
RUN pip install --no-cache-dir . && \
    DEBUG=True python manage.py collectstatic --noinput
RUN useradd --system --home /app casetracker && mkdir -p var/documents && chown -R casetracker var
USER casetracker
EXPOSE 8000
