#!/usr/bin/env python3
"""Build the embedded "sample" suite (datasets/sample/) from Debian packages.

Called by scripts/make-sample-images.sh, which downloads the .deb files with
`apt-get download` and unpacks each one with `dpkg-deb -x` into
<root>/<package name>/.  This helper then

  * pulls each photograph out of its package (plain files, a Qt resource
    bundle, or a jigzo puzzle file),
  * bakes in any EXIF orientation, converts non-sRGB ICC data to sRGB,
    drops alpha and all metadata,
  * resizes so that the longest side is at most 512 px (Lanczos, aspect
    ratio kept; smaller images are not enlarged),
  * writes 8-bit RGB PNGs plus manifest.json and ATTRIBUTION.md.

Neither the product nor its tests run this: the PNGs are committed and this
file documents where every one of them comes from.

Requires Python 3 with Pillow (built with WebP support).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import re
import struct
import sys
import zlib
from pathlib import Path

from PIL import Image, ImageCms, ImageOps

MAX_SIDE = 512

BASE_MODIFICATION = "resized to max 512 px (Lanczos), converted to PNG (8-bit RGB, metadata dropped)"

SKIMAGE_DATA = "usr/lib/python3/dist-packages/skimage/data"
SKIMAGE_NOTE_FILE = f"/{SKIMAGE_DATA}/_fetchers.py"
GCOMPRIS_RCC = "usr/share/gcompris-qt/rcc"
JIGZO_PUZZLES = "usr/share/games/jigzo/puzzles/00_default"

# Every image in the suite.  "kind" says how to pull it out of the package:
#   file   - a plain image file at "member"
#   rcc    - entry "entry" inside the Qt resource bundle at "member"
#   jigzo  - the picture inside a jigzo .pzl puzzle file at "member"
# "licence_evidence" quotes where in the package the licence is stated.
IMAGES: list[dict] = [
    {
        "file": "astronaut.png",
        "package": "python3-skimage",
        "kind": "file",
        "member": f"{SKIMAGE_DATA}/astronaut.png",
        "author": "NASA (portrait of astronaut Eileen Collins, from the NASA Great Images database)",
        "license": "public-domain",
        "licence_evidence": (
            f"docstring of skimage.data.astronaut() in {SKIMAGE_NOTE_FILE}: "
            "\"No known copyright restrictions, released into the public domain.\""
        ),
        "objects": ["person"],
    },
    {
        "file": "chelsea-cat.png",
        "package": "python3-skimage",
        "kind": "file",
        "member": f"{SKIMAGE_DATA}/chelsea.png",
        "author": "Stefan van der Walt (\"Chelsea the cat\")",
        "license": "CC0-1.0",
        "licence_evidence": (
            f"docstring of skimage.data.chelsea() in {SKIMAGE_NOTE_FILE}: "
            "\"No copyright restrictions. CC0 by the photographer (Stefan van der Walt).\""
        ),
        "objects": ["cat"],
    },
    {
        "file": "coffee-cup.png",
        "package": "python3-skimage",
        "kind": "file",
        "member": f"{SKIMAGE_DATA}/coffee.png",
        "author": "Rachel Michetti (courtesy of Pikolo Espresso Bar)",
        "license": "CC0-1.0",
        "licence_evidence": (
            f"docstring of skimage.data.coffee() in {SKIMAGE_NOTE_FILE}: "
            "\"No copyright restrictions. CC0 by the photographer (Rachel Michetti).\""
        ),
        "objects": ["cup", "spoon"],
    },
    {
        "file": "motorcycle.png",
        "package": "python3-skimage",
        "kind": "file",
        "member": f"{SKIMAGE_DATA}/motorcycle_left.png",
        "author": (
            "Middlebury 2014 stereo dataset (N. Nesic, P. Westling, X. Wang, Y. Kitajima, "
            "G. Krathwohl, D. Scharstein, Middlebury College); left view, downsampled 4x by scikit-image"
        ),
        "license": "BSD-3-Clause",
        "licence_evidence": (
            "no per-image licence: the docstring of skimage.data.stereo_motorcycle() in "
            f"{SKIMAGE_NOTE_FILE} names the dataset and its authors but states no licence; "
            "the only licence statement is the blanket 'Files: * ... License: BSD-3-Clause' "
            "(scikit-image team) in /usr/share/doc/python3-skimage/copyright"
        ),
        "doubtful": True,
        "objects": ["motorcycle", "bench"],
    },
    {
        "file": "dogs-window.png",
        "package": "lomiri-wallpapers-16.04",
        "kind": "file",
        "member": "usr/share/backgrounds/friends_by_Aitzol_Berasategi.jpg",
        "author": "Aitzol Berasategi, 2018 (\"friends\")",
        "license": "CC-BY-4.0",
        "licence_evidence": (
            "/usr/share/doc/lomiri-wallpapers-16.04/copyright: "
            "'Files: 16.04/friends_by_Aitzol_Berasategi.jpg / Copyright: Aitzol Berasategi, 2018 / License: CC-BY-4.0'"
        ),
        "objects": ["dog"],
    },
    {
        "file": "wine-table.png",
        "package": "lomiri-wallpapers-16.04",
        "kind": "file",
        "member": "usr/share/backgrounds/Wine_by_Jakkub_Mede.jpg",
        "author": "Jakub Mede, 2018 (\"Wine\")",
        "license": "CC-BY-4.0",
        "licence_evidence": (
            "/usr/share/doc/lomiri-wallpapers-16.04/copyright: "
            "'Files: 16.04/Wine_by_Jakkub_Mede.jpg / Copyright: Jakub Mede, 2018 / License: CC-BY-4.0'"
        ),
        "objects": ["bottle", "wine glass"],
    },
    {
        "file": "bicycle.png",
        "package": "jigzo-data",
        "kind": "jigzo",
        "member": f"{JIGZO_PUZZLES}/bike-3x4.pzl",
        "author": "Maarten de Boer (jigzo)",
        "license": "GPL-2.0-or-later",
        "licence_evidence": (
            "/usr/share/doc/jigzo-data/copyright: 'Files: * / Copyright: 2005-2008 Maarten de Boer / "
            "License: GPL-2+' (only heli-4x3.pzl and penguin-3x2.pzl are listed with other authors)"
        ),
        "extra_modification": "picture cut out of the puzzle's texture atlas (JPEG), 1-px black frame removed",
        "objects": ["bicycle", "person"],
    },
    {
        "file": "horses.png",
        "package": "gcompris-qt-data",
        "kind": "rcc",
        "member": f"{GCOMPRIS_RCC}/explore_farm_animals.rcc",
        "entry": "/gcompris/src/activities/explore_farm_animals/resource/animals/horse.webp",
        "author": "Seth Zeigler (Wikimedia Commons: Nokota_Horse_Stud_Band.jpg)",
        "license": "CC0-1.0",
        "licence_evidence": (
            "README next to the image inside explore_farm_animals.rcc "
            "(…/explore_farm_animals/resource/animals/README): "
            "'Copyright: Seth Zeigler / License: CC0-1.0 / Source: "
            "https://commons.wikimedia.org/wiki/File:Nokota_Horse_Stud_Band.jpg / Files: horse.webp'"
        ),
        "extra_modification": "decoded from the WebP stored in the Qt resource bundle",
        "objects": ["horse"],
    },
    {
        "file": "cow.png",
        "package": "gcompris-qt-data",
        "kind": "rcc",
        "member": f"{GCOMPRIS_RCC}/explore_farm_animals.rcc",
        "entry": "/gcompris/src/activities/explore_farm_animals/resource/animals/cow.webp",
        "author": "Dohduhdah (Wikimedia Commons: Cow-IMG_2050.JPG)",
        "license": "public-domain",
        "licence_evidence": (
            "README next to the image inside explore_farm_animals.rcc "
            "(…/explore_farm_animals/resource/animals/README): "
            "'Copyright: Dohduhdah / License: Public Domain / Source: "
            "https://commons.wikimedia.org/wiki/File:Cow-IMG_2050.JPG / Files: cow.webp'"
        ),
        "extra_modification": "decoded from the WebP stored in the Qt resource bundle",
        "objects": ["cow"],
    },
    {
        "file": "chickens.png",
        "package": "gcompris-qt-data",
        "kind": "rcc",
        "member": f"{GCOMPRIS_RCC}/explore_farm_animals.rcc",
        "entry": "/gcompris/src/activities/explore_farm_animals/resource/animals/chicken.webp",
        "author": "Tranquilles (Wikimedia Commons: Chickens_at_Tranquilles_B&B.JPG)",
        "license": "public-domain",
        "licence_evidence": (
            "README next to the image inside explore_farm_animals.rcc "
            "(…/explore_farm_animals/resource/animals/README): "
            "'Copyright: Tranquilles / License: Public Domain / Source: "
            "https://commons.wikimedia.org/wiki/File:Chickens_at_Tranquilles_B%26B.JPG / Files: chicken.webp'"
        ),
        "extra_modification": "decoded from the WebP stored in the Qt resource bundle",
        "objects": ["bird"],
    },
    {
        "file": "giraffes.png",
        "package": "gcompris-qt-data",
        "kind": "rcc",
        "member": f"{GCOMPRIS_RCC}/explore_world_animals.rcc",
        "entry": "/gcompris/src/activities/explore_world_animals/resource/animals/giraffe.webp",
        "author": "Mike and Lara Wolfe (Wikimedia Commons: Giraffe_courtship_(25657342808).jpg)",
        "license": "CC0-1.0",
        "licence_evidence": (
            "README next to the image inside explore_world_animals.rcc "
            "(…/explore_world_animals/resource/animals/README): "
            "'Copyright: Mike and Lara Wolfe / License: CC0-1.0 / Source: "
            "https://commons.wikimedia.org/wiki/File:Giraffe_courtship_(25657342808).jpg / Files: giraffe.webp'"
        ),
        "extra_modification": "decoded from the WebP stored in the Qt resource bundle",
        "objects": ["giraffe"],
    },
    {
        "file": "mariachi.png",
        "package": "gcompris-qt-data",
        "kind": "rcc",
        "member": f"{GCOMPRIS_RCC}/explore_world_music.rcc",
        "entry": "/gcompris/src/activities/explore_world_music/resource/music/mexico.webp",
        "author": "Elidealista (Wikimedia Commons: Wikipedia_10_Guadalajara_-_Mariachi.jpg)",
        "license": "CC0-1.0",
        "licence_evidence": (
            "README next to the image inside explore_world_music.rcc "
            "(…/explore_world_music/resource/music/README): "
            "'Copyright: Elidealista / License: CC0-1.0 / Source: "
            "https://commons.wikimedia.org/wiki/File:Wikipedia_10_Guadalajara_-_Mariachi.jpg / Files: mexico.webp'"
        ),
        "extra_modification": "decoded from the WebP stored in the Qt resource bundle",
        "objects": ["person", "tie", "tv"],
    },
]

# Vetted as well (licence documented in the package) but left out of the default
# suite to keep it near 4 MB; `--all` adds them (about +1.9 MB).
OPTIONAL_IMAGES: list[dict] = [
    {
        "file": "train.png",
        "package": "jigzo-data",
        "kind": "jigzo",
        "member": f"{JIGZO_PUZZLES}/train-2x2.pzl",
        "author": "Maarten de Boer (jigzo)",
        "license": "GPL-2.0-or-later",
        "licence_evidence": (
            "/usr/share/doc/jigzo-data/copyright: 'Files: * / Copyright: 2005-2008 Maarten de Boer / "
            "License: GPL-2+' (only heli-4x3.pzl and penguin-3x2.pzl are listed with other authors)"
        ),
        "extra_modification": "picture cut out of the puzzle's texture atlas (JPEG), 1-px black frame removed",
        "objects": ["train"],
    },
    {
        "file": "sheep.png",
        "package": "gcompris-qt-data",
        "kind": "rcc",
        "member": f"{GCOMPRIS_RCC}/explore_farm_animals.rcc",
        "entry": "/gcompris/src/activities/explore_farm_animals/resource/animals/sheep.webp",
        "author": "Rob Mitchell (Wikimedia Commons: Sheep_(33625876592).jpg)",
        "license": "CC0-1.0",
        "licence_evidence": (
            "README next to the image inside explore_farm_animals.rcc "
            "(…/explore_farm_animals/resource/animals/README): "
            "'Copyright: Rob Mitchell / License: CC0-1.0 / Source: "
            "https://commons.wikimedia.org/wiki/File:Sheep_(33625876592).jpg / Files: sheep.webp'"
        ),
        "extra_modification": "decoded from the WebP stored in the Qt resource bundle",
        "objects": ["sheep"],
    },
    {
        "file": "polar-bear.png",
        "package": "gcompris-qt-data",
        "kind": "rcc",
        "member": f"{GCOMPRIS_RCC}/explore_world_animals.rcc",
        "entry": "/gcompris/src/activities/explore_world_animals/resource/animals/polar_bear.webp",
        "author": "anonymous (Wikimedia Commons: Churchill_Wildlife_Management_Area_polar_bear30.JPG)",
        "license": "public-domain",
        "licence_evidence": (
            "README next to the image inside explore_world_animals.rcc "
            "(…/explore_world_animals/resource/animals/README): "
            "'Copyright: anonymous / License: Public Domain / Source: "
            "https://commons.wikimedia.org/wiki/File:Churchill_Wildlife_Management_Area_polar_bear30.JPG / "
            "Files: polar_bear.webp'"
        ),
        "extra_modification": "decoded from the WebP stored in the Qt resource bundle",
        "objects": ["bear"],
    },
    {
        "file": "orchestra.png",
        "package": "gcompris-qt-data",
        "kind": "rcc",
        "member": f"{GCOMPRIS_RCC}/explore_world_music.rcc",
        "entry": "/gcompris/src/activities/explore_world_music/resource/music/orchestra.webp",
        "author": "ABC Informática (Wikimedia Commons: Orchestra_of_the_18th_Century.jpg)",
        "license": "public-domain",
        "licence_evidence": (
            "README next to the image inside explore_world_music.rcc "
            "(…/explore_world_music/resource/music/README): "
            "'Copyright: ABC Informática / License: Public Domain / Source: "
            "https://commons.wikimedia.org/wiki/File:Orchestra_of_the_18th_Century.jpg / Files: orchestra.webp'"
        ),
        "extra_modification": "decoded from the WebP stored in the Qt resource bundle",
        "objects": ["person", "chair"],
    },
    {
        "file": "citrus-fruits.png",
        "package": "palapeli-data",
        "kind": "file",
        "member": "usr/share/palapeli/collection/citrus-fruits.jpg",
        "author": "US Department of Agriculture (Wikimedia Commons: Citrus_fruits.jpg)",
        "license": "public-domain",
        "licence_evidence": (
            "/usr/share/palapeli/collection/citrus-fruits.desktop: "
            "'X-KDE-PluginInfo-Author=US Department of Agriculture', "
            "'X-KDE-PluginInfo-License=Public Domain', "
            "'X-KDE-PluginInfo-Website=http://commons.wikimedia.org/wiki/Image:Citrus_fruits.jpg'"
        ),
        "objects": ["orange"],
    },
]


# --------------------------------------------------------------------------
# Readers for the containers the photos ship in
# --------------------------------------------------------------------------

def read_rcc_entry(path: Path, wanted: str) -> bytes:
    """Return the bytes of one file inside a compiled Qt resource (.rcc).

    Layout: magic "qres", then big-endian u32 version, tree offset, data
    offset and names offset.  Tree nodes are 14 bytes (version 1) or 22
    bytes (version 2+, with a trailing u64 timestamp).  A node starts with
    u32 name offset and u16 flags (1 = zlib, 2 = directory, 4 = zstd); a
    directory continues with u32 child count and u32 first child index, a
    file with u16 territory, u16 language and u32 data offset.  Names are
    u16 length, u32 hash, UTF-16BE text; data is u32 size then payload
    (zlib payloads start with a u32 uncompressed size).
    """
    blob = path.read_bytes()
    if blob[:4] != b"qres":
        raise ValueError(f"{path}: not a Qt resource file")
    version, tree, data, names = struct.unpack(">IIII", blob[4:20])
    node_size = 22 if version >= 2 else 14

    def node_name(index: int) -> str:
        offset = struct.unpack(">I", blob[tree + index * node_size:][:4])[0]
        length = struct.unpack(">H", blob[names + offset:][:2])[0]
        start = names + offset + 6
        return blob[start:start + 2 * length].decode("utf-16-be")

    index = 0  # root directory
    parts = [p for p in wanted.split("/") if p]
    for depth, part in enumerate(parts):
        node = tree + index * node_size
        flags = struct.unpack(">H", blob[node + 4:node + 6])[0]
        if not flags & 2:
            raise KeyError(f"{wanted}: {'/'.join(parts[:depth])} is not a directory in {path}")
        count, first = struct.unpack(">II", blob[node + 6:node + 14])
        for child in range(first, first + count):
            if node_name(child) == part:
                index = child
                break
        else:
            raise KeyError(f"{wanted} not found in {path}")

    node = tree + index * node_size
    flags = struct.unpack(">H", blob[node + 4:node + 6])[0]
    if flags & 2:
        raise KeyError(f"{wanted} is a directory in {path}")
    offset = struct.unpack(">I", blob[node + 10:node + 14])[0]
    size = struct.unpack(">I", blob[data + offset:data + offset + 4])[0]
    payload = blob[data + offset + 4:data + offset + 4 + size]
    if flags & 4:
        raise ValueError(f"{wanted}: zstd-compressed resources are not supported")
    if flags & 1:
        payload = zlib.decompress(payload[4:])
    return payload


def read_jigzo_picture(path: Path) -> Image.Image:
    """Return the picture of a jigzo puzzle (.pzl).

    A .pzl file is a small text header followed by JPEG files: an optional
    thumbnail and a 1024x1024 texture atlas.  The header line
    "image X Y W H ..." gives where the whole picture sits in the atlas; the
    picture has a 1-px black frame, which is cut off here.
    """
    blob = path.read_bytes()
    match = re.search(rb"\nimage (\d+) (\d+) (\d+) (\d+)", blob)
    if not match:
        raise ValueError(f"{path}: no 'image' line in the puzzle header")
    x, y, w, h = map(int, match.groups())
    starts = [m.start() for m in re.finditer(rb"\xff\xd8\xff", blob)]
    atlases = []
    for start in starts:
        try:
            im = Image.open(io.BytesIO(blob[start:]))
            im.load()
        except OSError:
            continue
        atlases.append(im)
    atlas = max(atlases, key=lambda im: im.size[0] * im.size[1])
    return atlas.crop((x + 1, y + 1, x + w - 1, y + h - 1))


def load_source(root: Path, spec: dict) -> Image.Image:
    pkg_root = root / spec["package"]
    member = pkg_root / spec["member"]
    if spec["kind"] == "file":
        im = Image.open(member)
        im.load()
        return im
    if spec["kind"] == "rcc":
        im = Image.open(io.BytesIO(read_rcc_entry(member, spec["entry"])))
        im.load()
        return im
    if spec["kind"] == "jigzo":
        return read_jigzo_picture(member)
    raise ValueError(f"unknown kind {spec['kind']!r}")


# --------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------

def to_srgb_rgb(im: Image.Image) -> Image.Image:
    im = ImageOps.exif_transpose(im)  # bake the EXIF orientation into the pixels
    icc = im.info.get("icc_profile")
    if icc:
        src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if "srgb" not in ImageCms.getProfileDescription(src).lower():
            if im.mode not in ("RGB", "RGBA"):
                im = im.convert("RGB")
            im = ImageCms.profileToProfile(im, src, ImageCms.createProfile("sRGB"), outputMode="RGB")
    if im.mode in ("RGBA", "LA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        im = flat
    # Rebuild from raw pixels so that no metadata (EXIF, ICC, text) survives.
    rgb = im.convert("RGB")
    return Image.frombytes("RGB", rgb.size, rgb.tobytes())


def fit(im: Image.Image) -> Image.Image:
    w, h = im.size
    longest = max(w, h)
    if longest <= MAX_SIDE:
        return im
    scale = MAX_SIDE / longest
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return im.resize(size, Image.Resampling.LANCZOS)


# --------------------------------------------------------------------------
# Outputs
# --------------------------------------------------------------------------

DESCRIPTION = (
    "Small embedded default suite: freely licensed colour photographs taken from Debian packages, "
    "resized to at most 512 px on the longest side and stored as 8-bit RGB PNG. Most show everyday "
    "COCO object classes so that a detector has something to find. Provenance and licences: "
    "ATTRIBUTION.md; rebuilt by scripts/make-sample-images.sh."
)


def write_attribution(out_dir: Path, specs: list[dict], versions: dict[str, str]) -> None:
    used = {spec["package"] for spec in specs}
    lines = [
        "# Sample suite: attribution and licences",
        "",
        "All photographs in this folder come from Debian packages (Debian 12 \"bookworm\"), fetched",
        "with `apt-get download` and unpacked with `dpkg-deb -x`; `scripts/make-sample-images.sh`",
        "(with `scripts/make_sample_images.py`) rebuilds every file here from them.",
        "",
        "Modifications common to every file: " + BASE_MODIFICATION + ". \"COCO objects\" lists",
        "COCO class names that are clearly visible in the picture.",
        "",
        "| File | Source package (version) | Original path in the package | Author / credit | Licence | Modifications | COCO objects visible |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for spec in specs:
        path = "/" + spec["member"]
        if spec["kind"] == "rcc":
            path += f"` → `{spec['entry']}"
        mods = BASE_MODIFICATION
        if spec.get("extra_modification"):
            mods = spec["extra_modification"] + "; " + mods
        lic = spec["license"] + (" (doubtful, see notes)" if spec.get("doubtful") else "")
        lines.append(
            f"| `{spec['file']}` | {spec['package']} ({versions[spec['package']]}) | `{path}` | "
            f"{spec['author']} | {lic} | {mods} | {', '.join(spec['objects'])} |"
        )
    lines += ["", "## Where each licence is stated", ""]
    for spec in specs:
        evidence = spec["licence_evidence"]
        end = "" if evidence.rstrip("'\"").endswith(".") else "."
        lines.append(f"- `{spec['file']}`: {evidence}{end}")
    lines += [
        "",
        "## Notes",
        "",
        "- Licence texts: CC0-1.0 and the GPL family are in `/usr/share/common-licenses/` on Debian;",
        "  CC-BY-4.0: https://creativecommons.org/licenses/by/4.0/ ; BSD-3-Clause: see",
        "  `/usr/share/doc/python3-skimage/copyright`.",
    ]
    if "python3-skimage" in used:
        lines += [
            "- scikit-image: in this version `skimage/data/README.txt` carries no licence list; the",
            "  per-image licence statements are the docstrings of the `skimage.data` loader functions",
            "  in `skimage/data/_fetchers.py` (same package), quoted above.",
        ]
    for spec in specs:
        if spec.get("doubtful"):
            lines += [
                f"- `{spec['file']}` has the one doubtful licence: upstream scikit-image states no licence",
                "  for the Middlebury stereo images; only Debian's blanket `Files: *` BSD-3-Clause entry",
                "  covers the file. Drop it (and its manifest entry) if a per-image licence is required.",
            ]
    if "gcompris-qt-data" in used:
        lines += [
            "- `gcompris-qt-data`: the licences above come from the README files that ship inside the",
            "  Qt resource bundles (`.rcc`) next to the images. The package's",
            "  `/usr/share/doc/gcompris-qt-data/copyright` is older than these images (it lists earlier",
            "  JPEG files that are no longer shipped) and otherwise covers them only by its `Files: *`",
            "  GPL-3+ entry. The pictures are stored there as lossy WebP, which downscaling to 512 px",
            "  mostly hides.",
        ]
    if "jigzo-data" in used:
        lines += [
            "- `jigzo-data`: the copyright file names Maarten de Boer (GPL-2+) for every puzzle except",
            "  `heli-4x3.pzl` (Joana Clotet, GPL-2) and `penguin-3x2.pzl` (CC-BY-NC-SA, non-free, not used).",
            "  Jigzo stores its pictures as JPEG (quality about 80), so mild JPEG artefacts remain.",
        ]
    lomiri = [s for s in specs if s["package"] == "lomiri-wallpapers-16.04"]
    if lomiri:
        names = ", ".join(f"`{s['file']}` (from `{Path(s['member']).name}`)" for s in lomiri)
        lines += [
            f"- Wallpaper packages: only `lomiri-wallpapers-16.04` is used: {names}.",
            "  Nothing comes from plasma-workspace-wallpapers, mate-backgrounds, ukui-wallpapers or",
            "  gnome-backgrounds. Training data must leave out the lomiri files named here.",
        ]
    by = [s for s in specs if s["license"].startswith("CC-BY")]
    if by:
        credits = "; ".join(f"`{s['file']}`: {s['author']}, {s['license']}" for s in by)
        lines += [f"- Attribution required (CC BY): {credits}; resized and converted to PNG."]
    lines.append("")
    (out_dir / "ATTRIBUTION.md").write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", required=True, type=Path,
                    help="folder holding one unpacked package per sub-folder, named after the package")
    ap.add_argument("--versions", required=True, type=Path,
                    help="file with one 'package version' pair per line")
    ap.add_argument("--out", required=True, type=Path, help="output folder (datasets/sample)")
    ap.add_argument("--all", action="store_true", help="also build OPTIONAL_IMAGES")
    args = ap.parse_args(argv)

    specs = IMAGES + (OPTIONAL_IMAGES if args.all else [])
    versions = {}
    for line in args.versions.read_text().splitlines():
        if line.strip():
            name, version = line.split(None, 1)
            versions[name] = version.strip()
    missing = sorted({s["package"] for s in specs} - versions.keys())
    if missing:
        print("missing versions for: " + ", ".join(missing), file=sys.stderr)
        return 1

    args.out.mkdir(parents=True, exist_ok=True)
    for old in args.out.glob("*.png"):
        old.unlink()

    manifest_images = []
    total = 0
    for spec in specs:
        im = fit(to_srgb_rgb(load_source(args.root, spec)))
        target = args.out / spec["file"]
        im.save(target, format="PNG", optimize=True)
        data = target.read_bytes()
        total += len(data)
        manifest_images.append({
            "file": spec["file"],
            "width": im.width,
            "height": im.height,
            "sha256": hashlib.sha256(data).hexdigest(),
            "license": spec["license"],
            "objects": spec["objects"],
        })
        print(f"{spec['file']:<20} {im.width}x{im.height} {len(data):>8} B  {spec['license']}")

    manifest = {"name": "sample", "description": DESCRIPTION, "images": manifest_images}
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                            encoding="utf-8")
    write_attribution(args.out, specs, versions)
    print(f"{len(specs)} images, {total} bytes of PNG")
    return 0


if __name__ == "__main__":
    sys.exit(main())
