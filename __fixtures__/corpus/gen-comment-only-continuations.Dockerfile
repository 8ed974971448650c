FROM alpine
RUN echo a \
# c1
# c2
    b
