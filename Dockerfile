# syntax=docker/dockerfile:1
# Two images from one build:
#   docker build --target command-side -t svcaccounts/command-side .
#   docker build --target query-side   -t svcaccounts/query-side .
# (or `docker compose up --build`, see docker-compose.yml). Both need a PostgreSQL: DATABASE_URL,
# DATABASE_USER, DATABASE_PASSWORD; the command side also takes OPERATOR_TOKEN, the query side AUDIT_SIGNING_KEY_FILE
# (make the key with: docker run --rm -v KEYS:/app/keys --entrypoint java svcaccounts/query-side -cp
# /app/query-side.jar -Dloader.main=dev.svcaccounts.events.integrity.CheckpointKeyFile
# org.springframework.boot.loader.launch.PropertiesLauncher /app/keys/audit-signing-key.pem).

# ---------------------------------------------------------------- build
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# The cache mount keeps ~/.m2 between builds (BuildKit, the default builder of current Docker).
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -DskipTests package \
 && mkdir /out \
 && cp command-side/target/command-side-*-exec.jar /out/command-side.jar \
 && cp query-side/target/query-side-*-exec.jar /out/query-side.jar

# ---------------------------------------------------------------- common runtime
FROM eclipse-temurin:17-jre AS runtime
# curl for the health checks: recent eclipse-temurin images no longer ship it.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --user-group --no-create-home --home-dir /app app \
 && install -d -o app -g app -m 700 /app/keys
# /app/keys: where the query side's checkpoint signing key goes (a volume in docker-compose.yml: a new named volume
# takes this folder's owner and mode, so the app user can write the key there)
WORKDIR /app
USER app

# ---------------------------------------------------------------- query side
FROM runtime AS query-side
COPY --from=build /out/query-side.jar /app/query-side.jar
ENV QUERY_PORT=8081
EXPOSE 8081
HEALTHCHECK --interval=10s --timeout=5s --start-period=90s --retries=3 \
    CMD curl -fsS "http://localhost:${QUERY_PORT}/actuator/health" || exit 1
# heap sized from the container's memory limit; JAVA_TOOL_OPTIONS can add more
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-Ddisable-axoniq-console-message=true", "-jar", "/app/query-side.jar"]

# ---------------------------------------------------------------- command side (the default target)
FROM runtime AS command-side
COPY --from=build /out/command-side.jar /app/command-side.jar
ENV COMMAND_PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=90s --retries=3 \
    CMD curl -fsS "http://localhost:${COMMAND_PORT}/actuator/health" || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-Ddisable-axoniq-console-message=true", "-jar", "/app/command-side.jar"]
