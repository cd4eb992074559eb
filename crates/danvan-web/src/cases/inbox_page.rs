//! The officer inbox: the cases of the actor's units with their filters and counters.

use super::lines::{category_options, kind_options, lines, names, status_label, CaseLine};

use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::QueryParams;
use crate::html::{pagination, urlencode, Form, Opt, Page};
use crate::i18n;
use crate::pages::render;
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use danvan_app::cases::queries::{CaseFilter, CaseSort};
use danvan_app::org::queries::Unit;
use danvan_domain::cases::{CaseStatus, Channel};
use danvan_domain::indicators::CaseSet;
use danvan_domain::{Action, FieldErrors};
use std::collections::HashMap;

pub fn routes() -> Routes {
    Routes::new().get("/inbox", inbox)
}

#[derive(Template)]
#[template(path = "cases/inbox.html")]
struct InboxPage {
    p: Page,
    /// The indicator input the list is limited to (`measure`), named; empty when none.
    measure_label: String,
    form: Form,
    lines: Vec<CaseLine>,
    total_label: String,
    pager: String,
    statuses: Vec<Opt>,
    kinds: Vec<Opt>,
    categories: Vec<Opt>,
    channels: Vec<Opt>,
    counters: Vec<(String, String, i64)>,
    /// Officials the selected cases may be given to (bulk assignment); empty for readers.
    handlers: Vec<Opt>,
    /// The same filters, as the Excel export's query string.
    export_query: String,
    /// Leaders and admins get a link to the response templates they manage.
    templates_link: bool,
    /// The work led (default) or supported by the subtree's units.
    scopes: Vec<Opt>,
    /// Who holds each case (case id → name).
    holders: HashMap<i64, String>,
    /// The saved views, as links.
    views: Vec<Opt>,
    /// Units of the inbox's subtree for the unit filter's picker (`<datalist id="units">`).
    units: Vec<Opt>,
    /// A filter is set: the filters show open.
    filtered: bool,
    /// Those who handle cases record them on a citizen's behalf (not the readers, nor the party
    /// committee overseeing).
    can_record: bool,
}

impl InboxPage {
    /// Who holds the case, if anyone.
    fn holder(&self, id: &i64) -> &str {
        self.holders.get(id).map(String::as_str).unwrap_or("")
    }
}

/// "Tất cả" (all) for no filter, where a shared list says "— Không —".
fn all_first(ctx: &Ctx, mut options: Vec<Opt>) -> Vec<Opt> {
    if let Some(first) = options.first_mut().filter(|o| o.value.is_empty()) {
        first.label = ctx.t("inbox.all");
    }
    options
}

/// The name of whoever holds each case.
async fn holders(state: &AppState, rows: &[danvan_app::cases::queries::CaseRow]) -> Result<HashMap<i64, String>, WebError> {
    let mut names: HashMap<i64, String> = HashMap::new();
    let mut out = HashMap::new();
    for c in rows {
        if let Some(a) = c.assignee_id {
            if let std::collections::hash_map::Entry::Vacant(e) = names.entry(a) {
                let name = danvan_app::org::queries::get_account(&state.app, a).await.map(|a| a.full_name).unwrap_or_default();
                e.insert(name);
            }
            out.insert(c.id, names[&a].clone());
        }
    }
    Ok(out)
}

/// The units of the inbox's subtree (live), to pick the unit filter by name or code.
async fn inbox_units(state: &AppState, within: Option<&Unit>) -> Result<Vec<Opt>, WebError> {
    let Some(u) = within else { return Ok(vec![]) };
    let units = danvan_app::org::queries::unit_names_within(&state.app, u.id, 1000).await?;
    Ok(units.into_iter().map(|(code, name)| Opt { value: code, label: name }).collect())
}

/// Officials whose only work on cases is supporting them (the Front's and mass organisations'
/// representatives).
fn supports_only(ctx: &Ctx) -> bool {
    !ctx.caller.may_somewhere(Action::ViewCases)
}

