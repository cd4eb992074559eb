//! Certificates (Giấy khen / Bằng khen) on A4 landscape: fully rendered (frame, national name,
//! issuer, title and the variable text), or only the variable text at a unit's calibrated
//! positions for its pre-printed blanks. Every field has a fixed anchor, so a long name or
//! achievement grows downwards inside its own field and never moves the others (as on a blank).

use super::{place_and_date, short_date, CertificateDoc, OffsetMm, OverlayCalibration};
use crate::pdf::layout::{draw_lines, Align};
use crate::pdf::{run, wrap, Canvas, Style, A4_H, A4_W, MM};

/// Landscape: the long side across.
const W: f32 = A4_H;
const H: f32 = A4_W;
const CX: f32 = W / 2.0;
/// Width of the centred text fields.
const FIELD_W: f32 = 235.0 * MM;
/// Centre of the signature column.
const SIGN_CX: f32 = 207.0 * MM;
const SIGN_W: f32 = 110.0 * MM;

/// Anchors (top of the field's first line, in mm from the top of the page) of the variable fields.
const Y_NAME: f32 = 93.0;
const Y_DETAIL: f32 = 106.0;
const Y_ACHIEVEMENT: f32 = 117.0;
const Y_PLACE_DATE: f32 = 146.0;
const Y_SIGNER: f32 = 154.0;
const Y_SIGNER_NAME: f32 = 183.0;
const Y_DECISION: f32 = 170.0;
const Y_REGISTER: f32 = 177.0;
const DECISION_X: f32 = 28.0 * MM;

fn centered(c: &mut Canvas, (cx, width): (f32, f32), y_mm: f32, o: OffsetMm, style: Style, size: f32, text: &str) -> f32 {
    let lines = wrap(&[run(style, text)], size, width, 0.0);
    let x = cx - width / 2.0 + o.dx * MM;
    draw_lines(c, (x, width), (y_mm + o.dy) * MM, &lines, size, Align::Center, 0.0)
}

fn add(a: OffsetMm, b: OffsetMm) -> OffsetMm {
    OffsetMm { dx: a.dx + b.dx, dy: a.dy + b.dy }
}

