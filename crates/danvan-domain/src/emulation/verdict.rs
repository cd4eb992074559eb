//! The engine's answer: eligible, or the exact list of unmet conditions. Each unmet condition is
//! a structured `Reason` that names its message key and parameters (the web catalogues hold the
//! sentences); `render` is the plain renderer the tests and the CLI use, Vietnamese or English.

use chrono::NaiveDate;
use serde::Serialize;

use super::{Award, DisciplineLevel, LegalBasis, Rating, Reach, RecipientKind, RuleId};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum Reason {
    NoRuleSet {
        year: i32,
    },
    RecipientNotAllowed {
        award: Award,
        kind: RecipientKind,
    },
    Rating {
        year: i32,
        needed: Rating,
        has: Option<Rating>,
    },
    NotActive {
        year: i32,
    },
    Absent {
        year: i32,
        days: i64,
        max: i64,
    },
    TitleInYear {
        award: Award,
        year: i32,
    },
    /// `has`: years that count; `missing`: years without it; `not_counted`: held but before
    /// the end of a discipline.
    Consecutive {
        award: Award,
        times: u32,
        every: u32,
        has: Vec<i32>,
        missing: Vec<i32>,
        not_counted: Vec<i32>,
    },
    ConsecutiveRatings {
        rating: Rating,
        years: u32,
        has: Vec<i32>,
        missing: Vec<i32>,
        not_counted: Vec<i32>,
    },
    CountInWindow {
        award: Award,
        count: u32,
        from: i32,
        to: i32,
        has: Vec<i32>,
    },
    HeldBefore {
        award: Award,
        latest: i32,
    },
    Initiatives {
        reach: Reach,
        count: u32,
        from: i32,
        to: i32,
        unused: bool,
        has: u32,
    },
    Research {
        year: i32,
    },
    MemberShare {
        award: Award,
        percent: u32,
        has: u32,
        members: u32,
    },
    MembersBelowRating {
        rating: Rating,
        year: i32,
        count: u32,
    },
    NoMemberHolds {
        award: Award,
        year: i32,
    },
    MembersDisciplined {
        level: DisciplineLevel,
        year: i32,
        count: u32,
    },
    Disciplined {
        level: DisciplineLevel,
        until: Option<NaiveDate>,
    },
    DisciplinedInYear {
        level: DisciplineLevel,
        year: i32,
    },
    UnderInvestigation {
        since: NaiveDate,
    },
    /// None of the alternatives holds; each alternative's unmet reasons.
    AnyOf(Vec<Vec<Reason>>),
    /// R3, on a whole list: more Chiến sĩ thi đua cơ sở than the cap allows.
    ShareCap {
        percent: u32,
        proposed: u32,
        advanced: u32,
        max: u32,
    },
}

/// One unmet condition, with the rule it belongs to and that rule's legal basis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unmet {
    pub rule: RuleId,
    pub basis: Vec<LegalBasis>,
    pub reason: Reason,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "verdict")]
pub enum Verdict {
    /// Eligible; `judged` lists, as message keys, what the council still judges on the file.
    Eligible {
        basis: Vec<(RuleId, Vec<LegalBasis>)>,
        judged: Vec<String>,
    },
    Ineligible(Vec<Unmet>),
}

