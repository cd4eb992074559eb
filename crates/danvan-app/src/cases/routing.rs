//! Routing and time limits: which unit handles a case about a place, and the policy and clock
//! its due dates come from.

use crate::{App, AppResult};
use chrono::{NaiveDate, Utc};
use danvan_domain::calendar::vietnam_offset;
use danvan_domain::cases::denunciation::Concerned;
use danvan_domain::cases::{CaseKind, Clock, DeadlinePolicy};
use danvan_domain::settings::Settings;
use danvan_domain::{UnitId, UnitKind};
use danvan_store::cases::{CaseRow, Category};
use danvan_store::Unit;

pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&vietnam_offset()).date_naive()
}

/// The kind's time limits (the administrators' settings), with the category's own figures for
/// feedback and petitions.
pub fn policy(settings: &Settings, kind: CaseKind, category: Option<&Category>) -> DeadlinePolicy {
    let mut p = settings.policy(kind);
    if matches!(kind, CaseKind::Feedback | CaseKind::Petition) {
        if let Some(c) = category {
            if let Some(a) = c.accept_days.filter(|d| *d > 0) {
                p.accept_days = a as u32;
            }
            if let Some(r) = c.resolve_days.filter(|d| *d > 0) {
                (p.resolve_days, p.resolve_days_complex, p.resolve_days_remote, p.resolve_days_remote_complex) =
                    (r as u32, r as u32, r as u32, r as u32);
            }
        }
    }
    p
}

fn is_local_territory(kind: UnitKind) -> bool {
    matches!(kind, UnitKind::Ward | UnitKind::Commune | UnitKind::SpecialZone)
}

/// The ward, commune or special zone a place belongs to (itself, or its nearest such ancestor).
pub async fn territory_of(app: &App, place: &Unit) -> AppResult<Unit> {
    if is_local_territory(place.kind) {
        return Ok(place.clone());
    }
    let anc = place.ancestry();
    let mut ancestors = app.store.get_units(&anc).await?;
    ancestors.sort_by_key(|u| std::cmp::Reverse(u.depth));
    Ok(ancestors.into_iter().find(|u| is_local_territory(u.kind)).unwrap_or_else(|| place.clone()))
}

/// The unit whose boundary contains the point (the smallest, when areas nest), if boundaries
/// were supplied and the unit still exists; a dissolved unit's successor takes its place.
pub async fn place_of_point(app: &App, lat: f64, lon: f64) -> AppResult<Option<Unit>> {
    let settings = app.store.settings().await?;
    let Some(area) = danvan_domain::cases::geo::locate(&settings.boundaries, lat, lon) else { return Ok(None) };
    let Some(unit) = app.store.get_unit_by_code(&area.unit_code).await? else { return Ok(None) };
    // A successor may itself have been dissolved later (a merger, then another): follow the chain
    // breadth-first to the first live unit, a few levels at most.
    const MAX_HOPS: usize = 8;
    let mut level = vec![unit];
    let mut seen = std::collections::HashSet::new();
    for _ in 0..=MAX_HOPS {
        if let Some(live) = level.iter().find(|u| !u.dissolved()) {
            return Ok(Some(live.clone()));
        }
        let mut next = vec![];
        for u in &level {
            if seen.insert(u.id) {
                next.extend(app.store.successors(u.id).await?);
            }
        }
        if next.is_empty() {
            break;
        }
        level = next;
    }
    Ok(None)
}

/// Routing: the category names the kind of unit responsible; the place decides which one (the
/// body of that kind on the place's ward or commune). Without one, the ward itself handles it.
pub async fn suggest_unit(app: &App, category: Option<&Category>, place: &Unit) -> AppResult<Unit> {
    let territory = territory_of(app, place).await?;
    if let Some(c) = category {
        let bodies = app.store.units_on_territory(territory.id).await?;
        if let Some(b) = bodies.into_iter().find(|b| b.kind == c.unit_kind) {
            return Ok(b);
        }
    }
    Ok(territory)
}

/// Where a denunciation goes once routed around the units it concerns (`route_around` gave
/// `above`, the unit directly above the highest one concerned): the nearest unit from there up
/// that someone may handle it at and that it does not concern. On each territory on the way, the
/// body of the kind concerned comes first (a denunciation of a ward's people's committee or of
/// its chair goes to the people's committee above it: Luật Tố cáo 2018, Điều 12 khoản 1 — the
/// head of the body directly above settles a denunciation of a body's head; Điều 13 — a
/// commune-level chair's is settled one level up), then the territory itself when officials work
/// on it. Walk finding M5: a denunciation of `C00073-UBND` went to ward `C00073`, where nobody
/// works, and stayed there. With no one found up to the root it stays at `above`, as before, for
/// the administrators to transfer.
pub async fn competent_above(app: &App, above: Unit, concerned_unit: Option<UnitId>, avoid: &[UnitId]) -> AppResult<Unit> {
    let kind = match concerned_unit {
        Some(id) => match app.store.get_unit(id).await?.kind {
            k if k.is_territorial() => UnitKind::PeoplesCommittee,
            k => k,
        },
        None => UnitKind::PeoplesCommittee,
    };
    let mut ancestry = above.ancestry();
    while let Some(&id) = ancestry.last() {
        let unit = if id == above.id { above.clone() } else { app.store.get_unit(id).await? };
        if unit.kind.is_territorial() {
            for body in app.store.units_on_territory(unit.id).await? {
                let anc = body.ancestry();
                if body.kind == kind && !anc.iter().any(|u| avoid.contains(u)) && app.store.has_handlers_over(&anc).await? {
                    return Ok(body);
                }
            }
        }
        if !ancestry.iter().any(|u| avoid.contains(u)) && app.store.has_handlers_over(&ancestry).await? {
            return Ok(unit);
        }
        ancestry.pop();
    }
    Ok(above)
}

/// The units a denunciation must stay out of (`denunciation::avoided_units`): the unit concerned
/// and every unit where the person concerned holds a membership, read now.
pub async fn avoided_units(app: &App, concerned: &Concerned) -> AppResult<Vec<UnitId>> {
    let workplaces: Vec<UnitId> = match concerned.account {
        Some(a) => app.store.memberships_of(a).await?.into_iter().map(|m| m.unit_id).collect(),
        None => vec![],
    };
    Ok(danvan_domain::cases::denunciation::avoided_units(concerned, &workplaces))
}

pub(crate) fn clock_of(c: &CaseRow, remote: bool, pauses: &[(NaiveDate, Option<NaiveDate>)]) -> Clock {
    Clock {
        received_on: c.received_on,
        accepted_on: c.accepted_on,
        complex: c.complex,
        remote,
        extensions_used: c.extensions_used.max(0) as u32,
        // An open pause counts up to today.
        pauses: danvan_domain::cases::pauses_as_of(pauses, today()),
    }
}
