//! The officer's case page and its actions: transitions, notes, supporting units, the answer
//! draft from a response template.

use super::files::split_files;
use super::lines::{kind_options, lines, status_label, CaseLine};

use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::{PathParam, QueryParams};
use crate::html::{Form, Opt, Page};
use crate::pages::{render_status, FormData};
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use danvan_app::cases::queries::{Answer, Attachment, CaseEvent, CaseRow, Contact};
use danvan_app::cases::ActRequest;
use danvan_domain::cases::{CaseAction, RejectReason};
use danvan_domain::Action;
use std::collections::HashMap;

pub fn routes() -> Routes {
    Routes::new()
        .get("/cases/{id}", show)
        .post("/cases/{id}/act", act)
        .post("/cases/{id}/note", note)
        .post("/cases/{id}/supports", support_add)
        .post("/cases/{id}/supports/{unit_id}/remove", support_remove)
}

#[derive(Template)]
#[template(path = "cases/case_show.html")]
pub(crate) struct CasePage {
    p: Page,
    line: CaseLine,
    kind: String,
    status: String,
    channel: String,
    place: String,
    contact: Option<Contact>,
    events: Vec<CaseEvent>,
    answer: Option<Answer>,
    assignee: String,
    /// The next steps on the common path, each its own form (case_actions.rs).
    main_actions: Vec<super::case_actions::ActionForm>,
    /// The rarer steps, folded away.
    more_actions: Vec<super::case_actions::ActionForm>,
    /// Units to choose from (transfer, supporting units): the case's province, by name and code.
    units: Vec<Opt>,
    /// The answer document may be previewed (marked DỰ THẢO) before it is signed and sent.
    preview: bool,
    /// The answer is being drafted here (the template picker goes with it).
    drafting: bool,
    /// A folded-away form was just refused: show it.
    more_open: bool,
    form: Form,
    can_handle: bool,
    /// Internal notes: the lead unit's officers and those of a supporting unit.
    can_note: bool,
    /// Supporting units (đơn vị phối hợp).
    supports: Vec<danvan_app::cases::queries::CaseSupport>,
    /// Response templates offered for this case (its unit's and those above, its category's).
    templates: Vec<Opt>,
    /// Delivery of the answer, possible duplicates, merging.
    extras: super::delivery::CaseExtras,
    photos: Vec<Attachment>,
    answer_files: Vec<Attachment>,
    can_attach: bool,
    fq: String,
    /// Whom a denunciation concerns (unit, person), for those who may read the case.
    concerned: String,
}

/// Fills the answer draft from a response template offered for this case; the placeholders
/// take only what the case page itself shows.
async fn apply_template(state: &AppState, ctx: &Ctx, c: &CaseRow, id: &str, form: &mut Form) -> Result<(), WebError> {
    let offered = match id.trim().parse::<i64>() {
        Ok(id) => danvan_app::cases::templates::templates_for_case(&state.app, &c.unit_ancestry(), c.category_id)
            .await?
            .into_iter()
            .find(|t| t.id == id),
        Err(_) => None,
    };
    let Some(t) = offered else {
        form.errors.insert("template".into(), ctx.t("error.invalid"));
        return Ok(());
    };
    let category = match c.category_id {
        Some(id) => danvan_app::cases::categories::category(&state.app, id).await?.name,
        None => String::new(),
    };
    let facts = danvan_domain::cases::inbox::TemplateFacts {
        code: c.code.clone(),
        received_on: crate::html::date(ctx.lang, &c.received_on),
        unit: danvan_app::org::queries::get_unit(&state.app, c.unit_id).await?.name,
        title: c.title.clone(),
        category,
        today: crate::html::date(ctx.lang, &danvan_app::cases::today()),
    };
    form.values.insert("answer".into(), danvan_domain::cases::inbox::fill_template(&t.body, &facts));
    Ok(())
}

