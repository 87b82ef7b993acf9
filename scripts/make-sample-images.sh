#!/usr/bin/env bash
# Rebuild datasets/sample/ (the embedded "sample" suite) from Debian packages.
#
# Provenance record only: the PNGs, manifest.json and ATTRIBUTION.md are
# committed, and neither the product nor its tests run this script.
#
# What it does:
#   1. `apt-get download` the source packages (pinned to the versions the
#      committed files were made from; falls back to the current candidate
#      version with a warning if a pinned one is gone from the archive),
#   2. `dpkg-deb -x` each into a temporary folder,
#   3. runs scripts/make_sample_images.py, which extracts, normalises and
#      resizes the photographs and writes PNGs + manifest.json + ATTRIBUTION.md.
#
# Needs: a Debian system with working apt sources (run `apt-get update` once),
# dpkg-deb, python3 with Pillow (WebP support). Nothing is installed.
#
# Usage: scripts/make-sample-images.sh [--all] [OUTPUT_DIR]
#   OUTPUT_DIR defaults to datasets/sample; --all also builds the vetted
#   optional images listed in make_sample_images.py (OPTIONAL_IMAGES).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
extra=()
if [[ "${1:-}" == "--all" ]]; then
  extra+=(--all)
  shift
fi
out="${1:-$repo/datasets/sample}"

# package=version the committed images were built from (Debian 12 "bookworm").
packages=(
  "python3-skimage=0.19.3-8"
  "lomiri-wallpapers-16.04=20.04.0-2"
  "jigzo-data=0.6.1-7.1"
  "gcompris-qt-data=3.1-2"
  "palapeli-data=4:22.12.3-1"   # only used with --all
)

work="$(mktemp -d "${TMPDIR:-/tmp}/sample-images.XXXXXX")"
cleanup() { rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/debs" "$work/root"
# apt-get download drops privileges to _apt; let it write here.
chmod 0777 "$work/debs"

cd "$work/debs"
for pv in "${packages[@]}"; do
  name="${pv%%=*}"
  if ! apt-get download -q "$pv" >/dev/null 2>"$work/apt.err"; then
    echo "warning: $pv not available ($(tr '\n' ' ' <"$work/apt.err")); using the current version of $name" >&2
    apt-get download -q "$name" >/dev/null
  fi
done

: >"$work/versions"
for deb in "$work"/debs/*.deb; do
  name="$(dpkg-deb -f "$deb" Package)"
  version="$(dpkg-deb -f "$deb" Version)"
  mkdir -p "$work/root/$name"
  dpkg-deb -x "$deb" "$work/root/$name"
  printf '%s %s\n' "$name" "$version" >>"$work/versions"
  printf 'unpacked %s %s\n' "$name" "$version"
done

python3 "$here/make_sample_images.py" --root "$work/root" --versions "$work/versions" --out "$out" "${extra[@]}"
