//! The case page's next steps (issue 9): only the actions this person may take now, each its own
//! small form with only its fields. The common path first ("Thụ lý và tự xử lý", "Trình ký",
//! "Ký và gửi"); the rarer ones (pause, extend, transfer, reclassify…) fold away. A refused
//! submission comes back with its errors in its own form, the others untouched.

use crate::ctx::Ctx;
use crate::html::{esc, Form, Opt};
use danvan_app::cases::queries::CaseRow;
use danvan_app::cases::Transitions;
use danvan_domain::cases::{CaseAction, RejectReason};
use std::fmt::Write;

/// One action's form: posted to `/cases/{id}/act` with `action` = `name`.
pub struct ActionForm {
    pub name: &'static str,
    pub label: String,
    pub hint: String,
    /// The main button of the page (the next step on the common path).
    pub primary: bool,
    /// Rendered fields (escaped here), each with its own id `{name}-f-{field}`.
    pub fields: String,
    /// Errors of this form that belong to no field of it (the state machine's refusal).
    pub error: String,
    /// Shown open: the form that was just refused.
    pub open: bool,
}

/// What the forms offer beyond the rules: the choices of their fields.
pub struct Choices {
    /// Officials the case may be given to (value: username).
    pub handlers: Vec<Opt>,
    pub kinds: Vec<Opt>,
    pub reject_reasons: Vec<Opt>,
    /// Whether the leader may also send (sign and send in one step).
    pub can_send: bool,
}

enum Control<'a> {
    Text,
    Area(u8),
    Select(&'a [Opt]),
    /// A text input with the page's unit list (`<datalist id="units">`): type a name or a code.
    Unit,
    Check,
}

struct Builder<'a> {
    ctx: &'a Ctx,
    form: &'a Form,
    /// The action submitted (its values and errors are shown in its form only).
    submitted: String,
}

