#!/usr/bin/env bash
# Assemble two local stand-in base images, offline, from this machine's Debian Python 3.11,
# for the end-to-end test (__tests__/e2e/) and for trying `dockerfix --verify-build` here:
#
#   builder  (default python:3.11-slim): /bin/sh, a few coreutils, python3.11 with its stdlib,
#            pip (from Debian's python3-pip-whl), and an offline wheelhouse that pip uses
#            (PIP_NO_INDEX=1, PIP_FIND_LINKS=/wheels), like a mirror would.
#   runtime  (default gcr.io/distroless/python3-debian12): no shell at all, only
#            /usr/bin/python3.11, the shared libraries it needs and its stdlib, users root and
#            nonroot (65532), /root mode 0700 - the distroless layout the fix log deals with.
#
# Usage: scripts/e2e-base-images.sh [WHEEL_SRC_DIR]
#   WHEEL_SRC_DIR  folder of package source trees (<dist>/pyproject-less: <dist>/<module>/...,
#                  with a <dist>/VERSION file); each becomes a wheel in the builder's /wheels.
# Env: BUILDER_IMAGE, RUNTIME_IMAGE (names to tag), PYTHON (default /usr/bin/python3.11),
#      CONTAINERS_STORAGE_CONF (buildah storage; without it: --storage-driver vfs).
# Needs root (or a configured rootless buildah), buildah, ldd. Prints the two image names.
set -euo pipefail

BUILDER_IMAGE="${BUILDER_IMAGE:-docker.io/library/python:3.11-slim}"
RUNTIME_IMAGE="${RUNTIME_IMAGE:-gcr.io/distroless/python3-debian12:latest}"
PYTHON="${PYTHON:-/usr/bin/python3.11}"
WHEEL_SRC="${1:-}"

command -v buildah >/dev/null || { echo "e2e-base-images: buildah is not installed" >&2; exit 3; }
[ -x "$PYTHON" ] || { echo "e2e-base-images: $PYTHON not found" >&2; exit 3; }

BUILDAH=(buildah)
if [ -z "${CONTAINERS_STORAGE_CONF:-}" ] && [ ! -f /etc/containers/storage.conf ]; then
  BUILDAH+=(--storage-driver vfs)
fi

