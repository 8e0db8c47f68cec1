"""Pictures the public petition pages serve: thumbnails of photo attachments, the
Open Graph card a shared link shows, and the QR code for posters. Generated on first
request with Pillow and segno (pure Python), then kept: thumbnails as files under
MEDIA (an attachment never changes), cards in the cache (they show a live count)."""

from __future__ import annotations

import io
import logging
from pathlib import Path

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from .models import Attachment, Petition

logger = logging.getLogger(__name__)

THUMBNAIL_PX = 480  # the longer side; shown at up to 240 CSS px, sharp on 2x screens
CARD_SIZE = (1200, 630)  # what Facebook, Telegram and X expect of og:image
CARD_SECONDS = 600
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/local/share/fonts")


def is_image(attachment: Attachment) -> bool:
    return attachment.content_type.startswith("image/")


def thumbnail_name(attachment: Attachment) -> str:
    return f"petition-thumbs/{attachment.hromada_id}/{attachment.pk}-{THUMBNAIL_PX}.jpg"


def thumbnail(attachment: Attachment) -> str | None:
    """The storage name of the attachment's thumbnail (a JPEG no larger than
    THUMBNAIL_PX), written once; None when the file is no image Pillow can read."""
    from PIL import Image, ImageOps

    name = thumbnail_name(attachment)
    if default_storage.exists(name):
        return name
    try:
        with attachment.file.open("rb") as source, Image.open(source) as opened:
            image: Image.Image = ImageOps.exif_transpose(opened)  # phone photos carry their rotation
            image.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
            if image.mode not in ("RGB", "L"):
                flat = Image.new("RGB", image.size, "white")  # transparency on white, as the page
                flat.paste(image, mask=image.convert("RGBA").getchannel("A"))
                image = flat
            out = io.BytesIO()
            image.save(out, "JPEG", quality=82, optimize=True, progressive=True)
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        logger.warning("no thumbnail for attachment %s: %s", attachment.pk, exc)
        return None
    saved = default_storage.save(name, ContentFile(out.getvalue()))
    if saved != name:  # another process wrote it meanwhile: keep theirs
        default_storage.delete(saved)
    return name


def _font(size: int, *, bold: bool = False):
    from PIL import ImageFont

    filename = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        path = Path(folder) / filename
        if path.exists():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def card_png(
    *, petition: Petition, count: int, hromada_name: str, progress_text: str, language: str
) -> bytes:
    """The petition's share card: its hromada, number and title, a progress bar and
    "N з M підписів". Kept in the cache per count, so a shared link at a peak costs one
    drawing per new count, not one per crawler."""
    key = f"petition:{petition.pk}:card:{petition.status}:{count}:{language}"
    png = cache.get(key)
    if png is None:
        png = _draw_card(
            petition=petition, count=count, hromada_name=hromada_name, progress_text=progress_text
        )
        cache.set(key, png, CARD_SECONDS)
    return png


def _draw_card(*, petition: Petition, count: int, hromada_name: str, progress_text: str) -> bytes:
    from PIL import Image, ImageDraw

    width, height = CARD_SIZE
    brand, ink, ok, soft = (11, 79, 156), (27, 31, 36), (29, 107, 53), (243, 245, 248)
    image = Image.new("RGB", CARD_SIZE, "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, 96), fill=brand)
    draw.text((60, 28), hromada_name[:60], font=_font(34, bold=True), fill="white")
    title_font = _font(54, bold=True)
    lines = _wrap(f"№{petition.number}. {petition.title}", title_font, width - 120, max_lines=4)
    y = 140
    for line in lines:
        draw.text((60, y), line, font=title_font, fill=ink)
        y += 68
    bar_top = height - 150
    draw.rounded_rectangle(
        (60, bar_top, width - 60, bar_top + 36), radius=18, fill=soft, outline=(207, 214, 222)
    )
    share = min(1.0, count / petition.threshold) if petition.threshold else 0.0
    if share > 0:
        right = 60 + max(36, int((width - 120) * share))
        draw.rounded_rectangle((60, bar_top, right, bar_top + 36), radius=18, fill=ok)
    draw.text((60, bar_top + 56), progress_text, font=_font(38, bold=True), fill=ink)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _wrap(text: str, font, max_width: int, *, max_lines: int) -> list[str]:
    """Words into lines no wider than max_width pixels; an ellipsis if it does not fit."""
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= max_width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        while lines[-1] and font.getlength(lines[-1] + "…") > max_width:
            lines[-1] = lines[-1][:-1]
        lines[-1] = lines[-1].rstrip() + "…"
    return lines


def qr_svg(url: str, *, title: str = "") -> bytes:
    """A QR code of `url` as SVG (scales for print); the error correction survives a
    crumpled poster."""
    import segno

    out = io.BytesIO()
    segno.make(url, error="q").save(
        out, kind="svg", border=2, xmldecl=False, omitsize=True, title=title or None, dark="#1b1f24"
    )
    return out.getvalue()
