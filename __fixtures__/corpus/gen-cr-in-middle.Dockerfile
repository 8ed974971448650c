FROM alpineRUN echo carriage
RUN echo mixed
