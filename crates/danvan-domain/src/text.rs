//! Vietnamese text: NFC normalisation, diacritic-insensitive folding for search, and a sort key
//! that gives Vietnamese alphabetical order on any database (compared byte-wise).

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// NFC-normalise, trim and collapse inner whitespace: the form every name is stored in.
pub fn clean(s: &str) -> String {
    let nfc: String = s.nfc().filter(|c| (!c.is_control() || c.is_whitespace()) && is_text(*c)).collect();
    nfc.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// NFC-normalise form input, keeping line breaks (for descriptions) but trimming the ends.
pub fn clean_multiline(s: &str) -> String {
    // Control characters (NUL above all, which PostgreSQL refuses) and noncharacters (U+FFFF,
    // which no XML document may hold: one stored made the whole Open311 feed unreadable) never
    // reach storage.
    let nfc: String = s.nfc().filter(|c| (!c.is_control() || matches!(c, '\n' | '\r' | '\t')) && is_text(*c)).collect();
    nfc.replace("\r\n", "\n").trim().to_string()
}

/// Neither a noncharacter nor a bidirectional embedding, override or isolate (U+202A–U+202E,
/// U+2066–U+2069): those reorder what follows them on screen, so a name or a description could
/// show other than what it holds ("Trojan Source", CVE-2021-42574). Vietnamese needs none of them.
fn is_text(c: char) -> bool {
    !is_noncharacter(c) && !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Unicode's 66 noncharacters: U+FDD0–U+FDEF and the last two code points of every plane
/// (U+FFFE, U+FFFF, U+1FFFE, … U+10FFFF). Reserved for a program's internal use, never text.
pub fn is_noncharacter(c: char) -> bool {
    let v = c as u32;
    (0xFDD0..=0xFDEF).contains(&v) || v & 0xFFFE == 0xFFFE
}

/// Whether XML 1.0 allows `c` in a document (its `Char` production): tab, line feed, carriage
/// return, and U+0020 onwards except the surrogates (which a Rust `char` cannot be) and U+FFFE,
/// U+FFFF.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
}

/// Most words a search takes: each is one more `LIKE` in the query, and a thousand of them made
/// the database refuse it ("Expression tree is too large"). Twenty is more than any real search.
pub const MAX_SEARCH_WORDS: usize = 20;
/// Most characters of a search (after cleaning): long enough for a whole address or title.
pub const MAX_SEARCH_CHARS: usize = 200;

/// A search box's text as it is searched: cleaned, then cut to [`MAX_SEARCH_CHARS`] characters
/// and [`MAX_SEARCH_WORDS`] words; the excess is ignored (and [`search_is_cut`] tells the pages to
/// say so). Every search of cases and units goes through it, so no way in can send more.
pub fn search_query(q: &str) -> String {
    let cleaned = clean(q);
    let short: String = cleaned.chars().take(MAX_SEARCH_CHARS).collect();
    short.split(' ').filter(|w| !w.is_empty()).take(MAX_SEARCH_WORDS).collect::<Vec<_>>().join(" ")
}

/// The folded words of a search ([`search_query`], then [`fold`]), at most [`MAX_SEARCH_WORDS`].
pub fn search_words(q: &str) -> Vec<String> {
    fold(&search_query(q)).split_whitespace().take(MAX_SEARCH_WORDS).map(str::to_string).collect()
}

/// Everyday abbreviations of public bodies and places (folded), and what they stand for.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("ubnd", "uy ban nhan dan"),
    ("hdnd", "hoi dong nhan dan"),
    ("ubmttq", "uy ban mat tran to quoc"),
    ("mttq", "mat tran to quoc"),
    ("bch", "ban chap hanh"),
    ("tdp", "to dan pho"),
    ("dtn", "doan thanh nien"),
    ("ccb", "cuu chien binh"),
    ("hlhpn", "hoi lien hiep phu nu"),
    ("tp", "thanh pho"),
    ("tp.", "thanh pho"),
    ("tx", "thi xa"),
    ("tx.", "thi xa"),
    ("tt.", "thi tran"),
    ("p.", "phuong"),
    ("q.", "quan"),
    ("x.", "xa"),
    ("h.", "huyen"),
];

/// The terms of a search: for each folded word ([`search_words`]), the word itself and, when it
/// is an everyday abbreviation, what it stands for ("ubnd" → "uy ban nhan dan"). A term matches
/// when any of its forms does. "P.Cửa" is read as "p." and "cua".
pub fn search_terms(q: &str) -> Vec<Vec<String>> {
    let mut words = vec![];
    for w in search_words(q) {
        // An abbreviation glued to the next word: "p.cua", "tp.hcm".
        let glued = ABBREVIATIONS.iter().find(|(a, _)| a.ends_with('.') && w.len() > a.len() && w.starts_with(a));
        match glued {
            Some((a, _)) => {
                words.push(a.to_string());
                words.push(w[a.len()..].to_string());
            }
            None => words.push(w),
        }
    }
    words
        .into_iter()
        .take(MAX_SEARCH_WORDS)
        .map(|w| {
            let mut forms = vec![w.clone()];
            if let Some((_, long)) = ABBREVIATIONS.iter().find(|(a, _)| *a == w) {
                forms.push(long.to_string());
            }
            forms
        })
        .collect()
}

