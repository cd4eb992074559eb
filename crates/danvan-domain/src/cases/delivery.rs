//! Answers to citizens, duplicates and personal-data retention: the rules, without I/O.
//!
//! - Duplicate suggestions: folded-text similarity (character trigrams of the words, Jaccard),
//!   the distance between two points (haversine) and small boosts for the same category or place.
//! - Retention (RULES.md §2: "retention periods are settings"): how long the sender's identity and
//!   contacts are kept after a case ends, per kind.
//! - The messages that carry an answer to the citizen, per channel.

use crate::cases::CaseKind;
use crate::errors::FieldErrors;
use crate::text;
use chrono::{Months, NaiveDate};
use std::collections::HashSet;

// ---------------------------------------------------------------------------------------------
// Duplicates

/// Mean Earth radius (IUGG), metres.
const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Great-circle distance in metres between two (latitude, longitude) points in degrees.
pub fn haversine_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (a.0.to_radians(), a.1.to_radians(), b.0.to_radians(), b.1.to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2) + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

/// Two cases with points farther apart than this are about different places.
pub const DUPLICATE_RADIUS_M: f64 = 200.0;
/// Below this text similarity two cases are not suggested, whatever else they share.
pub const MIN_TEXT_SIMILARITY: f64 = 0.3;

/// Character trigrams of each folded word (padded, so short words count too).
fn trigrams(s: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    for w in text::fold(s).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        let chars: Vec<char> = format!(" {w} ").chars().collect();
        for t in chars.windows(3) {
            out.insert(t.iter().collect());
        }
    }
    out
}

/// Jaccard similarity of the texts' trigram sets, 0..=1; insensitive to case and diacritics.
pub fn text_similarity(a: &str, b: &str) -> f64 {
    let (x, y) = (trigrams(a), trigrams(b));
    if x.is_empty() || y.is_empty() {
        return 0.0;
    }
    let inter = x.intersection(&y).count();
    inter as f64 / (x.len() + y.len() - inter) as f64
}

/// Whether a case of kind `from` may be merged into one of kind `into`. Only feedback and
/// petitions: the merged case's citizen receives the other case's answer, and the answer to a
/// complaint or denunciation concerns (and may identify) its sender alone.
pub fn merge_allowed(from: CaseKind, into: CaseKind) -> bool {
    let plain = |k: CaseKind| matches!(k, CaseKind::Feedback | CaseKind::Petition);
    plain(from) && plain(into)
}

/// What duplicate scoring looks at in a case.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DupProbe {
    pub text: String,
    pub point: Option<(f64, f64)>,
    pub category_id: Option<i64>,
    pub place_unit_id: Option<i64>,
}

/// How alike two cases are (higher is more alike), or None when they should not be suggested:
/// texts too different, or both have points more than 200 m apart.
pub fn duplicate_score(a: &DupProbe, b: &DupProbe) -> Option<f64> {
    let sim = text_similarity(&a.text, &b.text);
    if sim < MIN_TEXT_SIMILARITY {
        return None;
    }
    let mut score = sim;
    if let (Some(p), Some(q)) = (a.point, b.point) {
        if haversine_m(p, q) > DUPLICATE_RADIUS_M {
            return None;
        }
        score += 0.2;
    }
    if a.category_id.is_some() && a.category_id == b.category_id {
        score += 0.1;
    }
    if a.place_unit_id.is_some() && a.place_unit_id == b.place_unit_id {
        score += 0.1;
    }
    Some(score)
}

// ---------------------------------------------------------------------------------------------
// Retention of personal data

/// Years the sender's identity and contacts are kept after a case ends (closed, rejected,
/// withdrawn, sent elsewhere, or answered and not disputed). RULES.md gives no figure: these are
/// settings, and the defaults below are this product's choice, longer where the law's
/// procedures (second-instance complaints, re-opened denunciations) may need the identity again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionPolicy {
    /// Feedback and petitions.
    pub feedback_years: u32,
    /// Complaints and denunciations.
    pub complaint_years: u32,
}

impl Default for RetentionPolicy {
    fn default() -> Self {
        RetentionPolicy { feedback_years: 2, complaint_years: 5 }
    }
}

