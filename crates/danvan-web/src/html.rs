//! Page context and small HTML builders shared by the templates: pagination, dates in Vietnamese
//! format; form fields with their errors are `form.rs`'s.

use crate::ctx::Ctx;
use crate::i18n::{self, Lang};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use danvan_domain::{FieldErrors, Role, UnitKind};
use std::fmt::Write;

pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// Everything the layout needs, available to every template as `p`.
pub struct Page {
    pub lang: Lang,
    pub title: String,
    pub account_name: Option<String>,
    pub signed_in: bool,
    pub can_admin: bool,
    pub is_official: bool,
    pub csrf: String,
    pub flash: Option<(String, String)>,
    pub here: String,
    pub source_url: String,
}

impl Page {
    pub fn new(ctx: &Ctx, title: &str) -> Page {
        Page {
            lang: ctx.lang,
            title: title.to_string(),
            account_name: ctx.caller.account.as_ref().map(|a| a.full_name.clone()),
            signed_in: ctx.caller.account.is_some(),
            can_admin: ctx.can_administer(),
            is_official: ctx.caller.actor.is_official(),
            csrf: ctx.csrf.clone(),
            flash: ctx.flash.as_deref().map(|f| flash_text(ctx.lang, f)),
            here: back_path(&ctx.here),
            source_url: ctx.source_url.to_string(),
        }
    }
    pub fn t(&self, key: &str) -> String {
        i18n::t(self.lang, key)
    }
    /// A message in Vietnamese whatever the reader's language: the words of a document that is
    /// printed in Vietnamese (a decision and its annex).
    pub fn t_vi(&self, key: &str) -> String {
        i18n::t(Lang::Vi, key)
    }
    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }
    /// Hidden CSRF field for forms.
    pub fn csrf_field(&self) -> String {
        format!(r#"<input type="hidden" name="_csrf" value="{}">"#, esc(&self.csrf))
    }
    pub fn num(&self, n: i64) -> String {
        i18n::number(self.lang, n)
    }
    pub fn date(&self, d: &NaiveDate) -> String {
        date(self.lang, d)
    }
    pub fn datetime(&self, d: &DateTime<Utc>) -> String {
        datetime(self.lang, d)
    }
    pub fn kind(&self, kind: &UnitKind) -> String {
        self.t(crate::labels::unit_kind(kind.as_str()))
    }
    pub fn status(&self, status: impl AsRef<str>) -> String {
        self.t(crate::labels::case_status(status))
    }
    /// An audit entry's action in words ("session.login" → "Đăng nhập"); its code when the
    /// catalogue has no words for it.
    pub fn audit_action(&self, action: &str) -> String {
        if let Some(key) = crate::labels::audit_action(action) {
            return self.t(key);
        }
        // A case's transitions ("case.accept") are named as on the case page.
        match action.strip_prefix("case.").map(crate::labels::case_action) {
            Some(key) if key != "common.unknown" => self.t(key),
            _ => action.to_string(),
        }
    }
    /// Who acted: an account's "name (username)" as recorded; the system's own actors
    /// ("anonymous", "citizen", "retention"…) in words.
    pub fn audit_actor(&self, label: &str) -> String {
        crate::labels::audit_actor(label).map(|k| self.t(k)).unwrap_or_else(|| label.to_string())
    }
    pub fn audit_target(&self, target: &str) -> String {
        crate::labels::audit_target(target).map(|k| self.t(k)).unwrap_or_else(|| target.to_string())
    }
    /// The recorded changes; a dash for none ("{}").
    pub fn audit_changes(&self, changes: &str) -> String {
        match changes.trim() {
            "" | "{}" | "null" => "—".into(),
            c => c.to_string(),
        }
    }
    /// The status as residents see it (`labels::public_case_status`).
    pub fn public_status(&self, status: impl AsRef<str>) -> String {
        self.t(crate::labels::public_case_status(status))
    }
    pub fn event(&self, action: &str) -> String {
        self.t(crate::labels::case_event(action))
    }
    /// A history entry's note: the channel of a "receive" entry in words ("web" → "Cổng thông
    /// tin"); any other note as written.
    pub fn event_note(&self, action: &str, note: &str) -> String {
        match danvan_domain::cases::Channel::parse(note) {
            Some(c) if action == "receive" => self.t(crate::labels::channel(c.as_str())),
            _ => note.to_string(),
        }
    }
    pub fn delivery_channel(&self, channel: impl AsRef<str>) -> String {
        self.t(crate::labels::delivery_channel(channel))
    }
    pub fn delivery_status(&self, status: impl AsRef<str>) -> String {
        self.t(crate::labels::delivery_status(status))
    }
    pub fn notice(&self, kind: impl AsRef<str>) -> String {
        self.t(crate::labels::notice_kind(kind))
    }
    pub fn calendar_kind(&self, kind: impl AsRef<str>) -> String {
        self.t(crate::labels::calendar_kind(kind))
    }
    pub fn role(&self, role: &Role) -> String {
        self.t(role_key(*role))
    }
}

