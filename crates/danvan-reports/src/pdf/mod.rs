//! A small PDF layer for danvan's documents: the four Liberation Serif faces embedded (subsetted,
//! Identity-H, with a ToUnicode map so that every Vietnamese letter is extractable), text measured
//! from the font's own advances, greedy line wrapping and justified lines.
//!
//! Text is NFC-normalised before it is laid out: every Vietnamese letter has a precomposed
//! code point and a glyph of its own in Liberation Serif 2, so one character is one glyph and no
//! shaping engine is needed (no ligatures are used, kerning is not applied — as in Word's default).

pub(crate) mod admin;
pub(crate) mod layout;
mod writer;

pub(crate) use writer::Canvas;

use std::sync::OnceLock;
use ttf_parser::Face;
use unicode_normalization::UnicodeNormalization;

/// Points per millimetre.
pub(crate) const MM: f32 = 72.0 / 25.4;
/// A4 portrait, in points.
pub(crate) const A4_W: f32 = 210.0 * MM;
pub(crate) const A4_H: f32 = 297.0 * MM;

/// One of the four faces of Liberation Serif.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Style {
    Regular,
    Bold,
    Italic,
    BoldItalic,
}

impl Style {
    pub(crate) const ALL: [Style; 4] = [Style::Regular, Style::Bold, Style::Italic, Style::BoldItalic];

    pub(crate) fn index(self) -> usize {
        match self {
            Style::Regular => 0,
            Style::Bold => 1,
            Style::Italic => 2,
            Style::BoldItalic => 3,
        }
    }

    pub(crate) fn postscript_name(self) -> &'static str {
        match self {
            Style::Regular => "LiberationSerif",
            Style::Bold => "LiberationSerif-Bold",
            Style::Italic => "LiberationSerif-Italic",
            Style::BoldItalic => "LiberationSerif-BoldItalic",
        }
    }
}

/// The font files, compiled in (see fonts/README.md for where they come from and their licence).
pub(crate) static FONT_DATA: [&[u8]; 4] = [
    include_bytes!("../../fonts/LiberationSerif-Regular.ttf"),
    include_bytes!("../../fonts/LiberationSerif-Bold.ttf"),
    include_bytes!("../../fonts/LiberationSerif-Italic.ttf"),
    include_bytes!("../../fonts/LiberationSerif-BoldItalic.ttf"),
];

