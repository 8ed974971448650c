#!/usr/bin/env node
/**
 * Writes the generated half of the edge-case corpus: __fixtures__/corpus/gen-*.Dockerfile.
 * Hand-written files (hand-*.Dockerfile) and the shared build context (_context/) are not
 * touched. Deterministic: running it twice gives the same bytes.
 * Usage: node scripts/make-corpus.mjs
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const OUT = path.resolve('__fixtures__/corpus');
const files = new Map();
const add = (name, text) => {
  const file = `gen-${name}.Dockerfile`;
  if (files.has(file)) throw new Error(`duplicate corpus name ${name}`);
  files.set(file, text);
};

// ---------------------------------------------------------------------------------------------
// Realistic multi-stage bases (the transforms should act on most of them).
const bases = {
  'python-distroless': `# syntax=docker/dockerfile:1.7
ARG PYTHON_VERSION=3.11
ARG VERSION=1.0.0
ARG VCS_REF

FROM --platform=$TARGETPLATFORM python:\${PYTHON_VERSION}-slim AS builder
WORKDIR /build
COPY requirements.txt .
RUN pip install --user --no-cache-dir -r requirements.txt
COPY app/ ./app/
RUN python -m compileall app

FROM --platform=linux/amd64 gcr.io/distroless/python3-debian12:nonroot
LABEL org.opencontainers.image.version=$VERSION \\
      org.opencontainers.image.revision=$VCS_REF
WORKDIR /app
COPY --from=builder /root/.local /root/.local
ENV PYTHONPATH=/root/.local/lib/python3.11/site-packages
USER 65532:65532
ENTRYPOINT ["python3", "-m", "app.main"]
`,
  'go-scratch': `FROM --platform=$BUILDPLATFORM golang:1.22-alpine AS build
ARG TARGETOS TARGETARCH
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/root/.cache/go-build \\
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/server ./cmd/server

FROM scratch
COPY --from=build /out/server /server
USER 65532
ENTRYPOINT ["/server"]
`,
  'node-distroless': `ARG NODE_VERSION=20
FROM node:\${NODE_VERSION}-alpine AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev

FROM --platform=$TARGETPLATFORM node:\${NODE_VERSION}-alpine AS build
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN npm run build

FROM gcr.io/distroless/nodejs20-debian12
WORKDIR /app
COPY --from=build /app/dist ./dist
COPY --from=deps /app/node_modules ./node_modules
ENV NODE_ENV=production PORT=$PORT
EXPOSE 3000
CMD ["dist/server.js"]
`,
  'python-slim-gunicorn': `FROM python:3.12-slim AS base
ENV PIP_NO_CACHE_DIR=1 \\
    PYTHONDONTWRITEBYTECODE=1

FROM base AS wheels
WORKDIR /wheels
COPY requirements.txt .
RUN pip wheel -r requirements.txt -w /wheels

FROM base
RUN useradd --create-home --uid 10001 app
WORKDIR /home/app
COPY --from=wheels /wheels /wheels
RUN pip install --no-index --find-links=/wheels /wheels/*.whl && rm -rf /wheels
COPY app ./app
USER app
CMD gunicorn --bind 0.0.0.0:$PORT app.wsgi:application
`,
  'java-maven': `FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /workspace
COPY pom.xml .
RUN --mount=type=cache,target=/root/.m2 mvn -B dependency:go-offline
COPY src ./src
RUN --mount=type=cache,target=/root/.m2 mvn -B package -DskipTests

FROM eclipse-temurin:21-jre AS runtime
ARG APP_VERSION
COPY --from=build /workspace/target/app-\${APP_VERSION}.jar /opt/app.jar
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD curl -fsS http://localhost:8080/health || exit 1
ENTRYPOINT ["java", "-jar", "/opt/app.jar"]
`,
  'rust-distroless': `FROM --platform=$TARGETPLATFORM rust:1.79 AS chef
RUN cargo install cargo-chef
WORKDIR /app

FROM chef AS planner
COPY . .
RUN cargo chef prepare --recipe-path recipe.json

FROM chef AS builder
COPY --from=planner /app/recipe.json recipe.json
RUN cargo chef cook --release --recipe-path recipe.json
COPY . .
RUN cargo build --release --bin api

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=builder /app/target/release/api /usr/local/bin/api
ENTRYPOINT ["/usr/local/bin/api"]
`,
  'nginx-static': `FROM node:20 AS assets
WORKDIR /site
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile
COPY . .
RUN yarn build

FROM nginx:1.27-alpine
COPY nginx.conf /etc/nginx/conf.d/default.conf
COPY --from=assets --chown=nginx:nginx /site/public /usr/share/nginx/html
EXPOSE 80
STOPSIGNAL SIGQUIT
`,
  'debian-heredoc': `# syntax=docker/dockerfile:1
FROM debian:bookworm-slim AS tools
RUN <<EOF
set -eux
apt-get update
apt-get install -y --no-install-recommends ca-certificates curl
rm -rf /var/lib/apt/lists/*
EOF

FROM tools
ARG RELEASE
COPY <<-"CONF" /etc/app.conf
	release=\${RELEASE}
	mode=production
	CONF
RUN curl -fsSL "https://example.com/app/$RELEASE/app.tar.gz" | tar -xz -C /usr/local/bin
CMD ["app", "--config", "/etc/app.conf"]
`,
  'python-poetry-secrets': `ARG PY=3.11
FROM python:\${PY}-bookworm AS build
ENV POETRY_HOME=/opt/poetry
RUN pip install poetry==1.8.3
WORKDIR /src
COPY pyproject.toml poetry.lock ./
RUN --mount=type=secret,id=pypi_token,env=POETRY_HTTP_BASIC_PRIVATE_PASSWORD \\
    --mount=type=cache,target=/root/.cache/pypoetry \\
    poetry export -f requirements.txt -o requirements.txt && \\
    pip install --prefix=/install -r requirements.txt
COPY src/ ./src/

FROM python:\${PY}-slim
COPY --from=build /install /usr/local
COPY --from=build /src/src /app/src
ENV API_TOKEN=$API_TOKEN
WORKDIR /app
ENTRYPOINT ["python", "-m", "src.service"]
`,
  'chainguard-python': `FROM cgr.dev/chainguard/python:latest-dev AS dev
WORKDIR /app
RUN python -m venv /app/venv
ENV PATH="/app/venv/bin:$PATH"
COPY requirements.txt .
RUN pip install -r requirements.txt

FROM cgr.dev/chainguard/python:latest
WORKDIR /app
COPY --from=dev /app/venv /app/venv
COPY main.py .
ENV PATH="/app/venv/bin:$PATH"
ENTRYPOINT ["python", "main.py"]
`,
};

// ---------------------------------------------------------------------------------------------
// Variants: the same content written the ways real files are written.
const KEYWORDS =
  /^(FROM|RUN|CMD|COPY|ADD|ENV|ARG|LABEL|WORKDIR|USER|EXPOSE|ENTRYPOINT|HEALTHCHECK|STOPSIGNAL|VOLUME|SHELL|ONBUILD)$/;
const toEol = (text, eol) => text.replace(/\r\n|\r|\n/g, eol);
const variants = {
  lf: (t) => t,
  crlf: (t) => toEol(t, '\r\n'),
  cr: (t) => toEol(t, '\r'),
  mixed: (t) =>
    t
      .split('\n')
      .map((l, i) => l + (i % 3 === 1 ? '\r\n' : '\n'))
      .join('')
      .slice(0, -1),
  'no-final-newline': (t) => t.replace(/\n+$/, ''),
  bom: (t) => '\uFEFF' + t,
  'bom-crlf': (t) => '\uFEFF' + toEol(t, '\r\n'),
  lowercase: (t) =>
    t.replace(/^([ \t]*)([A-Z]+)(?=[ \t])/gm, (m, ws, kw) =>
      KEYWORDS.test(kw) ? ws + kw.toLowerCase() : m,
    ),
  'tab-indent': (t) => t.replace(/^ {2,}(?=\S)/gm, '\t'),
  'extra-blank-lines': (t) => t.replace(/\n(?=FROM)/g, '\n\n\n'),
  backtick: (t) => {
    // Windows style: an escape directive and backtick continuations (after a syntax directive).
    const body = t.replace(/\\\n/g, '`\n');
    const m = /^(# syntax=[^\n]*\n)/.exec(body);
    return m ? m[1] + '# escape=`\n' + body.slice(m[1].length) : '# escape=`\n' + body;
  },
};
for (const [name, text] of Object.entries(bases)) {
  for (const [v, fn] of Object.entries(variants)) add(`${name}-${v}`, fn(text));
}

// ---------------------------------------------------------------------------------------------
// Every instruction, in shell and JSON form where both exist.
const instr = (name, lines) => add(`instr-${name}`, `FROM alpine:3.20 AS base\n${lines}\n`);
instr('run-shell', 'RUN apk add --no-cache curl && \\\n    curl --version');
instr('run-json', 'RUN ["/bin/sh", "-c", "echo hello world"]');
instr('run-json-spaces', 'RUN [ "echo" , "a  b" ]');
instr('cmd-shell', 'CMD echo "$HOME" && exec sleep infinity');
instr('cmd-json', 'CMD ["sleep", "infinity"]');
instr('entrypoint-shell', 'ENTRYPOINT exec /usr/bin/env');
instr('entrypoint-json', 'ENTRYPOINT ["/usr/bin/env", "--"]\nCMD ["sh"]');
instr('copy-shell', 'COPY a.txt b.txt /dst/\nCOPY ["with space.txt", "/dst/with space.txt"]');
instr('copy-json', 'COPY ["src/", "/app/src/"]');
instr(
  'add-url',
  'ADD https://example.com/archive.tar.gz /tmp/\nADD --checksum=sha256:' +
    '0'.repeat(64) +
    ' https://example.com/x /x',
);
instr('add-git', 'ADD --keep-git-dir=true https://github.com/moby/buildkit.git#v0.14.0 /bk');
instr('env-equals', `ENV A=1 B="two words" C='single $NOT'`);
instr('env-legacy', 'ENV LEGACY value with spaces');
instr('env-continued', 'ENV A=1 \\\n    B=2 \\\n    C=$A$B');
instr('arg', 'ARG PLAIN\nARG WITH_DEFAULT=x\nARG A=1 B=2\nRUN echo $PLAIN $WITH_DEFAULT $A $B');
instr('label', 'LABEL a=b "c d"="e f" \\\n      org.opencontainers.image.title="demo"');
instr('expose', 'EXPOSE 80 443/tcp 53/udp\nEXPOSE ${PORT:-8080}');
instr('volume-json', 'VOLUME ["/data", "/logs"]');
instr('volume-shell', 'VOLUME /data /logs');
instr('user', 'USER 1000:1000\nUSER nobody\nUSER ${APP_USER:-app}');
instr('workdir', 'WORKDIR /a\nWORKDIR b\nWORKDIR $HOME/c');
instr('onbuild', 'ONBUILD COPY . /app\nONBUILD RUN make -C /app\nonbuild run echo lower');
instr('stopsignal', 'STOPSIGNAL SIGTERM\nSTOPSIGNAL 9');
instr(
  'healthcheck',
  'HEALTHCHECK --interval=5s --start-period=1s --retries=3 \\\n  CMD wget -qO- localhost:8080/health || exit 1',
);
instr('healthcheck-none', 'HEALTHCHECK NONE');
instr('healthcheck-json', 'HEALTHCHECK CMD ["/bin/check", "--quiet"]');
instr('shell', 'SHELL ["/bin/ash", "-eo", "pipefail", "-c"]\nRUN echo $0');
instr('maintainer', 'MAINTAINER Jane Doe <jane@example.com>');
instr('unknown-instruction', 'FROBNICATE all the things\nRUN true');
instr('empty-continuation', 'RUN echo a \\\n\n    && echo b');
instr(
  'comment-in-continuation',
  'RUN set -eux; \\\n    # a comment inside a continuation\n    apk add --no-cache git; \\\n\n    git --version',
);
instr('trailing-escape-eof', 'RUN echo unfinished \\');
instr('json-invalid', 'CMD ["unterminated", "json"');
instr('json-single-quotes', "CMD ['not', 'json']");

// Flags.
const flag = (name, text) => add(`flags-${name}`, text + '\n');
flag(
  'mount-types',
  `FROM golang:1.22 AS build
RUN --mount=type=cache,target=/root/.cache/go-build,sharing=locked \\
    --mount=type=bind,source=go.sum,target=go.sum \\
    --mount=type=secret,id=netrc,target=/root/.netrc \\
    --mount=type=ssh \\
    --mount=type=tmpfs,target=/tmp \\
    go build ./...
FROM build AS test
RUN --mount=from=build,source=/go,target=/g ls /g
RUN --network=none --security=insecure true`,
);
flag(
  'copy-link-chmod',
  `FROM alpine AS a
RUN mkdir -p /out && echo hi > /out/hi
FROM alpine
COPY --link --chmod=0755 --from=a /out/hi /usr/local/bin/hi
COPY --chown=1000:1000 --chmod=644 conf/ /etc/app/
ADD --link --chown=app:app https://example.com/f /f`,
);
flag(
  'copy-parents-exclude',
  `# syntax=docker/dockerfile:1.7-labs
FROM alpine
COPY --parents ./services/*/package.json /app/
COPY --exclude=*.md --exclude=**/test ./ /src/
COPY --parents=true --exclude=node_modules . /ctx/`,
);
flag(
  'from-numeric',
  `FROM golang:1.22 AS build