pub async fn counters(state: &AppState, ctx: &Ctx, within: Option<i64>) -> Result<Vec<(String, String, i64)>, WebError> {
    let today = danvan_app::cases::today();
    let cal = danvan_app::calendar::work_calendar(&state.app).await?;
    let soon = cal.add_working_days(today, danvan_domain::calendar::DEFAULT_DUE_SOON_DAYS).unwrap_or(today);
    let n = danvan_app::cases::queries::case_counters(&state.app, &ctx.caller, within, soon, today).await?;
    let out = [
        ("case.counter.new", "status=received", n.received),
        ("case.counter.due_soon", "due=soon", n.due_soon),
        ("case.counter.overdue", "due=overdue", n.overdue),
        ("case.counter.waiting", "status=paused", n.paused),
        ("case.counter.to_approve", "status=answer_drafted", n.to_approve),
    ]
    .into_iter()
    .map(|(key, query, n)| (ctx.t(key), query.to_string(), n))
    .collect();
    Ok(out)
}

/// The inbox's filters read from the query string, with the unit whose subtree they cover,
/// once the actor was authorised to read it (shared by the page and its Excel export).
pub(crate) struct InboxQuery {
    pub filter: CaseFilter,
    pub errors: FieldErrors,
    pub within: Option<Unit>,
    pub page: i64,
}

/// The inbox's saved views (in the URL as `view=`): each a preset of the filters.
pub(crate) const VIEWS: [&str; 6] = ["mine", "open", "overdue", "due_soon", "to_approve", "all"];

fn view_label(view: &str) -> &'static str {
    match view {
        "mine" => "inbox.view.mine",
        "open" => "inbox.view.open",
        "overdue" => "inbox.view.overdue",
        "due_soon" => "inbox.view.due_soon",
        "to_approve" => "inbox.view.to_approve",
        _ => "inbox.view.all",
    }
}

/// The view the inbox shows: the one asked for; with no filter at all, the officer's own open
/// cases (most urgent first), or the whole territory's open cases for those who hold none (the
/// leaders who only read, the party committee overseeing); with other filters, everything. The
/// export (and any other list) without a view lists everything, as it always did.
pub(crate) fn view_of(ctx: &Ctx, q: &HashMap<String, String>, page: bool) -> &'static str {
    let get = |k: &str| q.get(k).map(|s| s.trim().to_string()).unwrap_or_default();
    if let Some(v) = VIEWS.iter().find(|v| **v == get("view")) {
        return v;
    }
    if !page || INBOX_KEYS.iter().any(|k| *k != "view" && !get(k).is_empty()) {
        "all"
    } else if ctx.caller.may_somewhere(Action::Handle) {
        "mine"
    } else {
        "open"
    }
}

