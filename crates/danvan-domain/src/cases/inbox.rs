//! The officer inbox's work on many cases at once and the units' response templates: which
//! cases a bulk action names, how its outcome is reported, what a template must contain, and
//! how a template's placeholders are filled from the one case an officer is answering.

use crate::errors::FieldErrors;
use crate::text::{clean, clean_multiline};
use serde::Serialize;

/// At most this many cases in one bulk action (a page of the inbox holds 50).
pub const MAX_BULK: usize = 200;
/// Longest list of ids or codes (duplicates and blanks included) read at all.
pub const MAX_RAW_BULK: usize = 4 * MAX_BULK;

/// The cases a bulk action names (form checkboxes or an API list): ids as sent, duplicates
/// dropped, order kept. None, too many or a malformed id is a field error on `ids`.
pub fn bulk_selection(raw: &[String]) -> Result<Vec<i64>, FieldErrors> {
    // A list far longer than the cap is refused before any work, so a hostile body cannot make
    // the dedup below expensive.
    if raw.len() > MAX_RAW_BULK {
        return Err(FieldErrors::one("ids", "inbox.error.too_many"));
    }
    let mut out: Vec<i64> = vec![];
    let mut seen = std::collections::HashSet::new();
    for r in raw {
        let r = r.trim();
        if r.is_empty() {
            continue;
        }
        match r.parse::<i64>() {
            Ok(id) if id > 0 => {
                if seen.insert(id) {
                    out.push(id);
                }
            }
            _ => return Err(FieldErrors::one("ids", "error.invalid")),
        }
    }
    if out.is_empty() {
        return Err(FieldErrors::one("ids", "inbox.error.none_selected"));
    }
    if out.len() > MAX_BULK {
        return Err(FieldErrors::one("ids", "inbox.error.too_many"));
    }
    Ok(out)
}

/// What happened to one case of a bulk action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BulkItem {
    pub case_id: i64,
    pub code: String,
    /// None when it was done; otherwise the translation key of why it was refused.
    pub refused: Option<String>,
}

/// The outcome of a bulk action, case by case: nothing is skipped silently.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BulkOutcome {
    pub items: Vec<BulkItem>,
}

impl BulkOutcome {
    pub fn done(&mut self, case_id: i64, code: &str) {
        self.items.push(BulkItem { case_id, code: code.into(), refused: None });
    }
    pub fn refuse(&mut self, case_id: i64, code: &str, key: &str) {
        self.items.push(BulkItem { case_id, code: code.into(), refused: Some(key.into()) });
    }
    pub fn done_count(&self) -> usize {
        self.items.iter().filter(|i| i.refused.is_none()).count()
    }
    pub fn refused_count(&self) -> usize {
        self.items.len() - self.done_count()
    }
    /// Nothing at all was done: the caller answers with a conflict rather than success.
    pub fn nothing_done(&self) -> bool {
        self.done_count() == 0
    }
}

// ---------------------------------------------------------------------------------------------
// Response templates

pub const MAX_TEMPLATE_TITLE: usize = 200;
pub const MAX_TEMPLATE_BODY: usize = 4000;

/// The placeholders a template may use, filled from the case being answered.
pub const PLACEHOLDERS: &[&str] = &["ma_ho_so", "ngay_tiep_nhan", "don_vi", "tieu_de", "linh_vuc", "hom_nay"];

/// A template as submitted, before validation.
#[derive(Debug, Clone, Default)]
pub struct TemplateInput {
    pub title: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateDraft {
    pub title: String,
    pub body: String,
}

/// Title and body are required and bounded; a placeholder the template names must be one we
/// can fill (a typo would otherwise reach the citizen as "{ma_hoso}").
pub fn validate_template(input: &TemplateInput) -> Result<TemplateDraft, FieldErrors> {
    let mut e = FieldErrors::new();
    let title = clean(&input.title);
    let body = clean_multiline(&input.body);
    if title.is_empty() {
        e.add("title", "error.required");
    } else if title.chars().count() > MAX_TEMPLATE_TITLE {
        e.add("title", "error.too_long");
    }
    if body.is_empty() {
        e.add("body", "error.required");
    } else if body.chars().count() > MAX_TEMPLATE_BODY {
        e.add("body", "error.too_long");
    } else if placeholders_in(&body).iter().any(|p| !PLACEHOLDERS.contains(&p.as_str())) {
        e.add("body", "template.error.placeholder");
    }
    e.into_result()?;
    Ok(TemplateDraft { title, body })
}

/// The names written as `{name}` in a text (letters, digits and `_` only).
pub fn placeholders_in(text: &str) -> Vec<String> {
    let mut out = vec![];
    let mut rest = text;
    while let Some(i) = rest.find('{') {
        let after = &rest[i + 1..];
        match after.find('}') {
            Some(j) if j > 0 && after[..j].chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
                out.push(after[..j].to_string());
                rest = &after[j + 1..];
            }
            _ => rest = after,
        }
    }
    out
}

/// What a template may say about the case: only facts the officer already sees on its page,
/// never the sender's identity.
#[derive(Debug, Clone, Default)]
pub struct TemplateFacts {
    pub code: String,
    /// dd/mm/yyyy
    pub received_on: String,
    pub unit: String,
    pub title: String,
    pub category: String,
    /// dd/mm/yyyy
    pub today: String,
}

