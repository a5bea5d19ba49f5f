"""Image sizes read from file headers: PNG, GIF, JPEG, WebP and SVG; anything else is unknown."""

import struct
import zlib

from builder.images import image_size


def png(width: int, height: int) -> bytes:
    """A real, minimal PNG file of the given size (one grey channel, all black)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\0" + b"\0" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def jpeg(width: int, height: int) -> bytes:
    """The start of a JPEG: SOI, an APP0 segment, then a baseline start-of-frame with the size."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof + b"\xff\xd9"


def test_png_gif_jpeg_webp_sizes():
    assert image_size(png(640, 427)) == (640, 427)
    assert image_size(b"GIF89a" + struct.pack("<HH", 300, 200) + b"\0" * 8) == (300, 200)
    assert image_size(jpeg(1200, 800)) == (1200, 800)
    vp8x = b"RIFF\0\0\0\0WEBPVP8X" + b"\0" * 8 + (799).to_bytes(3, "little") + (599).to_bytes(3, "little")
    assert image_size(vp8x) == (800, 600)


def test_svg_size_from_attributes_or_view_box():
    assert image_size(b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="120" height="80px">') == (120, 80)
    assert image_size(b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 24"></svg>') == (32, 24)
    assert image_size(b'<svg xmlns="http://www.w3.org/2000/svg" width="100%" height="100%"></svg>') is None


def test_unknown_or_truncated_files_have_no_size():
    assert image_size(b"") is None
    assert image_size(b"plain text") is None
    assert image_size(b"\x89PNG\r\n\x1a\n\0\0") is None
    assert image_size(b"\xff\xd8\xff\xe0\0\x10JFIF") is None
