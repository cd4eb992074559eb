//! The unit tree. `path` ('/1/5/23/') holds the ids from the root, so a subtree is a prefix match
//! on both databases and a unit's ancestry needs no query.

use crate::audit::{AuditCtx, Changes};
use crate::{is_unique_violation, like_escape, Result, Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use danvan_domain::org::unit::{self, DissolutionPlan, UnitCsvRow, UnitDraft, UnitUsage};
use danvan_domain::{text, FieldErrors, UnitId, UnitKind};

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize, PartialEq)]
pub struct Unit {
    pub id: i64,
    pub code: String,
    pub name: String,
    #[sqlx(try_from = "crate::Name<UnitKind>")]
    pub kind: UnitKind,
    pub parent_id: Option<i64>,
    pub territory_id: Option<i64>,
    pub path: String,
    pub depth: i64,
    pub effective_from: Option<NaiveDate>,
    pub effective_to: Option<NaiveDate>,
    pub remote_area: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Unit {
    /// Ids from the root to this unit, itself last.
    pub fn ancestry(&self) -> Vec<UnitId> {
        path_ids(&self.path)
    }
    pub fn dissolved(&self) -> bool {
        self.effective_to.is_some()
    }
}

/// The refusal of an open case at a dissolved unit (created, assigned, transferred or loaded
/// there): its work belongs to the unit's successors.
pub(crate) fn dissolved_refusal() -> StoreError {
    StoreError::Invalid(FieldErrors::one("unit", "case.error.unit_dissolved"))
}

impl Store {
    /// Reads whether a unit is dissolved inside a writing transaction. On PostgreSQL the row is
    /// share-locked, so that a dissolution (which updates it) waits for the case being written
    /// there and then moves it, or goes first and is seen; SQLite has one writer anyway.
    pub(crate) fn unit_end_sql(&self) -> &'static str {
        match self.backend {
            crate::Backend::Sqlite { .. } => "SELECT effective_to FROM units WHERE id = $1",
            crate::Backend::Postgres(_) => "SELECT effective_to FROM units WHERE id = $1 FOR SHARE",
        }
    }
}

pub fn path_ids(path: &str) -> Vec<UnitId> {
    path.split('/').filter_map(|s| s.parse().ok()).collect()
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct PendingTransfer {
    pub id: i64,
    pub from_unit_id: i64,
    pub item_type: String,
    pub item_id: i64,
    pub item_label: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default)]
pub struct UnitSearch {
    /// Diacritic-insensitive words matched against name and code.
    pub q: String,
    pub kind: Option<String>,
    /// Only within this unit's subtree.
    pub within: Option<UnitId>,
    pub include_dissolved: bool,
    pub limit: i64,
    pub offset: i64,
}

/// Moves a whole subtree: every path starting with `$old` gets `$new` instead, depths shift by
/// `$delta`. Runs inside the transaction `$tx`.
macro_rules! reroot {
    ($tx:expr, $new:expr, $old:expr, $delta:expr) => {
        sqlx::query("UPDATE units SET path = $1 || SUBSTR(path, CAST($2 AS INTEGER)), depth = depth + $3 WHERE path LIKE $4")
            .bind($new)
            .bind($old.len() as i64 + 1)
            .bind($delta)
            .bind(format!("{}%", $old))
            .execute(&mut *$tx)
            .await?;
        // Cases carry their unit's path for fast subtree queries: they move with it.
        sqlx::query("UPDATE cases SET unit_path = $1 || SUBSTR(unit_path, CAST($2 AS INTEGER)) WHERE unit_path LIKE $3")
            .bind($new)
            .bind($old.len() as i64 + 1)
            .bind(format!("{}%", $old))
            .execute(&mut *$tx)
            .await?
    };
}