/// The catalogue key naming a role (keys are written out so that the catalogue check sees them).
pub fn role_key(role: Role) -> &'static str {
    match role {
        Role::Admin => "role.admin",
        Role::Leader => "role.leader",
        Role::Officer => "role.officer",
        Role::Front => "role.front",
        Role::Viewer => "role.viewer",
        Role::Emulation => "role.emulation",
        Role::Oversight => "role.oversight",
    }
}

/// Flash cookie values are `kind:key[:name=value…]`, e.g. `ok:admin.imported:created=3:updated=1`.
pub fn flash_value(kind: &str, key: &str, args: &[(&str, String)]) -> String {
    let mut s = format!("{kind}:{key}");
    for (k, v) in args {
        let v: String = v.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
        let _ = write!(s, ":{k}={v}");
    }
    s
}

fn flash_text(lang: Lang, raw: &str) -> (String, String) {
    let mut parts = raw.split(':');
    let kind = match parts.next() {
        Some("err") => "error",
        Some("info") => "info",
        _ => "success",
    };
    let key = parts.next().unwrap_or("");
    if !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_') || !i18n::has_key(lang, key) {
        return (kind.into(), String::new());
    }
    // A cookie carries letters and digits only: a date travels as YYYYMMDD and is shown here
    // in the reader's format.
    let shown: Vec<(&str, String)> = parts
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| match NaiveDate::parse_from_str(v, "%Y%m%d") {
            Ok(d) if k == "date" => (k, date(lang, &d)),
            _ => (k, v.to_string()),
        })
        .collect();
    let args: Vec<(&str, &str)> = shown.iter().map(|(k, v)| (*k, v.as_str())).collect();
    (kind.into(), i18n::tf(lang, key, &args))
}

const VN: FixedOffset = match FixedOffset::east_opt(7 * 3600) {
    Some(o) => o,
    None => panic!("offset"),
};

pub fn date(lang: Lang, d: &NaiveDate) -> String {
    match lang {
        Lang::Vi => d.format("%d/%m/%Y").to_string(),
        Lang::En => d.format("%d/%m/%Y").to_string(),
    }
}

/// Shown in Asia/Ho_Chi_Minh (+07:00, no daylight saving), 24-hour clock.
pub fn datetime(_lang: Lang, d: &DateTime<Utc>) -> String {
    d.with_timezone(&VN).format("%d/%m/%Y %H:%M").to_string()
}

pub use danvan_app::input::parse_date;

pub use crate::form::{Form, Opt};