pub(crate) fn faces() -> &'static [Face<'static>; 4] {
    static FACES: OnceLock<[Face<'static>; 4]> = OnceLock::new();
    FACES.get_or_init(|| FONT_DATA.map(|data| Face::parse(data, 0).expect("the embedded Liberation Serif parses")))
}

pub(crate) fn face(style: Style) -> &'static Face<'static> {
    &faces()[style.index()]
}

/// The glyph of `c` in `style` (a missing character becomes '?', never an invisible .notdef).
pub(crate) fn glyph(style: Style, c: char) -> (u16, char) {
    let f = face(style);
    match f.glyph_index(c) {
        Some(g) => (g.0, c),
        None => (f.glyph_index('?').map(|g| g.0).unwrap_or(0), '?'),
    }
}

/// Advance of a glyph in 1/1000 em.
pub(crate) fn advance_milli(style: Style, gid: u16) -> f32 {
    let f = face(style);
    let adv = f.glyph_hor_advance(ttf_parser::GlyphId(gid)).unwrap_or(0) as f32;
    adv * 1000.0 / f.units_per_em() as f32
}

/// Width of `text` set in `style` at `size` points, in points.
pub(crate) fn text_width(style: Style, size: f32, text: &str) -> f32 {
    text.chars().map(|c| advance_milli(style, glyph(style, c).0)).sum::<f32>() * size / 1000.0
}

/// `s` in NFC, control characters turned into spaces except '\n' (a forced line break).
pub(crate) fn nfc(s: &str) -> String {
    s.nfc().map(|c| if c.is_control() && c != '\n' { ' ' } else { c }).collect()
}

/// A piece of text in one face: a paragraph is a list of runs.
#[derive(Debug, Clone)]
pub(crate) struct Run {
    pub style: Style,
    pub text: String,
}

pub(crate) fn run(style: Style, text: &str) -> Run {
    Run { style, text: nfc(text) }
}

/// A word (or a part of one in another face) of a laid-out line.
#[derive(Debug, Clone)]
pub(crate) struct Piece {
    pub style: Style,
    pub text: String,
    /// A space follows this piece (it is not drawn at the end of a line).
    pub space_after: bool,
    pub width: f32,
}

/// One line of a wrapped paragraph.
#[derive(Debug, Clone, Default)]
pub(crate) struct Line {
    pub pieces: Vec<Piece>,
}

impl Line {
    /// Natural width (single spaces), in points.
    pub(crate) fn width(&self, size: f32) -> f32 {
        let n = self.pieces.len();
        self.pieces
            .iter()
            .enumerate()
            .map(|(i, p)| p.width + if p.space_after && i + 1 < n { text_width(p.style, size, " ") } else { 0.0 })
            .sum()
    }

    pub(crate) fn gaps(&self) -> usize {
        let n = self.pieces.len();
        self.pieces.iter().take(n.saturating_sub(1)).filter(|p| p.space_after).count()
    }
}

/// Splits runs into pieces at spaces; a word that is wider than `max` is cut into pieces that fit.
fn pieces(runs: &[Run], size: f32, max: f32) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    for r in runs {
        let mut word = String::new();
        let flush = |word: &mut String, space: bool, out: &mut Vec<Piece>| {
            if word.is_empty() {
                if space {
                    if let Some(last) = out.last_mut() {
                        last.space_after = true;
                    }
                }
                return;
            }
            // Cut an over-long word by characters, its width summed as it grows (measuring every
            // prefix again was quadratic: a word of 20,000 combining marks took a minute).
            let mut part = String::new();
            let mut width = 0.0;
            for c in word.chars() {
                let w = text_width(r.style, size, c.encode_utf8(&mut [0; 4]));
                if width + w > max && !part.is_empty() {
                    out.push(Piece { style: r.style, width, text: std::mem::take(&mut part), space_after: false });
                    width = 0.0;
                }
                part.push(c);
                width += w;
            }
            out.push(Piece { style: r.style, width, text: part, space_after: space });
            word.clear();
        };
        for c in r.text.chars() {
            if c == '\n' {
                flush(&mut word, false, &mut out);
                out.push(Piece { style: r.style, text: "\n".into(), space_after: false, width: 0.0 });
            } else if c == ' ' {
                flush(&mut word, true, &mut out);
            } else {
                word.push(c);
            }
        }
        flush(&mut word, false, &mut out);
    }
    out
}

/// Greedy wrapping of `runs` into lines at most `max` points wide (a first line indented by
/// `indent` points has that much less room); '\n' forces a line break.
pub(crate) fn wrap(runs: &[Run], size: f32, max: f32, indent: f32) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut cur = Line::default();
    // The current line's natural width, kept as pieces are added (measuring the whole line for
    // each piece was quadratic in the pieces a line holds).
    let mut cur_w = 0.0;
    let gap = |p: &Piece| if p.space_after { text_width(p.style, size, " ") } else { 0.0 };
    let mut room = max - indent;
    for p in pieces(runs, size, max) {
        if p.text == "\n" {
            lines.push(std::mem::take(&mut cur));
            cur_w = 0.0;
            room = max;
            continue;
        }
        let added = cur.pieces.last().map(gap).unwrap_or(0.0) + p.width;
        // A piece glued to the previous one (no space) belongs to the same word: keep them together.
        if cur_w + added <= room + 0.01 || cur.pieces.is_empty() {
            cur_w += added;
            cur.pieces.push(p);
            continue;
        }
        // Move the trailing glued pieces (the start of this word) to the next line.
        let mut carry = vec![p];
        while let Some(last) = cur.pieces.last() {
            if last.space_after || cur.pieces.len() == 1 {
                break;
            }
            carry.insert(0, cur.pieces.pop().expect("non-empty"));
        }
        lines.push(std::mem::take(&mut cur));
        room = max;
        cur.pieces = carry;
        cur_w = cur.width(size);
    }
    if !cur.pieces.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Wrapped plain text in one face.
