//! Vietnamese text: NFC normalisation, diacritic-insensitive folding for search, and a sort key
//! that gives Vietnamese alphabetical order on any database (compared byte-wise).

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// NFC-normalise, trim and collapse inner whitespace: the form every name is stored in.
pub fn clean(s: &str) -> String {
    let nfc: String = s.nfc().filter(|c| !c.is_control() || c.is_whitespace()).collect();
    nfc.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// NFC-normalise form input, keeping line breaks (for descriptions) but trimming the ends.
pub fn clean_multiline(s: &str) -> String {
    // Control characters (NUL above all, which PostgreSQL refuses) never reach storage.
    let nfc: String = s.nfc().filter(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t')).collect();
    nfc.replace("\r\n", "\n").trim().to_string()
}

/// The first words of `s` up to about `max` characters, cut at a word boundary, with "…" when
/// shortened (titles made from descriptions).
pub fn excerpt(s: &str, max: usize) -> String {
    let s = clean(s);
    if s.chars().count() <= max {
        return s;
    }
    let mut out = String::new();
    for w in s.split(' ') {
        if out.chars().count() + w.chars().count() + 1 > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    if out.is_empty() {
        out = s.chars().take(max).collect();
    }
    format!("{}…", out.trim_end_matches([',', '.', ';', ':']))
}

/// Lowercase → NFD → strip combining marks → đ→d. "Đường Công Viên" → "duong cong vien".
pub fn fold(s: &str) -> String {
    s.to_lowercase().nfd().filter(|c| !is_combining_mark(*c)).map(|c| if c == 'đ' { 'd' } else { c }).collect()
}

/// Base letters in Vietnamese alphabetical order. Letters outside this list sort after it,
/// digits before it.
const ALPHABET: &[&str] = &[
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "ô", "ơ", "p", "q", "r", "s",
    "t", "u", "ư", "v", "w", "x", "y", "z",
];

/// Tone marks in dictionary order: ngang (none), huyền, hỏi, ngã, sắc, nặng.
fn tone_rank(mark: char) -> Option<u8> {
    match mark {
        '\u{300}' => Some(1), // huyền (grave)
        '\u{309}' => Some(2), // hỏi (hook above)
        '\u{303}' => Some(3), // ngã (tilde)
        '\u{301}' => Some(4), // sắc (acute)
        '\u{323}' => Some(5), // nặng (dot below)
        _ => None,
    }
}

/// Split a lowercase char (after NFD of one grapheme) into its base letter (with the letter-forming
/// marks breve, circumflex, horn and the stroke of đ kept) and its tone rank.
fn letter_and_tone(c: char) -> (String, u8) {
    let mut base = String::new();
    let mut tone = 0u8;
    for m in c.to_lowercase().collect::<String>().nfd() {
        match tone_rank(m) {
            Some(t) => tone = t,
            None => base.push(m),
        }
    }
    (base.nfc().collect(), tone)
}

/// An ASCII key such that comparing keys byte-wise gives Vietnamese dictionary order:
/// first by letters (a < ă < â < b … d < đ …), then by tones left to right, then by case.
/// Stored beside names so SQLite and PostgreSQL (with COLLATE "C") sort alike.
pub fn sort_key(s: &str) -> String {
    let s = clean(s);
    let mut primary = String::with_capacity(s.len() * 2);
    let mut tones = String::with_capacity(s.len());
    let mut case = String::with_capacity(s.len());
    for c in s.nfc() {
        let (base, tone) = letter_and_tone(c);
        if c.is_whitespace() {
            primary.push_str("  ");
            continue;
        }
        if let Some(i) = ALPHABET.iter().position(|l| *l == base) {
            // 'a'.. two ASCII characters per letter keep each unit the same width.
            primary.push('L');
            primary.push((b'A' + i as u8) as char);
            tones.push((b'0' + tone) as char);
            case.push(if c.is_uppercase() { '1' } else { '0' });
        } else if c.is_ascii_digit() {
            primary.push('D');
            primary.push(c);
        } else if c.is_ascii_punctuation() {
            primary.push('!');
            primary.push(c);
        } else {
            // Any other character: after letters, by code point (hex keeps it ASCII).
            primary.push('Z');
            primary.push_str(&format!("{:06x}", c as u32));
        }
    }
    // The separator sorts below every unit character, so "an" < "anh".
    format!("{primary}\u{1}{tones}\u{1}{case}").replace('\u{1}', "\t")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn fold_strips_diacritics_and_d_stroke() {
        assert_eq!(fold("Đường Công Viên"), "duong cong vien");
        assert_eq!(fold("PHƯỜNG CỬA NAM"), "phuong cua nam");
        assert_eq!(fold("Thành phố Hồ Chí Minh"), "thanh pho ho chi minh");
    }

    #[test]
    fn excerpts_cut_between_words() {
        assert_eq!(excerpt("Cống thoát nước bị tắc, nước tràn", 20), "Cống thoát nước bị…");
        assert_eq!(excerpt("ngắn", 20), "ngắn");
    }

    #[test]
    fn control_characters_are_dropped() {
        assert_eq!(clean("Phường\0 A\u{7}"), "Phường A");
        assert_eq!(clean_multiline("dòng 1\r\ndòng\0 2"), "dòng 1\ndòng 2");
    }

    #[test]
    fn clean_normalises_to_nfc_and_collapses_spaces() {
        let decomposed = "Cu\u{301}a  Nam ";
        assert_eq!(clean(decomposed), "Cúa Nam");
        assert_eq!(clean("Phường\u{0020}\u{0020}Hoàn   Kiếm"), "Phường Hoàn Kiếm");
    }

    fn sorted(words: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = words.iter().map(|s| s.to_string()).collect();
        v.sort_by_key(|w| sort_key(w));
        v
    }

    #[test]
    fn letters_follow_the_vietnamese_alphabet() {
        assert_eq!(
            sorted(&["đa", "da", "ăn", "an", "ân", "ơn", "on", "ôn", "ưa", "ua", "Bắc"]),
            vec!["an", "ăn", "ân", "Bắc", "da", "đa", "on", "ôn", "ơn", "ua", "ưa"]
        );
    }

    #[test]
    fn tones_follow_letters_in_dictionary_order() {
        // ngang, huyền, hỏi, ngã, sắc, nặng
        assert_eq!(sorted(&["mạ", "má", "mã", "mả", "mà", "ma"]), vec!["ma", "mà", "mả", "mã", "má", "mạ"]);
        // letters decide before tones: "hồ" < "hổ" < "hô" would be wrong; letters equal, so tones.
        assert_eq!(sorted(&["hổ", "hồ"]), vec!["hồ", "hổ"]);
        // a shorter word sorts first
        assert_eq!(sorted(&["anh", "an"]), vec!["an", "anh"]);
        // letters before tones across the word: "ca" (ngang) vs "cà phê" etc.
        assert_eq!(sorted(&["cá", "cab"]), vec!["cá", "cab"]);
    }

    #[test]
    fn unit_names_sort_as_officials_expect() {
        assert_eq!(
            sorted(&["Phường Đống Đa", "Phường Cửa Nam", "Phường Ba Đình", "Phường Hoàn Kiếm", "Phường Dịch Vọng"]),
            vec!["Phường Ba Đình", "Phường Cửa Nam", "Phường Dịch Vọng", "Phường Đống Đa", "Phường Hoàn Kiếm"]
        );
    }

    proptest! {
        #[test]
        fn sort_key_is_ascii_and_ignores_normalisation_form(s in "\\PC{0,20}") {
            let k = sort_key(&s);
            prop_assert!(k.is_ascii());
            let nfd: String = s.nfd().collect();
            prop_assert_eq!(k, sort_key(&nfd));
        }

        #[test]
        fn fold_is_idempotent_and_has_no_marks(s in "\\PC{0,20}") {
            let f = fold(&s);
            prop_assert_eq!(fold(&f), f.clone());
            prop_assert!(!f.nfd().any(is_combining_mark));
            prop_assert!(!f.contains('đ'));
        }
    }
}