pub(crate) async fn case_page(state: &AppState, ctx: &Ctx, c: CaseRow, form: Form) -> Result<CasePage, WebError> {
    // The supporting units are read once: they decide who else may read and note.
    let supports = danvan_app::cases::queries::case_supports(&state.app, c.id).await?;
    // Whoever may not know of the case hears 404, as in the JSON API.
    if let Err(e) = danvan_app::cases::authorize_case_file_with(&ctx.caller, &c, &supports, Action::View) {
        return Err(danvan_app::cases::access::refusal(&state.app, &ctx.caller, &c, e).await.into());
    }
    // A supporting unit sees the answer and its files once sent, like the citizen.
    let lead_view = danvan_app::cases::authorize_case_internal(&ctx.caller, &c).is_ok();
    let can_handle = danvan_app::cases::authorize_case(&ctx.caller, &c, Action::Handle).is_ok();
    let can_note = danvan_app::cases::authorize_case_file_with(&ctx.caller, &c, &supports, Action::Contribute).is_ok();
    let contact = if danvan_app::cases::authorize_case(&ctx.caller, &c, Action::ViewContacts).is_ok() {
        Some(danvan_app::cases::queries::case_contact(&state.app, c.id).await?)
    } else {
        None
    };
    let mut form = form;
    if !form.values.contains_key("answer") {
        if let Some(a) = danvan_app::cases::queries::answer(&state.app, c.id).await? {
            form.values.insert("answer".into(), a.body);
        }
    }
    let rules = danvan_app::cases::transitions(&state.app, &c).await?;
    let choices = super::case_actions::Choices {
        handlers: if can_handle { assign_choices(state, ctx, &c).await? } else { vec![] },
        kinds: kind_options(ctx, false),
        reject_reasons: RejectReason::ALL
            .iter()
            .map(|r| Opt { value: r.as_str().into(), label: ctx.t(crate::labels::reject_reason(r.as_str())) })
            .collect(),
        can_send: danvan_app::cases::may_act(&ctx.caller, &c, CaseAction::SendAnswer),
    };
    let (main_actions, more_actions) = super::case_actions::action_forms(ctx, &form, &c, &rules, &choices);
    let units = if can_handle && c.is_open() { unit_choices(state, &c).await? } else { vec![] };
    let place = match c.place_unit_id {
        Some(id) => danvan_app::org::queries::get_unit(&state.app, id).await.map(|u| u.name).unwrap_or_default(),
        None => String::new(),
    };
    let assignee = match c.assignee_id {
        Some(id) => danvan_app::org::queries::get_account(&state.app, id).await.map(|a| a.full_name).unwrap_or_default(),
        None => String::new(),
    };
    let templates = if can_handle {
        let mut v = vec![Opt { value: String::new(), label: ctx.t("template.choose") }];
        v.extend(
            danvan_app::cases::templates::templates_for_case(&state.app, &c.unit_ancestry(), c.category_id)
                .await?
                .into_iter()
                .map(|t| Opt { value: t.id.to_string(), label: t.title }),
        );
        v
    } else {
        vec![]
    };
    let extras = super::delivery::case_extras(state, ctx, &c, can_handle, contact.is_some()).await?;
    let answer = danvan_app::cases::queries::answer(&state.app, c.id).await?.filter(|a| lead_view || a.sent_at.is_some());
    let preview = lead_view && answer.as_ref().is_some_and(|a| a.sent_at.is_none());
    let (photos, answer_files) = split_files(danvan_app::cases::queries::attachments(&state.app, c.id).await?, answer.is_some());
    let can_attach = can_handle && danvan_app::cases::edits::answer_files_open(&state.app, &c).await?;
    let concerned = match c.concerned_unit_id {
        Some(id) => {
            let u = danvan_app::org::queries::get_unit(&state.app, id).await?;
            format!("{} ({}) — {}", u.name, u.code, c.concerned_name.clone().unwrap_or_default())
        }
        None => String::new(),
    };
    let line = lines(state, ctx, vec![c]).await?.pop().ok_or(WebError::NotFound)?;
    Ok(CasePage {
        concerned,
        templates,
        extras,
        photos,
        answer_files,
        can_attach,
        fq: String::new(),
        p: Page::new(ctx, &format!("{} — {}", line.c.code, line.c.title)),
        kind: ctx.t(crate::labels::case_kind(line.c.kind)),
        status: status_label(ctx, line.c.status),
        channel: ctx.t(crate::labels::channel(line.c.channel)),
        place,
        contact,
        events: danvan_app::cases::queries::case_events(&state.app, line.c.id, false).await?,
        answer,
        assignee,
        drafting: main_actions.iter().any(|a| a.name == "draft_answer"),
        more_open: more_actions.iter().any(|a| a.open),
        main_actions,
        more_actions,
        units,
        preview,
        form,
        can_handle,
        can_note,
        supports,
        line,
    })
}