RUN go build -o /app .
FROM alpine:3.20
COPY --from=0 /app /app
COPY --from=0 --chown=1:1 /app /app2
FROM scratch
COPY --from=1 /app /app`,
);
flag(
  'from-case',
  `FROM node:20 AS Builder
RUN npm pack
FROM node:20-slim
COPY --from=builder /app /app
COPY --from=BUILDER /app/x /x
FROM BuIlDeR AS again
RUN true`,
);
flag(
  'from-image',
  `FROM alpine
COPY --from=nginx:1.27 /etc/nginx/nginx.conf /nginx.conf
COPY --from=docker.io/library/busybox:latest /bin/busybox /busybox
RUN --mount=type=bind,from=golang:1.22,source=/usr/local/go,target=/go true`,
);
flag(
  'platform-variants',
  `ARG TARGETPLATFORM
FROM --platform=\${TARGETPLATFORM} alpine AS one
FROM --platform=$BUILDPLATFORM alpine AS two
FROM --platform=linux/arm64/v8 alpine AS three
COPY --from=one / /one
COPY --from=two / /two
FROM --platform=linux/amd64 alpine
COPY --from=three / /three`,
);

// Variables and scope.
add(
  'global-args-from',
  `ARG REGISTRY=docker.io
ARG BASE_TAG=3.20
ARG BUILDER_IMAGE=\${REGISTRY}/library/golang:1.22
FROM \${BUILDER_IMAGE} AS builder
RUN echo $BASE_TAG
FROM $REGISTRY/library/alpine:\${BASE_TAG:-latest}
LABEL tag=\${BASE_TAG}
ARG REGISTRY
RUN echo "$REGISTRY"
`,
);
add(
  'arg-used-before-declared',
  `ARG VERSION=1.2.3
