#!/usr/bin/env bash
# Build DeblurGAN training/validation pairs from freely licensed wallpaper photographs
# shipped in Debian 12 (bookworm) packages. None of these are the project's sample
# evaluation photos (datasets/sample/ATTRIBUTION.md: lomiri-wallpapers, python3-skimage,
# gcompris, jigzo are not used).
#
# Usage: scripts/make-training-data.sh [DATA_DIR]   (default /work/data)
# Needs: apt-get, dpkg-deb, python3 + Pillow, node, built CLI (npm run build -> dist/).
# Licences and per-file sources: $DATA_DIR/wallpapers/SOURCES.md.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
DATA="${1:-/work/data}"
DEBS="${DEBS:-/tmp/wall-debs}"
CLI="node $REPO/dist/src/cli.js"

# 1. Fetch and unpack the packages.
#    gnome-backgrounds (43.1-1) and ukui-wallpapers (20.04.3-1.1) were also inspected:
#    they contain only rendered/vector art, so no file from them is used.
mkdir -p "$DEBS"
( cd "$DEBS" && apt-get download plasma-workspace-wallpapers mate-backgrounds )
for deb in "$DEBS"/plasma-workspace-wallpapers_*.deb "$DEBS"/mate-backgrounds_*.deb; do
  name="$(basename "$deb")"; name="${name%%_*}"
  mkdir -p "$DEBS/x/$name"
  dpkg-deb -x "$deb" "$DEBS/x/$name"
done

# Selected natural photographs: short-name <TAB> path inside the unpacked tree.
# (Abstract/vector/gradient art such as Altai, Autumn (painted), Volna (low-poly),
#  MilkyWay, Flow, Kay, Stripes, Ubuntu-Mate-*, Elephants etc. is excluded.)
LIST="$DEBS/selection.tsv"
cat > "$LIST" <<'LIST'
mate-aqua	mate-backgrounds/usr/share/backgrounds/mate/nature/Aqua.jpg
mate-blinds	mate-backgrounds/usr/share/backgrounds/mate/nature/Blinds.jpg
mate-dune	mate-backgrounds/usr/share/backgrounds/mate/nature/Dune.jpg
mate-freshflower	mate-backgrounds/usr/share/backgrounds/mate/nature/FreshFlower.jpg
mate-garden	mate-backgrounds/usr/share/backgrounds/mate/nature/Garden.jpg
mate-ladybird	mate-backgrounds/usr/share/backgrounds/mate/nature/LadyBird.jpg
mate-raindrops	mate-backgrounds/usr/share/backgrounds/mate/nature/RainDrops.jpg
mate-storm	mate-backgrounds/usr/share/backgrounds/mate/nature/Storm.jpg
mate-twowings	mate-backgrounds/usr/share/backgrounds/mate/nature/TwoWings.jpg
mate-wood	mate-backgrounds/usr/share/backgrounds/mate/nature/Wood.jpg
mate-yellowflower	mate-backgrounds/usr/share/backgrounds/mate/nature/YellowFlower.jpg
kde-bythewater	plasma-workspace-wallpapers/usr/share/wallpapers/BytheWater/contents/images/2560x1600.jpg
kde-coldripple	plasma-workspace-wallpapers/usr/share/wallpapers/ColdRipple/contents/images/2560x1600.jpg
kde-colorfulcups	plasma-workspace-wallpapers/usr/share/wallpapers/ColorfulCups/contents/images/2560x1600.jpg
kde-darkesthour	plasma-workspace-wallpapers/usr/share/wallpapers/DarkestHour/contents/images/2560x1600.jpg
kde-eveningglow	plasma-workspace-wallpapers/usr/share/wallpapers/EveningGlow/contents/images/2560x1600.jpg
kde-fallenleaf	plasma-workspace-wallpapers/usr/share/wallpapers/FallenLeaf/contents/images/2560x1600.jpg
kde-grey	plasma-workspace-wallpapers/usr/share/wallpapers/Grey/contents/images/2560x1600.jpg
kde-kite	plasma-workspace-wallpapers/usr/share/wallpapers/Kite/contents/images/2560x1600.jpg
kde-onestandsout	plasma-workspace-wallpapers/usr/share/wallpapers/OneStandsOut/contents/images/2560x1600.jpg
kde-path	plasma-workspace-wallpapers/usr/share/wallpapers/Path/contents/images/2560x1600.jpg
kde-summer1am	plasma-workspace-wallpapers/usr/share/wallpapers/summer_1am/contents/images/2560x1600.jpg
LIST

# Held-out validation photos (by short name).
VAL="mate-storm mate-ladybird kde-path kde-colorfulcups"

# 2. Resize: shorter side -> 512 px, Lanczos, 8-bit RGB PNG, metadata dropped.
rm -rf "$DATA/wallpapers/sharp" "$DATA/wallpapers/val-sharp"
mkdir -p "$DATA/wallpapers/sharp" "$DATA/wallpapers/val-sharp"
python3 - "$DEBS/x" "$LIST" "$DATA/wallpapers" $VAL <<'PY'
import sys, os
from PIL import Image
root, lst, out, val = sys.argv[1], sys.argv[2], sys.argv[3], set(sys.argv[4:])
for line in open(lst):
    name, rel = line.rstrip("\n").split("\t")
    im = Image.open(os.path.join(root, rel)).convert("RGB")
    w, h = im.size
    s = 512 / min(w, h)
    im = im.resize((round(w * s), round(h * s)), Image.LANCZOS)
    sub = "val-sharp" if name in val else "sharp"
    im.save(os.path.join(out, sub, name + ".png"))
    print(sub, name, im.size)
PY

# 3. Synthesize GoPro-style trees (trajectory model, no noise, kernels saved).
rm -rf "$DATA/train" "$DATA/train50" "$DATA/val"
$CLI synth --input "$DATA/wallpapers/sharp" --out "$DATA/train" --per-image 6 --seed 11 --quiet
# the fine-tuning set: the same 18 photographs, 50 kernels each (900 pairs)
$CLI synth --input "$DATA/wallpapers/sharp" --out "$DATA/train50" --per-image 50 --seed 31 --quiet
$CLI synth --input "$DATA/wallpapers/val-sharp" --out "$DATA/val" --per-image 2 --seed 12 --quiet