pub(crate) fn wrap_plain(style: Style, size: f32, text: &str, max: f32) -> Vec<String> {
    wrap(&[run(style, text)], size, max, 0.0).into_iter().map(|l| line_text(&l)).collect()
}

pub(crate) fn line_text(l: &Line) -> String {
    let mut s = String::new();
    let n = l.pieces.len();
    for (i, p) in l.pieces.iter().enumerate() {
        s.push_str(&p.text);
        if p.space_after && i + 1 < n {
            s.push(' ');
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_every_line_within_the_width_and_loses_no_text() {
        let text = "Ban công tác Mặt trận Tổ quốc Việt Nam khu dân cư số 12 phường Hoàn Kiếm, \
                    thành phố Hà Nội, nhiệm kỳ 2024 - 2029";
        let max = 200.0;
        let lines = wrap(&[run(Style::Bold, text)], 14.0, max, 0.0);
        assert!(lines.len() >= 3, "{} lines", lines.len());
        for l in &lines {
            assert!(l.width(14.0) <= max + 0.01, "{} is {} pt", line_text(l), l.width(14.0));
        }
        let joined: Vec<String> = lines.iter().map(line_text).collect();
        assert_eq!(joined.join(" "), text);
    }

    #[test]
    fn a_forced_break_and_an_overlong_word_are_honoured() {
        let lines = wrap_plain(Style::Regular, 13.0, "ỦY BAN NHÂN DÂN\nPHƯỜNG CỬA NAM", 400.0);
        assert_eq!(lines, vec!["ỦY BAN NHÂN DÂN", "PHƯỜNG CỬA NAM"]);
        let long = "Nguyễn".repeat(20);
        let lines = wrap_plain(Style::Regular, 12.0, &long, 100.0);
        assert!(lines.len() > 1);
        assert_eq!(lines.concat(), long);
        assert!(lines.iter().all(|l| text_width(Style::Regular, 12.0, l) <= 100.0));
    }

    #[test]
    fn a_word_of_combining_marks_and_a_line_of_empty_words_wrap_in_linear_time() {
        // 20,000 marks on one letter (NFC cannot compose them away), and 10,000 of them alone:
        // each took a minute when every prefix and every line was measured again.
        let marks = nfc(&format!("a{}", "\u{301}".repeat(20_000)));
        let lines = wrap(&[run(Style::Regular, &marks)], 12.0, 400.0, 0.0);
        assert_eq!(lines.iter().map(line_text).collect::<String>(), marks);
        let lonely = "\u{301} ".repeat(10_000);
        let lines = wrap(&[run(Style::Regular, &lonely)], 12.0, 400.0, 0.0);
        assert!(lines.iter().all(|l| l.width(12.0) <= 400.01));
        assert_eq!(lines.iter().map(|l| l.pieces.len()).sum::<usize>(), 10_000);
    }

    #[test]
    fn widths_come_from_the_font_and_every_vietnamese_letter_has_a_glyph() {
        // Liberation Serif is metric-compatible with Times New Roman: "m" is 778/1000 em.
        assert!((text_width(Style::Regular, 10.0, "m") - 7.78).abs() < 0.01);
        let letters = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ";
        for c in letters.chars().chain(letters.to_uppercase().chars()) {
            for s in Style::ALL {
                assert_eq!(glyph(s, c).1, c, "{c} missing in {s:?}");
            }
        }
        assert_eq!(nfc("Nguye\u{302}\u{303}n"), "Nguyễn");
    }
}
