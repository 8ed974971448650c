	RUN x
FROM a
