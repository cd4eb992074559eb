//! The parts every administrative document shares, in the State's format (Decree 30/2020/NĐ-CP,
//! Appendix I) and the Party's (Hướng dẫn 36-HD/VPTW): the two header columns and the signature
//! block with "Nơi nhận". One place, so that a decision and a review report cannot drift apart.

use super::layout::{centered_block, Flow, LEFT, RIGHT};
use super::{wrap_plain, Style, MM};
use crate::commendation::Signature;

/// Centre of the left header column (issuing body, number) and its width.
pub(crate) const L_CX: f32 = LEFT + 33.0 * MM;
pub(crate) const L_W: f32 = 70.0 * MM;
/// Centre of the right header column (national name or the Party's, place and date) and its width.
pub(crate) const R_CX: f32 = LEFT + 116.0 * MM;
pub(crate) const R_W: f32 = 98.0 * MM;
const BODY: f32 = 14.0;

pub(crate) const NATIONAL_NAME: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
pub(crate) const MOTTO: &str = "Độc lập - Tự do - Hạnh phúc";
pub(crate) const PARTY_NAME: &str = "ĐẢNG CỘNG SẢN VIỆT NAM";

/// What the header shows.
pub(crate) struct Header<'a> {
    /// The Party's format: "ĐẢNG CỘNG SẢN VIỆT NAM" top right and "*" under the issuing body.
    pub party: bool,
    pub parent_body: &'a str,
    pub issuing_body: &'a str,
    /// The number line as printed and the place and date beside it (an annex repeats the header
    /// without them).
    pub number_date: Option<(&'a str, &'a str)>,
}

/// Draws the two header columns from `f.y` and leaves `f.y` under them.
pub(crate) fn header(f: &mut Flow, h: &Header) {
    let top = f.y;
    // Left: parent body (regular) and issuing body (bold), 13 pt capitals; the State rules it,
    // the Party puts a "*" under it.
    let mut ly = top;
    if !h.parent_body.trim().is_empty() {
        ly = centered_block(&mut f.c, L_CX, L_W, ly, Style::Regular, 13.0, h.parent_body).0;
    }
    let (mut ly, body_w) = centered_block(&mut f.c, L_CX, L_W, ly, Style::Bold, 13.0, h.issuing_body);
    if h.party {
        ly = centered_block(&mut f.c, L_CX, L_W, ly, Style::Regular, 13.0, "*").0;
    } else {
        f.c.line(L_CX - body_w / 6.0, ly + 1.5, L_CX + body_w / 6.0, ly + 1.5, 0.6);
    }
    // Right: the national name (12 pt) over the motto (13 pt, a rule its length), or the Party's
    // name (15 pt bold capitals, a rule its length).
    let ry = if h.party {
        let (y, w) = centered_block(&mut f.c, R_CX, R_W, top, Style::Bold, 15.0, PARTY_NAME);
        f.c.line(R_CX - w / 2.0, y + 1.0, R_CX + w / 2.0, y + 1.0, 0.6);
        y
    } else {
        let ry = centered_block(&mut f.c, R_CX, R_W, top, Style::Bold, 12.0, NATIONAL_NAME).0;
        let (y, mw) = centered_block(&mut f.c, R_CX, R_W, ry, Style::Bold, 13.0, MOTTO);
        f.c.line(R_CX - mw / 2.0, y + 1.5, R_CX + mw / 2.0, y + 1.5, 0.6);
        y
    };
    let mut y = if h.party { ly.max(ry) + 2.0 } else { ly.max(ry) + 8.0 };
    if let Some((number, place_date)) = h.number_date {
        let ny = centered_block(&mut f.c, L_CX, L_W, y, Style::Regular, 13.0, number).0;
        let dy = centered_block(&mut f.c, R_CX, R_W, y, Style::Italic, 13.0, place_date).0;
        y = ny.max(dy);
    }
    f.y = y;
}

/// "Nơi nhận:" on the left (12 pt bold italic, each recipient 11 pt after "- ", the last ending
/// with "."), the signer on the right: authority and title in bold capitals, room for the
/// signature and seal, the name in bold. Kept together on one page.
pub(crate) fn signature_block(f: &mut Flow, s: &Signature, recipients: &[String]) {
    let recip_lines = recipients.len() as f32 * 11.0 * 1.2 + 20.0;
    let sign_h = 3.0 * BODY * 1.2 + 30.0 * MM;
    f.y += 6.0;
    f.ensure(recip_lines.max(sign_h));
    let top = f.y;
    let mut y = top + 12.0 * 0.9;
    f.c.text(LEFT, y, Style::BoldItalic, 12.0, "Nơi nhận:");
    let n = recipients.len();
    for (i, r) in recipients.iter().enumerate() {
        let item = recipient_item(r, i + 1 == n);
        for (k, line) in wrap_plain(Style::Regular, 11.0, &format!("- {item}"), 66.0 * MM).iter().enumerate() {
            y += 11.0 * 1.2;
            let x = if k == 0 { LEFT } else { LEFT + 2.5 * MM };
            f.c.text(x, y, Style::Regular, 11.0, line);
        }
    }
    let left_end = y + 6.0;
    let mut ry = top;
    if let Some(b) = &s.on_behalf {
        ry = centered_block(&mut f.c, R_CX, R_W, ry, Style::Bold, BODY, b).0;
    }
    ry = centered_block(&mut f.c, R_CX, R_W, ry, Style::Bold, BODY, &s.title).0;
    ry += 28.0 * MM;
    ry = centered_block(&mut f.c, R_CX, R_W, ry, Style::Bold, BODY, &s.name).0;
    f.y = left_end.max(ry);
}

/// A recipient as listed: its own end punctuation replaced by ";" (or "." for the last).
pub(crate) fn recipient_item(r: &str, last: bool) -> String {
    let mut item = r.trim().trim_end_matches([';', '.']).to_string();
    item.push(if last { '.' } else { ';' });
    item
}

/// Centre of the text column (for titles).
pub(crate) const CX: f32 = (LEFT + RIGHT) / 2.0;
