ARG BASE=alpine:3.20
FROM ${BASE} AS stage0
# stage 0
RUN echo 0 > /s0
FROM ${BASE} AS stage1
# stage 1
RUN echo 1 > /s1
COPY --from=stage0 /s0 /s0
FROM ${BASE} AS stage2
# stage 2
RUN echo 2 > /s2
COPY --from=stage1 /s1 /s1
FROM ${BASE} AS stage3
# stage 3
RUN echo 3 > /s3
COPY --from=stage2 /s2 /s2
FROM ${BASE} AS stage4
# stage 4
RUN echo 4 > /s4
COPY --from=stage3 /s3 /s3
FROM ${BASE} AS stage5
# stage 5
RUN echo 5 > /s5
COPY --from=stage4 /s4 /s4
FROM ${BASE} AS stage6
# stage 6
RUN echo 6 > /s6
COPY --from=stage5 /s5 /s5
FROM ${BASE} AS stage7
# stage 7
RUN echo 7 > /s7
COPY --from=stage6 /s6 /s6
FROM ${BASE} AS stage8
# stage 8
RUN echo 8 > /s8
COPY --from=stage7 /s7 /s7
FROM ${BASE} AS stage9
# stage 9
RUN echo 9 > /s9
COPY --from=stage8 /s8 /s8
FROM ${BASE} AS stage10
# stage 10
RUN echo 10 > /s10
COPY --from=stage9 /s9 /s9
FROM ${BASE} AS stage11
# stage 11
RUN echo 11 > /s11
COPY --from=stage10 /s10 /s10
FROM ${BASE} AS stage12
# stage 12
RUN echo 12 > /s12
COPY --from=stage11 /s11 /s11
FROM ${BASE} AS stage13
# stage 13
RUN echo 13 > /s13
COPY --from=stage12 /s12 /s12
FROM ${BASE} AS stage14
# stage 14
RUN echo 14 > /s14
COPY --from=stage13 /s13 /s13
FROM ${BASE} AS stage15
# stage 15
RUN echo 15 > /s15
COPY --from=stage14 /s14 /s14
FROM ${BASE} AS stage16
# stage 16
RUN echo 16 > /s16
COPY --from=stage15 /s15 /s15
FROM ${BASE} AS stage17
# stage 17
RUN echo 17 > /s17
COPY --from=stage16 /s16 /s16
FROM ${BASE} AS stage18
# stage 18
RUN echo 18 > /s18
COPY --from=stage17 /s17 /s17
FROM ${BASE} AS stage19
# stage 19
RUN echo 19 > /s19
COPY --from=stage18 /s18 /s18
FROM ${BASE} AS stage20
# stage 20
RUN echo 20 > /s20
COPY --from=stage19 /s19 /s19
FROM ${BASE} AS stage21
# stage 21
RUN echo 21 > /s21
COPY --from=stage20 /s20 /s20
FROM ${BASE} AS stage22
# stage 22
RUN echo 22 > /s22
COPY --from=stage21 /s21 /s21
FROM ${BASE} AS stage23
# stage 23
RUN echo 23 > /s23
COPY --from=stage22 /s22 /s22
FROM ${BASE} AS stage24
# stage 24
RUN echo 24 > /s24
COPY --from=stage23 /s23 /s23
FROM ${BASE} AS stage25
# stage 25
RUN echo 25 > /s25
COPY --from=stage24 /s24 /s24
FROM ${BASE} AS stage26
# stage 26
RUN echo 26 > /s26
COPY --from=stage25 /s25 /s25
FROM ${BASE} AS stage27
# stage 27
RUN echo 27 > /s27
COPY --from=stage26 /s26 /s26
FROM ${BASE} AS stage28
# stage 28
RUN echo 28 > /s28
COPY --from=stage27 /s27 /s27
FROM ${BASE} AS stage29
# stage 29
RUN echo 29 > /s29
COPY --from=stage28 /s28 /s28
FROM ${BASE} AS stage30
# stage 30
RUN echo 30 > /s30
COPY --from=stage29 /s29 /s29
FROM ${BASE} AS stage31
# stage 31
RUN echo 31 > /s31
COPY --from=stage30 /s30 /s30
FROM ${BASE} AS stage32
# stage 32
RUN echo 32 > /s32
COPY --from=stage31 /s31 /s31
FROM ${BASE} AS stage33
# stage 33
RUN echo 33 > /s33
COPY --from=stage32 /s32 /s32
FROM ${BASE} AS stage34
# stage 34
RUN echo 34 > /s34
COPY --from=stage33 /s33 /s33
FROM ${BASE} AS stage35
# stage 35
RUN echo 35 > /s35
COPY --from=stage34 /s34 /s34
FROM ${BASE} AS stage36
# stage 36
RUN echo 36 > /s36
COPY --from=stage35 /s35 /s35
FROM ${BASE} AS stage37
# stage 37
RUN echo 37 > /s37
COPY --from=stage36 /s36 /s36
FROM ${BASE} AS stage38
# stage 38
RUN echo 38 > /s38
COPY --from=stage37 /s37 /s37
FROM ${BASE} AS stage39
# stage 39
RUN echo 39 > /s39
COPY --from=stage38 /s38 /s38
FROM ${BASE} AS stage40
# stage 40
RUN echo 40 > /s40
COPY --from=stage39 /s39 /s39
FROM ${BASE} AS stage41
# stage 41
RUN echo 41 > /s41
COPY --from=stage40 /s40 /s40
FROM ${BASE} AS stage42
# stage 42
RUN echo 42 > /s42
COPY --from=stage41 /s41 /s41
FROM ${BASE} AS stage43
# stage 43
RUN echo 43 > /s43
COPY --from=stage42 /s42 /s42
FROM ${BASE} AS stage44
# stage 44
RUN echo 44 > /s44
COPY --from=stage43 /s43 /s43
FROM ${BASE} AS stage45
# stage 45
RUN echo 45 > /s45
COPY --from=stage44 /s44 /s44
FROM ${BASE} AS stage46
# stage 46
RUN echo 46 > /s46
COPY --from=stage45 /s45 /s45
FROM ${BASE} AS stage47
# stage 47
RUN echo 47 > /s47
COPY --from=stage46 /s46 /s46
FROM ${BASE} AS stage48
# stage 48
RUN echo 48 > /s48
COPY --from=stage47 /s47 /s47
FROM ${BASE} AS stage49
# stage 49
RUN echo 49 > /s49
COPY --from=stage48 /s48 /s48
FROM ${BASE} AS stage50
# stage 50
RUN echo 50 > /s50
COPY --from=stage49 /s49 /s49
FROM ${BASE} AS stage51
# stage 51
RUN echo 51 > /s51
COPY --from=stage50 /s50 /s50
FROM ${BASE} AS stage52
# stage 52
RUN echo 52 > /s52
COPY --from=stage51 /s51 /s51
FROM ${BASE} AS stage53
# stage 53
RUN echo 53 > /s53
COPY --from=stage52 /s52 /s52
FROM ${BASE} AS stage54
# stage 54
RUN echo 54 > /s54
COPY --from=stage53 /s53 /s53
FROM scratch
COPY --from=stage54 / /
