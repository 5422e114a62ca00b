#!/usr/bin/env bash
# CRMT Lab's real-GPU check, run on the GPU machine from the repository root:
#   bash .gpu-check/run.sh            (device tool: carry [".gpu-check"])
# Needs nothing there but bash and coreutils (xz or python3 to unpack): .gpu-check/ carries Node,
# the bundled check, Dawn and the Vulkan loader. Writes gpu-check.json and gpu-check.log to $OUT
# (else .gpu-check/out); unpacks into $GPU_CHECK_WORK (default /tmp/crmt-gpu-check), never into
# the repository, and installs nothing system-wide unless Dawn finds no adapter without that
# on a machine with an NVIDIA driver (the device README's recipe, as root).
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT_DIR="${OUT:-$HERE/out}"
WORK="${GPU_CHECK_WORK:-/tmp/crmt-gpu-check}"
mkdir -p "$OUT_DIR" "$WORK"
exec > >(tee -a "$OUT_DIR/gpu-check.log") 2>&1
say() { echo "[run.sh $(date -u +%H:%M:%S)] $*"; }

unxz_to() {
  if command -v xz >/dev/null; then xz -dc "$1" >"$2"
  else python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1" "$2"
  fi
}

# dpkg -x where there is dpkg, else the same with Python (a .deb is an ar archive holding data.tar.*).
deb_x() {
  if command -v dpkg >/dev/null; then dpkg -x "$1" "$2"
  else python3 - "$1" "$2" <<'PY'
import io, sys, tarfile
raw = open(sys.argv[1], 'rb').read()
pos = 8
while pos < len(raw):
    name, size = raw[pos:pos + 16].decode().strip().rstrip('/'), int(raw[pos + 48:pos + 58])
    if name.startswith('data.tar'):
        tarfile.open(fileobj=io.BytesIO(raw[pos + 60:pos + 60 + size])).extractall(sys.argv[2])
    pos += 60 + size + size % 2
PY
  fi
}

say "unpacking into $WORK"
NODE="$WORK/node"
if [ ! -x "$NODE" ] || [ "$HERE/node.xz" -nt "$NODE" ]; then
  unxz_to "$HERE/node.xz" "$NODE.tmp" && chmod +x "$NODE.tmp" && mv "$NODE.tmp" "$NODE" || { say "could not unpack node"; exit 1; }
fi
APP="$WORK/app"
rm -rf "$APP" && cp -r "$HERE/app" "$APP"
DAWN="$APP/node_modules/webgpu/dist/linux-x64/dawn.node"
unxz_to "$DAWN.xz" "$DAWN" && rm -f "$DAWN.xz" || { say "could not unpack dawn.node"; exit 1; }

# Node and dawn.node link libstdc++: the machine's own unless it is missing or too old.
if ! "$NODE" --version >/dev/null 2>&1; then
  export LD_LIBRARY_PATH="$HERE/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  "$NODE" --version >/dev/null || { say "the carried node does not start here"; exit 1; }
fi
say "node $("$NODE" --version), $(uname -m), $(nproc) cores"

# The driver's own libraries, where the CUDA images keep them.
for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do
  [ -d "$d" ] && export LD_LIBRARY_PATH="${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}$d"
done
# The Vulkan loader: the machine's, else the carried Debian packages unpacked beside the check.
if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1'; then
  say "no libvulkan.so.1 installed: using the carried loader"
  for f in "$HERE"/gl/*.deb; do [ -f "$f" ] && deb_x "$f" "$WORK/gl"; done
  export LD_LIBRARY_PATH="$WORK/gl/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
# The NVIDIA driver's Vulkan ICD, when the loader's usual folders do not name it.
NV_ICD=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -z "${VK_ICD_FILENAMES:-}${VK_DRIVER_FILES:-}" ] && [ -f "$NV_ICD" ] &&
  ! grep -qsl nvidia /usr/share/vulkan/icd.d/* /etc/vulkan/icd.d/* 2>/dev/null; then
  export VK_DRIVER_FILES="$NV_ICD" VK_ICD_FILENAMES="$NV_ICD"
fi
HOST_GPU="$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | head -1)"
say "GPU: ${HOST_GPU:-none reported by nvidia-smi}; VK_DRIVER_FILES=${VK_DRIVER_FILES:-unset}"

probe() {
  timeout 60 "$NODE" "$APP/gpu-check.mjs" --probe >"$WORK/probe.txt" 2>&1
  PROBE_RC=$?
  cat "$WORK/probe.txt"
  grep -q '^adapter: found hardware' "$WORK/probe.txt"
}
diagnose() {
  say "Vulkan ICDs: $(ls /usr/share/vulkan/icd.d /etc/vulkan/icd.d /usr/local/nvidia/share/vulkan/icd.d 2>&1 | tr '\n' ' ')"
  say "NVIDIA libraries in the ld cache: $(ldconfig -p 2>/dev/null | grep -ci nvidia); LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-}"
}
if ! probe; then
  diagnose
  if [ -f "$NV_ICD" ] && [ "$(id -u)" = 0 ] && command -v dpkg >/dev/null; then
    say "no hardware adapter yet: the device README's recipe (loader packages into /, ldconfig)"
    for f in "$HERE"/gl/*.deb; do dpkg -x "$f" /; done
    ldconfig
    export VK_DRIVER_FILES="$NV_ICD" VK_ICD_FILENAMES="$NV_ICD"
    export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
    probe || { diagnose; say "still no hardware adapter: measuring what there is"; }
  fi
fi
SKIP=()
if ! grep -q '^adapter: ' "$WORK/probe.txt"; then
  SKIP=(--no-webgpu "Dawn's adapter probe ended with exit status $PROBE_RC before answering (see gpu-check.log)")
fi

GPU_CHECK_HOST_GPU="$HOST_GPU" timeout "${GPU_CHECK_TIMEOUT:-280}" \
  "$NODE" "$APP/gpu-check.mjs" --out "$OUT_DIR/gpu-check.json" --budget "${GPU_CHECK_BUDGET:-200}" "${SKIP[@]}" "$@"
rc=$?
say "exit $rc; wrote $OUT_DIR/gpu-check.json and gpu-check.log"
exit $rc
