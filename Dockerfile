# medbot serve, as deployed: `docker compose up` (compose.yaml) runs PostgreSQL and two of these.
# Stage 1 builds wheels for medbot (its data/ included) and every dependency; stage 2 installs
# them on a clean image, without compilers or the sources, and runs as a user of its own.

FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot bot
COPY dialogs dialogs
COPY nlu nlu
COPY portal portal
COPY data data
RUN pip wheel --no-cache-dir --wheel-dir /wheels ".[postgres]"

FROM python:3.11-slim
RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/medbot --create-home medbot
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links /wheels "medbot[postgres]" \
    && rm -rf /wheels
USER medbot
WORKDIR /var/lib/medbot
ENV MEDBOT_HOME=/var/lib/medbot \
    MEDBOT_CACHE_DIR=/var/lib/medbot/cache \
    PYTHONUNBUFFERED=1
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=3)"]
ENTRYPOINT ["medbot"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8080"]
