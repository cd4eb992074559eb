//! The officer inbox's bulk work and the units' response templates: assign the selected cases,
//! manage templates. The exports are `export.rs`'s.

use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::PathParam;
use crate::html::{Form, Opt, Page};
use crate::pages::{render, render_status, FormData};
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use danvan_app::cases::templates::ResponseTemplate;
use danvan_domain::cases::inbox::{bulk_selection, BulkOutcome};
use danvan_domain::Action;

pub fn routes() -> Routes {
    Routes::new()
        .post("/inbox/assign", bulk_assign)
        .get("/templates", templates_index)
        .post("/templates", template_create)
        .get("/templates/new", template_new)
        .post("/templates/{id}", template_update)
        .get("/templates/{id}/edit", template_edit)
        .post("/templates/{id}/delete", template_delete)
}

// ---------------------------------------------------------------------------------------------
// Bulk assignment

pub struct BulkLine {
    pub code: String,
    pub case_id: i64,
    pub done: bool,
    pub message: String,
}

#[derive(Template)]
#[template(path = "cases/inbox_bulk.html")]
struct BulkPage {
    p: Page,
    form: Form,
    summary: String,
    lines: Vec<BulkLine>,
}

pub(crate) fn bulk_lines(ctx: &Ctx, o: &BulkOutcome) -> Vec<BulkLine> {
    o.items
        .iter()
        .map(|i| BulkLine {
            code: i.code.clone(),
            case_id: i.case_id,
            done: i.refused.is_none(),
            message: ctx.t(i.refused.as_deref().unwrap_or("inbox.assigned")),
        })
        .collect()
}

async fn bulk_assign(State(state): State<AppState>, ctx: Ctx, form: FormData) -> Result<Response, WebError> {
    ctx.require_account()?;
    let ids: Vec<String> = form.0.iter().filter(|(k, _)| k == "ids").map(|(_, v)| v.clone()).collect();
    let result = match bulk_selection(&ids) {
        Ok(ids) => danvan_app::cases::bulk_assign(&state.app, &ctx.caller, &ids, &form.get("assignee"), &form.get("note"))
            .await
            .map_err(WebError::from),
        Err(e) => Err(WebError::Invalid(e)),
    };
    match result {
        Ok(o) => {
            // Every case refused for want of rights: the request itself was not the actor's to make.
            if !o.items.is_empty() && o.items.iter().all(|i| i.refused.as_deref() == Some("error.forbidden")) {
                return Err(WebError::Forbidden);
            }
            let summary = crate::i18n::tf(
                ctx.lang,
                "inbox.bulk_summary",
                &[("done", &o.done_count().to_string()), ("refused", &o.refused_count().to_string())],
            );
            let page = BulkPage {
                p: Page::new(&ctx, &ctx.t("inbox.bulk_title")),
                form: Form::new(ctx.lang),
                summary,
                lines: bulk_lines(&ctx, &o),
            };
            let status = if o.nothing_done() { StatusCode::CONFLICT } else { StatusCode::OK };
            Ok(render_status(status, &page))
        }
        Err(WebError::Invalid(e)) => {
            let page = BulkPage {
                p: Page::new(&ctx, &ctx.t("inbox.bulk_title")),
                form: crate::pages::refill(&ctx, &form, &e, &[]),
                summary: String::new(),
                lines: vec![],
            };
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e),
    }
}

// ---------------------------------------------------------------------------------------------
// Response templates

#[derive(Template)]
#[template(path = "cases/templates_index.html")]
struct TemplatesPage {
    p: Page,
    templates: Vec<ResponseTemplate>,
}

async fn templates_index(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    let templates = danvan_app::cases::templates::managed_templates(&state.app, &ctx.caller).await?;
    Ok(render(&TemplatesPage { p: Page::new(&ctx, &ctx.t("template.index_title")), templates }))
}

