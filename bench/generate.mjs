/**
 * Deterministic monorepo generator for the benchmark: N realistic Dockerfiles (Python / Go /
 * Node, single- and multi-stage, distroless runtimes, 20–300 lines, some CRLF, some lowercase,
 * some `# escape=` and heredocs, ~10% needing a fix) plus the build-context files their COPY
 * lines name. Same seed and N → byte-identical tree.
 *
 * Usage: node bench/generate.mjs [--n 10000] [--seed 7] [--out DIR]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const GENERATOR_VERSION = 4;

/** mulberry32: tiny seeded PRNG, good enough for test data. */
function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
  };
}

const PY_VERSIONS = ['3.9', '3.10', '3.11', '3.12'];
const GO_VERSIONS = ['1.21', '1.22', '1.23'];
const NODE_VERSIONS = ['18', '20', '22'];
const APT_PACKAGES = [
  'build-essential',
  'curl',
  'ca-certificates',
  'git',
  'libpq-dev',
  'libffi-dev',
  'libssl-dev',
  'gcc',
  'g++',
  'make',
  'pkg-config',
  'unzip',
  'tzdata',
  'libxml2-dev',
  'libjpeg-dev',
  'zlib1g-dev',
];
const PY_REQS = [
  'grpcio==1.62.1',
  'protobuf==4.25.3',
  'PyYAML==6.0.1',
  'requests==2.31.0',
  'fastapi==0.110.0',
  'uvicorn==0.29.0',
  'pydantic==2.6.4',
  'python-consul==1.1.0',
  'psycopg2-binary==2.9.9',
  'redis==5.0.3',
  'boto3==1.34.69',
  'python-dateutil==2.9.0',
  'prometheus-client==0.20.0',
  'structlog==24.1.0',
];
const WORDS = [
  'api',
  'auth',
  'billing',
  'search',
  'gateway',
  'worker',
  'scheduler',
  'ingest',
  'notify',
  'ledger',
  'catalog',
  'media',
  'report',
  'sync',
  'mesh',
  'proxy',
  'audit',
  'export',
];

