//! The unit directory (public) and the administration of units.

use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::{PathParam, QueryParams};
use crate::html::{pagination, urlencode, Form, Opt, Page};
use crate::i18n;
use crate::pages::{redirect_with, render, render_status, unit_by_code, FormData};
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use danvan_app::org::queries::{MemberRow, Unit, UnitSearch};
use danvan_app::org::transfers::PendingTransfer;
use danvan_domain::org::unit::{DissolutionRequest, UnitInput};
use danvan_domain::{Action, FieldErrors, Resource, UnitKind};
use std::collections::HashMap;

pub fn routes() -> Routes {
    Routes::new()
        .get("/units", directory)
        .get("/units/{id}", show)
        .get("/admin/units/new", new_form)
        .post("/admin/units", create)
        .get("/admin/units/{id}/edit", edit_form)
        .post("/admin/units/{id}", update)
        .post("/admin/units/{id}/delete", delete)
        .get("/admin/units/{id}/dissolve", dissolve_form)
        .post("/admin/units/{id}/dissolve", dissolve)
        .get("/admin/units/import", import_form)
        .post("/admin/units/import", import)
        .get("/admin/units/export.csv", export)
        .get("/admin/transfers", transfers)
        .post("/admin/transfers/{id}", place_transfer)
}

const PER_PAGE: i64 = 50;

#[derive(Template)]
#[template(path = "org/units_index.html")]
struct DirectoryPage {
    p: Page,
    q: String,
    q_enc: String,
    /// The search had more words or characters than are searched (the excess is ignored).
    q_cut: bool,
    dissolved: bool,
    searching: bool,
    results: Vec<Unit>,
    results_label: String,
    pager: String,
    tree: Vec<(Unit, i64)>,
    can_create_root: bool,
}

async fn directory(
    State(state): State<AppState>,
    ctx: Ctx,
    QueryParams(q): QueryParams<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let text = q.get("q").cloned().unwrap_or_default();
    let dissolved = q.get("dissolved").is_some_and(|v| v == "1");
    let page = crate::extract::page_number(q.get("page").and_then(|p| p.parse().ok()));
    let searching = !text.trim().is_empty() || q.contains_key("kind");
    let (mut results, mut total, mut tree) = (vec![], 0, vec![]);
    if searching {
        let s = UnitSearch {
            q: text.clone(),
            kind: q.get("kind").filter(|k| !k.is_empty()).cloned(),
            include_dissolved: dissolved,
            limit: PER_PAGE,
            offset: (page - 1) * PER_PAGE,
            ..Default::default()
        };
        (results, total) = danvan_app::org::queries::search_units(&state.app, &s).await?;
    } else {
        // Top-level units with the number of their sub-units: a national tree has thousands of
        // communes, which their own pages list.
        let counts = danvan_app::org::queries::child_counts(&state.app, dissolved).await?;
        for root in danvan_app::org::queries::root_units(&state.app).await? {
            if root.dissolved() && !dissolved {
                continue;
            }
            let n = counts.get(&root.id).copied().unwrap_or(0);
            tree.push((root, n));
        }
    }
    let params = [("q", text.clone()), ("dissolved", if dissolved { "1".into() } else { String::new() })];
    let page_view = DirectoryPage {
        p: Page::new(&ctx, &ctx.t("units.title")),
        q_enc: urlencode(&text),
        q_cut: danvan_domain::text::search_is_cut(&text),
        q: text,
        dissolved,
        searching,
        results,
        results_label: i18n::tf(ctx.lang, "units.results", &[("n", &i18n::number(ctx.lang, total))]),
        pager: pagination(ctx.lang, "/units", &params, page, PER_PAGE, total),
        tree,
        can_create_root: ctx.authorize(Action::Update, Resource::System).is_ok(),
    };
    Ok(render(&page_view))
}

#[derive(Template)]
#[template(path = "org/unit_show.html")]
struct UnitPage {
    p: Page,
    unit: Unit,
    ancestors: Vec<Unit>,
    territory: Option<Unit>,
    children: Vec<Unit>,
    bodies: Vec<Unit>,
    successors: Vec<Unit>,
    predecessors: Vec<Unit>,
    former_names: Vec<(String, chrono::DateTime<chrono::Utc>)>,
    members: Option<Vec<MemberRow>>,
    show_contacts: bool,
    can_create_child: bool,
    can_update: bool,
    can_dissolve: bool,
    can_manage_members: bool,
}