/// Moves every open denunciation that a change of the tree left inside a unit it must avoid (the
/// unit concerned, or one where the person concerned holds a membership) to the unit directly
/// above the highest such unit (`denunciation::route_around`), as intake and transfers do, with
/// its history entry and audit, in the caller's transaction. One whose avoided unit is at the top
/// of the tree has nowhere to go and stays (nobody concerned reads it all the same).
macro_rules! route_open_denunciations {
    ($tx:expr, $ctx:expr, $now:expr) => {{
        let open: Vec<(i64, String, String, Option<i64>, Option<i64>)> = sqlx::query_as(&format!(
            "SELECT id, code, unit_path, concerned_unit_id, concerned_account_id FROM cases
             WHERE concerned_unit_id IS NOT NULL AND status IN {}",
            crate::cases::OPEN_STATUSES
        ))
        .fetch_all(&mut *$tx)
        .await?;
        for (case_id, code, path, unit, account) in open {
            let workplaces: Vec<i64> = match account {
                Some(a) => {
                    sqlx::query_scalar("SELECT unit_id FROM memberships WHERE account_id = $1").bind(a).fetch_all(&mut *$tx).await?
                }
                None => vec![],
            };
            let concerned = danvan_domain::cases::denunciation::Concerned { unit, account };
            let avoid = danvan_domain::cases::denunciation::avoided_units(&concerned, &workplaces);
            let handling = crate::org::units::path_ids(&path);
            let Ok(Some(above)) = danvan_domain::cases::denunciation::route_around(&avoid, &handling) else { continue };
            let from = handling.last().copied().unwrap_or_default();
            let (to_path, to_name): (String, String) =
                sqlx::query_as("SELECT path, name FROM units WHERE id = $1").bind(above).fetch_one(&mut *$tx).await?;
            let from_name: String = sqlx::query_scalar("SELECT name FROM units WHERE id = $1")
                .bind(from)
                .fetch_optional(&mut *$tx)
                .await?
                .unwrap_or_default();
            sqlx::query("UPDATE cases SET unit_id = $1, unit_path = $2, updated_at = $3 WHERE id = $4")
                .bind(above)
                .bind(&to_path)
                .bind($now)
                .bind(case_id)
                .execute(&mut *$tx)
                .await?;
            sqlx::query("INSERT INTO case_events (case_id, at, actor_id, actor_label, action, note, public) VALUES ($1, $2, $3, $4, 'transfer', $5, TRUE)")
                .bind(case_id)
                .bind($now)
                .bind($ctx.actor_id)
                .bind(&$ctx.actor_label)
                .bind(format!("{from_name} → {to_name}"))
                .execute(&mut *$tx)
                .await?;
            audit!(
                $tx,
                $ctx,
                "case.move",
                "case",
                Some(case_id),
                &code,
                Changes::new().field("unit_id", Some(from), Some(above))
            );
        }
    }};
}

const UNIT_COLS: &str = "id, code, name, kind, parent_id, territory_id, path, depth, effective_from, effective_to, remote_area, created_at, updated_at";

fn code_taken() -> StoreError {
    StoreError::Invalid(FieldErrors::one("code", "error.code_duplicate"))
}

impl Store {
    pub async fn get_unit(&self, id: UnitId) -> Result<Unit> {
        let sql = format!("SELECT {UNIT_COLS} FROM units WHERE id = $1");
        on_pool!(self, read, |p| sqlx::query_as::<_, Unit>(&sql).bind(id).fetch_optional(p).await?.ok_or(StoreError::NotFound))
    }

    /// A unit by its code; typed in another case (`c00073-ubnd`), the one unit whose code it is
    /// (none when several codes differ only in case).
    pub async fn get_unit_by_code(&self, code: &str) -> Result<Option<Unit>> {
        let sql = format!("SELECT {UNIT_COLS} FROM units WHERE code = $1");
        let exact = on_pool!(self, read, |p| sqlx::query_as::<_, Unit>(&sql).bind(code.trim()).fetch_optional(p).await?);
        if exact.is_some() || code.trim().is_empty() {
            return Ok(exact);
        }
        let sql = format!("SELECT {UNIT_COLS} FROM units WHERE LOWER(code) = LOWER($1) LIMIT 2");
        let mut rows = on_pool!(self, read, |p| sqlx::query_as::<_, Unit>(&sql).bind(code.trim()).fetch_all(p).await?);
        Ok(if rows.len() == 1 { rows.pop() } else { None })
    }