FROM alpine AS a
RUN echo $VERSION
ARG VERSION
RUN echo $VERSION
FROM a
LABEL v=$VERSION
`,
);
add(
  'undefined-vars',
  `FROM alpine
ENV APP_HOME=/srv
WORKDIR $APP_HOME/$SUBDIR
ENV DB_PASSWORD=$DB_PASSWORD API_URL=\${API_URL}
COPY $SRC_DIR /src
USER \${RUN_AS}
`,
);
add(
  'automatic-platform-args',
  `FROM --platform=$BUILDPLATFORM golang:1.22 AS build
RUN echo building on $BUILDPLATFORM for $TARGETPLATFORM
RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /x .
FROM alpine
ARG TARGETARCH
COPY --from=build /x /x-$TARGETARCH
`,
);

// Heredocs.
const hd = (name, text) => add(`heredoc-${name}`, text);
hd('basic', 'FROM alpine\nRUN <<EOF\necho one\necho $HOME\nEOF\n');
hd('dash-tabs', 'FROM alpine\nRUN <<-EOT\n\techo tab indented\n\tEOT\n');
hd('quoted-double', 'FROM alpine\nRUN <<"EOF" sh\necho "$NOT_EXPANDED"\nEOF\n');
hd('quoted-single', "FROM alpine\nRUN <<'EOF'\necho '$LITERAL' ${ALSO}\nEOF\n");
hd(
  'several-per-instruction',
  'FROM alpine\nRUN <<A cat > /a && <<B cat > /b\nfirst\nA\nsecond\nB\n',
);
hd(
  'copy-file',
  'FROM alpine\nCOPY <<EOF /etc/motd\nwelcome to $HOSTNAME\nEOF\nCOPY <<one <<two /dest/\n1\none\n2\ntwo\n',
);
hd(
  'python',
  'FROM python:3.12-slim\nRUN <<PY python3\nimport sys\nprint(sys.version)\nPY\nCMD ["python3"]\n',
);
hd('unterminated', 'FROM alpine\nRUN <<EOF\necho never closed\nFROM second\nRUN echo swallowed\n');
hd('crlf', toEol('FROM alpine\nRUN <<EOF\necho crlf\nEOF\nRUN echo after\n', '\r\n'));
hd(
  'with-continuation-before',
  'FROM alpine\nRUN --mount=type=cache,target=/var/cache/apk \\\n    <<EOF\napk add git\nEOF\n',
);
hd(
  'looks-like-instructions',
  'FROM alpine\nRUN <<EOF\nFROM inside heredoc\nARG NOT_AN_ARG\nCOPY --from=x / /\nEOF\nRUN echo done\n',
);
hd('empty-body', 'FROM alpine\nRUN <<EOF\nEOF\n');

// Escape directive and other parser directives.
add(
  'escape-backtick-windows',
  `# escape=\`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop';"]