impl Verdict {
    pub fn is_eligible(&self) -> bool {
        matches!(self, Verdict::Eligible { .. })
    }
    pub fn unmet(&self) -> &[Unmet] {
        match self {
            Verdict::Eligible { .. } => &[],
            Verdict::Ineligible(u) => u,
        }
    }
    /// Each unmet condition as a sentence, in order.
    pub fn sentences(&self, lang: Lang) -> Vec<String> {
        self.unmet().iter().map(|u| u.reason.render(lang)).collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Vi,
    En,
}

/// A message parameter; the renderer formats it for the language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "value")]
pub enum Param {
    Num(i64),
    Year(i32),
    Years(Vec<i32>),
    Span(i32, i32),
    Date(NaiveDate),
    MaybeDate(Option<NaiveDate>),
    Award(Award),
    Rating(Rating),
    MaybeRating(Option<Rating>),
    Reach(Reach),
    Kind(RecipientKind),
    Level(DisciplineLevel),
    Text(String),
}

impl Reason {
    /// The message key (`emulation.unmet.…`), as in the web catalogues.
    pub fn key(&self) -> &'static str {
        match self {
            Reason::NoRuleSet { .. } => "emulation.unmet.no_rule_set",
            Reason::RecipientNotAllowed { .. } => "emulation.unmet.recipient_not_allowed",
            Reason::Rating { .. } => "emulation.unmet.rating",
            Reason::NotActive { .. } => "emulation.unmet.not_active",
            Reason::Absent { .. } => "emulation.unmet.absent",
            Reason::TitleInYear { .. } => "emulation.unmet.title_in_year",
            Reason::Consecutive { every: 1, not_counted, .. } if not_counted.is_empty() => "emulation.unmet.consecutive_years",
            Reason::Consecutive { every: 1, .. } => "emulation.unmet.consecutive_years_reset",
            Reason::Consecutive { not_counted, .. } if not_counted.is_empty() => "emulation.unmet.consecutive_times",
            Reason::Consecutive { .. } => "emulation.unmet.consecutive_times_reset",
            Reason::ConsecutiveRatings { not_counted, .. } if not_counted.is_empty() => "emulation.unmet.consecutive_ratings",
            Reason::ConsecutiveRatings { .. } => "emulation.unmet.consecutive_ratings_reset",
            Reason::CountInWindow { .. } => "emulation.unmet.count_in_window",
            Reason::HeldBefore { .. } => "emulation.unmet.held_before",
            Reason::Initiatives { unused: false, .. } => "emulation.unmet.initiatives",
            Reason::Initiatives { unused: true, .. } => "emulation.unmet.initiatives_unused",
            Reason::Research { .. } => "emulation.unmet.research",
            Reason::MemberShare { .. } => "emulation.unmet.member_share",
            Reason::MembersBelowRating { .. } => "emulation.unmet.members_below_rating",
            Reason::NoMemberHolds { .. } => "emulation.unmet.no_member_holds",
            Reason::MembersDisciplined { .. } => "emulation.unmet.members_disciplined",
            Reason::Disciplined { .. } => "emulation.unmet.disciplined",
            Reason::DisciplinedInYear { .. } => "emulation.unmet.disciplined_in_year",
            Reason::UnderInvestigation { .. } => "emulation.unmet.under_investigation",
            Reason::AnyOf(_) => "emulation.unmet.any_of",
            Reason::ShareCap { .. } => "emulation.unmet.share_cap",
        }
    }

