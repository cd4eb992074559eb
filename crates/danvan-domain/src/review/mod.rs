//! Review reports (sơ kết, tổng kết; issue 12 item 3): a unit's report on its subtree's work over
//! whole months, with the figures generated from the data and the narrative written by the
//! drafting officer. A draft keeps every saved version; the document's format follows the kind of
//! the issuing body: the Party's (Hướng dẫn 36-HD/VPTW) for a party committee, the State's (Decree
//! 30/2020/NĐ-CP) otherwise (RULES.md §6).

pub mod search;

use crate::emulation::{issuer_abbreviation, party_format};
use crate::indicators::{MonthRange, RangeError, YearMonth};
use crate::text::{clean, clean_multiline};
use crate::{FieldErrors, UnitKind};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

str_enum!(
    /// Interim (sơ kết: part-way through a programme) or final (tổng kết: at its end).
    ReportKind {
        Interim = "interim",
        Final = "final",
    }
);

impl ReportKind {
    /// As the subject line begins: "Sơ kết", "Tổng kết".
    pub fn name_vi(self) -> &'static str {
        match self {
            ReportKind::Interim => "Sơ kết",
            ReportKind::Final => "Tổng kết",
        }
    }
}

str_enum!(
    /// The parts of the narrative the drafting officer writes, in the order of the report: the
    /// generated figures sit between the situation and the assessment.
    Section {
        /// I. Đặc điểm tình hình.
        Situation = "situation",
        /// II. Kết quả thực hiện: what the figures below say.
        Results = "results",
        /// III. Đánh giá chung: strengths, limits and their causes.
        Assessment = "assessment",
        /// Bài học kinh nghiệm.
        Lessons = "lessons",
        /// IV. Phương hướng, nhiệm vụ thời gian tới.
        Directions = "directions",
        /// V. Kiến nghị, đề xuất.
        Proposals = "proposals",
    }
);

impl Section {
    /// The heading as the document prints it.
    pub fn heading_vi(self) -> &'static str {
        match self {
            Section::Situation => "ĐẶC ĐIỂM TÌNH HÌNH",
            Section::Results => "KẾT QUẢ THỰC HIỆN",
            Section::Assessment => "ĐÁNH GIÁ CHUNG",
            Section::Lessons => "BÀI HỌC KINH NGHIỆM",
            Section::Directions => "PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI",
            Section::Proposals => "KIẾN NGHỊ, ĐỀ XUẤT",
        }
    }
}

str_enum!(
    /// Who issues the report: the unit itself (a territory's people's committee, an agency, a
    /// party committee…), or the party committee of the unit's territory (a ward's Đảng ủy reports
    /// on the mobilisation work of the whole ward in the Party's format).
    Issuer {
        Unit = "unit",
        Party = "party",
    }
);

pub const MAX_TITLE_CHARS: usize = 300;
pub const MAX_SECTION_CHARS: usize = 20_000;
pub const MAX_LINE_CHARS: usize = 150;
pub const MAX_RECIPIENTS: usize = 20;

/// What a version of a draft holds (stored as JSON, one row per saved version).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportContent {
    pub kind: ReportKind,
    #[serde(default = "unit_issuer")]
    pub issuer: Issuer,
    /// The subject after "Sơ kết"/"Tổng kết": "công tác dân vận giai đoạn 2024 – 2026".
    pub title: String,
    /// yyyymm, both included.
    pub from: i32,
    pub to: i32,
    /// The place the report is dated at ("Cửa Nam").
    pub place: String,
    /// "TM. ỦY BAN NHÂN DÂN" / "T/M ĐẢNG ỦY", or empty.
    pub on_behalf: String,
    pub signer_title: String,
    pub signer_name: String,
    pub recipients: Vec<String>,
    pub sections: BTreeMap<Section, String>,
}

fn unit_issuer() -> Issuer {
    Issuer::Unit
}

impl ReportContent {
    pub fn range(&self) -> MonthRange {
        let ym = |k| YearMonth::from_key(k).expect("validated");
        MonthRange { from: ym(self.from), to: ym(self.to) }
    }

    /// "Tổng kết công tác dân vận giai đoạn 2024 – 2026".
    pub fn subject(&self) -> String {
        format!("{} {}", self.kind.name_vi(), self.title)
    }
}

/// A draft as a form or the API gives it, before validation.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ReportForm {
    pub kind: String,
    /// `unit` (default) or `party`.
    pub issuer: String,
    pub title: String,
    pub from: String,
    pub to: String,
    pub place: String,
    pub on_behalf: String,
    pub signer_title: String,
    pub signer_name: String,
    /// One recipient per line.
    pub recipients: String,
    pub sections: BTreeMap<String, String>,
}