/// Whether [`search_query`] dropped part of `q` (more words or characters than a search takes).
pub fn search_is_cut(q: &str) -> bool {
    search_query(q) != clean(q)
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

    #[test]
    fn searches_understand_everyday_abbreviations() {
        assert_eq!(
            search_terms("ubnd cua nam"),
            vec![vec!["ubnd".to_string(), "uy ban nhan dan".into()], vec!["cua".into()], vec!["nam".into()]]
        );
        assert_eq!(search_terms("UBND")[0][1], "uy ban nhan dan");
        assert_eq!(search_terms("HĐND")[0][1], "hoi dong nhan dan");
        assert_eq!(search_terms("UBMTTQ")[0][1], "uy ban mat tran to quoc");
        assert_eq!(search_terms("MTTQ")[0][1], "mat tran to quoc");
        assert_eq!(search_terms("BCH")[0][1], "ban chap hanh");
        assert_eq!(search_terms("TP Hà Nội")[0][1], "thanh pho");
        assert_eq!(search_terms("Q. Hoàn Kiếm")[0][1], "quan");
        assert_eq!(
            search_terms("P.Cửa Nam"),
            vec![vec!["p.".to_string(), "phuong".into()], vec!["cua".into()], vec!["nam".into()]]
        );
        assert_eq!(search_terms("đường"), vec![vec!["duong".to_string()]], "plain words stay as they are");
        assert!(search_terms(&"ubnd ".repeat(50)).len() <= MAX_SEARCH_WORDS);
    }
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
    fn noncharacters_and_controls_never_survive_cleaning() {
        let bad = "a\u{FFFF}b\u{FFFE}c\u{FDD0}d\u{FDEF}e\u{1FFFF}f\u{10FFFE}g\u{80}h\u{9F}i\u{1B}j\u{7F}k";
        assert_eq!(clean(bad), "abcdefghijk");
        assert_eq!(clean_multiline(&format!("{bad}\n\tl")), "abcdefghijk\n\tl");
        // Neighbours of the noncharacters are ordinary text.
        assert_eq!(clean("\u{FDCF}\u{FDF0}\u{FFFD}\u{1FFFD}"), "\u{FDCF}\u{FDF0}\u{FFFD}\u{1FFFD}");
        for c in ['\u{FFFE}', '\u{FFFF}', '\u{FDD0}', '\u{FDEF}', '\u{2FFFE}', '\u{10FFFF}'] {
            assert!(is_noncharacter(c), "{c:?}");
        }
        assert!(!is_noncharacter('\u{FFFD}') && !is_noncharacter('ư'));
    }

    #[test]
    fn bidirectional_overrides_never_survive_cleaning() {
        assert_eq!(clean("Nguyễn \u{202E}nạv\u{202C} A"), "Nguyễn nạv A");
        assert_eq!(clean_multiline("a\u{2066}b\u{2069}\u{202A}c\u{202D}\nd"), "abc\nd");
        // The marks that only nudge neutral characters stay.
        assert_eq!(clean("a\u{200E}b\u{200F}"), "a\u{200E}b\u{200F}");
    }

    #[test]
    fn xml_chars_are_those_of_xml_1_0() {
        for c in ['\t', '\n', '\r', ' ', 'ư', '\u{D7FF}', '\u{E000}', '\u{FFFD}', '\u{10000}', '\u{10FFFF}'] {
            assert!(is_xml_char(c), "{c:?}");
        }
        for c in ['\0', '\u{8}', '\u{B}', '\u{1F}', '\u{FFFE}', '\u{FFFF}'] {
            assert!(!is_xml_char(c), "{c:?}");
        }
    }

    #[test]
    fn searches_are_bounded() {
        let many = (0..1001).map(|i| format!("w{i}")).collect::<Vec<_>>().join(" ");
        assert_eq!(search_words(&many).len(), MAX_SEARCH_WORDS);
        assert!(search_is_cut(&many));
        let long = "a".repeat(1000);
        assert_eq!(search_query(&long).chars().count(), MAX_SEARCH_CHARS);
        assert!(search_is_cut(&long));
        assert_eq!(search_words("  Đường   Hồ  "), vec!["duong", "ho"]);
        assert!(!search_is_cut("  Đường   Hồ  "));
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

        #[test]
        fn cleaned_text_is_always_xml(s in any::<String>()) {
            prop_assert!(clean(&s).chars().all(is_xml_char));
            prop_assert!(clean_multiline(&s).chars().all(|c| is_xml_char(c) && !is_noncharacter(c)));
        }
    }
}