async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    QueryParams(q): QueryParams<HashMap<String, String>>,
) -> Result<Response, WebError> {
    ctx.require_account()?;
    let c = danvan_app::cases::queries::get_case(&state.app, id).await?;
    let mut form = Form::new(ctx.lang);
    // "Use template" (a GET form, so it works without JavaScript): the draft comes back filled.
    if let Some(t) = q.get("template").filter(|t| !t.trim().is_empty()) {
        if let Err(e) = danvan_app::cases::authorize_case(&ctx.caller, &c, Action::Handle) {
            return Err(danvan_app::cases::access::refusal(&state.app, &ctx.caller, &c, e).await.into());
        }
        apply_template(&state, &ctx, &c, t, &mut form).await?;
        form.values.insert("template".into(), t.trim().to_string());
    }
    let status = if form.has_errors() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok(render_status(status, &case_page(&state, &ctx, c, form).await?))
}

async fn act(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    let r = ActRequest {
        action: form.get("action"),
        note: form.get("note"),
        reason: form.get("reason"),
        assignee: form.get("assignee"),
        unit_code: form.get("unit_code"),
        kind: form.get("kind"),
        complex: form.get("complex") == "on",
        answer: form.get("answer"),
        concern: super::form::concern_input(&form),
    };
    let result = match r.action.as_str() {
        "accept_self" => danvan_app::cases::shortcuts::accept_and_handle(&state.app, &ctx.caller, id, r.complex).await,
        "approve_send" => danvan_app::cases::shortcuts::approve_and_send(&state.app, &ctx.caller, id).await,
        _ => danvan_app::cases::act(&state.app, &ctx.caller, id, &r).await,
    };
    match result {
        Ok(c) => Ok(crate::pages::redirect_with(&ctx, &format!("/cases/{}", c.id), done_key(&r.action), &[])),
        // The page again, the refusal in the form that was sent (422 for its fields, 409 when
        // the state machine refused the step now).
        Err(e @ (danvan_app::AppError::Invalid(_) | danvan_app::AppError::Conflict(_))) => {
            let (status, errors) = match e {
                danvan_app::AppError::Invalid(e) => (StatusCode::UNPROCESSABLE_ENTITY, e),
                danvan_app::AppError::Conflict(e) => (StatusCode::CONFLICT, e),
                _ => unreachable!(),
            };
            let c = danvan_app::cases::queries::get_case(&state.app, id).await?;
            Ok(render_status(status, &case_page(&state, &ctx, c, crate::pages::refill(&ctx, &form, &errors, &[])).await?))
        }
        Err(e) => Err(hidden(&state, &ctx, id, e).await),
    }
}

/// What the flash says after each step: what happened and what comes next.
fn done_key(action: &str) -> &'static str {
    match action {
        "accept_self" => "case.done.accept_self",
        "draft_answer" => "case.done.submit_draft",
        "approve_send" => "case.done.approve_send",
        "approve_answer" => "case.done.approve_answer",
        "send_answer" => "case.done.send_answer",
        "return_draft" => "case.done.return_draft",
        "assign" => "case.done.assign",
        _ => "case.done",
    }
}