fn bounded_line(errors: &mut FieldErrors, field: &str, value: &str, required: bool) -> String {
    let v = clean(value);
    if required && v.is_empty() {
        errors.add(field, "error.required");
    } else if v.chars().count() > MAX_LINE_CHARS {
        errors.add(field, "error.too_long");
    }
    v
}

/// Checks a draft: every field bounded, the months a real range (at most 240 months, `MonthRange`).
pub fn validate(f: &ReportForm) -> Result<ReportContent, FieldErrors> {
    let mut errors = FieldErrors::default();
    let kind = ReportKind::parse(&f.kind);
    if kind.is_none() {
        errors.add("kind", "error.invalid");
    }
    let issuer = match f.issuer.trim() {
        "" => Some(Issuer::Unit),
        v => Issuer::parse(v),
    };
    if issuer.is_none() {
        errors.add("issuer", "error.invalid");
    }
    let title = clean(&f.title);
    if title.is_empty() {
        errors.add("title", "error.required");
    } else if title.chars().count() > MAX_TITLE_CHARS {
        errors.add("title", "error.too_long");
    }
    // Each month on its own field, then the range (on `to`).
    let mut months = [None, None];
    for (i, (field, v)) in [("from", &f.from), ("to", &f.to)].into_iter().enumerate() {
        if v.trim().is_empty() {
            errors.add(field, "error.required");
        } else {
            months[i] = YearMonth::parse(v);
            if months[i].is_none() {
                errors.add(field, "indicators.error.month");
            }
        }
    }
    let range = match months {
        [Some(from), Some(to)] => match MonthRange::new(from, to) {
            Ok(r) => Some(r),
            Err(e) => {
                errors.add(
                    "to",
                    match e {
                        RangeError::Reversed => "indicators.error.reversed",
                        RangeError::TooLong => "indicators.error.too_long",
                        RangeError::NotAMonth => "indicators.error.month",
                    },
                );
                None
            }
        },
        _ => None,
    };
    let place = bounded_line(&mut errors, "place", &f.place, true);
    let on_behalf = bounded_line(&mut errors, "on_behalf", &f.on_behalf, false);
    let signer_title = bounded_line(&mut errors, "signer_title", &f.signer_title, true);
    let signer_name = bounded_line(&mut errors, "signer_name", &f.signer_name, false);
    let recipients: Vec<String> = f.recipients.lines().map(clean).filter(|l| !l.is_empty()).collect();
    if recipients.len() > MAX_RECIPIENTS {
        errors.add("recipients", "review.error.recipients");
    } else if recipients.iter().any(|r| r.chars().count() > MAX_LINE_CHARS) {
        errors.add("recipients", "error.too_long");
    }
    let mut sections = BTreeMap::new();
    for (key, text) in &f.sections {
        let field = format!("section_{key}");
        let Some(s) = Section::parse(key) else {
            errors.add(&field, "error.invalid");
            continue;
        };
        let t = clean_multiline(text);
        if t.chars().count() > MAX_SECTION_CHARS {
            errors.add(&field, "error.too_long");
        } else if !t.is_empty() {
            sections.insert(s, t);
        }
    }
    errors.into_result()?;
    let (kind, range) = (kind.expect("checked"), range.expect("checked"));
    Ok(ReportContent {
        kind,
        issuer: issuer.expect("checked"),
        title,
        from: range.from.key(),
        to: range.to.key(),
        place,
        on_behalf,
        signer_title,
        signer_name,
        recipients,
        sections,
    })
}

/// Which document format a body's report takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DocFormat {
    /// Hướng dẫn 36-HD/VPTW (2018) of the Party Central Office.
    Party,
    /// Decree 30/2020/NĐ-CP, Appendix I.
    State,
}

pub fn doc_format(issuer: UnitKind) -> DocFormat {
    if party_format(issuer) {
        DocFormat::Party
    } else {
        DocFormat::State
    }
}

/// The header of a report: its format, the body above the issuer and the issuer (capitals), and
/// the number line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub format: DocFormat,
    pub parent_body: String,
    pub issuing_body: String,
    pub number: String,
}

