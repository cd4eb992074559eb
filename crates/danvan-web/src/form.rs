//! Form fields for the templates: each labelled, with its hint and its error beside it, and the
//! error summary that names every field in error (`Form`), refilled as sent after a refusal.

use crate::html::esc;
use crate::i18n::{self, Lang};
use danvan_domain::FieldErrors;
use std::collections::HashMap;
use std::fmt::Write;

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