#[derive(Template)]
#[template(path = "cases/template_form.html")]
struct TemplateFormPage {
    p: Page,
    form: Form,
    action: String,
    categories: Vec<Opt>,
    /// The units whose templates the official manages.
    units: Vec<Opt>,
    delete_id: Option<i64>,
    placeholders: String,
}

async fn template_form(
    state: &AppState,
    ctx: &Ctx,
    form: Form,
    action: String,
    delete_id: Option<i64>,
) -> Result<TemplateFormPage, WebError> {
    let mut categories = vec![Opt { value: String::new(), label: ctx.t("template.all_categories") }];
    categories.extend(
        danvan_app::cases::categories::categories(&state.app, false)
            .await?
            .into_iter()
            .map(|c| Opt { value: c.code, label: format!("{} — {}", c.group_name, c.name) }),
    );
    let title = if delete_id.is_some() { "template.edit_title" } else { "template.new_title" };
    Ok(TemplateFormPage {
        p: Page::new(ctx, &ctx.t(title)),
        form,
        action,
        categories,
        units: ctx
            .caller
            .units_where(Action::ManageTemplates)
            .map(|m| Opt { value: m.unit_code.clone(), label: m.unit_name.clone() })
            .collect(),
        delete_id,
        placeholders: danvan_domain::cases::inbox::PLACEHOLDERS.iter().map(|p| format!("{{{p}}}")).collect::<Vec<_>>().join(" "),
    })
}

async fn template_new(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    danvan_app::cases::templates::managed_paths(&ctx.caller)?;
    let unit = ctx.caller.units_where(Action::ManageTemplates).next().map(|m| m.unit_code.clone()).unwrap_or_default();
    let form = Form::new(ctx.lang).set("unit_code", unit);
    Ok(render(&template_form(&state, &ctx, form, "/templates".into(), None).await?))
}

async fn template_create(State(state): State<AppState>, ctx: Ctx, form: FormData) -> Result<Response, WebError> {
    match danvan_app::cases::templates::create_template(&state.app, &ctx.caller, &|k| form.get(k)).await.map_err(WebError::from) {
        Ok(_) => Ok(crate::pages::redirect_with(&ctx, "/templates", "template.saved", &[])),
        Err(WebError::Invalid(e)) => {
            let page = template_form(&state, &ctx, crate::pages::refill(&ctx, &form, &e, &[]), "/templates".into(), None).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e),
    }
}

async fn template_edit(State(state): State<AppState>, ctx: Ctx, PathParam(id): PathParam<i64>) -> Result<Response, WebError> {
    let t = danvan_app::cases::templates::managed_template(&state.app, &ctx.caller, id).await?;
    let category = match t.category_id {
        Some(c) => danvan_app::cases::categories::category(&state.app, c).await?.code,
        None => String::new(),
    };
    let form =
        Form::new(ctx.lang).set("unit_code", &t.unit_code).set("category", category).set("title", &t.title).set("body", &t.body);
    Ok(render(&template_form(&state, &ctx, form, format!("/templates/{id}"), Some(id)).await?))
}

async fn template_update(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    let saved = danvan_app::cases::templates::update_template(&state.app, &ctx.caller, id, &|k| form.get(k)).await;
    match saved.map_err(WebError::from) {
        Ok(()) => Ok(crate::pages::redirect_with(&ctx, "/templates", "template.saved", &[])),
        Err(WebError::Invalid(e)) => {
            let f = crate::pages::refill(&ctx, &form, &e, &[]);
            let page = template_form(&state, &ctx, f, format!("/templates/{id}"), Some(id)).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e),
    }
}

async fn template_delete(State(state): State<AppState>, ctx: Ctx, PathParam(id): PathParam<i64>) -> Result<Response, WebError> {
    danvan_app::cases::templates::delete_template(&state.app, &ctx.caller, id).await?;
    Ok(crate::pages::redirect_with(&ctx, "/templates", "template.deleted", &[]))
}
