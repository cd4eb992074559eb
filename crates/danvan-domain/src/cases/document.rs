//! Pieces of a Vietnamese administrative document (Decree 30/2020/NĐ-CP): the issuing bodies in
//! the header, the place and date line, and the signer's authority. Pure text; the web layer
//! lays them out.

use chrono::{Datelike, NaiveDate};

/// "ngày 05 tháng 01 năm 2026". Decree 30 (Appendix I) pads a day below 10 and the months
/// January and February with a zero, and no other month: "ngày 15 tháng 3 năm 2026".
pub fn date_in_words(d: NaiveDate) -> String {
    let day = if d.day() < 10 { format!("0{}", d.day()) } else { d.day().to_string() };
    let month = if d.month() <= 2 { format!("0{}", d.month()) } else { d.month().to_string() };
    format!("ngày {day} tháng {month} năm {}", d.year())
}

/// Unit kinds that are territories (a province, a ward) rather than bodies working on one.
fn is_territory(kind: &str) -> bool {
    matches!(kind, "province" | "city" | "commune" | "ward" | "special_zone" | "district" | "residential_group" | "village")
}

/// The administrative level words a territory's name starts with; the place line drops them
/// ("Thành phố Hà Nội" → "Hà Nội"), as the Decree's examples do.
const LEVEL_PREFIXES: [&str; 9] =
    ["thành phố ", "tỉnh ", "phường ", "xã ", "đặc khu ", "thị trấn ", "thị xã ", "quận ", "huyện "];

fn strip_level(name: &str) -> &str {
    let name = name.trim();
    for p in LEVEL_PREFIXES {
        if let Some(head) = name.get(..p.len()) {
            let rest = name[p.len()..].trim_start();
            // "Phường 15" keeps its level word: a number alone is no place name.
            if head.to_lowercase() == p && !rest.is_empty() && !rest.starts_with(|c: char| c.is_ascii_digit()) {
                return rest;
            }
        }
    }
    name
}

/// The place name of the date line: the nearest territory of the issuing unit (itself
/// included) at province or commune level, without its level word. `chain` is (kind, name)
/// from the root down to the issuing unit. Empty when no territory is above it.
pub fn place_name(chain: &[(&str, &str)]) -> String {
    chain
        .iter()
        .rev()
        .find(|(kind, _)| matches!(*kind, "province" | "city" | "commune" | "ward" | "special_zone" | "district"))
        .map(|(_, name)| strip_level(name).to_string())
        .unwrap_or_default()
}

