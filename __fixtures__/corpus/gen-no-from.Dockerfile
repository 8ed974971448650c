RUN echo no from
CMD ["x"]