pub(crate) async fn inbox_query(
    state: &AppState,
    ctx: &Ctx,
    q: &HashMap<String, String>,
    page: bool,
) -> Result<InboxQuery, WebError> {
    let view = view_of(ctx, q, page);
    // A view sets the filters it stands for, unless they are given.
    let preset = |k: &str| -> Option<&'static str> {
        match (view, k) {
            ("overdue", "due") => Some("overdue"),
            ("due_soon", "due") => Some("soon"),
            ("to_approve", "status") => Some("answer_drafted"),
            _ => None,
        }
    };
    let get = |k: &str| match q.get(k).map(|s| s.trim().to_string()).filter(|s| !s.is_empty()) {
        Some(v) => v,
        None => preset(k).unwrap_or_default().to_string(),
    };
    let mut errors = FieldErrors::new();
    let asked_supported = get("scope") == "supported";
    // An unknown unit is a field error on the page, which then shows the caller's own unit.
    let scope = match danvan_app::cases::inbox_scope(&state.app, &ctx.caller, Some(&get("unit")), asked_supported).await {
        Err(danvan_app::AppError::Invalid(e)) if e.get("unit").is_some() => {
            errors.merge(e);
            danvan_app::cases::inbox_scope(&state.app, &ctx.caller, None, asked_supported).await
        }
        r => r,
    };
    let (within_unit, supported) = match scope {
        Ok(s) => (s.within, s.supported),
        // "Supported by whom?": an administrator names the unit.
        Err(danvan_app::AppError::Invalid(e)) => {
            errors.merge(e);
            (None, true)
        }
        Err(e) => return Err(e.into()),
    };
    let within = within_unit.as_ref().map(|u| u.id);
    let today = danvan_app::cases::today();
    let cal = danvan_app::calendar::work_calendar(&state.app).await?;
    // Bounded like every date a user gives (1945 to ten years ahead).
    let date = |k: &str, errors: &mut FieldErrors| danvan_app::input::filter_date(&get(k), k, errors);
    let page = crate::extract::page_number(get("page").parse().ok());
    let status = get("status");
    // A filter naming no known value is a field error, never "everything".
    let mut choice = |field: &str, known: bool| {
        if !known && !get(field).is_empty() {
            errors.add(field, "error.invalid");
        }
    };
    choice("status", CaseStatus::parse(&status).is_some());
    choice("kind", danvan_domain::cases::CaseKind::parse(&get("kind")).is_some());
    choice("channel", Channel::parse(&get("channel")).is_some());
    choice("measure", CaseSet::parse(&get("measure")).is_some());
    let filter = CaseFilter {
        within: if supported { None } else { within },
        // No unit: nothing (see the error above), never every case.
        supported_within: if supported { Some(within.unwrap_or(-1)) } else { None },
        // The cases behind an indicator's input (the emulation scores link here).
        measure: CaseSet::parse(&get("measure")),
        // "Mine" and "open" are the open cases; a chosen status narrows them.
        statuses: match CaseStatus::parse(&status) {
            Some(s) => vec![s],
            None if matches!(view, "mine" | "open") => CaseStatus::ALL.iter().copied().filter(|s| s.is_open()).collect(),
            None => vec![],
        },
        assignee_id: if view == "mine" { ctx.caller.account.as_ref().map(|a| a.id) } else { None },
        kind: danvan_domain::cases::CaseKind::parse(&get("kind")),
        category_id: match get("category") {
            c if c.is_empty() => None,
            c => danvan_app::cases::categories::category_by_code(&state.app, &c).await?.map(|c| c.id),
        },
        channel: Channel::parse(&get("channel")),
        due_by: (get("due") == "soon")
            .then(|| cal.add_working_days(today, danvan_domain::calendar::DEFAULT_DUE_SOON_DAYS).unwrap_or(today)),
        overdue_as_of: (get("due") == "overdue").then_some(today),
        received_from: date("from", &mut errors),
        received_to: date("to", &mut errors),
        q: get("q"),
        public_only: false,
        codes: vec![],
        category_ids: vec![],
        skip_total: false,
        has_point: false,
        excluded_ids: vec![],
        after_id: None,
        sort: if get("sort") == "newest" { CaseSort::Newest } else { CaseSort::DueDate },
        limit: 50,
        offset: (page - 1) * 50,
    };
    Ok(InboxQuery { filter, errors, within: within_unit, page })
}

/// The filter keys kept in the inbox's URL (and passed on to its export).
pub(crate) const INBOX_KEYS: [&str; 13] =
    ["view", "q", "status", "kind", "category", "channel", "due", "from", "to", "unit", "sort", "scope", "measure"];