async fn show(State(state): State<AppState>, ctx: Ctx, PathParam(id): PathParam<i64>) -> Result<Response, WebError> {
    let unit = danvan_app::org::queries::get_unit(&state.app, id).await?;
    let anc = unit.ancestry();
    ctx.authorize(Action::View, Resource::Unit { ancestry: &anc })?;
    let ids: Vec<i64> = anc[..anc.len().saturating_sub(1)].to_vec();
    let mut ancestors = danvan_app::org::queries::get_units(&state.app, &ids).await?;
    ancestors.sort_by_key(|u| u.depth);
    let territory = match unit.territory_id {
        Some(t) => danvan_app::org::queries::get_unit(&state.app, t).await.ok(),
        None => None,
    };
    let members = if ctx.authorize(Action::ViewMembers, Resource::Unit { ancestry: &anc }).is_ok() {
        Some(danvan_app::org::queries::members_of_unit(&state.app, id).await?)
    } else {
        None
    };
    let can = |a: Action| ctx.authorize(a, Resource::Unit { ancestry: &anc }).is_ok();
    let live = !unit.dissolved();
    let page = UnitPage {
        p: Page::new(&ctx, &unit.name),
        children: danvan_app::org::queries::child_units(&state.app, id, true).await?,
        bodies: danvan_app::org::queries::units_on_territory(&state.app, id).await?,
        successors: danvan_app::org::queries::successors(&state.app, id).await?,
        predecessors: danvan_app::org::queries::predecessors(&state.app, id).await?,
        former_names: danvan_app::org::queries::former_names(&state.app, id).await?,
        members,
        show_contacts: can(Action::ViewContacts),
        can_create_child: live && can(Action::CreateChild),
        can_update: live && can(Action::Update),
        can_dissolve: live && can(Action::Dissolve),
        can_manage_members: can(Action::ManageMembers),
        ancestors,
        territory,
        unit,
    };
    Ok(render(&page))
}

#[derive(Template)]
#[template(path = "org/unit_form.html")]
struct UnitFormPage {
    p: Page,
    form: Form,
    action: String,
    cancel: String,
    kinds: Vec<Opt>,
    delete_id: Option<i64>,
}

fn kind_options(ctx: &Ctx) -> Vec<Opt> {
    let mut v = vec![Opt { value: String::new(), label: ctx.t("field.none") }];
    v.extend(UnitKind::ALL.iter().map(|k| Opt { value: k.as_str().into(), label: ctx.t(crate::labels::unit_kind(k.as_str())) }));
    v
}

async fn form_page(
    _state: &AppState,
    ctx: &Ctx,
    title: &str,
    form: Form,
    action: String,
    cancel: String,
    delete_id: Option<i64>,
) -> Result<UnitFormPage, WebError> {
    Ok(UnitFormPage { p: Page::new(ctx, title), form, action, cancel, kinds: kind_options(ctx), delete_id })
}

async fn new_form(
    State(state): State<AppState>,
    ctx: Ctx,
    QueryParams(q): QueryParams<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let parent = q.get("parent").and_then(|p| p.parse::<i64>().ok());
    let mut parent_code = String::new();
    match parent {
        Some(pid) => {
            let p = danvan_app::org::queries::get_unit(&state.app, pid).await?;
            ctx.authorize(Action::CreateChild, Resource::Unit { ancestry: &p.ancestry() })?;
            parent_code = p.code;
        }
        None => ctx.authorize(Action::View, Resource::Administration)?,
    }
    let form = Form::new(ctx.lang).set("parent_code", parent_code);
    let cancel = parent.map(|p| format!("/units/{p}")).unwrap_or_else(|| "/units".into());
    Ok(render(&form_page(&state, &ctx, &ctx.t("admin.new_unit"), form, "/admin/units".into(), cancel, None).await?))
}

async fn unit_input(state: &AppState, form: &FormData) -> Result<(UnitInput, FieldErrors), WebError> {
    let mut errors = FieldErrors::new();
    let input = UnitInput {
        code: form.get("code"),
        name: form.get("name"),
        kind: form.get("kind"),
        parent_id: unit_by_code(state, &form.get("parent_code"), "parent_code", &mut errors).await?,
        territory_id: unit_by_code(state, &form.get("territory_code"), "territory_code", &mut errors).await?,
        effective_from: danvan_app::input::optional_date(&form.get("effective_from"), "effective_from", &mut errors),
        remote_area: form.get("remote_area") == "on",
    };
    Ok((input, errors))
}

const CODE_FIELDS: &[(&str, &str)] = &[("parent_id", "parent_code"), ("territory_id", "territory_code")];