/// Fills `{ma_ho_so}`, `{ngay_tiep_nhan}`, `{don_vi}`, `{tieu_de}`, `{linh_vuc}` and
/// `{hom_nay}`; anything else in braces is left as written.
pub fn fill_template(body: &str, f: &TemplateFacts) -> String {
    let mut out = String::with_capacity(body.len() + 64);
    let mut rest = body;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let value = after.find('}').and_then(|j| {
            let v = match &after[..j] {
                "ma_ho_so" => &f.code,
                "ngay_tiep_nhan" => &f.received_on,
                "don_vi" => &f.unit,
                "tieu_de" => &f.title,
                "linh_vuc" => &f.category,
                "hom_nay" => &f.today,
                _ => return None,
            };
            Some((v, j))
        });
        match value {
            Some((v, j)) => {
                out.push_str(v);
                rest = &after[j + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    clean_multiline(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> TemplateFacts {
        TemplateFacts {
            code: "PA-2026-000123".into(),
            received_on: "27/11/2026".into(),
            unit: "Ủy ban nhân dân phường An Bình".into(),
            title: "Cống tắc".into(),
            category: "Cống rãnh, thoát nước".into(),
            today: "30/11/2026".into(),
        }
    }

    #[test]
    fn placeholders_are_filled_from_the_case_and_unknown_ones_left_alone() {
        let body = "Kính gửi ông/bà,\n{don_vi} đã nhận phản ánh {ma_ho_so} ngày {ngay_tiep_nhan} ({linh_vuc}: {tieu_de}). \
                    Hôm nay {hom_nay}. {ten_nguoi_gui} {} {ma_ho_so";
        let out = fill_template(body, &facts());
        assert_eq!(
            out,
            "Kính gửi ông/bà,\nỦy ban nhân dân phường An Bình đã nhận phản ánh PA-2026-000123 ngày 27/11/2026 \
             (Cống rãnh, thoát nước: Cống tắc). Hôm nay 30/11/2026. {ten_nguoi_gui} {} {ma_ho_so"
        );
        // A value that itself contains braces is not filled again.
        let f = TemplateFacts { title: "{ma_ho_so}".into(), ..facts() };
        assert_eq!(fill_template("{tieu_de}", &f), "{ma_ho_so}");
    }

    #[test]
    fn templates_need_a_title_and_a_body_with_known_placeholders() {
        let e = validate_template(&TemplateInput::default()).unwrap_err();
        assert_eq!(e.get("title"), Some("error.required"));
        assert_eq!(e.get("body"), Some("error.required"));
        let e = validate_template(&TemplateInput { title: "Trả lời".into(), body: "Hồ sơ {ma_hoso}".into() }).unwrap_err();
        assert_eq!(e.get("body"), Some("template.error.placeholder"));
        let e = validate_template(&TemplateInput { title: "x".repeat(201), body: "ok".into() }).unwrap_err();
        assert_eq!(e.get("title"), Some("error.too_long"));
        let ok = validate_template(&TemplateInput {
            title: "  Trả lời   chung ".into(),
            body: "Hồ sơ {ma_ho_so} đã được {don_vi} xử lý.".into(),
        })
        .unwrap();
        assert_eq!(ok.title, "Trả lời chung");
        assert_eq!(placeholders_in(&ok.body), vec!["ma_ho_so", "don_vi"]);
    }

    #[test]
    fn a_bulk_selection_is_deduplicated_bounded_and_never_empty() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(bulk_selection(&s(&["3", "1", "3", " ", "2"])).unwrap(), vec![3, 1, 2]);
        assert_eq!(bulk_selection(&s(&[])).unwrap_err().get("ids"), Some("inbox.error.none_selected"));
        assert_eq!(bulk_selection(&s(&["1", "x"])).unwrap_err().get("ids"), Some("error.invalid"));
        assert_eq!(bulk_selection(&s(&["-4"])).unwrap_err().get("ids"), Some("error.invalid"));
        let many: Vec<String> = (1..=MAX_BULK as i64 + 1).map(|i| i.to_string()).collect();
        assert_eq!(bulk_selection(&many).unwrap_err().get("ids"), Some("inbox.error.too_many"));
        // Duplicates within the raw bound still collapse to one id.
        assert_eq!(bulk_selection(&vec!["7".to_string(); MAX_RAW_BULK]).unwrap(), vec![7]);
        // Past the raw bound the list is refused unread, even when it dedups to one id (the
        // invalid last entry would say error.invalid if it were read).
        let mut flood = vec!["7".to_string(); MAX_RAW_BULK];
        flood.push("x".into());
        assert_eq!(bulk_selection(&flood).unwrap_err().get("ids"), Some("inbox.error.too_many"));
    }

    #[test]
    fn a_bulk_outcome_reports_every_case() {
        let mut o = BulkOutcome::default();
        assert!(o.nothing_done());
        o.refuse(1, "PA-2026-000001", "case.error.not_now");
        assert!(o.nothing_done());
        o.done(2, "PA-2026-000002");
        assert_eq!((o.done_count(), o.refused_count(), o.nothing_done()), (1, 1, false));
        assert_eq!(o.items[0].refused.as_deref(), Some("case.error.not_now"));
    }
}
