FROM alpine
RUN echo "zero​width" && echo "nbsp here"
LABEL x="‮right-to-left"
