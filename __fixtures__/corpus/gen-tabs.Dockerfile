FROM	alpine	AS	base
RUN	echo	tabs \
		&& echo more
ENV	A=1
FROM base
COPY	--from=base	/a	/b
