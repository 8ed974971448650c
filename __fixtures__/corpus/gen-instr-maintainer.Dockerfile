FROM alpine:3.20 AS base
MAINTAINER Jane Doe <jane@example.com>
