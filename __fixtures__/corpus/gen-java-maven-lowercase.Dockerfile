from maven:3.9-eclipse-temurin-21 AS build
workdir /workspace
copy pom.xml .
run --mount=type=cache,target=/root/.m2 mvn -B dependency:go-offline
copy src ./src
run --mount=type=cache,target=/root/.m2 mvn -B package -DskipTests

from eclipse-temurin:21-jre AS runtime
arg APP_VERSION
copy --from=build /workspace/target/app-${APP_VERSION}.jar /opt/app.jar
expose 8080
healthcheck --interval=30s --timeout=3s CMD curl -fsS http://localhost:8080/health || exit 1
entrypoint ["java", "-jar", "/opt/app.jar"]