/** One Dockerfile (LF text; CRLF applied later) plus the context files it COPYs. */
function dockerfileFor(r, dirFromRoot, index) {
  const kind = r.pick(['python', 'python', 'go', 'node']);
  const multi = r.chance(0.75);
  const target = 20 + Math.floor(280 * r.next() ** 2); // skewed to short files, like real repos
  const needsFix = r.chance(0.1) ? r.pick(['07', '08', '09', '10']) : null;
  const lower = r.chance(0.05);
  const escapeTick = r.chance(0.02);
  const heredoc = !escapeTick && r.chance(0.06);
  const esc = escapeTick ? '`' : '\\';
  const lines = [];
  const files = {};
  if (escapeTick) lines.push('# escape=`');
  else if (r.chance(0.3)) lines.push('# syntax=docker/dockerfile:1.7');
  lines.push(`# ${dirFromRoot}: ${kind} service, generated for the benchmark (#${index})`);
  lines.push('');
  const builderName = r.pick(['builder', 'build', 'deps', 'compile', 'base-build']);
  const version = `${r.int(0, 3)}.${r.int(0, 20)}.${r.int(0, 9)}`;
  lines.push(`ARG VERSION=${version}`);
  if (multi && needsFix !== '09') lines.push('ARG BUILD_DATE');
  if (needsFix === '09') lines.push('ARG BUILD_DATE=unknown');
  lines.push('');

  const pad = (count) => {
    // Realistic filler: install runs with continuations, ENV/LABEL, comments.
    for (let i = 0; i < count;) {
      const what = r.int(0, 4);
      if (what === 0) {
        const pkgs = [];
        for (let k = r.int(2, 8); k > 0; k--) pkgs.push(r.pick(APT_PACKAGES));
        lines.push(
          `RUN apt-get update && ${esc}`,
          `    apt-get install -y --no-install-recommends ${esc}`,
          ...pkgs.map((p) => `        ${p} ${esc}`),
          `    && rm -rf /var/lib/apt/lists/*`,
        );
        i += pkgs.length + 3;
      } else if (what === 1) {
        lines.push(`# step ${i}: keep the layer small; see docs/build.md`);
        i += 1;
      } else if (what === 2) {
        lines.push(`ENV ${r.pick(WORDS).toUpperCase()}_ENABLED=${r.pick(['true', 'false'])}`);
        i += 1;
      } else if (what === 3) {
        lines.push(`RUN mkdir -p /var/cache/${r.pick(WORDS)} /tmp/${r.pick(WORDS)}`);
        i += 1;
      } else {
        lines.push(`RUN echo "${r.pick(WORDS)} ${i}" >> /etc/build-info`);
        i += 1;
      }
    }
  };

  if (kind === 'python') {
    const py = r.pick(PY_VERSIONS);
    const pkg = r.pick(WORDS).replace(/-/g, '_');
    files['requirements.txt'] = Array.from({ length: r.int(2, 8) }, () => r.pick(PY_REQS)).join(
      '\n',
    );
    files[`${pkg}/__init__.py`] = '';
    files[`${pkg}/main.py`] = 'print("hello")\n';
    if (multi) {
      const plat = needsFix === '07' ? '$TARGETPLATFORM' : '$BUILDPLATFORM';
      lines.push(`FROM --platform=${plat} python:${py}-slim AS ${builderName}`);
      if (needsFix === '09') lines.push('LABEL build.date="$BUILD_DATE"');
      lines.push('WORKDIR /app');
      pad(Math.floor((target - 30) * 0.6));
      lines.push(`COPY ${dirFromRoot}/requirements.txt ./requirements.txt`);
      lines.push('RUN pip install --no-cache-dir --user -r requirements.txt');
      lines.push(`COPY ${dirFromRoot}/${pkg}/ ./${pkg}/`);
      if (heredoc) {
        lines.push('RUN <<EOF', 'set -eu', `python -m compileall -q /app/${pkg}`, 'EOF');
      } else {
        lines.push(`RUN python -m compileall -q /app/${pkg}`);
      }
      lines.push('');
      const runtimePlat = needsFix === '08' ? '--platform=linux/arm64 ' : '';
      const distroless = py === '3.9' ? 'python3-debian11' : 'python3-debian12';
      lines.push(
        `FROM ${runtimePlat}gcr.io/distroless/${distroless}${r.chance(0.5) ? ':nonroot' : ''}`,
      );
      lines.push('ARG VERSION');
      lines.push('LABEL org.opencontainers.image.version="${VERSION}"');
      if (needsFix === '10') lines.push('ENV DATABASE_URL=$DATABASE_URL_FROM_CI');
      lines.push('WORKDIR /app');
      lines.push(`COPY --from=${builderName} /root/.local /root/.local`);
      lines.push(`COPY --from=${builderName} /app/${pkg} /app/${pkg}`);
      lines.push('ENV PYTHONPATH=/root/.local/lib/python3.11/site-packages');
      lines.push('USER 65532:65532');
      lines.push(`ENTRYPOINT ["python", "-m", "${pkg}.main"]`);
    } else {
      lines.push(`FROM python:${py}-slim`);
      lines.push('ARG VERSION');
      lines.push('LABEL version="${VERSION}"');
      if (needsFix === '10') lines.push('ENV API_ENDPOINT=${API_ENDPOINT_URL}');
      lines.push('WORKDIR /app');
      pad(target - 12);
      lines.push(`COPY ${dirFromRoot}/requirements.txt ./`);
      lines.push('RUN pip install --no-cache-dir -r requirements.txt');
      lines.push(`COPY ${dirFromRoot}/${pkg}/ ./${pkg}/`);
      lines.push('USER nobody');
      lines.push(`CMD ["python", "-m", "${pkg}.main"]`);
    }
  } else if (kind === 'go') {
    const go = r.pick(GO_VERSIONS);
    files['go.mod'] = `module example.com/${dirFromRoot}\n\ngo ${go}\n`;
    files['main.go'] = 'package main\n\nfunc main() {}\n';
    files['internal/app/app.go'] = 'package app\n';
    const plat = needsFix === '07' ? '$TARGETPLATFORM' : '$BUILDPLATFORM';
    lines.push(`FROM --platform=${plat} golang:${go}-alpine AS ${builderName}`);
    lines.push('ARG TARGETOS');
    lines.push('ARG TARGETARCH');
    lines.push('WORKDIR /src');
    if (needsFix === '09') lines.push('LABEL build.date="$BUILD_DATE"');
    pad(Math.floor((target - 24) * 0.7));
    lines.push(`COPY ${dirFromRoot}/go.mod ./`);
    lines.push('RUN go mod download');
    lines.push(`COPY ${dirFromRoot}/ ./`);
    lines.push(
      `RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH ${esc}`,
      `    go build -trimpath -ldflags="-s -w -X main.version=1" -o /out/app .`,
    );
    lines.push('');
    const runtimePlat = needsFix === '08' ? '--platform=linux/amd64 ' : '';
    const runtime = r.pick(['gcr.io/distroless/static-debian12:nonroot', 'scratch']);
    lines.push(`FROM ${runtimePlat}${runtime}`);
    lines.push('ARG VERSION');
    lines.push('LABEL org.opencontainers.image.version=$VERSION');
    if (needsFix === '10') lines.push('LABEL maintainer="${TEAM_EMAIL}"');
    lines.push(`COPY --from=${builderName} /out/app /app`);
    lines.push('USER 65532:65532');
    lines.push('ENTRYPOINT ["/app"]');
  } else {
    const nv = r.pick(NODE_VERSIONS);
    files['package.json'] =
      `{ "name": "${path.basename(dirFromRoot)}", "version": "${version}" }\n`;
    files['package-lock.json'] = '{ "lockfileVersion": 3 }\n';
    files['src/index.js'] = 'console.log("hi");\n';
    if (multi) {
      const plat = needsFix === '07' ? '$TARGETPLATFORM' : '$BUILDPLATFORM';
      lines.push(`FROM --platform=${plat} node:${nv}-alpine AS ${builderName}`);
      lines.push('WORKDIR /app');
      if (needsFix === '09') lines.push('LABEL build.date="$BUILD_DATE"');
      pad(Math.floor((target - 24) * 0.6));
      lines.push(`COPY ${dirFromRoot}/package.json ${dirFromRoot}/package-lock.json ./`);
      lines.push('RUN npm ci --omit=dev');
      lines.push(`COPY ${dirFromRoot}/src/ ./src/`);
      lines.push('');
      const runtimePlat = needsFix === '08' ? '--platform=linux/arm64 ' : '';
      lines.push(
        `FROM ${runtimePlat}gcr.io/distroless/nodejs${nv === '18' ? '18' : '20'}-debian12`,
      );
      lines.push('ARG VERSION');
      lines.push('LABEL version="${VERSION}"');
      if (needsFix === '10') lines.push('ENV SENTRY_DSN=$SENTRY_DSN_VALUE');
      lines.push('WORKDIR /app');
      lines.push(`COPY --from=${builderName} /app /app`);
      lines.push('USER nonroot');
      lines.push('CMD ["src/index.js"]');
    } else {
      lines.push(`FROM node:${nv}-alpine`);
      lines.push('ARG VERSION');
      lines.push('LABEL version="${VERSION}"');
      if (needsFix === '10') lines.push('ENV SENTRY_DSN=$SENTRY_DSN_VALUE');
      lines.push('WORKDIR /app');
      pad(target - 12);
      lines.push(`COPY ${dirFromRoot}/package.json ./`);
      lines.push('RUN npm install --omit=dev');
      lines.push(`COPY ${dirFromRoot}/src/ ./src/`);
      lines.push('USER node');
      lines.push('CMD ["node", "src/index.js"]');
    }
  }
  let text = lines.join('\n') + '\n';
  if (lower) {
    text = text.replace(/^(FROM|RUN|COPY|ENV|ARG|LABEL|WORKDIR|USER|CMD|ENTRYPOINT)\b/gm, (k) =>
      k.toLowerCase(),
    );
  }
  if (r.chance(0.07)) text = text.replace(/\n/g, '\r\n');
  return { text, files, needsFix };
}

