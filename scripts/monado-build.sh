#!/usr/bin/env bash
# Builds Monado (the real OpenXR runtime teleop-vr is tested against) from the source tarball in
# ../shared/third_party/monado, once per tarball: the build is cached under $OPTIMUS_CACHE
# (default /var/cache/optimus) keyed by the tarball's sha256, so later runs reuse it in seconds.
# Prints the runtime manifest path (openxr_monado-dev.json) on stdout; progress goes to stderr.
# Needs the apt packages listed in ../shared/third_party/monado/README.md (.ci/run installs them).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src_dir="${MONADO_SRC_DIR:-$root/../shared/third_party/monado}"
tarball="$(ls "$src_dir"/monado-*-src.tar.gz 2>/dev/null | head -1)"
[ -n "$tarball" ] || { echo "monado-build: no monado-*-src.tar.gz in $src_dir" >&2; exit 2; }
hash="$(sha256sum "$tarball" | cut -c1-16)"
cache="${OPTIMUS_CACHE:-/var/cache/optimus}/monado-$hash"
manifest="$cache/build/openxr_monado-dev.json"
if [ -f "$cache/.done" ] && [ -f "$manifest" ]; then
  echo "monado-build: cached build $cache" >&2
  echo "$manifest"; exit 0
fi
start=$(date +%s)
mkdir -p "$cache"
rm -rf "$cache/src" "$cache/build"
mkdir -p "$cache/src"
tar -xzf "$tarball" -C "$cache/src" --strip-components=1
off=()
for d in HDK HYDRA NS PSMV PSSENSE PSVR RIFT_S ROKID TWRAP VIVE WMR XREAL_AIR; do off+=("-DXRT_BUILD_DRIVER_$d=OFF"); done
# -O1 without debug info: a test runtime, and the build is two to three times faster than RelWithDebInfo
cmake -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS_RELEASE="-O1 -DNDEBUG" -DCMAKE_CXX_FLAGS_RELEASE="-O1 -DNDEBUG" \
  -DBUILD_TESTING=OFF -DBUILD_DOC=OFF \
  -DXRT_FEATURE_SERVICE=OFF -DXRT_MODULE_IPC=OFF -DXRT_MODULE_COMPOSITOR_MAIN=ON \
  -DXRT_MODULE_COMPOSITOR_NULL=ON -DXRT_BUILD_DRIVER_SIMULATED=ON -DXRT_BUILD_DRIVER_REMOTE=ON \
  -DXRT_MODULE_AUX_VIVE=ON -DXRT_FEATURE_STEAMVR_PLUGIN=OFF -DXRT_BUILD_SAMPLES=OFF \
  -DXRT_MODULE_MONADO_CLI=OFF -DXRT_HAVE_WAYLAND=OFF "${off[@]}" \
  -S "$cache/src" -B "$cache/build" >"$cache/configure.log" 2>&1 \
  || { tail -30 "$cache/configure.log" >&2; echo "monado-build: configure failed ($cache/configure.log)" >&2; exit 1; }
ninja -C "$cache/build" -j "$(nproc)" >"$cache/build.log" 2>&1 \
  || { tail -30 "$cache/build.log" >&2; echo "monado-build: build failed ($cache/build.log)" >&2; exit 1; }
[ -f "$manifest" ] || { echo "monado-build: no $manifest after build" >&2; exit 1; }
rm -rf "$cache/src/doc"
touch "$cache/.done"
echo "monado-build: built $cache in $(( $(date +%s) - start )) s" >&2
echo "$manifest"