/// The fixed parts of the certificate (what a pre-printed blank already carries).
fn fixed(c: &mut Canvas, d: &CertificateDoc) {
    c.rect(10.0 * MM, 10.0 * MM, W - 20.0 * MM, H - 20.0 * MM, 2.0);
    c.rect(13.0 * MM, 13.0 * MM, W - 26.0 * MM, H - 26.0 * MM, 0.6);
    let z = OffsetMm::default();
    let y = centered(c, (CX, FIELD_W), 21.0, z, Style::Bold, 14.0, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    let motto = "Độc lập - Tự do - Hạnh phúc";
    let y = centered(c, (CX, FIELD_W), y / MM, z, Style::Bold, 15.0, motto);
    let mw = crate::pdf::text_width(Style::Bold, 15.0, motto);
    c.line(CX - mw / 2.0, y + 1.5, CX + mw / 2.0, y + 1.5, 0.6);
    let y = centered(c, (CX, FIELD_W), 43.0, z, Style::Bold, 16.0, &d.issuer);
    centered(c, (CX, FIELD_W), y / MM + 2.0, z, Style::Bold, 16.0, d.kind.verb());
    // A title's name is longer than "GIẤY KHEN": it shrinks to stay on one line.
    let size = fit_size(Style::Bold, d.kind.title(), FIELD_W, 42.0, 24.0);
    centered(c, (CX, FIELD_W), 68.0, z, Style::Bold, size, d.kind.title());
}

/// The largest size from `max` down to `min` points at which `text` fits on one line of `width`.
fn fit_size(style: Style, text: &str, width: f32, max: f32, min: f32) -> f32 {
    let mut size = max;
    while size > min && crate::pdf::text_width(style, size, &crate::pdf::nfc(text)) > width {
        size -= 1.0;
    }
    size
}

/// The variable text of the certificate, each field shifted by the calibration (none when the
/// certificate is fully rendered). A field starts at its anchor, or under the field above when
/// that one ran long (a long name first shrinks, down to 16 pt, then wraps).
fn variable(c: &mut Canvas, d: &CertificateDoc, cal: &OverlayCalibration) {
    let p = cal.page;
    let gap = 2.0;
    let at = |anchor_mm: f32, o: OffsetMm, prev_end: f32| ((anchor_mm + o.dy) * MM).max(prev_end + gap) / MM - o.dy;
    let o = add(p, cal.recipient_name);
    let size = fit_size(Style::BoldItalic, &d.recipient_name, FIELD_W, 24.0, 16.0);
    let mut end = centered(c, (CX, FIELD_W), Y_NAME, o, Style::BoldItalic, size, &d.recipient_name);
    if !d.recipient_detail.trim().is_empty() {
        let o = add(p, cal.recipient_detail);
        end = centered(c, (CX, FIELD_W), at(Y_DETAIL, o, end), o, Style::Italic, 16.0, &d.recipient_detail);
    }
    let o = add(p, cal.achievement);
    centered(c, (CX, FIELD_W), at(Y_ACHIEVEMENT, o, end), o, Style::Italic, 16.0, &d.achievement);
    let pd = place_and_date(&d.place, d.date);
    centered(c, (SIGN_CX, SIGN_W), Y_PLACE_DATE, add(p, cal.place_date), Style::Italic, 14.0, &pd);
    let o = add(p, cal.signer);
    let mut y = Y_SIGNER;
    if let Some(b) = &d.signature.on_behalf {
        y = centered(c, (SIGN_CX, SIGN_W), y, o, Style::Bold, 14.0, b) / MM - o.dy;
    }
    centered(c, (SIGN_CX, SIGN_W), y, o, Style::Bold, 14.0, &d.signature.title);
    centered(c, (SIGN_CX, SIGN_W), Y_SIGNER_NAME, o, Style::Bold, 15.0, &d.signature.name);
    let o = add(p, cal.decision);
    let decision = format!("Quyết định số {}, ngày {}", d.decision_number, short_date(d.decision_date));
    c.text(DECISION_X + o.dx * MM, (Y_DECISION + o.dy) * MM + 12.0, Style::Regular, 13.0, &crate::pdf::nfc(&decision));
    if let Some(r) = &d.register_number {
        let o = add(p, cal.register_number);
        c.text(
            DECISION_X + o.dx * MM,
            (Y_REGISTER + o.dy) * MM + 12.0,
            Style::Regular,
            13.0,
            &crate::pdf::nfc(&format!("Số sổ: {r}")),
        );
    }
}

fn render(batch: &[CertificateDoc], overlay: Option<&OverlayCalibration>) -> Vec<u8> {
    let title = match (batch.first(), overlay) {
        (Some(d), None) => format!("{} — {}", d.kind.title(), d.decision_number),
        (Some(d), Some(_)) => format!("{} (in trên phôi) — {}", d.kind.title(), d.decision_number),
        (None, _) => "GIẤY KHEN".to_string(),
    };
    let mut c = Canvas::new(&title);
    let none = OverlayCalibration::default();
    for d in batch {
        c.add_page(W, H);
        match overlay {
            None => {
                fixed(&mut c, d);
                variable(&mut c, d, &none);
            }
            Some(cal) => variable(&mut c, d, cal),
        }
    }
    c.finish()
}

/// One certificate, print-ready on A4 landscape.
pub fn certificate_pdf(d: &CertificateDoc) -> Vec<u8> {
    render(std::slice::from_ref(d), None)
}

/// A batch (the certificates of a decision), one A4 landscape page each.
pub fn certificates_pdf(batch: &[CertificateDoc]) -> Vec<u8> {
    render(batch, None)
}

/// Only the variable text of each certificate (name, position, achievement, decision, register
/// number, place and date, signer), shifted by the unit's calibration, for its pre-printed blanks.
pub fn certificates_overlay_pdf(batch: &[CertificateDoc], calibration: &OverlayCalibration) -> Vec<u8> {
    render(batch, Some(calibration))
}
