FROM alpine:3.20 AS base
ENV A=1 B="two words" C='single $NOT'