/// The settings keys (in the `settings` table).
pub const RETENTION_FEEDBACK_KEY: &str = "retention.feedback_years";
pub const RETENTION_COMPLAINT_KEY: &str = "retention.complaint_years";
/// Longest period accepted from the settings page.
pub const MAX_RETENTION_YEARS: u32 = 50;

impl RetentionPolicy {
    /// Clamped to `MAX_RETENTION_YEARS`: a stored value beyond it (edited by hand) cannot
    /// overflow the date arithmetic.
    pub fn years_for(&self, kind: CaseKind) -> u32 {
        match kind {
            CaseKind::Feedback | CaseKind::Petition => self.feedback_years,
            CaseKind::Complaint | CaseKind::Denunciation => self.complaint_years,
        }
        .min(MAX_RETENTION_YEARS)
    }

    /// On `today`, cases of this kind that ended on or before the returned day are past their
    /// period (the store's erasure query uses it).
    pub fn cutoff(&self, kind: CaseKind, today: NaiveDate) -> NaiveDate {
        self.years_for(kind).checked_mul(12).and_then(|m| today.checked_sub_months(Months::new(m))).unwrap_or(NaiveDate::MIN)
    }

    /// The first day on which the personal data of a case that ended on `ended_on` is erased:
    /// the same years later, one day more when the end was 29 February and the year is common.
    pub fn erase_on(&self, kind: CaseKind, ended_on: NaiveDate) -> NaiveDate {
        let d = add_years(ended_on, self.years_for(kind));
        if self.cutoff(kind, d) < ended_on {
            d.succ_opt().unwrap_or(d)
        } else {
            d
        }
    }

    /// Reads the two figures from text (the settings form, the stored values); field errors
    /// keyed by the settings' short names.
    pub fn parse(feedback: &str, complaint: &str) -> Result<RetentionPolicy, FieldErrors> {
        let mut e = FieldErrors::new();
        let mut read = |field: &str, v: &str| match v.trim().parse::<u32>() {
            Ok(n) if (1..=MAX_RETENTION_YEARS).contains(&n) => n,
            Ok(_) => {
                e.add(field, "retention.error.range");
                0
            }
            Err(_) => {
                e.add(field, if v.trim().is_empty() { "error.required" } else { "error.number" });
                0
            }
        };
        let p = RetentionPolicy {
            feedback_years: read("feedback_years", feedback),
            complaint_years: read("complaint_years", complaint),
        };
        e.into_result().map(|_| p)
    }
}

/// `d` plus whole years; 29 February becomes 28 February in a common year.
fn add_years(d: NaiveDate, years: u32) -> NaiveDate {
    years.checked_mul(12).and_then(|m| d.checked_add_months(Months::new(m))).unwrap_or(NaiveDate::MAX)
}

// ---------------------------------------------------------------------------------------------
// Messages to the citizen

/// A channel an answer can travel by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageChannel {
    Email,
    Sms,
    Zalo,
}