RUN New-Item -ItemType Directory C:\\app ; \`
    Set-Location C:\\app
COPY app\\ C:\\app\\
WORKDIR C:\\app
CMD ["C:\\\\app\\\\server.exe"]
`,
);
add('escape-backslash-explicit', '# escape=\\\nFROM alpine\nRUN echo a \\\n  b\n');
add(
  'directives-all',
  '# syntax=docker/dockerfile:1\n# check=skip=JSONArgsRecommended;error=true\n# escape=`\nFROM alpine\nRUN echo `\n  hello\n',
);
add('directive-case', '# Syntax = docker/dockerfile:1\n#ESCAPE=`\nFROM alpine\nRUN echo `\n  x\n');
add(
  'directive-after-comment',
  '# a comment first\n# escape=`\nFROM alpine\nRUN echo \\\n  not-a-continuation-char\n',
);
add(
  'directive-bom',
  '\uFEFF# syntax=docker/dockerfile:1\nFROM alpine\nARG V=1\nFROM alpine\nRUN echo $V\n',
);

// Characters.
add(
  'non-ascii',
  `FROM alpine
LABEL description="Größenänderung für Bilder — 日本語 — ελληνικά"
RUN echo "café ☕" > /motd
ENV GREETING="привет"
`,
);
add(
  'astral',
  `FROM alpine
LABEL emoji="🐳🚀" math="𝔸𝔹ℂ"
RUN echo "🐳 $WHALE 🐳" && echo 𝄞
COPY 📁/ /data/
`,
);
add(
  'tabs',
  'FROM\talpine\tAS\tbase\nRUN\techo\ttabs \\\n\t\t&& echo more\nENV\tA=1\nFROM base\nCOPY\t--from=base\t/a\t/b\n',
);
add(
  'zero-width',
  'FROM alpine\nRUN echo "zero\u200Bwidth" && echo "nbsp\u00A0here"\nLABEL x="\u202Eright-to-left"\n',
);