/// "Hà Nội, ngày 05 tháng 01 năm 2026" (or the date alone without a place).
pub fn place_and_date(place: &str, d: NaiveDate) -> String {
    if place.is_empty() {
        capitalise(&date_in_words(d))
    } else {
        format!("{place}, {}", date_in_words(d))
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The header's top-left: (the governing body, if any; the issuing body), both in capitals.
/// A body working on a territory (the people's committee of a ward, its parent) has no
/// governing-body line: its name already names its territory, as Decree 30 shows for a
/// people's committee. Any other unit is headed by its direct parent.
pub fn header_bodies(chain: &[(&str, &str)]) -> (Option<String>, String) {
    let Some((kind, name)) = chain.last() else {
        return (None, String::new());
    };
    let parent = match chain.len() {
        0 | 1 => None,
        n => {
            let (pkind, pname) = chain[n - 2];
            if is_territory(pkind) && !is_territory(kind) {
                None
            } else {
                Some(pname.trim().to_uppercase())
            }
        }
    };
    (parent, name.trim().to_uppercase())
}

/// The signer's authority lines above the signature, in capitals (Decree 30, Appendix I):
/// "TM." for a collective body (people's committee, Fatherland Front committee), then the
/// position, with "KT." over a deputy ("Phó Chủ tịch" signs "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH").
/// Without a recorded position the signer is named by the sign-off alone.
pub fn signer_lines(unit_kind: &str, title: &str) -> Vec<String> {
    let mut lines = vec![];
    match unit_kind {
        "peoples_committee" => lines.push("TM. ỦY BAN NHÂN DÂN".to_string()),
        "fatherland_front" => lines.push("TM. BAN THƯỜNG TRỰC".to_string()),
        _ => {}
    }
    let title = title.trim();
    if title.is_empty() {
        lines.push("NGƯỜI KÝ DUYỆT".to_string());
        return lines;
    }
    let upper = title.to_uppercase();
    if let Some(head) = upper.strip_prefix("PHÓ ").map(str::trim).filter(|h| !h.is_empty()) {
        lines.push(format!("KT. {head}"));
    }
    lines.push(upper);
    lines
}

/// How the document names a sender whose name it may not show, and its subject line's words,
/// by case kind: ("Người phản ánh, kiến nghị", "phản ánh, kiến nghị").
pub fn sender_and_subject(kind: &str) -> (&'static str, &'static str) {
    match kind {
        "complaint" => ("Người khiếu nại", "đơn khiếu nại"),
        "denunciation" => ("Người tố cáo", "đơn tố cáo"),
        _ => ("Người phản ánh, kiến nghị", "phản ánh, kiến nghị"),
    }
}

/// The addressee line after "Kính gửi:": "Ông/Bà <name>" when the name may be shown, else the
/// sender's role (the public version and anonymous senders).
pub fn addressee(kind: &str, name: Option<&str>) -> String {
    match name.map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) => format!("Ông/Bà {n}"),
        None => sender_and_subject(kind).0.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_pad_small_days_and_the_first_two_months_only() {
        assert_eq!(date_in_words(d(2026, 1, 5)), "ngày 05 tháng 01 năm 2026");
        assert_eq!(date_in_words(d(2026, 2, 28)), "ngày 28 tháng 02 năm 2026");
        assert_eq!(date_in_words(d(2026, 3, 15)), "ngày 15 tháng 3 năm 2026");
        assert_eq!(date_in_words(d(2025, 12, 9)), "ngày 09 tháng 12 năm 2025");
    }

    #[test]
    fn place_is_the_nearest_territory_without_its_level() {
        let chain =
            [("city", "Thành phố Hà Nội"), ("ward", "Phường Cửa Nam"), ("peoples_committee", "Ủy ban nhân dân phường Cửa Nam")];
        assert_eq!(place_name(&chain), "Cửa Nam");
        assert_eq!(place_name(&chain[..1]), "Hà Nội");
        assert_eq!(place_name(&[("province", "Tỉnh Nghệ An"), ("agency", "Sở Nội vụ")]), "Nghệ An");
        // A numbered ward keeps its level word; no territory at all gives no place.
        assert_eq!(place_name(&[("ward", "Phường 15")]), "Phường 15");
        assert_eq!(place_name(&[("agency", "Ban Dân vận")]), "");
        assert_eq!(place_and_date("Hà Nội", d(2026, 1, 5)), "Hà Nội, ngày 05 tháng 01 năm 2026");
        assert_eq!(place_and_date("", d(2026, 1, 5)), "Ngày 05 tháng 01 năm 2026");
    }

    #[test]
    fn header_names_the_parent_body_except_over_a_territorys_body() {
        let ward = [("city", "Thành phố Hà Nội"), ("ward", "Phường Cửa Nam")];
        let ubnd = [ward[0], ward[1], ("peoples_committee", "Ủy ban nhân dân phường Cửa Nam")];
        assert_eq!(header_bodies(&ubnd), (None, "ỦY BAN NHÂN DÂN PHƯỜNG CỬA NAM".to_string()));
        let office = [ubnd[0], ubnd[1], ubnd[2], ("agency", "Phòng Văn hóa – Xã hội phường Cửa Nam")];
        assert_eq!(
            header_bodies(&office),
            (Some("ỦY BAN NHÂN DÂN PHƯỜNG CỬA NAM".to_string()), "PHÒNG VĂN HÓA – XÃ HỘI PHƯỜNG CỬA NAM".to_string())
        );
        assert_eq!(header_bodies(&ward), (Some("THÀNH PHỐ HÀ NỘI".to_string()), "PHƯỜNG CỬA NAM".to_string()));
        assert_eq!(header_bodies(&ward[..1]), (None, "THÀNH PHỐ HÀ NỘI".to_string()));
    }

    #[test]
    fn addressee_names_only_a_given_name() {
        assert_eq!(addressee("feedback", Some(" Nguyễn Văn An ")), "Ông/Bà Nguyễn Văn An");
        assert_eq!(addressee("feedback", Some("  ")), "Người phản ánh, kiến nghị");
        assert_eq!(addressee("complaint", None), "Người khiếu nại");
        assert_eq!(sender_and_subject("petition").1, "phản ánh, kiến nghị");
    }

    #[test]
    fn signer_lines_follow_the_authority() {
        assert_eq!(signer_lines("peoples_committee", "Chủ tịch"), ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]);
        assert_eq!(signer_lines("peoples_committee", "Phó Chủ tịch"), ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]);
        assert_eq!(signer_lines("agency", "Trưởng phòng"), ["TRƯỞNG PHÒNG"]);
        assert_eq!(signer_lines("ward", " "), ["NGƯỜI KÝ DUYỆT"]);
    }
}
