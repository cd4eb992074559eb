//! Page context and small HTML builders shared by the templates: form fields with their errors,
//! pagination, dates in Vietnamese format.

use crate::ctx::Ctx;
use crate::i18n::{self, Lang};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use danvan_domain::{FieldErrors, Role, UnitKind};
use std::collections::HashMap;
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

/// A form's values and errors, rendering labelled fields with their messages beside them.
#[derive(Default, Clone)]
pub struct Form {
    pub lang: Lang,
    pub values: HashMap<String, String>,
    pub errors: HashMap<String, String>,
    /// The fields with errors in the order the use case found them (the form's order, as it
    /// checks fields top to bottom): the order of the error summary.
    pub error_order: Vec<String>,
    /// The message keys of this form's field labels, where the site-wide name of a field
    /// (`labels::field_label`) is not this form's ("rating" is a case's satisfaction elsewhere).
    pub labels: HashMap<String, &'static str>,
    /// Prefixes the fields' ids (`{scope}-f-{name}`) when a page holds several forms with
    /// fields of the same name, so that each label and error names its own field.
    pub scope: String,
}

pub struct Opt {
    pub value: String,
    pub label: String,
}

impl Form {
    pub fn new(lang: Lang) -> Form {
        Form { lang, ..Default::default() }
    }
    pub fn with_errors(mut self, e: &FieldErrors) -> Form {
        for fe in &e.0 {
            if !self.errors.contains_key(&fe.field) {
                self.error_order.push(fe.field.clone());
            }
            self.errors.entry(fe.field.clone()).or_insert_with(|| i18n::t(self.lang, &fe.key));
        }
        self
    }
    /// The same form with its own labels for some fields (field, message key), for the summary.
    pub fn with_labels(mut self, labels: &[(&str, &'static str)]) -> Form {
        self.labels.extend(labels.iter().map(|(f, k)| (f.to_string(), *k)));
        self
    }
    /// The same form with its fields' ids prefixed by `scope`.
    pub fn scoped(mut self, scope: &str) -> Form {
        self.scope = scope.to_string();
        self
    }
    /// A field's id: `f-{name}`, or `{scope}-f-{name}`.
    fn fid(&self, name: &str) -> String {
        if self.scope.is_empty() {
            format!("f-{name}")
        } else {
            format!("{}-f-{name}", self.scope)
        }
    }
    pub fn set(mut self, k: &str, v: impl ToString) -> Form {
        self.values.insert(k.into(), v.to_string());
        self
    }
    pub fn value(&self, k: &str) -> &str {
        self.values.get(k).map(|s| s.as_str()).unwrap_or("")
    }
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// The error summary at the top of a form, linking to each field.
    pub fn summary(&self) -> String {
        if self.errors.is_empty() {
            return String::new();
        }
        let mut s = format!(
            r#"<div class="error-summary" role="alert" tabindex="-1" id="error-summary"><h2>{}</h2><ul>"#,
            esc(&i18n::t(self.lang, "error.summary"))
        );
        // In the order found, then any set otherwise, by name.
        let mut rest: Vec<_> = self.errors.iter().filter(|(f, _)| !self.error_order.contains(f)).collect();
        rest.sort();
        let ordered = self.error_order.iter().filter_map(|f| self.errors.get_key_value(f));
        for (f, m) in ordered.chain(rest) {
            // Each line names its field ("Tiêu đề: …"), so a list of errors reads alone.
            let key = self.labels.get(f.as_str()).copied().or_else(|| crate::labels::field_label(f));
            let label = key.map(|k| i18n::t(self.lang, k).trim_end_matches(['*', ' ']).to_string());
            let _ = match label {
                Some(l) => write!(s, r##"<li><a href="#{}">{}: {}</a></li>"##, esc(&self.fid(f)), esc(&l), esc(m)),
                None => write!(s, r##"<li><a href="#{}">{}</a></li>"##, esc(&self.fid(f)), esc(m)),
            };
        }
        s.push_str("</ul></div>");
        s
    }

    fn wrap(&self, name: &str, label_key: &str, hint_key: &str, control: &str) -> String {
        self.wrap_text(name, &i18n::t(self.lang, label_key), hint_key, control)
    }

    fn wrap_text(&self, name: &str, label: &str, hint_key: &str, control: &str) -> String {
        let err = self.errors.get(name);
        let mut s = format!(r#"<div class="field{}">"#, if err.is_some() { " has-error" } else { "" });
        let _ = write!(s, r#"<label for="{}">{}</label>"#, esc(&self.fid(name)), esc(label));
        if !hint_key.is_empty() {
            let _ = write!(s, r#"<p class="hint" id="{}-hint">{}</p>"#, esc(&self.fid(name)), esc(&i18n::t(self.lang, hint_key)));
        }
        if let Some(e) = err {
            let _ = write!(s, r#"<p class="error" id="{}-error">{}</p>"#, esc(&self.fid(name)), esc(e));
        }
        s.push_str(control);
        s.push_str("</div>");
        s
    }

    fn described_by(&self, name: &str, hint_key: &str) -> String {
        let mut ids = vec![];
        if !hint_key.is_empty() {
            ids.push(format!("{}-hint", self.fid(name)));
        }
        if self.errors.contains_key(name) {
            ids.push(format!("{}-error", self.fid(name)));
        }
        if ids.is_empty() {
            String::new()
        } else {
            format!(
                r#" aria-describedby="{}"{}"#,
                ids.join(" "),
                if self.errors.contains_key(name) { r#" aria-invalid="true""# } else { "" }
            )
        }
    }

    /// `<input>` of the given type (text, email, tel, password, date, search…).
    pub fn input(&self, name: &str, ty: &str, label_key: &str, hint_key: &str, required: bool) -> String {
        let value = if ty == "password" { "" } else { self.value(name) };
        let control = format!(
            r#"<input id="{id}" name="{n}" type="{ty}" value="{v}"{req}{db}{ac}>"#,
            n = esc(name),
            id = esc(&self.fid(name)),
            v = esc(value),
            req = if required { " required" } else { "" },
            db = self.described_by(name, hint_key),
            ac = match ty {
                "password" if name == "password" => r#" autocomplete="current-password""#,
                "password" => r#" autocomplete="new-password""#,
                _ if name == "username" => r#" autocomplete="username" autocapitalize="none""#,
                _ => "",
            }
        );
        self.wrap(name, label_key, hint_key, &control)
    }

    /// A text input offering the choices of `<datalist id="{list}">` as one types (a name or a
    /// code), without JavaScript; the server still takes a typed code.
    pub fn input_list(&self, name: &str, label_key: &str, hint_key: &str, list: &str) -> String {
        let control = format!(
            r#"<input id="{id}" name="{n}" type="text" list="{l}" autocomplete="off" value="{v}"{db}>"#,
            n = esc(name),
            id = esc(&self.fid(name)),
            l = esc(list),
            v = esc(self.value(name)),
            db = self.described_by(name, hint_key)
        );
        self.wrap(name, label_key, hint_key, &control)
    }

    /// Boxes to tick, in groups (each a `<fieldset>` whose legend is the group's label), all named
    /// `name`: the values a refilled form had ticked are in `value(name)`, separated by commas
    /// (`FormData::fold_ticks`). The field's error, if any, shows above the first group.
    pub fn ticks(&self, name: &str, label_key: &str, groups: &[(String, Vec<Opt>)]) -> String {
        let ticked: Vec<&str> = self.value(name).split(',').filter(|v| !v.is_empty()).collect();
        let fid = self.fid(name);
        let mut s = format!(
            r#"<div class="field ticks{}" id="{}">"#,
            if self.errors.contains_key(name) { " has-error" } else { "" },
            esc(&fid)
        );
        if let Some(e) = self.errors.get(name) {
            let _ = write!(s, r#"<p class="error" id="{}-error">{}</p>"#, esc(&fid), esc(e));
        }
        let label = i18n::t(self.lang, label_key);
        for (g, (group, options)) in groups.iter().enumerate() {
            let _ = write!(s, r#"<fieldset><legend>{}: {}</legend><div class="tick-list">"#, esc(&label), esc(group));
            for (i, o) in options.iter().enumerate() {
                let on = if ticked.contains(&o.value.as_str()) { " checked" } else { "" };
                let _ = write!(
                    s,
                    r#"<div class="check"><input id="{id}-{g}-{i}" type="checkbox" name="{n}" value="{v}"{on}> <label for="{id}-{g}-{i}">{l}</label></div>"#,
                    id = esc(&fid),
                    n = esc(name),
                    v = esc(&o.value),
                    l = esc(&o.label)
                );
            }
            s.push_str("</div></fieldset>");
        }
        s.push_str("</div>");
        s
    }

    /// An input whose label is already translated (labels built from several keys).
    pub fn input_labelled(&self, name: &str, ty: &str, label: &str) -> String {
        let control = format!(
            r#"<input id="{id}" name="{n}" type="{ty}" value="{v}"{db}>"#,
            n = esc(name),
            id = esc(&self.fid(name)),
            v = esc(self.value(name)),
            db = self.described_by(name, "")
        );
        self.wrap_text(name, label, "", &control)
    }

    /// A `<textarea>` whose label and hint are already translated (long text: a report's parts).
    pub fn textarea(&self, name: &str, label: &str, hint: &str, rows: u32) -> String {
        let fid = self.fid(name);
        let err = self.errors.get(name);
        let mut s = format!(r#"<div class="field{}">"#, if err.is_some() { " has-error" } else { "" });
        let _ = write!(s, r#"<label for="{}">{}</label>"#, esc(&fid), esc(label));
        let mut ids = vec![];
        if !hint.is_empty() {
            let _ = write!(s, r#"<p class="hint" id="{}-hint">{}</p>"#, esc(&fid), esc(hint));
            ids.push(format!("{fid}-hint"));
        }
        if let Some(e) = err {
            let _ = write!(s, r#"<p class="error" id="{}-error">{}</p>"#, esc(&fid), esc(e));
            ids.push(format!("{fid}-error"));
        }
        let db = if ids.is_empty() { String::new() } else { format!(r#" aria-describedby="{}""#, esc(&ids.join(" "))) };
        let _ = write!(
            s,
            r#"<textarea id="{}" name="{}" rows="{rows}"{db}{}>{}</textarea></div>"#,
            esc(&fid),
            esc(name),
            if err.is_some() { r#" aria-invalid="true""# } else { "" },
            esc(self.value(name))
        );
        s
    }

    pub fn select_labelled(&self, name: &str, label: &str, options: &[Opt]) -> String {
        let current = self.value(name);
        let mut control = format!(
            r#"<select id="{id}" name="{n}"{db}>"#,
            n = esc(name),
            id = esc(&self.fid(name)),
            db = self.described_by(name, "")
        );
        for o in options {
            let _ = write!(
                control,
                r#"<option value="{}"{}>{}</option>"#,
                esc(&o.value),
                if o.value == current { " selected" } else { "" },
                esc(&o.label)
            );
        }
        control.push_str("</select>");
        self.wrap_text(name, label, "", &control)
    }

    pub fn select(&self, name: &str, label_key: &str, hint_key: &str, options: &[Opt], required: bool) -> String {
        let current = self.value(name);
        let mut control = format!(
            r#"<select id="{id}" name="{n}"{req}{db}>"#,
            n = esc(name),
            id = esc(&self.fid(name)),
            req = if required { " required" } else { "" },
            db = self.described_by(name, hint_key)
        );
        for o in options {
            let _ = write!(
                control,
                r#"<option value="{}"{}>{}</option>"#,
                esc(&o.value),
                if o.value == current { " selected" } else { "" },
                esc(&o.label)
            );
        }
        control.push_str("</select>");
        self.wrap(name, label_key, hint_key, &control)
    }

    pub fn checkbox(&self, name: &str, label_key: &str) -> String {
        self.checkbox_labelled(name, &i18n::t(self.lang, label_key))
    }

    /// A checkbox whose label is already translated.
    pub fn checkbox_labelled(&self, name: &str, label: &str) -> String {
        let checked = matches!(self.value(name), "on" | "true" | "1");
        format!(
            r#"<div class="field check"><input id="{id}" name="{n}" type="checkbox" value="on"{c}> <label for="{id}">{l}</label></div>"#,
            n = esc(name),
            id = esc(&self.fid(name)),
            c = if checked { " checked" } else { "" },
            l = esc(label)
        )
    }
}

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
