"""Pixel sizes of images, read from their headers at build time so pages can reserve their space."""

import re
import struct

JPEG_SIZE_MARKERS = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
SVG_LENGTH = r'\s{}="\s*([0-9.]+)(?:px)?\s*"'


def image_sizes(static: dict[str, bytes]) -> dict[str, tuple[int, int]]:
    """The size of each picture among the static files, by path; files that are no picture are left out."""
    return {path: size for path, data in static.items() if (size := image_size(data))}


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG, GIF, JPEG, WebP or SVG image; None when the header is not understood."""
    try:
        if data.startswith(b"\x89PNG\r\n\x1a\n"):
            return struct.unpack(">II", data[16:24])
        if data[:6] in (b"GIF87a", b"GIF89a"):
            return struct.unpack("<HH", data[6:10])
        if data.startswith(b"\xff\xd8"):
            return jpeg_size(data)
        if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            return webp_size(data)
        if b"<svg" in data[:1024]:
            return svg_size(data.decode("utf-8", errors="replace"))
    except (struct.error, IndexError, ValueError):
        return None
    return None


def jpeg_size(data: bytes) -> tuple[int, int] | None:
    """The size in the first start-of-frame segment of a JPEG."""
    at = 2
    while at + 9 < len(data):
        if data[at] != 0xFF:
            return None
        marker, length = data[at + 1], struct.unpack(">H", data[at + 2:at + 4])[0]
        if marker in JPEG_SIZE_MARKERS:
            height, width = struct.unpack(">HH", data[at + 5:at + 9])
            return width, height
        at += 2 + length
    return None


def webp_size(data: bytes) -> tuple[int, int] | None:
    """The size of a lossy (VP8), lossless (VP8L) or extended (VP8X) WebP."""
    chunk = data[12:16]
    if chunk == b"VP8 ":
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L":
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":
        return int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1
    return None


def svg_size(text: str) -> tuple[int, int] | None:
    """The width and height attributes of an SVG root, else the size of its viewBox."""
    root = re.search(r"<svg\b[^>]*>", text)
    if not root:
        return None
    tag = root.group(0)
    width, height = re.search(SVG_LENGTH.format("width"), tag), re.search(SVG_LENGTH.format("height"), tag)
    if width and height:
        return round(float(width.group(1))), round(float(height.group(1)))
    box = re.search(r'\sviewBox="\s*[-0-9.]+[\s,]+[-0-9.]+[\s,]+([0-9.]+)[\s,]+([0-9.]+)\s*"', tag)
    return (round(float(box.group(1))), round(float(box.group(2)))) if box else None