PYVER="$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
STDLIB="$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')"
WORK="$(mktemp -d)"
CONTAINERS=()
cleanup() {
  for c in "${CONTAINERS[@]}"; do "${BUILDAH[@]}" rm "$c" >/dev/null 2>&1 || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

# Debian 12 is usr-merged: /lib, /lib64, /bin, /sbin are links into /usr.
canonical() {
  case "$1" in
    /lib/*|/lib64/*|/bin/*|/sbin/*) echo "/usr$1" ;;
    *) echo "$1" ;;
  esac
}

# Copy executables or libraries (dereferenced) plus every shared library ldd names.
add_with_libs() {
  local root="$1"; shift
  local f lib
  for f in "$@"; do
    mkdir -p "$root$(dirname "$(canonical "$f")")"
    cp -L "$f" "$root$(canonical "$f")"
    while read -r lib; do
      [ -n "$lib" ] || continue
      [ -e "$root$(canonical "$lib")" ] && continue
      mkdir -p "$root$(dirname "$(canonical "$lib")")"
      cp -L "$lib" "$root$(canonical "$lib")"
    done < <(ldd "$f" 2>/dev/null | awk '/=> \//{print $3} /^[ \t]*\/[^ ]*ld-linux/{print $1}')
  done
}

base_rootfs() {
  local root="$1"
  mkdir -p "$root"/{usr/bin,usr/lib,usr/lib64,usr/sbin,etc,tmp,root,home/nonroot,app}
  ln -s usr/bin "$root/bin"; ln -s usr/lib "$root/lib"; ln -s usr/lib64 "$root/lib64"
  ln -s usr/sbin "$root/sbin"
  chmod 1777 "$root/tmp"; chmod 0700 "$root/root"
  chown 65532:65532 "$root/home/nonroot"
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnonroot:x:65532:\n' >"$root/etc/group"
  # The interpreter, its stdlib (without tests, static libs and tools) and its C extensions.
  add_with_libs "$root" "$PYTHON"
  ln -s "python$PYVER" "$root/usr/bin/python3"
  mkdir -p "$root$STDLIB"
  tar -C "$STDLIB" -cf - --exclude=./test --exclude='./config-*' --exclude=./idlelib \
    --exclude=./tkinter --exclude=./lib2to3 --exclude=./ensurepip --exclude=./EXTERNALLY-MANAGED \
    --exclude='__pycache__' --exclude='./lib-dynload/_test*' --exclude='./lib-dynload/xx*' . |
    tar -C "$root$STDLIB" -xf -
  add_with_libs "$root" "$STDLIB"/lib-dynload/*.so
}

commit() {
  local root="$1" name="$2"; shift 2
  local ctr old
  old="$("${BUILDAH[@]}" images --noheading --quiet "$name" 2>/dev/null || true)"
  ctr="$("${BUILDAH[@]}" from scratch)"
  CONTAINERS+=("$ctr")
  "${BUILDAH[@]}" copy "$ctr" "$root" / >/dev/null
  "${BUILDAH[@]}" config "$@" "$ctr"
  "${BUILDAH[@]}" commit --quiet --rm "$ctr" "$name" >/dev/null
  # A previous run's image of the same name is left untagged: remove it.
  if [ -n "$old" ]; then "${BUILDAH[@]}" rmi "$old" >/dev/null 2>&1 || true; fi
  CONTAINERS=("${CONTAINERS[@]/$ctr/}")
  echo "$name"
}

# --- runtime: distroless-like, no shell -----------------------------------------------------
RT="$WORK/runtime"
base_rootfs "$RT"
commit "$RT" "$RUNTIME_IMAGE" \
  --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --env LANG=C.UTF-8 --entrypoint '["/usr/bin/python'"$PYVER"'"]' --user 0

# --- builder: python:X.Y-slim-like, with a shell, coreutils and pip -------------------------
BD="$WORK/builder"
base_rootfs "$BD"
ln -s "python$PYVER" "$BD/usr/bin/python"
tools=()
for t in sh dash cat chmod chown cp date echo env id ln ls mkdir mv rm sed sleep test touch \
  true false grep find head tail wc uname; do
  p="$(command -v "$t" || true)"
  [ -n "$p" ] && [ -f "$p" ] && tools+=("$p")
done
add_with_libs "$BD" "${tools[@]}"
[ -e "$BD/usr/bin/sh" ] || ln -s dash "$BD/usr/bin/sh"
# pip, unpacked from Debian's wheel into the interpreter's site-packages path.
SITE="$BD/usr/local/lib/python$PYVER/dist-packages"
mkdir -p "$SITE" "$BD/usr/local/bin" "$BD/wheels"
PIP_WHL="$(ls /usr/share/python-wheels/pip-*.whl 2>/dev/null | head -1 || true)"
if [ -z "$PIP_WHL" ]; then
  echo "e2e-base-images: no pip wheel in /usr/share/python-wheels (apt-get install python3-pip-whl)" >&2
  exit 3
fi
"$PYTHON" - "$PIP_WHL" "$SITE" <<'PY'
import sys, zipfile
zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])
PY
# The official image's interpreter lives in /usr/local/bin.
for n in python3 python "python$PYVER"; do ln -s "/usr/bin/python$PYVER" "$BD/usr/local/bin/$n"; done
printf '#!/bin/sh\nexec /usr/bin/python%s -m pip "$@"\n' "$PYVER" >"$BD/usr/local/bin/pip"
chmod 755 "$BD/usr/local/bin/pip"
ln -s pip "$BD/usr/local/bin/pip3"
# The offline wheelhouse: one pure-Python wheel per source tree.
if [ -n "$WHEEL_SRC" ]; then
  "$PYTHON" - "$WHEEL_SRC" "$BD/wheels" <<'PY'
import base64, hashlib, os, sys, zipfile
src, out = sys.argv[1], sys.argv[2]
for dist in sorted(os.listdir(src)):
    tree = os.path.join(src, dist)
    if not os.path.isdir(tree):
        continue
    version = open(os.path.join(tree, "VERSION")).read().strip()
    norm = dist.replace("-", "_")
    info = f"{norm}-{version}.dist-info"
    files = {}
    for d, _, names in os.walk(tree):
        for n in sorted(names):
            if n == "VERSION" or n.endswith(".pyc"):
                continue
            p = os.path.join(d, n)
            files[os.path.relpath(p, tree)] = open(p, "rb").read()
    files[f"{info}/METADATA"] = f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n".encode()
    files[f"{info}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: e2e-base-images\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    record = []
    for name, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{name},sha256={digest},{len(data)}")
    record.append(f"{info}/RECORD,,")
    files[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode()
    with zipfile.ZipFile(os.path.join(out, f"{norm}-{version}-py3-none-any.whl"), "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
PY
fi
commit "$BD" "$BUILDER_IMAGE" \
  --env PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin \
  --env LANG=C.UTF-8 --env PIP_NO_INDEX=1 --env PIP_FIND_LINKS=/wheels \
  --env PIP_DISABLE_PIP_VERSION_CHECK=1 --env PIP_ROOT_USER_ACTION=ignore \
  --cmd '["python3"]' --user 0