/** Write the tree under `out`; returns the manifest (sorted Dockerfile paths). */
export function generate({ n = 10000, seed = 7, out }) {
  const r = rng(seed * 1000003 + n);
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(path.join(out, '.git'), { recursive: true });
  fs.writeFileSync(path.join(out, '.gitignore'), 'node_modules/\n*.log\ndist/\n');
  const dockerfiles = [];
  let needingFix = 0;
  /** Files with no seeded fault: the bench brings these to dockerfix's fixed point first. */
  const clean = [];
  let crlf = 0;
  let bytes = 0;
  let service = 0;
  while (dockerfiles.length < n) {
    const team = `team-${String(service % 97).padStart(2, '0')}`;
    const dir = `services/${team}/${r.pick(WORDS)}-${service}`;
    service++;
    // Most services have one Dockerfile; some have a second (Dockerfile.dev, *.Dockerfile).
    const names = r.chance(0.25)
      ? ['Dockerfile', r.pick(['Dockerfile.dev', 'worker.Dockerfile', 'Containerfile'])]
      : ['Dockerfile'];
    for (const name of names) {
      if (dockerfiles.length >= n) break;
      const { text, files, needsFix } = dockerfileFor(r, dir, dockerfiles.length);
      const abs = path.join(out, dir);
      if (needsFix) needingFix++;
      else clean.push(path.join(abs, name));
      fs.mkdirSync(abs, { recursive: true });
      for (const [rel, content] of Object.entries(files)) {
        const f = path.join(abs, rel);
        if (fs.existsSync(f)) continue;
        fs.mkdirSync(path.dirname(f), { recursive: true });
        fs.writeFileSync(f, content);
      }
      fs.writeFileSync(path.join(abs, name), text);
      dockerfiles.push(path.join(abs, name));
      bytes += Buffer.byteLength(text);
      if (text.includes('\r\n')) crlf++;
    }
  }
  // Some noise the discovery must skip.
  fs.mkdirSync(path.join(out, 'node_modules/some-pkg'), { recursive: true });
  fs.writeFileSync(path.join(out, 'node_modules/some-pkg/Dockerfile'), 'FROM scratch\n');
  dockerfiles.sort();
  const manifest = {
    version: GENERATOR_VERSION,
    n,
    seed,
    files: dockerfiles,
    bytes,
    crlf,
    needingFix,
    clean: clean.sort(),
  };
  fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify(manifest));
  return manifest;
}

/** The tree for (n, seed), generated only when missing or made by another generator version. */
export function ensureTree({ n, seed, out }) {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    if (m.version === GENERATOR_VERSION && m.n === n && m.seed === seed) return m;
  } catch {
    // missing or unreadable: generate
  }
  return generate({ n, seed, out });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : dflt;
  };
  const n = Number(arg('n', 10000));
  const seed = Number(arg('seed', 7));
  const here = path.dirname(fileURLToPath(import.meta.url));
  const out = path.resolve(arg('out', path.join(here, 'out', `mono-${n}-s${seed}`)));
  const t = Date.now();
  const m = generate({ n, seed, out });
  process.stdout.write(
    `${m.files.length} Dockerfiles (${(m.bytes / 1e6).toFixed(1)} MB, ${m.crlf} CRLF) in ${out} (${Date.now() - t} ms)\n`,
  );
}