async fn inbox(
    State(state): State<AppState>,
    ctx: Ctx,
    QueryParams(q): QueryParams<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let get = |k: &str| q.get(k).map(|s| s.trim().to_string()).unwrap_or_default();
    let InboxQuery { filter, mut errors, within: within_unit, page } = inbox_query(&state, &ctx, &q, true).await?;
    // The excess of a long search is ignored (as by the export and the API); the page says so.
    if danvan_domain::text::search_is_cut(&filter.q) {
        errors.add("q", "error.search_cut");
    }
    let within = within_unit.as_ref().map(|u| u.id);
    let (rows, total) = danvan_app::cases::queries::list_cases(&state.app, &ctx.caller, &filter).await?;
    let mut form = Form::new(ctx.lang).with_errors(&errors);
    let keys = INBOX_KEYS;
    let view = view_of(&ctx, &q, true);
    let get = |k: &str| if k == "view" { view.to_string() } else { get(k) };
    for k in keys {
        form.values.insert(k.into(), get(k));
    }
    if supports_only(&ctx) {
        form.values.insert("scope".into(), "supported".into());
    }
    let params: Vec<(&str, String)> = keys.iter().map(|k| (*k, get(k))).collect();
    let (_, cats) = names(&state).await?;
    let mut statuses = vec![Opt { value: String::new(), label: ctx.t("inbox.all") }];
    statuses.extend(CaseStatus::ALL.iter().map(|s| Opt { value: s.as_str().into(), label: status_label(&ctx, s.as_str()) }));
    let mut channels = vec![Opt { value: String::new(), label: ctx.t("inbox.all") }];
    channels
        .extend(Channel::ALL.iter().map(|c| Opt { value: c.as_str().into(), label: ctx.t(crate::labels::channel(c.as_str())) }));
    let page_view = InboxPage {
        p: Page::new(&ctx, &ctx.t("case.inbox_title")),
        measure_label: filter.measure.map(|m| ctx.t(crate::labels::case_set(m))).unwrap_or_default(),
        holders: holders(&state, &rows).await?,
        lines: lines(&state, &ctx, rows).await?,
        views: VIEWS.iter().map(|v| Opt { value: (*v).to_string(), label: ctx.t(view_label(v)) }).collect(),
        units: inbox_units(&state, within_unit.as_ref()).await?,
        filtered: keys.iter().any(|k| *k != "view" && !get(k).is_empty()) || form.has_errors(),
        total_label: i18n::tf(ctx.lang, "common.total", &[("n", &i18n::number(ctx.lang, total))]),
        pager: pagination(ctx.lang, "/inbox", &params, page, 50, total),
        statuses,
        kinds: all_first(&ctx, kind_options(&ctx, true)),
        categories: all_first(&ctx, category_options(&ctx, &cats)),
        channels,
        // The counters are of the work led; the Front's representatives only support.
        counters: if supports_only(&ctx) { vec![] } else { counters(&state, &ctx, within).await? },
        // Supported work is assigned by the units that lead it.
        handlers: if filter.supported_within.is_some() {
            vec![]
        } else {
            bulk_handlers(&state, &ctx, within_unit.as_ref()).await?
        },
        scopes: vec![
            Opt { value: String::new(), label: ctx.t("inbox.scope.lead") },
            Opt { value: "supported".into(), label: ctx.t("inbox.scope.supported") },
        ],
        templates_link: ctx.caller.may_somewhere(Action::ManageTemplates),
        can_record: ctx.caller.may_somewhere(Action::Handle),
        export_query: params
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", urlencode(v)))
            .collect::<Vec<_>>()
            .join("&"),
        form,
    };
    Ok(render(&page_view))
}

/// The choice of officials for bulk assignment: those who may handle cases of the subtree (the
/// state machine and `authorize` still decide case by case). None for those who only read.
async fn bulk_handlers(state: &AppState, ctx: &Ctx, within: Option<&Unit>) -> Result<Vec<Opt>, WebError> {
    if danvan_app::cases::authorize_case_work(&ctx.caller).is_err() {
        return Ok(vec![]);
    }
    let (path, anc) = match within {
        Some(u) => (u.path.clone(), u.ancestry()),
        None => ("/".to_string(), vec![]),
    };
    let mut v = vec![Opt { value: String::new(), label: ctx.t("inbox.choose_officer") }];
    v.extend(
        danvan_app::cases::queries::handlers_for(&state.app, &path, &anc)
            .await?
            .into_iter()
            .map(|h| Opt { label: format!("{} ({})", h.full_name, h.username), value: h.username }),
    );
    Ok(v)
}
