FROM alpine:3.20 AS base
ADD --keep-git-dir=true https://github.com/moby/buildkit.git#v0.14.0 /bk