/// Officials the case may be given to, by name (value: username), for the assign form.
async fn assign_choices(state: &AppState, ctx: &Ctx, c: &CaseRow) -> Result<Vec<Opt>, WebError> {
    let unit = danvan_app::org::queries::get_unit(&state.app, c.unit_id).await?;
    let mut v = vec![Opt { value: String::new(), label: ctx.t("inbox.choose_officer") }];
    v.extend(
        danvan_app::cases::queries::handlers_for(&state.app, &unit.path, &unit.ancestry())
            .await?
            .into_iter()
            .map(|h| Opt { label: format!("{} ({})", h.full_name, h.username), value: h.username }),
    );
    Ok(v)
}

/// The units of the case's province (or city), live, for the transfer and supporting-unit
/// pickers: a `<datalist>` searched as one types, by name or code, without JavaScript.
pub(crate) async fn unit_choices(state: &AppState, c: &CaseRow) -> Result<Vec<Opt>, WebError> {
    let Some(top) = c.unit_ancestry().first().copied() else { return Ok(vec![]) };
    let units = danvan_app::org::queries::unit_names_within(&state.app, top, 1000).await?;
    Ok(units.into_iter().map(|(code, name)| Opt { value: code, label: name }).collect())
}

/// A refusal on the case page's forms as the JSON API answers it: 404 to whoever may not know of
/// the case (`access::refusal`), 403 to a reader who may not do this.
async fn hidden(state: &AppState, ctx: &Ctx, id: i64, e: danvan_app::AppError) -> WebError {
    if !matches!(e, danvan_app::AppError::Forbidden) {
        return e.into();
    }
    match danvan_app::cases::queries::get_case(&state.app, id).await {
        Ok(c) => danvan_app::cases::access::refusal(&state.app, &ctx.caller, &c, e).await.into(),
        Err(other) => other.into(),
    }
}

async fn note(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    let result = danvan_app::cases::edits::add_case_note(&state.app, &ctx.caller, id, &form.get("note")).await;
    back_to_case(&state, &ctx, id, &form, result, "").await
}

/// After a form of the case page: back to the page (at `anchor`), or the page again with the
/// form's field errors (422).
async fn back_to_case(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    form: &FormData,
    result: danvan_app::AppResult<()>,
    anchor: &str,
) -> Result<Response, WebError> {
    match result {
        Ok(()) => Ok(crate::pages::redirect_with(ctx, &format!("/cases/{id}{anchor}"), "case.done", &[])),
        Err(danvan_app::AppError::Invalid(e) | danvan_app::AppError::Conflict(e)) => {
            let c = danvan_app::cases::queries::get_case(&state.app, id).await?;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &case_page(state, ctx, c, crate::pages::refill(ctx, form, &e, &[])).await?,
            ))
        }
        Err(e) => Err(hidden(state, ctx, id, e).await),
    }
}

/// Adds a supporting unit (đơn vị phối hợp), chosen by its code by the lead unit's handlers.
async fn support_add(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    let result = danvan_app::cases::edits::add_case_support(
        &state.app,
        &ctx.caller,
        id,
        &form.get("support_unit"),
        &form.get("support_note"),
    )
    .await;
    back_to_case(&state, &ctx, id, &form, result, "#supports").await
}

/// Ends a unit's support of a case (the history keeps it).
async fn support_remove(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam((id, unit_id)): PathParam<(i64, i64)>,
) -> Result<Response, WebError> {
    if let Err(e) = danvan_app::cases::edits::remove_case_support(&state.app, &ctx.caller, id, unit_id).await {
        return Err(hidden(&state, &ctx, id, e).await);
    }
    Ok(crate::pages::redirect_with(&ctx, &format!("/cases/{id}#supports"), "case.done", &[]))
}