impl Builder<'_> {
    fn mine(&self, action: &str) -> bool {
        self.submitted == action
    }

    fn field(&self, action: &str, name: &str, label_key: &str, hint_key: &str, required: bool, control: Control) -> String {
        let id = format!("{action}-f-{name}");
        let (value, error) = if self.mine(action) {
            (self.form.value(name).to_string(), self.form.errors.get(name).cloned())
        } else if name == "answer" {
            // The draft so far, or a template just applied.
            (self.form.value(name).to_string(), None)
        } else if name == "assignee" {
            // Most often the officer takes it themselves.
            (self.ctx.caller.account.as_ref().map(|a| a.username.clone()).unwrap_or_default(), None)
        } else {
            (String::new(), None)
        };
        let label = self.ctx.t(label_key);
        let mut described = vec![];
        let mut s = String::new();
        if let Control::Check = control {
            let checked = matches!(value.as_str(), "on" | "true" | "1");
            let _ = write!(
                s,
                r#"<div class="field check"><input id="{id}" name="{n}" type="checkbox" value="on"{c}> <label for="{id}">{l}</label></div>"#,
                n = esc(name),
                c = if checked { " checked" } else { "" },
                l = esc(&label)
            );
            return s;
        }
        let _ = write!(s, r#"<div class="field{}">"#, if error.is_some() { " has-error" } else { "" });
        let _ = write!(s, r#"<label for="{id}">{}</label>"#, esc(&label));
        if !hint_key.is_empty() {
            let _ = write!(s, r#"<p class="hint" id="{id}-hint">{}</p>"#, esc(&self.ctx.t(hint_key)));
            described.push(format!("{id}-hint"));
        }
        if let Some(e) = &error {
            let _ = write!(s, r#"<p class="error" id="{id}-error">{}</p>"#, esc(e));
            described.push(format!("{id}-error"));
        }
        let mut attrs = String::new();
        if required {
            attrs.push_str(" required");
        }
        if !described.is_empty() {
            let _ = write!(attrs, r#" aria-describedby="{}""#, described.join(" "));
        }
        if error.is_some() {
            attrs.push_str(r#" aria-invalid="true""#);
        }
        match control {
            Control::Text => {
                let _ = write!(s, r#"<input id="{id}" name="{}" type="text" value="{}"{attrs}>"#, esc(name), esc(&value));
            }
            Control::Unit => {
                let _ = write!(
                    s,
                    r#"<input id="{id}" name="{}" type="text" list="units" autocomplete="off" value="{}"{attrs}>"#,
                    esc(name),
                    esc(&value)
                );
            }
            Control::Area(rows) => {
                let _ = write!(s, r#"<textarea id="{id}" name="{}" rows="{rows}"{attrs}>{}</textarea>"#, esc(name), esc(&value));
            }
            Control::Select(options) => {
                let _ = write!(s, r#"<select id="{id}" name="{}"{attrs}>"#, esc(name));
                for o in options {
                    let _ = write!(
                        s,
                        r#"<option value="{}"{}>{}</option>"#,
                        esc(&o.value),
                        if o.value == value { " selected" } else { "" },
                        esc(&o.label)
                    );
                }
                s.push_str("</select>");
            }
            Control::Check => unreachable!("handled above"),
        }
        s.push_str("</div>");
        s
    }

    fn form(&self, name: &'static str, label_key: &str, hint_key: &str, primary: bool, fields: Vec<String>) -> ActionForm {
        let mine = self.mine(name);
        // A refusal on no field of this form (the state machine's "not now", a missing choice).
        let error = if mine {
            self.form
                .errors
                .iter()
                .filter(|(k, _)| !fields.iter().any(|f| f.contains(&format!("id=\"{name}-f-{k}\""))))
                .map(|(_, v)| v.clone())
                .collect::<Vec<_>>()
                .join(" ")
        } else {
            String::new()
        };
        ActionForm {
            name,
            label: self.ctx.t(label_key),
            hint: if hint_key.is_empty() { String::new() } else { self.ctx.t(hint_key) },
            primary,
            fields: fields.concat(),
            error,
            open: mine && self.form.has_errors(),
        }
    }
}

/// The forms this person may submit now, as (the common path, the rest).
pub fn action_forms(
    ctx: &Ctx,
    form: &Form,
    c: &CaseRow,
    rules: &Transitions,
    choices: &Choices,
) -> (Vec<ActionForm>, Vec<ActionForm>) {
    let b = Builder { ctx, form, submitted: form.value("action").to_string() };
    let allowed = |a: CaseAction| rules.allows(a) && danvan_app::cases::may_act(&ctx.caller, c, a);
    let note = |action: &str, required: bool| {
        b.field(action, "note", "case.field.note", if required { "case.hint.note_required" } else { "" }, required, Control::Text)
    };
    let mut main = vec![];
    let mut more = vec![];
    if rules.allows(CaseAction::Accept) && danvan_app::cases::shortcuts::may_take(&ctx.caller, c) {
        let complex = b.field("accept_self", "complex", "case.field.complex", "", false, Control::Check);
        main.push(b.form("accept_self", "case.action.accept_self", "case.hint.accept_self", true, vec![complex]));
    }
    if allowed(CaseAction::Accept) {
        let complex = b.field("accept", "complex", "case.field.complex", "", false, Control::Check);
        main.push(b.form("accept", "case.action.accept", "case.hint.accept", main.is_empty(), vec![complex]));
    }
    if allowed(CaseAction::Assign) && !choices.handlers.is_empty() {
        let who =
            b.field("assign", "assignee", "case.field.assignee", "case.hint.assignee", true, Control::Select(&choices.handlers));
        main.push(b.form("assign", "case.action.assign", "", main.is_empty(), vec![who, note("assign", false)]));
    }
    if allowed(CaseAction::Start) {
        main.push(b.form("start", "case.action.start", "", main.is_empty(), vec![]));
    }
    if allowed(CaseAction::Resume) {
        main.push(b.form("resume", "case.action.resume", "", main.is_empty(), vec![]));
    }
    if allowed(CaseAction::ApproveAnswer) {
        if choices.can_send {
            main.push(b.form("approve_send", "case.action.approve_send", "case.hint.approve_send", true, vec![]));
        }
        main.push(b.form("approve_answer", "case.action.approve_answer", "case.hint.approve_only", !choices.can_send, vec![]));
    }
    if allowed(CaseAction::ReturnDraft) {
        main.push(b.form("return_draft", "case.action.return_draft", "", false, vec![note("return_draft", false)]));
    }
    // A leader signs first; revising the draft (or drafting it) comes after.
    if allowed(CaseAction::DraftAnswer) {
        let answer = b.field("draft_answer", "answer", "case.answer_draft", "case.hint.submit_draft", true, Control::Area(8));
        let label = if c.status == danvan_domain::cases::CaseStatus::AnswerDrafted {
            "case.action.resubmit_draft"
        } else {
            "case.action.submit_draft"
        };
        main.push(b.form("draft_answer", label, "", main.is_empty(), vec![answer]));
    }
    if allowed(CaseAction::SendAnswer) {
        main.push(b.form("send_answer", "case.action.send_answer", "", main.is_empty(), vec![]));
    }
    if allowed(CaseAction::Close) {
        main.push(b.form("close", "case.action.close", "", main.is_empty(), vec![note("close", false)]));
    }
    // The rest, folded away until needed.
    if allowed(CaseAction::Reject { reason: RejectReason::Spam }) {
        let reason = b.field("reject", "reason", "case.field.reject_reason", "", true, Control::Select(&choices.reject_reasons));
        more.push(b.form("reject", "case.action.reject", "", false, vec![reason, note("reject", false)]));
    }
    if allowed(CaseAction::Pause) {
        more.push(b.form("pause", "case.action.pause", "", false, vec![note("pause", false)]));
    }
    if allowed(CaseAction::Extend) {
        let complex = b.field("extend", "complex", "case.field.complex", "", false, Control::Check);
        more.push(b.form("extend", "case.action.extend", "", false, vec![complex, note("extend", false)]));
    }
    if allowed(CaseAction::Reopen) {
        more.push(b.form("reopen", "case.action.reopen", "", false, vec![note("reopen", true)]));
    }
    if allowed(CaseAction::Transfer) {
        let to = b.field("transfer", "unit_code", "case.field.transfer_to", "case.hint.unit_pick", true, Control::Unit);
        more.push(b.form("transfer", "case.action.transfer", "", false, vec![to, note("transfer", true)]));
    }
    if allowed(CaseAction::TransferOut) {
        more.push(b.form("transfer_out", "case.action.transfer_out", "", false, vec![note("transfer_out", true)]));
    }
    if allowed(CaseAction::Withdraw) {
        more.push(b.form("withdraw", "case.action.withdraw", "", false, vec![note("withdraw", true)]));
    }
    if allowed(CaseAction::Reclassify) {
        let fields = vec![
            b.field("reclassify", "kind", "case.field.new_kind", "", true, Control::Select(&choices.kinds)),
            b.field("reclassify", "concerned_unit", "case.field.concerned_unit", "case.hint.unit_pick", false, Control::Unit),
            b.field("reclassify", "concerned_name", "case.field.concerned_name", "", false, Control::Text),
            b.field(
                "reclassify",
                "concerned_account",
                "case.field.concerned_account",
                "case.hint.concerned_account",
                false,
                Control::Text,
            ),
            note("reclassify", false),
        ];
        more.push(b.form("reclassify", "case.action.reclassify", "", false, fields));
    }
    (main, more)
}
