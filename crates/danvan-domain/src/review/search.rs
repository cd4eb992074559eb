//! Searching across everything (issue 12 item 5): how a hit ranks and which parts of its text
//! to highlight. The stores match folded words at word starts (diacritic-insensitive, đ → d); here
//! the hits are ordered so that what the reader typed, diacritics included, comes first:
//! "Đường" before "đuông" for "đường", and for "duong" the texts that really say "duong".

use crate::text::{fold, search_query, search_terms};
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

str_enum!(
    /// What a search finds.
    HitKind {
        Case = "case",
        Model = "model",
        Unit = "unit",
        Report = "report",
    }
);

/// How well `text` answers `query` (higher first): 3 — it holds the query as typed (letter case
/// aside); 2 — every word as typed, at a word's start; 1 — the words only once diacritics are
/// set aside; 0 — not at all.
pub fn rank(query: &str, text: &str) -> u8 {
    let q = search_query(query).to_lowercase();
    if q.is_empty() {
        return 0;
    }
    let t: String = text.nfc().collect::<String>().to_lowercase();
    if t.contains(&q) {
        return 3;
    }
    let starts = |hay: &str, w: &str| hay.split(|c: char| !c.is_alphanumeric()).any(|word| word.starts_with(w));
    if q.split(' ').all(|w| starts(&t, w)) {
        return 2;
    }
    let folded: Vec<char> = fold(&t).chars().collect();
    let terms = search_terms(query);
    if !terms.is_empty() && terms.iter().all(|forms| forms.iter().any(|f| !hits(&folded, f).is_empty())) {
        return 1;
    }
    0
}

/// Where `form` (folded, perhaps several words) begins a word of `folded`.
fn hits(folded: &[char], form: &str) -> Vec<usize> {
    let w: Vec<char> = form.chars().collect();
    if w.is_empty() {
        return vec![];
    }
    (0..folded.len())
        .filter(|&start| (start == 0 || !folded[start - 1].is_alphanumeric()) && folded[start..].starts_with(&w))
        .collect()
}

/// `text` cut into pieces, each marked when it is part of a word of the search (matched
/// diacritic-insensitively at a word's start, as the stores match): for `<mark>`.
pub fn highlight(query: &str, text: &str) -> Vec<(String, bool)> {
    let terms = search_terms(query);
    let chars: Vec<char> = text.nfc().collect();
    // The folded text, and for each of its characters the original character it came from.
    let mut folded: Vec<char> = vec![];
    let mut origin: Vec<usize> = vec![];
    for (i, c) in chars.iter().enumerate() {
        for f in fold(&c.to_string()).chars() {
            folded.push(f);
            origin.push(i);
        }
    }
    let mut marked = vec![false; chars.len()];
    for form in terms.iter().flatten() {
        let len = form.chars().count();
        for start in hits(&folded, form) {
            for k in start..start + len {
                marked[origin[k]] = true;
            }
        }
    }
    let mut out: Vec<(String, bool)> = vec![];
    for (c, m) in chars.into_iter().zip(marked) {
        match out.last_mut() {
            Some((s, last)) if *last == m => s.push(c),
            _ => out.push((c.to_string(), m)),
        }
    }
    out
}

/// At most `max` characters of `text` around its first highlighted piece (a description's
/// snippet), with "…" where it was cut.
pub fn snippet(pieces: &[(String, bool)], max: usize) -> Vec<(String, bool)> {
    let total: usize = pieces.iter().map(|(s, _)| s.chars().count()).sum();
    if total <= max {
        return pieces.to_vec();
    }
    let first = pieces.iter().position(|(_, m)| *m).unwrap_or(0);
    let before: usize = pieces[..first].iter().map(|(s, _)| s.chars().count()).sum();
    let start = before.saturating_sub(max / 4);
    let mut out: Vec<(String, bool)> = vec![];
    if start > 0 {
        out.push(("…".into(), false));
    }
    let (mut seen, mut taken) = (0usize, 0usize);
    for (s, m) in pieces {
        let mut part = String::new();
        for c in s.chars() {
            if seen >= start && taken < max {
                part.push(c);
                taken += 1;
            }
            seen += 1;
        }
        if !part.is_empty() {
            out.push((part, *m));
        }
    }
    if start + taken < total {
        out.push(("…".into(), false));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_was_typed_with_its_diacritics_ranks_first() {
        assert_eq!(rank("đường", "Sửa Đường Trần Phú"), 3);
        // Diacritics set aside, "Đuông" is a hit too, but the last of them.
        assert_eq!(rank("đường", "Đuông dừa"), 1);
        assert_eq!(rank("đường", "Trần Phú"), 0);
        assert_eq!(rank("duong", "Sửa đường Trần Phú"), 1);
        assert_eq!(rank("duong", "phố Duong Lam"), 3);
        assert_eq!(rank("trần đường", "Đường Trần Phú"), 2);
        assert_eq!(rank("tran duong", "Đường Trần Phú"), 1);
        assert_eq!(rank("", "Đường Trần Phú"), 0);
        let mut hits = ["đuông", "Đuông đường", "Dương", "đường"];
        hits.sort_by_key(|t| std::cmp::Reverse(rank("đường", t)));
        assert_eq!(hits[0], "Đuông đường");
        assert_eq!(hits[1], "đường");
    }

    #[test]
    fn highlights_follow_the_folded_match_at_word_starts() {
        let p = highlight("duong tran", "Sửa đường Trần Phú, ngõ Hoàng Trấn");
        let marked: Vec<&str> = p.iter().filter(|(_, m)| *m).map(|(s, _)| s.as_str()).collect();
        assert_eq!(marked, vec!["đường", "Trần", "Trấn"]);
        assert_eq!(p.iter().map(|(s, _)| s.as_str()).collect::<String>(), "Sửa đường Trần Phú, ngõ Hoàng Trấn");
        // Not inside a word.
        assert!(highlight("an", "Hoàn Kiếm").iter().all(|(_, m)| !m));
        // An abbreviation highlights what it stands for.
        let p = highlight("ubnd", "Ủy ban nhân dân phường");
        assert_eq!(p.iter().filter(|(_, m)| *m).count(), 1);
        assert!(p[0].1 && p[0].0.starts_with("Ủy ban nhân dân"));
    }

    #[test]
    fn a_snippet_keeps_the_first_match_in_view() {
        let text = format!("{} đèn đường hỏng {}", "a ".repeat(200), "b ".repeat(200));
        let s = snippet(&highlight("đèn", &text), 60);
        let joined: String = s.iter().map(|(t, _)| t.as_str()).collect();
        assert!(joined.starts_with('…') && joined.ends_with('…'), "{joined}");
        assert!(s.iter().any(|(t, m)| *m && t == "đèn"));
        assert!(joined.chars().count() <= 62);
    }
}
