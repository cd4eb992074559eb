//! Search across everything (issue 12 item 5): one box for officials — the cases of the units
//! whose cases they read, the "Dân vận khéo" models of the units whose emulation work they read,
//! the review reports they read, and the directory of units — and one for the public: published
//! cases, recognised models and units. Each store matches folded words (diacritics aside, đ → d);
//! the hits are then ordered by `danvan_domain::review::search::rank`, what was typed with its
//! diacritics first, then the newest.

use crate::caller::Caller;
use crate::{App, AppError, AppResult};
use chrono::NaiveDate;
use danvan_domain::authz::{Action, Resource};
use danvan_domain::review::search::rank;
pub use danvan_domain::review::search::HitKind;
use danvan_domain::text::search_query;
use danvan_domain::FieldErrors;
use danvan_store::cases::{CaseFilter, CaseSort};
use danvan_store::emulation::ModelFilter;
use danvan_store::org::units::UnitSearch;

/// What a search asks: the words, and optionally one kind of item, a unit's subtree (by code)
/// and the dates items were received or recorded.
#[derive(Debug, Clone, Default)]
pub struct SearchInput {
    pub q: String,
    pub kind: Option<HitKind>,
    pub unit: String,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// One item found.
#[derive(Debug, Clone)]
pub struct Hit {
    pub kind: HitKind,
    pub title: String,
    /// The text the words were found in besides the title (a description, an address).
    pub text: String,
    pub link: String,
    /// A code, a unit, a status…
    pub meta: String,
    pub date: Option<NaiveDate>,
    pub rank: u8,
}

/// How many items of each kind a kind's list holds at most.
const PER_KIND: i64 = 30;

/// The hits for `input`, best first, at most [`PER_KIND`] of each kind.
pub async fn search(app: &App, caller: &Caller, input: &SearchInput) -> AppResult<Vec<Hit>> {
    let q = search_query(&input.q);
    if q.is_empty() {
        return Ok(vec![]);
    }
    let unit = match input.unit.trim() {
        "" => None,
        code => Some(
            app.store
                .get_unit_by_code(code)
                .await?
                .ok_or_else(|| AppError::Invalid(FieldErrors::one("unit", "error.unit_unknown")))?,
        ),
    };
    let wants = |k: HitKind| input.kind.is_none_or(|w| w == k);
    let mut hits = vec![];
    let official = caller.account.is_some() && caller.may_somewhere(Action::ViewCases);
    if wants(HitKind::Case) {
        let mut filter = CaseFilter {
            q: q.clone(),
            received_from: input.from,
            received_to: input.to,
            sort: CaseSort::Newest,
            limit: PER_KIND,
            skip_total: true,
            ..Default::default()
        };
        if official {
            // Each unit whose cases the caller reads (the broadest, once), or the one asked for.
            let mut scopes: Vec<(i64, String)> = vec![];
            match &unit {
                Some(u) => {
                    caller.authorize(Action::ViewCases, Resource::Unit { ancestry: &u.ancestry() })?;
                    scopes.push((u.id, u.path.clone()));
                }
                None => {
                    for m in caller.units_where(Action::ViewCases) {
                        scopes.push((m.unit_id, m.unit_path.clone()));
                    }
                }
            }
            let paths: Vec<String> = scopes.iter().map(|(_, p)| p.clone()).collect();
            scopes.retain(|(_, p)| !paths.iter().any(|o| o != p && p.starts_with(o.as_str())));
            scopes.dedup();
            for (id, _) in scopes {
                filter.within = Some(id);
                let (rows, _) = crate::cases::queries::list_cases(app, caller, &filter).await?;
                hits.extend(rows.into_iter().map(|c| Hit {
                    kind: HitKind::Case,
                    rank: rank(&q, &format!("{} {} {}", c.title, c.description, c.address)),
                    meta: c.code.clone(),
                    link: format!("/cases/{}", c.id),
                    date: Some(c.received_on),
                    title: c.title,
                    text: format!("{} — {}", c.description, c.address),
                }));
            }
        } else {
            filter.public_only = true;
            filter.within = unit.as_ref().map(|u| u.id);
            for c in app.store.list_public_cases(&filter).await? {
                let title = c.category_name.clone().unwrap_or_else(|| c.code.clone());
                hits.push(Hit {
                    kind: HitKind::Case,
                    rank: rank(&q, &format!("{title} {} {}", c.description, c.address)),
                    meta: format!("{} · {}", c.code, c.unit_name),
                    link: format!("/public/cases/{}", c.code),
                    date: Some(c.received_at.date_naive()),
                    title,
                    text: format!("{} — {}", c.description, c.address),
                });
            }
        }
    }
    if wants(HitKind::Model) {
        let paths: Vec<String> = match &unit {
            Some(u) => vec![u.path.clone()],
            None => caller
                .memberships
                .iter()
                .filter(|m| caller.authorize(Action::View, Resource::EmulationWork { unit_ancestry: &m.unit_ancestry() }).is_ok())
                .map(|m| m.unit_path.clone())
                .collect(),
        };
        let readable = |p: &str| {
            caller
                .authorize(Action::View, Resource::EmulationWork { unit_ancestry: &danvan_store::org::units::path_ids(p) })
                .is_ok()
        };
        // Officials read the models of their units; everyone reads the recognised ones.
        let scoped = !paths.is_empty() && paths.iter().all(|p| readable(p));
        let filter = ModelFilter { paths, recognised_only: !scoped, q: q.clone(), limit: PER_KIND, ..Default::default() };
        let (rows, _) = app.store.emulation_models(&filter).await?;
        for m in rows {
            let public = m.decision == Some(danvan_domain::emulation::models::Recognition::Recognised);
            hits.push(Hit {
                kind: HitKind::Model,
                rank: rank(&q, &format!("{} {} {} {}", m.name, m.place, m.owner_name, m.description)),
                meta: m.owner_unit_name.clone(),
                link: if scoped { format!("/emulation/models/{}", m.id) } else { format!("/dan-van-kheo/{}", m.id) },
                date: m.decided_on,
                title: m.name,
                text: if scoped || public { m.description } else { String::new() },
            });
        }
    }
    if wants(HitKind::Unit) {
        let s = UnitSearch { q: q.clone(), within: unit.as_ref().map(|u| u.id), limit: PER_KIND, ..Default::default() };
        let (rows, _) = app.store.search_units(&s).await?;
        hits.extend(rows.into_iter().map(|u| Hit {
            kind: HitKind::Unit,
            rank: rank(&q, &format!("{} {}", u.name, u.code)),
            meta: u.code.clone(),
            link: format!("/units/{}", u.id),
            date: None,
            title: u.name,
            text: String::new(),
        }));
    }
    if wants(HitKind::Report) && caller.account.is_some() {
        if let Ok(rows) = super::reports(app, caller).await {
            for r in rows.into_iter().filter(|r| unit.as_ref().is_none_or(|u| r.unit_path.starts_with(&u.path))) {
                let subject = format!("{} {}", r.kind.name_vi(), r.title);
                let score = rank(&q, &format!("{subject} {}", r.unit_name));
                if score > 0 {
                    hits.push(Hit {
                        kind: HitKind::Report,
                        rank: score,
                        meta: r.unit_name.clone(),
                        link: format!("/review/reports/{}", r.id),
                        date: Some(r.updated_at.date_naive()),
                        title: subject,
                        text: String::new(),
                    });
                }
            }
        }
    }
    hits.sort_by(|a, b| b.rank.cmp(&a.rank).then(b.date.cmp(&a.date)).then_with(|| a.title.cmp(&b.title)));
    Ok(hits)
}
