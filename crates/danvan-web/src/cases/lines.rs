//! Cases as lists show them (category and unit names, due status), and the kind and category
//! choices that forms share.

use crate::ctx::Ctx;
use crate::error::WebError;
use crate::html::Opt;
use crate::i18n;
use crate::AppState;
use chrono::NaiveDate;
use danvan_app::cases::categories::Category;
use danvan_app::cases::queries::CaseRow;
use danvan_domain::calendar::DueStatus;
use danvan_domain::cases::CaseKind;
use std::collections::HashMap;
/// A case as lists show it: with its category and unit names and its due status.
pub struct CaseLine {
    pub c: CaseRow,
    pub category: String,
    pub unit: String,
    pub due: Option<NaiveDate>,
    pub due_label: String,
    pub due_class: &'static str,
}

pub(super) async fn names(state: &AppState) -> Result<(HashMap<i64, Category>, Vec<Category>), WebError> {
    let cats = danvan_app::cases::categories::categories(&state.app, true).await?;
    Ok((cats.iter().map(|c| (c.id, c.clone())).collect(), cats))
}

pub(super) async fn lines(state: &AppState, ctx: &Ctx, rows: Vec<CaseRow>) -> Result<Vec<CaseLine>, WebError> {
    let (cats, _) = names(state).await?;
    let cal = danvan_app::calendar::work_calendar(&state.app).await?;
    let today = danvan_app::cases::today();
    let unit_ids: Vec<i64> = rows.iter().map(|r| r.unit_id).collect();
    let units: HashMap<i64, String> =
        danvan_app::org::queries::get_units(&state.app, &unit_ids).await?.into_iter().map(|u| (u.id, u.name)).collect();
    // As of today: a paused case's date has moved with its pause.
    let mut dues = danvan_app::cases::dues_as_of(&state.app, &rows).await?;
    Ok(rows
        .into_iter()
        .map(|mut c| {
            let d = dues.remove(&c.id).unwrap_or_default();
            (c.accept_due, c.resolve_due) = (d.accept_by, d.resolve_by);
            let due = d.date();
            let status = c.status;
            let standing =
                danvan_domain::cases::due_status_as_of(status, due, today, &cal, danvan_domain::calendar::DEFAULT_DUE_SOON_DAYS);
            let (due_label, due_class) = match (due, standing) {
                (Some(d), Some(standing)) => {
                    let left = cal.working_days_between(today, d);
                    match standing {
                        DueStatus::Overdue => {
                            (i18n::tf(ctx.lang, "case.overdue_by", &[("n", &(-left).max(1).to_string())]), "badge-danger")
                        }
                        DueStatus::DueSoon => (i18n::tf(ctx.lang, "case.due_in", &[("n", &left.to_string())]), "badge-warn"),
                        DueStatus::OnTrack => (i18n::tf(ctx.lang, "case.due_in", &[("n", &left.to_string())]), "badge-ok"),
                    }
                }
                _ => (String::new(), "badge-muted"),
            };
            CaseLine {
                category: c
                    .category_id
                    .and_then(|id| cats.get(&id))
                    .map(|c| c.name_in(ctx.lang == i18n::Lang::En).to_string())
                    .unwrap_or_default(),
                unit: units.get(&c.unit_id).cloned().unwrap_or_default(),
                due,
                due_label,
                due_class,
                c,
            }
        })
        .collect())
}

pub(super) fn kind_options(ctx: &Ctx, with_none: bool) -> Vec<Opt> {
    let mut v = vec![];
    if with_none {
        v.push(Opt { value: String::new(), label: ctx.t("field.none") });
    }
    v.extend(CaseKind::ALL.iter().map(|k| Opt { value: k.as_str().into(), label: ctx.t(crate::labels::case_kind(k.as_str())) }));
    v
}

pub(super) fn category_options(ctx: &Ctx, cats: &[Category]) -> Vec<Opt> {
    let mut v = vec![Opt { value: String::new(), label: ctx.t("field.none") }];
    v.extend(
        cats.iter()
            .filter(|c| c.active)
            // The English name when the reader uses English and one was given.
            // The groups have Vietnamese names only: an English reader sees the English name alone.
            .map(|c| {
                let en = ctx.lang == crate::i18n::Lang::En;
                let label = if en && !c.name_en.trim().is_empty() {
                    c.name_en.clone()
                } else {
                    format!("{} — {}", c.group_name, c.name_in(en))
                };
                Opt { value: c.code.clone(), label }
            }),
    );
    v
}

/// A status's label in the reader's language.
pub(super) fn status_label(ctx: &Ctx, s: impl AsRef<str>) -> String {
    ctx.t(crate::labels::case_status(s))
}
