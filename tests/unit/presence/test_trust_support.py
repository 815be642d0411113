"""What the trust features add around the rules: the recap of reviewed and corrected days, photo checks,
device names and ids (no database)."""
from __future__ import annotations

import base64
import io
from datetime import date

import pytest
from PIL import Image

from sipk_shared.errors import ApiError

from presence.directory import office_from_doc
from presence.domain.recap import month_recap
from presence.domain.status import AttendanceStatus as S
from presence.photos import checked_photo
from presence.recaps import day_records
from presence.trust import device_hash, device_label, device_record_id, fingerprint

EVERY_DAY = {"days": {d: {"start": "07:30", "end": "16:00"} for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}}
OFFICE = office_from_doc({"_id": "A", "name": "A", "latitude": 0, "longitude": 0, "radius_m": 50,
                          "timezone": "Asia/Jakarta", "unit_codes": ["UA"], "schedule": EVERY_DAY})


def status_of(check_in, *, closed=None, leave=None, today=date(2026, 3, 10), day="2026-03-03"):
    records = day_records("2026-03", today, OFFICE, {}, {day: check_in} if check_in else {},
                          {day: leave} if leave else {}, {day: closed} if closed else {})
    return {r.date.isoformat(): r for r in records}[day]


def test_a_rejected_check_in_is_tanpa_keterangan_even_today_unless_leave():
    rejected = {"mode": "WFO", "late_minutes": 0, "check_out": {"early_leave_minutes": 0},
                "review": {"state": "rejected"}}
    assert status_of(rejected).status is S.TANPA_KETERANGAN and status_of(rejected).mode is None
    assert status_of(rejected, today=date(2026, 3, 3)).status is S.TANPA_KETERANGAN  # decided, not belum_hadir
    assert status_of(rejected, closed="no_checkout").status is S.TANPA_KETERANGAN
    assert status_of(rejected, leave="sakit").status is S.SAKIT
    for state in ("pending", "accepted"):
        assert status_of({**rejected, "review": {"state": state}}).status is S.HADIR  # counts as present


def test_a_corrected_day_wins_over_the_close():
    corrected = {"mode": "WFO", "late_minutes": 0, "check_out": {"early_leave_minutes": 0}}
    assert status_of(corrected, closed="no_checkout").status is S.HADIR
    assert status_of(corrected, closed="tanpa_keterangan").status is S.HADIR
    assert status_of(None, closed="tanpa_keterangan").status is S.TANPA_KETERANGAN
    assert status_of({**corrected, "check_out": None}, closed="no_checkout").status is S.NO_CHECKOUT
    before = month_recap("n", "2026-03", [status_of({**corrected, "check_out": None}, closed="no_checkout")])
    after = month_recap("n", "2026-03", [status_of(corrected, closed="no_checkout")])
    assert (before.no_checkout_days, before.psw4) == (1, 1) and (after.no_checkout_days, after.psw4) == (0, 0)


# ---------------------------------------------------------------- photos
def image_b64(fmt: str, size=(40, 30), exif: bool = False) -> str:
    image = Image.new("RGB", size, (10, 200, 30))
    out = io.BytesIO()
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x0110] = "Model With GPS"
        kwargs["exif"] = data.tobytes()
    image.save(out, format=fmt, **kwargs)
    return base64.b64encode(out.getvalue()).decode()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_a_jpeg_or_png_is_stored_as_a_clean_jpeg(fmt):
    photo = checked_photo(image_b64(fmt, exif=fmt == "JPEG"), field="selfie", max_bytes=100_000)
    stored = Image.open(io.BytesIO(photo.data))
    assert stored.format == "JPEG" and photo.content_type == "image/jpeg" and not stored.getexif()
    assert (photo.width, photo.height) == (40, 30)


def test_a_large_photo_is_scaled_down():
    photo = checked_photo(image_b64("JPEG", size=(3000, 2000)), field="selfie", max_bytes=2_000_000, max_side=960)
    assert (photo.width, photo.height) == (960, 640)


def _refused(value, max_bytes=100_000) -> str:
    with pytest.raises(ApiError) as err:
        checked_photo(value, field="selfie", max_bytes=max_bytes)
    assert err.value.status == 422 and "selfie" in err.value.errors
    return err.value.error


def test_what_is_not_a_jpeg_or_png_is_refused():
    gif = io.BytesIO()
    Image.new("RGB", (4, 4)).save(gif, format="GIF")
    assert _refused(base64.b64encode(gif.getvalue()).decode()) == "unsupported_file_type"
    assert _refused(base64.b64encode(b"%PDF-1.4").decode()) == "unsupported_file_type"
    jpeg = base64.b64decode(image_b64("JPEG"))
    assert _refused(base64.b64encode(jpeg[: len(jpeg) // 2]).decode()) == "unsupported_file_type"  # truncated
    png_named_jpeg = b"\xff\xd8\xff" + base64.b64decode(image_b64("PNG"))[3:]
    assert _refused(base64.b64encode(png_named_jpeg).decode()) == "unsupported_file_type"
    assert _refused("not base64 at all!") == "invalid_photo"
    assert _refused(image_b64("JPEG", size=(400, 400)), max_bytes=500) == "photo_too_large"


def test_a_decompression_bomb_is_refused_before_decoding():
    # a PNG declaring 7,000 x 7,000 pixels (49 M) in a few kilobytes
    bomb = io.BytesIO()
    Image.new("1", (7_000, 7_000)).save(bomb, format="PNG")
    assert _refused(base64.b64encode(bomb.getvalue()).decode(), max_bytes=200_000) == "unsupported_file_type"


# ---------------------------------------------------------------- devices
def test_device_ids_are_hashed_and_records_derived():
    hashed = device_hash("3f1e5c1a-0000-4000-8000-000000000001")
    assert len(hashed) == 64 and "3f1e5c1a" not in hashed
    assert fingerprint(hashed) == hashed[:12] and fingerprint(None) is None
    assert device_record_id("198001012005011001", hashed) == device_record_id("198001012005011001", hashed)
    assert device_record_id("198001012005011001", hashed) != device_record_id("198001012005011002", hashed)


@pytest.mark.parametrize("ua, label", [
    ("Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile "
     "Safari/537.36", "Chrome · Android"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 "
     "Mobile/15E148 Safari/604.1", "Safari · iPhone"),
    ("Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 SamsungBrowser/25.0 Chrome/121.0 Mobile Safari/537.36",
     "Samsung Internet · Android"),
    (None, "?"), ("<script>", "?"),
])
def test_device_label(ua, label):
    assert device_label(ua) == label
