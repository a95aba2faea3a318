#!/usr/bin/env python3
"""A tiny text-to-PDF writer for imrlint's PDF fixtures: one Courier line per text line,
pages split at form feeds and every 60 lines, standard (unembedded) Type 1 font with
WinAnsiEncoding, uncompressed streams. `--image-only` writes a page holding only a grey
image, as a scan without OCR has (no text layer).
Usage: text_to_pdf.py IN.txt OUT.pdf   |   text_to_pdf.py --image-only OUT.pdf
"""
import sys


def esc(line):
    line = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return line.encode("cp1252", errors="replace")


def pages_of(text):
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pages = []
    for chunk in text.split("\x0c"):
        lines = chunk.split("\n")
        for i in range(0, max(len(lines), 1), 60):
            pages.append(lines[i:i + 60])
    return pages


def content_for(lines):
    out = [b"BT /F1 10 Tf 12 TL 40 780 Td"]
    for line in lines:
        out.append(b"(" + esc(line.rstrip()) + b") Tj T*")
    out.append(b"ET")
    return b"\n".join(out)


def image_content():
    return b"q 500 700 0 0 50 50 cm /Im1 Do Q"


def write_pdf(path, contents, image=False):
    objs = []  # object bodies, numbered from 1

    def add(body):
        objs.append(body)
        return len(objs)

    catalog = add(None)
    pages = add(None)
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>")
    img = None
    if image:
        data = bytes((x * 7 + y * 3) % 256 for y in range(64) for x in range(64))
        img = add(b"<< /Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray "
                  b"/BitsPerComponent 8 /Length %d >>\nstream\n" % len(data) + data + b"\nendstream")
    kids = []
    for c in contents:
        stream = add(b"<< /Length %d >>\nstream\n" % len(c) + c + b"\nendstream")
        res = b"<< /Font << /F1 %d 0 R >> >>" % font if img is None else b"<< /XObject << /Im1 %d 0 R >> >>" % img
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources %s /Contents %d 0 R >>"
                        % (pages, res, stream)))
    objs[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages
    objs[pages - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offsets:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, catalog, xref)
    with open(path, "wb") as f:
        f.write(out)


if __name__ == "__main__":
    if sys.argv[1] == "--image-only":
        write_pdf(sys.argv[2], [image_content()], image=True)
    else:
        with open(sys.argv[1], encoding="utf-8", newline="") as f:
            text = f.read()
        write_pdf(sys.argv[2], [content_for(p) for p in pages_of(text)])
