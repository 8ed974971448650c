FROM alpine:3.20 AS base
ADD https://example.com/archive.tar.gz /tmp/
ADD --checksum=sha256:0000000000000000000000000000000000000000000000000000000000000000 https://example.com/x /x