    /// The parameters of the key's sentence, by name.
    pub fn params(&self) -> Vec<(&'static str, Param)> {
        use Param as P;
        let n = |v: u32| P::Num(i64::from(v));
        match self {
            Reason::NoRuleSet { year } => vec![("year", P::Year(*year))],
            Reason::RecipientNotAllowed { award, kind } => vec![("award", P::Award(*award)), ("kind", P::Kind(*kind))],
            Reason::Rating { year, needed, has } => {
                vec![("year", P::Year(*year)), ("rating", P::Rating(*needed)), ("has", P::MaybeRating(*has))]
            }
            Reason::NotActive { year } => vec![("year", P::Year(*year))],
            Reason::Absent { year, days, max } => vec![("year", P::Year(*year)), ("days", P::Num(*days)), ("max", P::Num(*max))],
            Reason::TitleInYear { award, year } => vec![("award", P::Award(*award)), ("year", P::Year(*year))],
            Reason::Consecutive { award, times, every, has, missing, not_counted } => vec![
                ("n", n(*times)),
                ("every", n(*every)),
                ("award", P::Award(*award)),
                ("has", P::Years(has.clone())),
                ("missing", P::Years(missing.clone())),
                ("not_counted", P::Years(not_counted.clone())),
            ],
            Reason::ConsecutiveRatings { rating, years, has, missing, not_counted } => vec![
                ("n", n(*years)),
                ("rating", P::Rating(*rating)),
                ("has", P::Years(has.clone())),
                ("missing", P::Years(missing.clone())),
                ("not_counted", P::Years(not_counted.clone())),
            ],
            Reason::CountInWindow { award, count, from, to, has } => vec![
                ("count", n(*count)),
                ("award", P::Award(*award)),
                ("period", P::Span(*from, *to)),
                ("has", P::Years(has.clone())),
            ],
            Reason::HeldBefore { award, latest } => vec![("award", P::Award(*award)), ("latest", P::Year(*latest))],
            Reason::Initiatives { reach, count, from, to, has, .. } => {
                vec![("count", n(*count)), ("reach", P::Reach(*reach)), ("period", P::Span(*from, *to)), ("has", n(*has))]
            }
            Reason::Research { year } => vec![("year", P::Year(*year))],
            Reason::MemberShare { award, percent, has, members } => {
                vec![("percent", n(*percent)), ("award", P::Award(*award)), ("has", n(*has)), ("members", n(*members))]
            }
            Reason::MembersBelowRating { rating, year, count } => {
                vec![("rating", P::Rating(*rating)), ("year", P::Year(*year)), ("count", n(*count))]
            }
            Reason::NoMemberHolds { award, year } => vec![("award", P::Award(*award)), ("year", P::Year(*year))],
            Reason::MembersDisciplined { level, year, count } => {
                vec![("level", P::Level(*level)), ("year", P::Year(*year)), ("count", n(*count))]
            }
            Reason::Disciplined { level, until } => vec![("level", P::Level(*level)), ("until", P::MaybeDate(*until))],
            Reason::DisciplinedInYear { level, year } => vec![("level", P::Level(*level)), ("year", P::Year(*year))],
            Reason::UnderInvestigation { since } => vec![("since", P::Date(*since))],
            Reason::AnyOf(alternatives) => vec![("count", P::Num(alternatives.len() as i64))],
            Reason::ShareCap { percent, proposed, advanced, max } => {
                vec![("percent", n(*percent)), ("proposed", n(*proposed)), ("advanced", n(*advanced)), ("max", n(*max))]
            }
        }
    }

    /// The sentence, with the plain catalogue of `messages`.
    pub fn render(&self, lang: Lang) -> String {
        if let Reason::AnyOf(alternatives) = self {
            let parts: Vec<String> =
                alternatives.iter().map(|alt| alt.iter().map(|r| r.render(lang)).collect::<Vec<_>>().join(", ")).collect();
            let joined = parts.join(match lang {
                Lang::Vi => "; hoặc ",
                Lang::En => "; or ",
            });
            return fill(template(self.key(), lang), &[("alternatives", joined)]);
        }
        let values: Vec<(&str, String)> = self.params().into_iter().map(|(k, p)| (k, p.render(lang))).collect();
        fill(template(self.key(), lang), &values)
    }
}

impl Param {
    pub fn render(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        match self {
            Param::Num(n) => n.to_string(),
            Param::Year(y) => y.to_string(),
            Param::Years(ys) if ys.is_empty() => (if vi { "(không)" } else { "none" }).into(),
            Param::Years(ys) => ys.iter().map(|y| y.to_string()).collect::<Vec<_>>().join(", "),
            Param::Span(a, b) if a == b => a.to_string(),
            Param::Span(a, b) => format!("{a}–{b}"),
            Param::Date(d) => date(*d, lang),
            Param::MaybeDate(Some(d)) => date(*d, lang),
            Param::MaybeDate(None) => (if vi { "khi có quyết định khác" } else { "further notice" }).into(),
            Param::Award(a) => (if vi { a.name_vi() } else { a.name_en() }).into(),
            Param::Rating(r) => (if vi { r.name_vi() } else { r.name_en() }).into(),
            Param::MaybeRating(Some(r)) => (if vi { r.name_vi() } else { r.name_en() }).into(),
            Param::MaybeRating(None) => (if vi { "chưa xếp loại" } else { "not rated" }).into(),
            Param::Reach(r) => (if vi { r.name_vi() } else { r.name_en() }).into(),
            Param::Kind(k) => (if vi { k.name_vi() } else { k.name_en() }).into(),
            Param::Level(l) => (if vi { l.name_vi() } else { l.name_en() }).into(),
            Param::Text(t) => t.clone(),
        }
    }
}

