FROM alpine
RUN <<-EOT
	echo tab indented
	EOT
