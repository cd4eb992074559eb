//! Categories of cases (administrators): names, groups, default units, extra fields asked of the
//! sender.

use crate::ctx::admin_only;
use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::PathParam;
use crate::html::numbered_errors;
use crate::html::{Form, Opt, Page};
use crate::pages::{redirect_with, render, render_status, FormData};
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use danvan_app::cases::categories::Category;
use danvan_domain::cases::category::format_attributes;
use danvan_domain::{FieldErrors, UnitKind};

pub fn routes() -> Routes {
    Routes::new()
        .get("/admin/categories", categories)
        .post("/admin/categories", category_create)
        .get("/admin/categories/new", category_new)
        .get("/admin/categories/{id}/edit", category_edit)
        .post("/admin/categories/{id}", category_update)
        .post("/admin/categories/{id}/active", category_active)
}

#[derive(Template)]
#[template(path = "cases/admin_categories.html")]
struct CategoriesPage {
    p: Page,
    items: Vec<(Category, usize)>,
}

async fn categories(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    admin_only(&ctx)?;
    let items = danvan_app::cases::categories::categories(&state.app, true).await?.into_iter().map(|c| {
        let n = c.attribute_defs().len();
        (c, n)
    });
    Ok(render(&CategoriesPage { p: Page::new(&ctx, &ctx.t("category.admin_title")), items: items.collect() }))
}

#[derive(Template)]
#[template(path = "cases/admin_category_form.html")]
struct CategoryFormPage {
    p: Page,
    form: Form,
    action: String,
    kinds: Vec<Opt>,
    attr_errors: Vec<String>,
    /// (id, active) of an existing category.
    existing: Option<(i64, bool)>,
}

fn category_page(
    ctx: &Ctx,
    title: &str,
    form: Form,
    action: String,
    attr_errors: Vec<String>,
    existing: Option<(i64, bool)>,
) -> CategoryFormPage {
    let kinds = UnitKind::ALL
        .iter()
        .map(|k| Opt { value: k.as_str().into(), label: ctx.t(crate::labels::unit_kind(k.as_str())) })
        .collect();
    CategoryFormPage { p: Page::new(ctx, title), form, action, kinds, attr_errors, existing }
}

async fn category_new(ctx: Ctx) -> Result<Response, WebError> {
    admin_only(&ctx)?;
    let form = Form::new(ctx.lang).set("unit_kind", "peoples_committee");
    Ok(render(&category_page(&ctx, &ctx.t("category.new"), form, "/admin/categories".into(), vec![], None)))
}

async fn category_edit(State(state): State<AppState>, ctx: Ctx, PathParam(id): PathParam<i64>) -> Result<Response, WebError> {
    admin_only(&ctx)?;
    let c = danvan_app::cases::categories::category(&state.app, id).await?;
    let opt = |v: Option<i64>| v.map(|d| d.to_string()).unwrap_or_default();
    let form = Form::new(ctx.lang)
        .set("code", &c.code)
        .set("name", &c.name)
        .set("name_en", &c.name_en)
        .set("group", &c.group_name)
        .set("description", &c.description)
        .set("keywords", &c.keywords)
        .set("unit_kind", c.unit_kind)
        .set("accept_days", opt(c.accept_days))
        .set("resolve_days", opt(c.resolve_days))
        .set("attributes", format_attributes(&c.attribute_defs()));
    Ok(render(&category_page(&ctx, &c.name, form, format!("/admin/categories/{id}"), vec![], Some((id, c.active)))))
}

async fn category_failed(
    state: &AppState,
    ctx: &Ctx,
    form: &FormData,
    e: FieldErrors,
    id: Option<i64>,
) -> Result<Response, WebError> {
    let attr_errors = numbered_errors(ctx, &e, "attributes.", "category.attr_line");
    let mut f = crate::pages::refill(
        ctx,
        form,
        &FieldErrors(e.0.iter().filter(|x| !x.field.starts_with("attributes.")).cloned().collect()),
        &[],
    );
    if !attr_errors.is_empty() {
        f.errors.insert("attributes".into(), ctx.t("category.error.attributes"));
    }
    let (title, action, existing) = match id {
        Some(id) => {
            let c = danvan_app::cases::categories::category(&state.app, id).await?;
            (c.name.clone(), format!("/admin/categories/{id}"), Some((id, c.active)))
        }
        None => (ctx.t("category.new"), "/admin/categories".into(), None),
    };
    Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &category_page(ctx, &title, f, action, attr_errors, existing)))
}

async fn category_create(State(state): State<AppState>, ctx: Ctx, form: FormData) -> Result<Response, WebError> {
    let result =
        danvan_app::cases::categories::create_category(&state.app, &ctx.caller, &|k| form.get(k)).await.map_err(WebError::from);
    match result {
        Ok(_) => Ok(redirect_with(&ctx, "/admin/categories", "admin.saved", &[])),
        Err(WebError::Invalid(e)) => category_failed(&state, &ctx, &form, e, None).await,
        Err(e) => Err(e),
    }
}

async fn category_update(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    let result = danvan_app::cases::categories::update_category(&state.app, &ctx.caller, id, &|k| form.get(k))
        .await
        .map_err(WebError::from);
    match result {
        Ok(()) => Ok(redirect_with(&ctx, "/admin/categories", "admin.saved", &[])),
        Err(WebError::Invalid(e)) => category_failed(&state, &ctx, &form, e, Some(id)).await,
        Err(e) => Err(e),
    }
}

async fn category_active(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    danvan_app::cases::categories::set_category_active(&state.app, &ctx.caller, id, form.get("active") == "1").await?;
    Ok(redirect_with(&ctx, "/admin/categories", "admin.saved", &[]))
}