async fn create(State(state): State<AppState>, ctx: Ctx, form: FormData) -> Result<Response, WebError> {
    let (input, parse_errors) = unit_input(&state, &form).await?;
    let result = if parse_errors.is_empty() {
        danvan_app::org::units::create_unit(&state.app, &ctx.caller, &input).await.map_err(WebError::from)
    } else {
        Err(WebError::Invalid(parse_errors))
    };
    match result {
        Ok(u) => Ok(redirect_with(&ctx, &format!("/units/{}", u.id), "admin.created", &[])),
        Err(WebError::Invalid(e)) => {
            let page = form_page(
                &state,
                &ctx,
                &ctx.t("admin.new_unit"),
                crate::pages::refill(&ctx, &form, &e, CODE_FIELDS),
                "/admin/units".into(),
                "/units".into(),
                None,
            )
            .await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e),
    }
}

async fn edit_form(State(state): State<AppState>, ctx: Ctx, PathParam(id): PathParam<i64>) -> Result<Response, WebError> {
    let u = danvan_app::org::queries::get_unit(&state.app, id).await?;
    ctx.authorize(Action::Update, Resource::Unit { ancestry: &u.ancestry() })?;
    let form = Form::new(ctx.lang)
        .set("code", &u.code)
        .set("name", &u.name)
        .set("kind", u.kind)
        .set("parent_code", code_of(&state, u.parent_id).await?)
        .set("territory_code", code_of(&state, u.territory_id).await?)
        .set("effective_from", u.effective_from.map(|d| d.to_string()).unwrap_or_default())
        .set("remote_area", if u.remote_area { "on" } else { "" });
    let page =
        form_page(&state, &ctx, &ctx.t("admin.edit_unit"), form, format!("/admin/units/{id}"), format!("/units/{id}"), Some(id))
            .await?;
    Ok(render(&page))
}

async fn code_of(state: &AppState, id: Option<i64>) -> Result<String, WebError> {
    Ok(match id {
        Some(id) => danvan_app::org::queries::get_unit(&state.app, id).await?.code,
        None => String::new(),
    })
}

async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    let (input, parse_errors) = unit_input(&state, &form).await?;
    let result = if parse_errors.is_empty() {
        danvan_app::org::units::update_unit(&state.app, &ctx.caller, id, &input).await.map_err(WebError::from)
    } else {
        Err(WebError::Invalid(parse_errors))
    };
    match result {
        Ok(_) => Ok(redirect_with(&ctx, &format!("/units/{id}"), "admin.saved", &[])),
        Err(WebError::Invalid(e)) => {
            let page = form_page(
                &state,
                &ctx,
                &ctx.t("admin.edit_unit"),
                crate::pages::refill(&ctx, &form, &e, CODE_FIELDS),
                format!("/admin/units/{id}"),
                format!("/units/{id}"),
                Some(id),
            )
            .await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e),
    }
}

async fn delete(State(state): State<AppState>, ctx: Ctx, PathParam(id): PathParam<i64>) -> Result<Response, WebError> {
    let parent = danvan_app::org::queries::get_unit(&state.app, id).await?.parent_id;
    danvan_app::org::units::delete_unit(&state.app, &ctx.caller, id).await?;
    let to = parent.map(|p| format!("/units/{p}")).unwrap_or_else(|| "/units".into());
    Ok(redirect_with(&ctx, &to, "admin.deleted", &[]))
}

#[derive(Template)]
#[template(path = "org/unit_dissolve.html")]
struct DissolvePage {
    p: Page,
    unit: Unit,
    form: Form,
    children: Vec<(Unit, String)>,
}

async fn dissolve_page(state: &AppState, ctx: &Ctx, unit: Unit, form: Form) -> Result<DissolvePage, WebError> {
    let children = danvan_app::org::queries::child_units(&state.app, unit.id, false)
        .await?
        .into_iter()
        .map(|c| {
            let label = i18n::tf(ctx.lang, "admin.assign_child", &[("child", &c.name)]);
            (c, label)
        })
        .collect();
    Ok(DissolvePage { p: Page::new(ctx, &format!("{}: {}", ctx.t("admin.dissolve_unit"), unit.name)), unit, form, children })
}

async fn dissolve_form(State(state): State<AppState>, ctx: Ctx, PathParam(id): PathParam<i64>) -> Result<Response, WebError> {
    let unit = danvan_app::org::queries::get_unit(&state.app, id).await?;
    ctx.authorize(Action::Dissolve, Resource::Unit { ancestry: &unit.ancestry() })?;
    let form = Form::new(ctx.lang).set("effective_on", chrono::Utc::now().date_naive().to_string());
    Ok(render(&dissolve_page(&state, &ctx, unit, form).await?))
}