// Size and shape extremes.
add(
  'very-long-line',
  `FROM alpine\nRUN echo ${'x'.repeat(12000)}\nLABEL long="${'y '.repeat(3000)}"\n`,
);
add(
  'very-long-continuation',
  'FROM alpine\nRUN apk add \\\n' +
    Array.from({ length: 400 }, (_, i) => `    pkg${i} \\\n`).join('') +
    '    last\n',
);
{
  let s = 'ARG BASE=alpine:3.20\n';
  for (let i = 0; i < 55; i++) {
    s += `FROM \${BASE} AS stage${i}\n# stage ${i}\nRUN echo ${i} > /s${i}\n`;
    if (i > 0) s += `COPY --from=stage${i - 1} /s${i - 1} /s${i - 1}\n`;
  }
  s += 'FROM scratch\nCOPY --from=stage54 / /\n';
  add('fifty-five-stages', s);
}
add('empty', '');
add('only-newline', '\n');
add('only-whitespace', '  \t \n\n   \n');
add('only-comments', '# just a comment\n# another one\n#\n');
add('only-directives', '# syntax=docker/dockerfile:1\n# escape=`\n');
add('no-from', 'RUN echo no from\nCMD ["x"]\n');
add('arg-only', 'ARG A=1\n');
add('indented-before-from', '\tRUN x\nFROM a\n');
add(
  'indented-from',
  '  FROM alpine AS base\n  RUN echo indented\n    FROM base\n  COPY --from=base / /\n',
);
add('indented-arg-before-from', '    ARG V=1\nFROM alpine:$V\nRUN echo $V\n');
add('from-without-image', 'FROM\nRUN true\nFROM AS x\n');
add(
  'duplicate-stage-names',
  'FROM alpine AS dup\nRUN echo 1\nFROM alpine AS dup\nRUN echo 2\nFROM alpine\nCOPY --from=dup / /\n',
);
add('self-reference', 'FROM alpine AS loop\nCOPY --from=loop / /\nFROM loop AS loop2\n');
add('comment-only-continuations', 'FROM alpine\nRUN echo a \\\n# c1\n# c2\n    b\n');
add('cr-in-middle', 'FROM alpine\rRUN echo carriage\r\nRUN echo mixed\n');
add('trailing-spaces', 'FROM alpine   \nRUN echo a \\   \n    b\t\nCMD ["x"]   \n');
add('continuation-at-eof-crlf', 'FROM alpine\r\nRUN echo \\\r\n');

// ---------------------------------------------------------------------------------------------
fs.mkdirSync(OUT, { recursive: true });
for (const f of fs.readdirSync(OUT)) if (f.startsWith('gen-')) fs.rmSync(path.join(OUT, f));
for (const [name, text] of files) fs.writeFileSync(path.join(OUT, name), text);
console.log(`wrote ${files.size} generated corpus files to ${path.relative(process.cwd(), OUT)}`);
