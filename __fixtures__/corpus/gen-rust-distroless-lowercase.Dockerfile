from --platform=$TARGETPLATFORM rust:1.79 AS chef
run cargo install cargo-chef
workdir /app

from chef AS planner
copy . .
run cargo chef prepare --recipe-path recipe.json

from chef AS builder
copy --from=planner /app/recipe.json recipe.json
run cargo chef cook --release --recipe-path recipe.json
copy . .
run cargo build --release --bin api

from gcr.io/distroless/cc-debian12:nonroot
copy --from=builder /app/target/release/api /usr/local/bin/api
entrypoint ["/usr/local/bin/api"]