/// Server-side pagination links that keep the current filters.
pub fn pagination(lang: Lang, base: &str, params: &[(&str, String)], page: i64, per_page: i64, total: i64) -> String {
    let pages = ((total + per_page - 1) / per_page).max(1);
    if pages <= 1 {
        return String::new();
    }
    let link = |p: i64| {
        let mut q: Vec<String> =
            params.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}={}", urlencode(v))).collect();
        q.push(format!("page={p}"));
        format!("{base}?{}", q.join("&"))
    };
    let mut s = format!(r#"<nav class="pagination" aria-label="{}"><ul>"#, esc(&i18n::t(lang, "common.pagination")));
    if page > 1 {
        let _ =
            write!(s, r#"<li><a href="{}" rel="prev">{}</a></li>"#, esc(&link(page - 1)), esc(&i18n::t(lang, "common.previous")));
    }
    let _ = write!(
        s,
        r#"<li><span aria-current="page">{}</span></li>"#,
        esc(&i18n::tf(lang, "common.page", &[("page", &page.to_string()), ("pages", &pages.to_string())]))
    );
    if page < pages {
        let _ = write!(s, r#"<li><a href="{}" rel="next">{}</a></li>"#, esc(&link(page + 1)), esc(&i18n::t(lang, "common.next")));
    }
    s.push_str("</ul></nav>");
    s
}

pub fn urlencode(s: &str) -> String {
    let mut o = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => o.push(b as char),
            b' ' => o.push('+'),
            _ => {
                let _ = write!(o, "%{b:02X}");
            }
        }
    }
    o
}

/// Errors named `prefix N` (features of a file, rows, lines) as a list of sentences.
pub(crate) fn numbered_errors(ctx: &Ctx, e: &FieldErrors, prefix: &str, label_key: &str) -> Vec<String> {
    e.0.iter()
        .filter(|fe| fe.field.starts_with(prefix))
        .map(|fe| format!("{} {}: {}", ctx.t(label_key), fe.field.trim_start_matches(prefix).trim(), ctx.t(&fe.key)))
        .collect()
}

/// Where the language switch comes back to: this page's path and query without the CSRF token
/// a form's action carries (a POST's URL would otherwise put the token in a GET link and logs).
pub fn back_path(here: &str) -> String {
    let (path, query) = here.split_once('?').unwrap_or((here, ""));
    let kept: Vec<&str> = query.split('&').filter(|p| !p.is_empty() && !p.starts_with("_csrf=") && *p != "_csrf").collect();
    if kept.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", kept.join("&"))
    }
}

#[cfg(test)]
mod back_tests {
    #[test]
    fn the_way_back_carries_no_csrf_token() {
        assert_eq!(super::back_path("/cases/new?_csrf=abc"), "/cases/new");
        assert_eq!(super::back_path("/track/PA-1?s=x&_csrf=abc&new=1"), "/track/PA-1?s=x&new=1");
        assert_eq!(super::back_path("/inbox"), "/inbox");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_summary_follows_the_order_the_fields_were_checked_in() {
        let mut e = FieldErrors::new();
        e.add("year", "error.required");
        e.add("award", "error.required");
        e.add("year", "error.invalid");
        let s = Form::new(Lang::Vi).with_errors(&e).summary();
        let (year, award) = (s.find("#f-year").unwrap(), s.find("#f-award").unwrap());
        assert!(year < award, "{s}");
        assert_eq!(s.matches("#f-year").count(), 1, "one line per field");
        // A form's own label for a field wins over the site-wide one.
        let s = Form::new(Lang::Vi).with_errors(&e).with_labels(&[("year", "emulation.field.year")]).summary();
        assert!(s.contains(&format!("{}: ", i18n::t(Lang::Vi, "emulation.field.year"))), "{s}");
    }

    #[test]
    fn escapes_html() {
        assert_eq!(esc(r#"<b a="x">&'"#), "&lt;b a=&quot;x&quot;&gt;&amp;&#39;");
    }

    #[test]
    fn dates_parse_in_both_forms_and_show_in_vietnamese_format() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 12).unwrap();
        assert_eq!(parse_date("12/12/2026"), Some(d));
        assert_eq!(parse_date("2026-12-12"), Some(d));
        assert_eq!(parse_date("31/02/2026"), None);
        assert_eq!(date(Lang::Vi, &d), "12/12/2026");
        let t = DateTime::parse_from_rfc3339("2026-11-27T20:30:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(datetime(Lang::Vi, &t), "28/11/2026 03:30");
    }

    #[test]
    fn flash_refuses_unknown_keys() {
        assert_eq!(flash_text(Lang::Vi, "ok:admin.saved").1, "Đã lưu.");
        assert_eq!(flash_text(Lang::En, "ok:admin.imported:created=3:updated=1").1, "Imported: 3 new units, 1 updated.");
        assert_eq!(flash_text(Lang::Vi, "ok:<script>").1, "");
    }
}
