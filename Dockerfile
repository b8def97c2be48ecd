# syntax=docker/dockerfile:1
# Universe Relay on the JVM: the AOT-optimised target/relay.jar on a distroless Java 17 runtime.
#
#   docker build -t universe-relay:jvm .
#   docker run --rm -p 8080:8080 -e RELAY_JWT_SECRET=... universe-relay:jvm
#
# docs/deployment.md has the details (configuration, health checks, shutdown).

FROM maven:3.9.11-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml aot-jar.properties aot-native-image.properties ./
COPY src src
COPY game-client game-client
# -DskipTests also skips the game-client npm and load-test steps (no Node needed here); the AOT
# analysis runs in the package phase like in CI.
RUN --mount=type=cache,target=/root/.m2 mvn -B package -DskipTests \
 && cp target/relay.jar /relay.jar

FROM gcr.io/distroless/java17-debian12:nonroot
COPY --from=build /relay.jar /app/relay.jar
# The JVM settings bin/relay uses (serial GC, bounded heap, native heap trimming; why each:
# docs/deployment.md, "JVM settings"). Another heap: mount your own file over /app/jvm.options.
COPY bin/jvm.options /app/jvm.options
# fewer glibc malloc arenas: less native memory for the same work (bin/relay sets it too)
ENV MALLOC_ARENA_MAX=2
EXPOSE 8080
# SIGTERM drains the connections (at most relay.session.drain-timeout, 10 s) and exits 0: give
# `docker stop` / the orchestrator more than that (docker stop -t 15, terminationGracePeriodSeconds 15).
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/java", "@/app/jvm.options", "-jar", "/app/relay.jar"]