async fn dissolve(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    let mut errors = FieldErrors::new();
    let mut successors = vec![];
    for code in form.get("successors").split([',', ';', ' ']).filter(|c| !c.trim().is_empty()) {
        if let Some(id) = unit_by_code(&state, code, "successors", &mut errors).await? {
            successors.push(id);
        }
    }
    let mut assignments = vec![];
    for (k, v) in &form.0 {
        let Some(child) = k.strip_prefix("assign_").and_then(|c| c.parse::<i64>().ok()) else {
            continue;
        };
        if let Some(to) = unit_by_code(&state, v, "assignments", &mut errors).await? {
            assignments.push((child, to));
        }
    }
    let effective_on = danvan_app::input::optional_date(&form.get("effective_on"), "effective_on", &mut errors);
    let req = DissolutionRequest { successors, assignments, effective_on };
    let result = if errors.is_empty() {
        danvan_app::org::units::dissolve_unit(&state.app, &ctx.caller, id, &req).await.map_err(WebError::from)
    } else {
        Err(WebError::Invalid(errors))
    };
    match result {
        Ok(()) => Ok(redirect_with(&ctx, &format!("/units/{id}"), "admin.dissolved", &[])),
        Err(WebError::Invalid(e)) => {
            let unit = danvan_app::org::queries::get_unit(&state.app, id).await?;
            let page = dissolve_page(&state, &ctx, unit, crate::pages::refill(&ctx, &form, &e, CODE_FIELDS)).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "org/units_import.html")]
struct ImportPage {
    p: Page,
    form: Form,
    row_errors: Vec<String>,
}

async fn import_form(ctx: Ctx) -> Result<Response, WebError> {
    ctx.authorize(Action::Update, Resource::System)?;
    Ok(render(&ImportPage { p: Page::new(&ctx, &ctx.t("admin.import")), form: Form::new(ctx.lang), row_errors: vec![] }))
}

async fn import(State(state): State<AppState>, ctx: Ctx, mut multipart: Multipart) -> Result<Response, WebError> {
    ctx.authorize(Action::Update, Resource::System)?;
    let mut bytes = vec![];
    while let Some(field) = multipart.next_field().await.map_err(|_| WebError::BadRequest("error.csv"))? {
        if field.name() == Some("file") {
            bytes = field.bytes().await.map_err(|_| WebError::BadRequest("error.csv"))?.to_vec();
        }
    }
    match danvan_app::org::units::import_units(&state.app, &ctx.caller, &bytes).await.map_err(WebError::from) {
        Ok((created, updated)) => Ok(redirect_with(
            &ctx,
            "/units",
            "admin.imported",
            &[("created", created.to_string()), ("updated", updated.to_string())],
        )),
        Err(WebError::Invalid(e)) => {
            let row_errors =
                e.0.iter()
                    .filter(|fe| fe.field.starts_with("row"))
                    .map(|fe| format!("{}: {}", fe.field.replace("row", &ctx.t("common.row_prefix")), ctx.t(&fe.key)))
                    .collect();
            let form = Form::new(ctx.lang)
                .with_errors(&FieldErrors(e.0.iter().filter(|fe| !fe.field.starts_with("row")).cloned().collect()));
            let form = if e.0.iter().any(|fe| fe.field.starts_with("row")) {
                Form { errors: [("file".to_string(), ctx.t("error.csv_rows"))].into(), ..form }
            } else {
                form
            };
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ImportPage { p: Page::new(&ctx, &ctx.t("admin.import")), form, row_errors },
            ))
        }
        Err(e) => Err(e),
    }
}

async fn export(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    ctx.authorize(Action::View, Resource::Administration)?;
    let csv = danvan_app::org::units::units_csv(&danvan_app::org::queries::all_units(&state.app).await?);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"danvan-units.csv\""),
        ],
        csv,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "org/transfers.html")]
struct TransfersPage {
    p: Page,
    items: Vec<(PendingTransfer, String, Vec<Opt>)>,
}

async fn transfers(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    let mut items = vec![];
    for t in danvan_app::org::transfers::pending_transfers(&state.app, &ctx.caller).await? {
        let from = danvan_app::org::queries::get_unit(&state.app, t.from_unit_id).await?.name;
        let succ = danvan_app::org::queries::successors(&state.app, t.from_unit_id)
            .await?
            .into_iter()
            .map(|u| Opt { value: u.id.to_string(), label: u.name })
            .collect();
        items.push((t, from, succ));
    }
    Ok(render(&TransfersPage { p: Page::new(&ctx, &ctx.t("admin.transfers")), items }))
}

async fn place_transfer(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    // A missing or unreadable successor is refused by the use case ("to" required), after the
    // permission.
    let to = danvan_app::input::optional_id(&form.get("to"), "to", &mut FieldErrors::new());
    danvan_app::org::transfers::resolve_pending_transfer(&state.app, &ctx.caller, id, to).await?;
    Ok(redirect_with(&ctx, "/admin/transfers", "admin.saved", &[]))
}
