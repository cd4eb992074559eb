//! Translation catalogues (Vietnamese first, English second) embedded at build time.
//! User-facing messages anywhere in danvan are keys into these catalogues.

use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().get(..2) {
            Some("vi") => Some(Lang::Vi),
            Some("en") => Some(Lang::En),
            _ => None,
        }
    }
    pub fn other(self) -> Lang {
        match self {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }
    /// From an Accept-Language header: the first of vi/en listed, else Vietnamese.
    pub fn from_accept(header: &str) -> Lang {
        header.split(',').find_map(|part| Lang::parse(part.split(';').next().unwrap_or(""))).unwrap_or_default()
    }
}

fn parse_catalogue(src: &'static str) -> HashMap<&'static str, &'static str> {
    src.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| l.split_once(" = "))
        .map(|(k, v)| (k.trim(), v.trim()))
        .collect()
}

fn catalogue(lang: Lang) -> &'static HashMap<&'static str, &'static str> {
    static VI: OnceLock<HashMap<&str, &str>> = OnceLock::new();
    static EN: OnceLock<HashMap<&str, &str>> = OnceLock::new();
    match lang {
        Lang::Vi => VI.get_or_init(|| parse_catalogue(include_str!("../locales/vi.txt"))),
        Lang::En => EN.get_or_init(|| parse_catalogue(include_str!("../locales/en.txt"))),
    }
}

/// The text for `key`; a missing key shows itself, so it is noticed rather than hidden.
pub fn t(lang: Lang, key: &str) -> String {
    catalogue(lang).get(key).map(|s| s.to_string()).unwrap_or_else(|| key.to_string())
}

/// `t` with `{name}` placeholders filled in.
pub fn tf(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    let mut s = t(lang, key);
    for (k, v) in args {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}

/// The catalogue's key for which `pick` holds, if any (the problem pages find an error's key by its
/// slug this way, instead of building one from the address).
pub fn find_key(lang: Lang, pick: impl Fn(&str) -> bool) -> Option<&'static str> {
    catalogue(lang).keys().copied().find(|k| pick(k))
}

pub fn has_key(lang: Lang, key: &str) -> bool {
    catalogue(lang).contains_key(key)
}

/// Numbers as officials write them: 1.234.567 in Vietnamese, 1,234,567 in English.
/// An indicator's value as the reader reads it: "1.234", "87,5%", "4,5 ngày", "4,2/5"; "—" when
/// it has none.
pub fn indicator_value(lang: Lang, i: danvan_domain::indicators::Indicator, v: Option<f64>) -> String {
    use danvan_domain::indicators::Measure;
    let Some(v) = v else { return "—".into() };
    match i.definition().unit {
        Measure::Count => number(lang, v.round() as i64),
        Measure::Percent => format!("{}%", decimal1(lang, v)),
        Measure::WorkingDays => {
            let n = if v.fract() == 0.0 { number(lang, v as i64) } else { decimal1(lang, v) };
            tf(lang, "review.days", &[("n", &n)])
        }
        Measure::Rating => format!("{}/5", decimal1(lang, v)),
    }
}

/// A number with one decimal in the reader's format: "4,0" in Vietnamese, "4.0" in English.
pub fn decimal1(lang: Lang, v: f64) -> String {
    let s = format!("{v:.1}");
    if lang == Lang::Vi {
        s.replace('.', ",")
    } else {
        s
    }
}

pub fn number(lang: Lang, n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let sep = if lang == Lang::Vi { '.' } else { ',' };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogues_have_the_same_keys() {
        let vi: std::collections::BTreeSet<_> = catalogue(Lang::Vi).keys().collect();
        let en: std::collections::BTreeSet<_> = catalogue(Lang::En).keys().collect();
        assert_eq!(vi, en);
        assert!(vi.len() > 100);
    }

    #[test]
    fn every_domain_error_key_is_translated() {
        use danvan_domain::org::{account, unit};
        let keys = [
            unit::validate_unit(&Default::default()).unwrap_err().0,
            account::validate_account(&account::AccountInput {
                username: "X Y".into(),
                email: "x".into(),
                phone: "1".into(),
                ..Default::default()
            })
            .unwrap_err()
            .0,
        ];
        for e in keys.iter().flatten() {
            assert!(has_key(Lang::Vi, &e.key) && has_key(Lang::En, &e.key), "{}", e.key);
        }
    }

    #[test]
    fn numbers_group_digits_per_language() {
        assert_eq!(number(Lang::Vi, 1234567), "1.234.567");
        assert_eq!(number(Lang::En, 1234567), "1,234,567");
        assert_eq!(number(Lang::Vi, 12), "12");
    }

    #[test]
    fn accept_language_prefers_listed_order() {
        assert_eq!(Lang::from_accept("en-US,en;q=0.9,vi;q=0.8"), Lang::En);
        assert_eq!(Lang::from_accept("fr, vi"), Lang::Vi);
        assert_eq!(Lang::from_accept(""), Lang::Vi);
    }
}