fn date(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Vi => d.format("%d/%m/%Y").to_string(),
        Lang::En => d.format("%Y-%m-%d").to_string(),
    }
}

fn fill(template: &str, values: &[(&str, String)]) -> String {
    let mut out = template.to_string();
    for (k, v) in values {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

/// The sentence of `key` in `lang`; the web catalogues (`locales/vi.txt`, `en.txt`) carry the
/// same keys with the same parameters.
pub fn template(key: &str, lang: Lang) -> &'static str {
    MESSAGES.iter().find(|(k, _, _)| *k == key).map(|(_, vi, en)| if lang == Lang::Vi { *vi } else { *en }).unwrap_or("?")
}

/// (key, Vietnamese, English).
pub const MESSAGES: &[(&str, &str, &str)] = &[
    ("emulation.unmet.no_rule_set", "không có bộ tiêu chuẩn có hiệu lực cho năm {year}", "no rule set in force for {year}"),
    ("emulation.unmet.recipient_not_allowed", "{award} không xét tặng cho {kind}", "{award} is not given to a {kind}"),
    ("emulation.unmet.rating", "cần xếp loại {rating} trở lên năm {year}: đang là {has}", "needs a rating of {rating} or better in {year}: has {has}"),
    ("emulation.unmet.not_active", "cần đăng ký và tham gia phong trào thi đua năm {year}", "needs to take part in the emulation movement in {year}"),
    ("emulation.unmet.absent", "nghỉ {days} ngày trong năm {year}, tối đa {max} ngày (nghỉ thai sản được tính là thời gian công tác)", "away {days} days in {year}, at most {max} (maternity leave counts as working time)"),
    ("emulation.unmet.title_in_year", "cần đạt {award} năm {year}", "needs {award} in {year}"),
    ("emulation.unmet.consecutive_years", "cần {n} năm liên tục đạt {award}: có {has}; thiếu {missing}", "needs {n} consecutive years of {award}: has {has}; missing {missing}"),
    ("emulation.unmet.consecutive_years_reset", "cần {n} năm liên tục đạt {award}: có {has}; thiếu {missing}; không tính (trước khi hết thời hạn kỷ luật) {not_counted}", "needs {n} consecutive years of {award}: has {has}; missing {missing}; not counted (before the end of a discipline) {not_counted}"),
    ("emulation.unmet.consecutive_times", "cần {n} lần liên tục đạt {award} (cách nhau {every} năm): có {has}; thiếu {missing}", "needs {n} consecutive times of {award} ({every} years apart): has {has}; missing {missing}"),
    ("emulation.unmet.consecutive_times_reset", "cần {n} lần liên tục đạt {award} (cách nhau {every} năm): có {has}; thiếu {missing}; không tính (trước khi hết thời hạn kỷ luật) {not_counted}", "needs {n} consecutive times of {award} ({every} years apart): has {has}; missing {missing}; not counted (before the end of a discipline) {not_counted}"),
    ("emulation.unmet.consecutive_ratings", "cần {n} năm liên tục xếp loại {rating} trở lên: có {has}; thiếu {missing}", "needs {n} consecutive years rated {rating} or better: has {has}; missing {missing}"),
    ("emulation.unmet.consecutive_ratings_reset", "cần {n} năm liên tục xếp loại {rating} trở lên: có {has}; thiếu {missing}; không tính (trước khi hết thời hạn kỷ luật) {not_counted}", "needs {n} consecutive years rated {rating} or better: has {has}; missing {missing}; not counted (before the end of a discipline) {not_counted}"),
    ("emulation.unmet.count_in_window", "cần {count} lần đạt {award} trong giai đoạn {period}: có {has}", "needs {count} times {award} in {period}: has {has}"),
    ("emulation.unmet.held_before", "cần đã được tặng {award} từ năm {latest} trở về trước", "needs {award} received in {latest} or earlier"),
    ("emulation.unmet.initiatives", "cần {count} sáng kiến phạm vi {reach} được công nhận trong giai đoạn {period}: có {has}", "needs {count} initiative(s) of {reach} reach recognised in {period}: has {has}"),
    ("emulation.unmet.initiatives_unused", "cần {count} sáng kiến phạm vi {reach} được công nhận trong giai đoạn {period}, chưa dùng để xét khen thưởng khác: có {has}", "needs {count} initiative(s) of {reach} reach recognised in {period}, not used for another award: has {has}"),
    ("emulation.unmet.research", "cần đề tài khoa học được nghiệm thu và áp dụng năm {year}", "needs a research project accepted and applied in {year}"),
    ("emulation.unmet.member_share", "cần ít nhất {percent}% thành viên đạt {award}: có {has}/{members}", "needs at least {percent}% of members with {award}: has {has} of {members}"),
    ("emulation.unmet.members_below_rating", "cần 100% thành viên xếp loại {rating} trở lên năm {year}: {count} người chưa đạt", "needs every member rated {rating} or better in {year}: {count} below"),
    ("emulation.unmet.no_member_holds", "cần ít nhất một thành viên đạt {award} năm {year}", "needs at least one member with {award} in {year}"),
    ("emulation.unmet.members_disciplined", "không được có thành viên bị kỷ luật từ {level} trở lên năm {year}: có {count}", "needs no member disciplined at {level} or above in {year}: has {count}"),
    ("emulation.unmet.disciplined", "đang trong thời hạn kỷ luật ({level}) đến {until}: chưa khen thưởng", "under a discipline ({level}) until {until}: no commendation meanwhile"),
    ("emulation.unmet.disciplined_in_year", "bị kỷ luật ({level}) trong năm {year}: thành tích tính từ khi hết thời hạn kỷ luật", "disciplined ({level}) in {year}: achievements count from the end of the discipline"),
    ("emulation.unmet.under_investigation", "đang bị xem xét kỷ luật, thanh tra, kiểm tra hoặc điều tra từ {since}: chưa khen thưởng", "under investigation since {since}: no commendation meanwhile"),
    ("emulation.unmet.any_of", "cần một trong các điều kiện: {alternatives}", "needs one of: {alternatives}"),
    ("emulation.unmet.share_cap", "số Chiến sĩ thi đua cơ sở không quá {percent}% số Lao động tiên tiến: đề nghị {proposed}/{advanced}, tối đa {max}", "Grassroots Emulation Fighters may be at most {percent}% of Advanced Workers: {proposed} proposed of {advanced}, at most {max}"),
    ("emulation.judged.achievement", "thành tích do Hội đồng xem xét trên hồ sơ", "the achievement is judged by the council on the file"),
    ("emulation.judged.cluster_lead", "dẫn đầu cụm, khối thi đua: do Hội đồng xem xét", "leading its emulation cluster: judged by the council"),
    ("emulation.judged.household_contribution", "đóng góp của hộ gia đình do Hội đồng xem xét", "the household's contribution is judged by the council"),
    ("emulation.judged.predecessors", "có năm tính theo hồ sơ của tập thể trước khi sáp nhập: Hội đồng xem xét hồ sơ đó", "some years count from the record of a collective before the merger: the council reviews that record"),
];
