# Production image: gunicorn serves the app, whitenoise its static files.
FROM node:20-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=crs_site.settings.production
WORKDIR /app
COPY requirements/base.lock requirements/base.lock
RUN pip install -r requirements/base.lock
COPY --from=assets /src/node_modules ./node_modules
COPY . .
# Build-time only values: collectstatic needs settings to load, not real secrets.
RUN pybabel -q compile --domain=django --directory=locale \
    && SECRET_KEY=build ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build.sqlite3 \
       python manage.py collectstatic --no-input -v 0 \
    && useradd --system --uid 10001 crs && mkdir -p /app/var && chown crs /app/var
USER crs
EXPOSE 8000
CMD ["gunicorn", "crs_site.wsgi:application", "--config", "python:crs_site.gunicorn_conf", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