/// Where a unit sits for its report's header: itself, its territory (the ward or province it
/// belongs to: itself when territorial) and the territory's parent, each with its kind.
#[derive(Debug, Clone, Copy)]
pub struct Placement<'a> {
    pub unit: (&'a str, UnitKind),
    /// The unit directly above (for a body that is neither territorial nor a territory's own).
    pub parent: Option<(&'a str, UnitKind)>,
    pub territory: Option<(&'a str, UnitKind)>,
    pub above_territory: Option<(&'a str, UnitKind)>,
}

/// The header of a unit's report. A territory's own report, or its people's committee's, is
/// "ỦY BAN NHÂN DÂN PHƯỜNG CỬA NAM" under "UBND THÀNH PHỐ HÀ NỘI"; its party committee's is
/// "ĐẢNG ỦY PHƯỜNG CỬA NAM" under "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI" (Party format); any other body
/// keeps its own name under the unit above it.
pub fn header(issuer: Issuer, at: Placement<'_>) -> Header {
    let up = |s: &str| s.to_uppercase();
    let (name, kind) = at.unit;
    let above = at.above_territory.map(|(n, _)| up(n));
    let prefixed = |prefix: &str| above.as_ref().map(|a| format!("{prefix} {a}")).unwrap_or_default();
    let territory = at.territory.map(|(n, _)| up(n));
    match (issuer, kind) {
        (Issuer::Party, _) | (_, UnitKind::PartyCommittee) => Header {
            format: DocFormat::Party,
            parent_body: prefixed("ĐẢNG BỘ"),
            issuing_body: match (kind, &territory) {
                (UnitKind::PartyCommittee, _) => up(name),
                (_, Some(t)) => format!("ĐẢNG ỦY {t}"),
                _ => up(name),
            },
            number: number_line(UnitKind::PartyCommittee),
        },
        (_, k) if territorial(k) => Header {
            format: DocFormat::State,
            parent_body: prefixed("UBND"),
            issuing_body: format!("ỦY BAN NHÂN DÂN {}", up(name)),
            number: number_line(k),
        },
        (_, UnitKind::PeoplesCommittee) => {
            Header { format: DocFormat::State, parent_body: prefixed("UBND"), issuing_body: up(name), number: number_line(kind) }
        }
        _ => Header {
            format: doc_format(kind),
            parent_body: at.parent.map(|(n, _)| up(n)).unwrap_or_default(),
            issuing_body: up(name),
            number: number_line(kind),
        },
    }
}

/// The usual signing authority and title of a body's report (defaults the officer may correct):
/// a collective body signs on its behalf ("TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH"; in the Party's
/// format "T/M ĐẢNG ỦY" / "BÍ THƯ").
pub fn signing(issuer: Issuer, kind: UnitKind) -> (&'static str, &'static str) {
    match (issuer, kind) {
        (Issuer::Party, _) | (_, UnitKind::PartyCommittee) => ("T/M ĐẢNG ỦY", "BÍ THƯ"),
        (_, UnitKind::PeoplesCommittee) => ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
        (_, k) if territorial(k) => ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
        (_, UnitKind::FatherlandFront) => ("TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH"),
        _ => ("", "CHỦ TỊCH"),
    }
}

/// Whether a unit is a territory (a province, city, ward, commune, district or special zone).
pub fn territorial(kind: UnitKind) -> bool {
    matches!(
        kind,
        UnitKind::Province | UnitKind::City | UnitKind::Commune | UnitKind::Ward | UnitKind::SpecialZone | UnitKind::District
    )
}

/// The place a unit's documents are dated at: the territory its name ends with, without its kind
/// ("Phường Cửa Nam", "Ủy ban nhân dân phường Cửa Nam" → "Cửa Nam"; "Thành phố Hà Nội" → "Hà
/// Nội"); a name naming no territory is kept whole. A default the drafting officer may correct.
pub fn place_of(unit_name: &str) -> String {
    let words: Vec<&str> = unit_name.split_whitespace().collect();
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let pairs = [("thị", "trấn"), ("thành", "phố"), ("thị", "xã"), ("đặc", "khu")];
    for i in 0..words.len() {
        let pair = lower.get(i + 1).is_some_and(|b| pairs.contains(&(lower[i].as_str(), b.as_str())));
        let skip = if pair {
            2
        } else if ["phường", "xã", "quận", "huyện", "tỉnh"].contains(&lower[i].as_str()) {
            1
        } else {
            0
        };
        if skip > 0 && i + skip < words.len() {
            return words[i + skip..].join(" ");
        }
    }
    unit_name.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The number line of a report not yet numbered (the office numbers it when it is issued):
/// "Số      -BC/ĐU" (Party: no colon, a hyphen before the kind) or "Số:      /BC-UBND".
pub fn number_line(issuer: UnitKind) -> String {
    let abbr = issuer_abbreviation(issuer);
    match doc_format(issuer) {
        DocFormat::Party => format!("Số      -BC/{abbr}"),
        DocFormat::State => format!("Số:      /BC-{abbr}"),
    }
}

/// The place and date line: "Cửa Nam, ngày 08 tháng 12 năm 2026". Decree 30/2020 writes days
/// below 10 and the months January and February with a leading zero; the Party's format, as its
/// own samples (36-HD/VPTW: "ngày 03 tháng 4 năm 2018"), the day only.
pub fn place_date(format: DocFormat, place: &str, d: NaiveDate) -> String {
    let month = match format {
        DocFormat::State if d.month() < 3 => format!("{:02}", d.month()),
        _ => d.month().to_string(),
    };
    format!("{place}, ngày {:02} tháng {month} năm {}", d.day(), d.year())
}

#[cfg(test)]
mod tests;