    /// A unit by its code (as `get_unit_by_code`), or else the one live unit whose name it is: for
    /// the forms whose pickers show names and whose hints invite typing a name in full. Never for
    /// what is stored or exchanged (settings, boundaries, the APIs): a name can later match
    /// another unit.
    pub async fn get_unit_by_code_or_name(&self, s: &str) -> Result<Option<Unit>> {
        if let Some(u) = self.get_unit_by_code(s).await? {
            return Ok(Some(u));
        }
        let name = danvan_domain::text::clean(s);
        if name.is_empty() {
            return Ok(None);
        }
        let sql = format!("SELECT {UNIT_COLS} FROM units WHERE name_sort = $1 AND name = $2 AND effective_to IS NULL LIMIT 2");
        let key = danvan_domain::text::sort_key(&name);
        let mut rows = on_pool!(self, read, |p| sqlx::query_as::<_, Unit>(&sql).bind(&key).bind(&name).fetch_all(p).await?);
        Ok(if rows.len() == 1 { rows.pop() } else { None })
    }

    /// Several units by id, in Vietnamese name order (for breadcrumbs use `ancestry` order instead).
    pub async fn get_units(&self, ids: &[UnitId]) -> Result<Vec<Unit>> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let list: Vec<String> = ids.iter().map(|i| i.to_string()).collect();
        // ids are integers we produced, so inlining them is safe and works on both databases.
        let sql = format!("SELECT {UNIT_COLS} FROM units WHERE id IN ({}) ORDER BY name_sort", list.join(","));
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, Unit>(&sql).fetch_all(p).await?))
    }

    /// Top-level units (no parent), Vietnamese order.
    pub async fn root_units(&self) -> Result<Vec<Unit>> {
        let sql = format!("SELECT {UNIT_COLS} FROM units WHERE parent_id IS NULL ORDER BY name_sort");
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, Unit>(&sql).fetch_all(p).await?))
    }

    pub async fn child_units(&self, parent: UnitId, include_dissolved: bool) -> Result<Vec<Unit>> {
        let sql =
            format!("SELECT {UNIT_COLS} FROM units WHERE parent_id = $1 AND ($2 OR effective_to IS NULL) ORDER BY name_sort");
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, Unit>(&sql).bind(parent).bind(include_dissolved).fetch_all(p).await?))
    }

    /// Bodies that act for this territory (its party committee, people's committee, Front…).
    pub async fn units_on_territory(&self, territory: UnitId) -> Result<Vec<Unit>> {
        let sql = format!("SELECT {UNIT_COLS} FROM units WHERE territory_id = $1 AND effective_to IS NULL ORDER BY name_sort");
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, Unit>(&sql).bind(territory).fetch_all(p).await?))
    }

    /// Number of sub-units of every unit that has some.
    pub async fn child_counts(&self, include_dissolved: bool) -> Result<std::collections::HashMap<UnitId, i64>> {
        let rows: Vec<(i64, i64)> = on_pool!(self, read, |p| {
            sqlx::query_as(
            "SELECT parent_id, COUNT(*) FROM units WHERE parent_id IS NOT NULL AND ($1 OR effective_to IS NULL) GROUP BY parent_id"
        )
        .bind(include_dissolved)
        .fetch_all(p)
        .await?
        });
        Ok(rows.into_iter().collect())
    }

    /// Every unit in tree order (parents before children, siblings in Vietnamese order).
    pub async fn all_units(&self) -> Result<Vec<Unit>> {
        let sql = format!("SELECT {UNIT_COLS} FROM units ORDER BY depth, name_sort");
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, Unit>(&sql).fetch_all(p).await?))
    }

    pub async fn count_units(&self) -> Result<i64> {
        on_pool!(self, read, |p| Ok(sqlx::query_scalar("SELECT COUNT(*) FROM units").fetch_one(p).await?))
    }

    /// The live units of a subtree (the unit itself included) as (code, name), shallowest first,
    /// then by name; at most `limit`. What the pages' unit pickers offer: one light query, no
    /// count and no ranking (a picker on every inbox page once cost more than the page's cases).
    pub async fn unit_names_within(&self, within: i64, limit: i64) -> Result<Vec<(String, String)>> {
        // A range on the path (its index), not LIKE (no index): paths are "/1/2/", so the subtree
        // is every path from the unit's own to it followed by '~', above any digit or '/'.
        let path = self.get_unit(within).await?.path;
        on_pool!(self, read, |p| {
            Ok(sqlx::query_as(
                "SELECT code, name FROM units WHERE path >= $1 AND path < ($1 || '~') AND effective_to IS NULL
                 ORDER BY depth, name_sort LIMIT $2",
            )
            .bind(&path)
            .bind(limit.clamp(1, 5000))
            .fetch_all(p)
            .await?)
        })
    }

    pub async fn search_units(&self, s: &UnitSearch) -> Result<(Vec<Unit>, i64)> {
        // Bounded (text::search_query): each word is one more LIKE in the statement.
        let query = text::search_query(&s.q);
        let folded = text::fold(&query);
        // Words match at word starts ("ho" finds "Hồ Tây", not "Thành phố").
        // Each term in two forms: the word, and what it abbreviates ("ubnd" → "uy ban nhan dan";
        // the word again when it abbreviates nothing).
        let words: Vec<String> = text::search_terms(&query)
            .iter()
            .flat_map(|forms| {
                let short = format!("% {}%", like_escape(&forms[0]));
                let long = forms.get(1).map(|l| format!("% {}%", like_escape(l))).unwrap_or_else(|| short.clone());
                [short, long]
            })
            .collect();
        // $1 include_dissolved, $2 kind, $3 subtree path prefix, then two parameters per term.
        let cond = |first_word: usize| {
            let mut c =
                String::from("($1 OR effective_to IS NULL) AND ($2 IS NULL OR kind = $2) AND ($3 IS NULL OR path LIKE $3)");
            // A word that abbreviates nothing comes twice: its second LIKE is skipped (as in the
            // cases' search), or every unit it does not match would be tested twice.
            for i in (0..words.len()).step_by(2) {
                let (short, long) = (first_word + i, first_word + i + 1);
                c.push_str(&format!(
                    " AND ((' ' || search_text) LIKE ${short} ESCAPE '\\' OR (${long} <> ${short} AND (' ' || search_text) LIKE ${long} ESCAPE '\\'))"
                ));
            }
            c
        };
        // Exact-diacritic matches of the whole query rank first ("hồ" above "hổ"), then the whole
        // query without diacritics, then matches of single words.
        let exact = format!("%{}%", like_escape(&query.to_lowercase()));
        let phrase = format!("%{}%", like_escape(&folded));
        let list = format!(
            "SELECT {UNIT_COLS} FROM units WHERE {}
             ORDER BY CASE WHEN search_text LIKE $4 ESCAPE '\\' THEN 0 WHEN search_text LIKE $5 ESCAPE '\\' THEN 1 ELSE 2 END, depth, name_sort
             LIMIT $6 OFFSET $7",
            cond(8)
        );
        let count = format!("SELECT COUNT(*) FROM units WHERE {}", cond(4));
        let within = match s.within {
            Some(id) => Some(format!("{}%", self.get_unit(id).await?.path)),
            None => None,
        };
        on_pool!(self, read, |p| {
            let mut q = sqlx::query_as::<_, Unit>(&list)
                .bind(s.include_dissolved)
                .bind(&s.kind)
                .bind(&within)
                .bind(&exact)
                .bind(&phrase)
                .bind(s.limit.clamp(1, 1000))
                .bind(s.offset.max(0));
            for w in &words {
                q = q.bind(w);
            }
            let rows = q.fetch_all(p).await?;
            let mut c = sqlx::query_scalar::<_, i64>(&count).bind(s.include_dissolved).bind(&s.kind).bind(&within);
            for w in &words {
                c = c.bind(w);
            }
            let total = c.fetch_one(p).await?;
            Ok((rows, total))
        })
    }

    /// Whether a unit can be deleted: children, members and (later) open work.
    pub async fn unit_usage(&self, id: UnitId) -> Result<UnitUsage> {
        on_pool!(self, read, |p| {
            let children: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM units WHERE parent_id = $1 OR territory_id = $1")
                .bind(id)
                .fetch_one(p)
                .await?;
            let members: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM memberships WHERE unit_id = $1").bind(id).fetch_one(p).await?;
            let open_work: i64 = sqlx::query_scalar(&format!(
                "SELECT COUNT(*) FROM cases WHERE unit_id = $1 AND status IN {}",
                crate::cases::OPEN_STATUSES
            ))
            .bind(id)
            .fetch_one(p)
            .await?;
            Ok(UnitUsage { children, members, open_work })
        })
    }

    pub async fn successors(&self, id: UnitId) -> Result<Vec<Unit>> {
        let sql = format!("SELECT {UNIT_COLS} FROM units WHERE id IN (SELECT successor_id FROM unit_successors WHERE unit_id = $1) ORDER BY name_sort");
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, Unit>(&sql).bind(id).fetch_all(p).await?))
    }

    pub async fn predecessors(&self, id: UnitId) -> Result<Vec<Unit>> {
        let sql = format!("SELECT {UNIT_COLS} FROM units WHERE id IN (SELECT unit_id FROM unit_successors WHERE successor_id = $1) ORDER BY name_sort");
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, Unit>(&sql).bind(id).fetch_all(p).await?))
    }

    /// Names the unit carried before, with the moment each stopped being used.
    pub async fn former_names(&self, id: UnitId) -> Result<Vec<(String, DateTime<Utc>)>> {
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, (String, DateTime<Utc>)>(
            "SELECT name, valid_until FROM unit_names WHERE unit_id = $1 ORDER BY valid_until DESC"
        )
        .bind(id)
        .fetch_all(p)
        .await?))
    }

    /// Checks the parent and territory of a draft exist, are in force, and (for an existing unit)
    /// that the new parent is not the unit itself or below it. Returns the parent's path.
    async fn placement(&self, unit: Option<&Unit>, draft: &UnitDraft) -> Result<(String, i64)> {
        let mut errors = FieldErrors::new();
        let mut path = String::from("/");
        let mut depth = 0;
        // Only a new place is checked for being in force: a unit that stays under a dissolved
        // parent (history, or waiting to be placed) can still be edited.
        let moving = unit.is_none_or(|u| u.parent_id != draft.parent_id);
        if let Some(pid) = draft.parent_id {
            match self.get_unit(pid).await {
                Ok(parent) if parent.dissolved() && moving => errors.add("parent_id", "error.parent_dissolved"),
                Ok(parent) => {
                    if unit.is_some_and(|u| unit::creates_cycle(u.id, &parent.ancestry())) {
                        errors.add("parent_id", "error.cycle");
                    }
                    path = parent.path.clone();
                    depth = parent.depth + 1;
                }
                Err(StoreError::NotFound) => errors.add("parent_id", "error.parent_unknown"),
                Err(e) => return Err(e),
            }
        }
        if let Some(tid) = draft.territory_id {
            match self.get_unit(tid).await {
                Ok(t) if !t.kind.is_territorial() => errors.add("territory_id", "error.territory_kind"),
                Ok(_) => {}
                Err(StoreError::NotFound) => errors.add("territory_id", "error.unit_unknown"),
                Err(e) => return Err(e),
            }
        }
        errors.into_result()?;
        Ok((path, depth))
    }

    pub async fn create_unit(&self, ctx: &AuditCtx, draft: &UnitDraft) -> Result<Unit> {
        let (parent_path, depth) = self.placement(None, draft).await?;
        let now = Utc::now();
        let id = on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO units (code, name, name_sort, search_text, kind, parent_id, territory_id, path, depth, effective_from, remote_area, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, '', $8, $9, $10, $11, $11) RETURNING id",
            )
            .bind(&draft.code)
            .bind(&draft.name)
            .bind(text::sort_key(&draft.name))
            .bind(search_text(&draft.code, &draft.name))
            .bind(draft.kind.as_str())
            .bind(draft.parent_id)
            .bind(draft.territory_id)
            .bind(depth)
            .bind(draft.effective_from)
            .bind(draft.remote_area)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| if is_unique_violation(&e) { code_taken() } else { e.into() })?;
            sqlx::query("UPDATE units SET path = $1 WHERE id = $2")
                .bind(format!("{parent_path}{id}/"))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let changes = Changes::new()
                .set("code", &draft.code)
                .set("name", &draft.name)
                .set("kind", draft.kind.as_str())
                .field("parent_id", None, draft.parent_id)
                .field("territory_id", None, draft.territory_id)
                .field("effective_from", None, draft.effective_from);
            audit!(tx, ctx, "unit.create", "unit", Some(id), &draft.name, changes);
            tx.commit().await?;
            id
        });
        self.get_unit(id).await
    }

    pub async fn update_unit(&self, ctx: &AuditCtx, id: UnitId, draft: &UnitDraft) -> Result<Unit> {
        let old = self.get_unit(id).await?;
        let (parent_path, depth) = self.placement(Some(&old), draft).await?;
        let new_path = format!("{parent_path}{id}/");
        let now = Utc::now();
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            sqlx::query(
                "UPDATE units SET code = $1, name = $2, name_sort = $3, search_text = $4, kind = $5, parent_id = $6, territory_id = $7,
                 effective_from = $8, remote_area = $9, updated_at = $10 WHERE id = $11",
            )
            .bind(&draft.code)
            .bind(&draft.name)
            .bind(text::sort_key(&draft.name))
            .bind(search_text(&draft.code, &draft.name))
            .bind(draft.kind.as_str())
            .bind(draft.parent_id)
            .bind(draft.territory_id)
            .bind(draft.effective_from)
            .bind(draft.remote_area)
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(|e| if is_unique_violation(&e) { code_taken() } else { StoreError::from(e) })?;
            if new_path != old.path {
                // Re-root the whole subtree: every descendant's path starts with the old path.
                let delta = depth - old.depth;
                reroot!(tx, &new_path, old.path, delta);
                // A subtree moved under a unit a denunciation it handles must avoid: routed around.
                route_open_denunciations!(tx, ctx, now);
            }
            if old.name != draft.name {
                sqlx::query("INSERT INTO unit_names (unit_id, name, valid_until) VALUES ($1, $2, $3)")
                    .bind(id)
                    .bind(&old.name)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
            let changes = Changes::new()
                .field("code", Some(&old.code), Some(&draft.code))
                .field("name", Some(&old.name), Some(&draft.name))
                .field("kind", Some(old.kind.as_str()), Some(draft.kind.as_str()))
                .field("parent_id", old.parent_id, draft.parent_id)
                .field("territory_id", old.territory_id, draft.territory_id)
                .field("effective_from", old.effective_from, draft.effective_from)
                .field("remote_area", Some(old.remote_area), Some(draft.remote_area));
            audit!(tx, ctx, "unit.update", "unit", Some(id), &draft.name, changes);
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        self.get_unit(id).await
    }

    /// Deletes a unit that was never used; anything with children, members or work is dissolved
    /// instead, so history keeps it.
    pub async fn delete_unit(&self, ctx: &AuditCtx, id: UnitId) -> Result<()> {
        let unit = self.get_unit(id).await?;
        unit::check_deletable(self.unit_usage(id).await?)?;
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            let succ: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM unit_successors WHERE unit_id = $1 OR successor_id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            // Cases (even closed ones) name the unit: it is history, to dissolve, not delete.
            let cases: i64 = sqlx::query_scalar(
                "SELECT (SELECT COUNT(*) FROM cases WHERE unit_id = $1 OR place_unit_id = $1 OR concerned_unit_id = $1) + (SELECT COUNT(*) FROM case_supports WHERE unit_id = $1)",
            )
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            if succ > 0 || cases > 0 {
                return Err(StoreError::Invalid(FieldErrors::one("unit", "error.unit_has_history")));
            }
            sqlx::query("DELETE FROM unit_names WHERE unit_id = $1").bind(id).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM units WHERE id = $1").bind(id).execute(&mut *tx).await?;
            let changes = Changes::new().field("code", Some(&unit.code), None).field("name", Some(&unit.name), None);
            audit!(tx, ctx, "unit.delete", "unit", Some(id), &unit.name, changes);
            tx.commit().await?;
            Ok(())
        })
    }
}

/// What unit search matches: the folded name and code.
/// The folded name (diacritic-insensitive matching), the lowercase name (ranking exact-diacritic
/// matches first) and the code.
fn search_text(code: &str, name: &str) -> String {
    format!("{} | {} | {}", text::fold(name), name.to_lowercase(), code.to_lowercase())
}

// After the macros above (`reroot!`), which the parts below use.
mod dissolution;
mod import;