impl MessageChannel {
    pub const ALL: [MessageChannel; 3] = [MessageChannel::Email, MessageChannel::Sms, MessageChannel::Zalo];
    pub fn as_str(self) -> &'static str {
        match self {
            MessageChannel::Email => "email",
            MessageChannel::Sms => "sms",
            MessageChannel::Zalo => "zalo",
        }
    }
    pub fn parse(s: &str) -> Option<MessageChannel> {
        MessageChannel::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// How the store decodes a stored channel: an unknown name is an error, never a default.
impl TryFrom<String> for MessageChannel {
    type Error = crate::UnknownValue;
    fn try_from(s: String) -> Result<MessageChannel, Self::Error> {
        MessageChannel::parse(&s).ok_or(crate::UnknownValue { what: "message channel", value: s })
    }
}

/// Compares with a stored name (`x == "…"`): tests and templates read so.
impl PartialEq<&str> for MessageChannel {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for MessageChannel {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl AsRef<str> for MessageChannel {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Display for MessageChannel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for MessageChannel {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Where a message to a citizen stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageStatus {
    /// Waiting to be sent (or leased by a sender).
    Pending,
    Sent,
    /// Given up after the last attempt.
    Failed,
    /// Its channel is not configured on this server.
    NoChannel,
    /// Its recipient and text were erased (retention) before it was sent.
    Erased,
}

impl MessageStatus {
    pub const ALL: [MessageStatus; 5] =
        [MessageStatus::Pending, MessageStatus::Sent, MessageStatus::Failed, MessageStatus::NoChannel, MessageStatus::Erased];
    pub fn as_str(self) -> &'static str {
        match self {
            MessageStatus::Pending => "pending",
            MessageStatus::Sent => "sent",
            MessageStatus::Failed => "failed",
            MessageStatus::NoChannel => "no_channel",
            MessageStatus::Erased => "erased",
        }
    }
    pub fn parse(s: &str) -> Option<MessageStatus> {
        MessageStatus::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// How the store decodes a stored message status: an unknown name is an error.
impl TryFrom<String> for MessageStatus {
    type Error = crate::UnknownValue;
    fn try_from(s: String) -> Result<MessageStatus, Self::Error> {
        MessageStatus::parse(&s).ok_or(crate::UnknownValue { what: "message status", value: s })
    }
}

/// Compares with a stored name (`x == "…"`): tests and templates read so.
impl PartialEq<&str> for MessageStatus {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for MessageStatus {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl AsRef<str> for MessageStatus {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Display for MessageStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for MessageStatus {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// What an answer message says; everything here concerns the recipient's own case.
#[derive(Debug, Clone)]
pub struct AnswerMessage<'a> {
    /// The recipient's tracking code (for a merged case, their own, not the other case's).
    pub code: &'a str,
    pub unit_name: &'a str,
    pub register_no: Option<&'a str>,
    pub answer: &'a str,
    /// The private link with its secret.
    pub link: &'a str,
    /// When the case was merged into another, that case's code (it carries the answer).
    pub merged_into: Option<&'a str>,
}

/// SMS are kept short (the gateway may split them); e-mail and Zalo carry the whole answer.
const SMS_EXCERPT: usize = 120;

/// (subject, body) of the message for `channel`, in Vietnamese.
pub fn answer_message(channel: MessageChannel, m: &AnswerMessage) -> (String, String) {
    let subject = format!("Trả lời phản ánh, kiến nghị mã {}", m.code);
    let no = m.register_no.map(|n| format!(" (số {n})")).unwrap_or_default();
    let merged = m
        .merged_into
        .map(|a| format!("Nội dung của quý vị được giải quyết cùng hồ sơ {a} có cùng nội dung.\n"))
        .unwrap_or_default();
    let body = match channel {
        // Without diacritics: one GSM-7 SMS holds 160 characters, a Unicode one only 70.
        MessageChannel::Sms => format!(
            "{}: da tra loi ho so {}{}. {} Xem: {}",
            text::fold(m.unit_name).to_uppercase(),
            m.code,
            text::fold(&no),
            text::fold(&text::excerpt(m.answer, SMS_EXCERPT)),
            m.link
        ),
        MessageChannel::Email | MessageChannel::Zalo => format!(
            "Kính gửi quý vị,\n\n{unit} trả lời hồ sơ mã {code}{no}:\n{merged}\n{answer}\n\nXem toàn bộ quá trình xử lý, đánh giá mức độ hài lòng hoặc đề nghị xem xét lại tại:\n{link}\n\nĐường dẫn này là riêng của quý vị; xin đừng chia sẻ.\n{unit}",
            unit = m.unit_name,
            code = m.code,
            answer = m.answer,
            link = m.link,
        ),
    };
    (subject, body)
}

/// (subject, body) of the receipt sent when a case is received: its code, the last day for the
/// answer when known, and the private link.
pub fn receipt_message(channel: MessageChannel, code: &str, due: Option<&str>, link: &str) -> (String, String) {
    let subject = format!("Đã tiếp nhận phản ánh, kiến nghị mã {code}");
    let body = match channel {
        MessageChannel::Sms => {
            let due = due.map(|d| format!(" Han tra loi: {d}.")).unwrap_or_default();
            format!("Da tiep nhan phan anh, kien nghi ma {code}.{due} Theo doi: {link}")
        }
        MessageChannel::Email | MessageChannel::Zalo => {
            let due = due.map(|d| format!("Hạn trả lời chậm nhất: ngày {d}.\n")).unwrap_or_default();
            format!(
                "Kính gửi quý vị,\n\nPhản ánh, kiến nghị của quý vị đã được tiếp nhận với mã số {code}.\n{due}\nTheo dõi quá trình xử lý tại:\n{link}\n\nĐường dẫn này là riêng của quý vị; xin đừng chia sẻ."
            )
        }
    };
    (subject, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn haversine_matches_known_distances() {
        // One degree of latitude is about 111.2 km.
        let d = haversine_m((21.0, 105.8), (22.0, 105.8));
        assert!((d - 111_195.0).abs() < 100.0, "{d}");
        // Hoàn Kiếm lake to the Opera House, about 1 km.
        let d = haversine_m((21.0288, 105.8525), (21.0245, 105.8577));
        assert!((600.0..=800.0).contains(&d), "{d}");
        assert_eq!(haversine_m((21.0, 105.0), (21.0, 105.0)), 0.0);
    }

    #[test]
    fn similar_texts_score_high_whatever_the_diacritics() {
        let a = "Cống thoát nước đầu ngõ 5 bị tắc, nước tràn lên vỉa hè";
        let b = "cong thoat nuoc dau ngo 5 bi tac nuoc tran len via he";
        assert!((text_similarity(a, b) - 1.0).abs() < 1e-9);
        let c = "Cống đầu ngõ 5 bị tắc, nước thải tràn ra vỉa hè";
        assert!(text_similarity(a, c) > 0.4, "{}", text_similarity(a, c));
        let d = "Đèn đường khu tập thể hỏng đã hai tuần";
        assert!(text_similarity(a, d) < MIN_TEXT_SIMILARITY, "{}", text_similarity(a, d));
        assert_eq!(text_similarity("", a), 0.0);
    }

    #[test]
    fn huge_retention_figures_are_clamped_not_overflowed() {
        let p = RetentionPolicy { feedback_years: u32::MAX, complaint_years: 1_000 };
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        assert_eq!(p.years_for(CaseKind::Feedback), MAX_RETENTION_YEARS);
        assert_eq!(p.cutoff(CaseKind::Feedback, today), NaiveDate::from_ymd_opt(1976, 11, 27).unwrap());
        assert_eq!(p.erase_on(CaseKind::Complaint, today), NaiveDate::from_ymd_opt(2076, 11, 27).unwrap());
    }

    #[test]
    fn only_feedback_and_petitions_are_merged() {
        use CaseKind::*;
        assert!(merge_allowed(Feedback, Petition) && merge_allowed(Petition, Feedback) && merge_allowed(Feedback, Feedback));
        for k in [Feedback, Petition, Complaint, Denunciation] {
            for sensitive in [Complaint, Denunciation] {
                assert!(!merge_allowed(k, sensitive), "{k:?} into {sensitive:?}");
                assert!(!merge_allowed(sensitive, k), "{sensitive:?} into {k:?}");
            }
        }
    }

    #[test]
    fn duplicates_need_similar_text_and_nearby_points() {
        let base = DupProbe {
            text: "Cống thoát nước đầu ngõ 5 bị tắc".into(),
            point: Some((21.0288, 105.8525)),
            category_id: Some(1),
            place_unit_id: Some(7),
        };
        // About 110 m north.
        let near = DupProbe { point: Some((21.0298, 105.8525)), ..base.clone() };
        // About 330 m north.
        let far = DupProbe { point: Some((21.0318, 105.8525)), ..base.clone() };
        let other = DupProbe { text: "Karaoke gây ồn sau 23 giờ".into(), ..near.clone() };
        let no_point = DupProbe { point: None, category_id: Some(2), place_unit_id: None, ..base.clone() };
        let s_near = duplicate_score(&base, &near).expect("near duplicate");
        assert!(duplicate_score(&base, &far).is_none());
        assert!(duplicate_score(&base, &other).is_none());
        let s_text_only = duplicate_score(&base, &no_point).expect("text alone may suggest");
        assert!(s_near > s_text_only, "place and category boost: {s_near} > {s_text_only}");
    }

    #[test]
    fn retention_counts_whole_years_after_the_end() {
        let p = RetentionPolicy::default();
        let d = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
        assert_eq!(p.erase_on(CaseKind::Feedback, d), NaiveDate::from_ymd_opt(2026, 3, 1).unwrap());
        assert_eq!(p.erase_on(CaseKind::Denunciation, d), NaiveDate::from_ymd_opt(2029, 3, 1).unwrap());
        let e = NaiveDate::from_ymd_opt(2024, 6, 10).unwrap();
        assert_eq!(p.erase_on(CaseKind::Feedback, e), NaiveDate::from_ymd_opt(2026, 6, 10).unwrap());
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        assert_eq!(p.cutoff(CaseKind::Petition, today), NaiveDate::from_ymd_opt(2024, 11, 27).unwrap());
        assert_eq!(p.cutoff(CaseKind::Complaint, today), NaiveDate::from_ymd_opt(2021, 11, 27).unwrap());
    }

    #[test]
    fn retention_settings_are_checked() {
        assert_eq!(RetentionPolicy::parse("3", " 10 "), Ok(RetentionPolicy { feedback_years: 3, complaint_years: 10 }));
        let e = RetentionPolicy::parse("0", "x").unwrap_err();
        assert_eq!(e.get("feedback_years"), Some("retention.error.range"));
        assert_eq!(e.get("complaint_years"), Some("error.number"));
        assert_eq!(RetentionPolicy::parse("", "51").unwrap_err().get("complaint_years"), Some("retention.error.range"));
    }

    #[test]
    fn messages_carry_the_link_and_the_answer() {
        let m = AnswerMessage {
            code: "PA-2026-000002",
            unit_name: "Ủy ban nhân dân phường An Bình",
            register_no: Some("1/UBND-TL"),
            answer: "Phường đã nạo vét cống đầu ngõ 5.",
            link: "https://danvan.example/track/PA-2026-000002?s=abc",
            merged_into: Some("PA-2026-000001"),
        };
        let (subject, body) = answer_message(MessageChannel::Email, &m);
        assert!(subject.contains("PA-2026-000002"));
        assert!(
            body.contains("nạo vét") && body.contains("?s=abc") && body.contains("PA-2026-000001") && body.contains("1/UBND-TL")
        );
        let (_, sms) = answer_message(MessageChannel::Sms, &m);
        assert!(sms.contains("?s=abc") && sms.contains("nao vet") && sms.is_ascii(), "{sms}");
    }

    proptest! {
        #[test]
        fn similarity_is_symmetric_and_bounded(a in "[a-zđơư ]{0,40}", b in "[a-zđơư ]{0,40}") {
            let (x, y) = (text_similarity(&a, &b), text_similarity(&b, &a));
            prop_assert!((x - y).abs() < 1e-9);
            prop_assert!((0.0..=1.0).contains(&x));
        }

        #[test]
        fn haversine_is_symmetric_and_satisfies_the_triangle_inequality(
            a in (-80.0f64..80.0, -179.0f64..179.0), b in (-80.0f64..80.0, -179.0f64..179.0), c in (-80.0f64..80.0, -179.0f64..179.0)
        ) {
            prop_assert!((haversine_m(a, b) - haversine_m(b, a)).abs() < 1e-6);
            prop_assert!(haversine_m(a, c) <= haversine_m(a, b) + haversine_m(b, c) + 1e-6);
        }

        #[test]
        fn erasure_never_comes_before_the_period(y in 1u32..50, days in 0i64..20000) {
            let p = RetentionPolicy { feedback_years: y, complaint_years: y };
            let ended = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + chrono::Duration::days(days);
            let on = p.erase_on(CaseKind::Feedback, ended);
            prop_assert!((on - ended).num_days() >= 365 * y as i64);
            // The erasure day is exactly the first day the store's cut-off reaches the end.
            prop_assert!(ended <= p.cutoff(CaseKind::Feedback, on));
            prop_assert!(ended > p.cutoff(CaseKind::Feedback, on.pred_opt().unwrap()));
        }
    }
}
