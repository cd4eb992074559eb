//! The unit tree. `path` ('/1/5/23/') holds the ids from the root, so a subtree is a prefix match
//! on both databases and a unit's ancestry needs no query.

use crate::audit::{AuditCtx, Changes};
use crate::{is_unique_violation, like_escape, Result, Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use danvan_domain::unit::{self, DissolutionPlan, UnitCsvRow, UnitDraft, UnitUsage};
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

const UNIT_COLS: &str = "id, code, name, kind, parent_id, territory_id, path, depth, effective_from, effective_to, remote_area, created_at, updated_at";

fn code_taken() -> StoreError {
    StoreError::Invalid(FieldErrors::one("code", "error.code_duplicate"))
}

impl Store {
    pub async fn get_unit(&self, id: UnitId) -> Result<Unit> {
        let sql = format!("SELECT {UNIT_COLS} FROM units WHERE id = $1");
        on_pool!(self, read, |p| sqlx::query_as::<_, Unit>(&sql).bind(id).fetch_optional(p).await?.ok_or(StoreError::NotFound))
    }

    pub async fn get_unit_by_code(&self, code: &str) -> Result<Option<Unit>> {
        let sql = format!("SELECT {UNIT_COLS} FROM units WHERE code = $1");
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, Unit>(&sql).bind(code.trim()).fetch_optional(p).await?))
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

    pub async fn search_units(&self, s: &UnitSearch) -> Result<(Vec<Unit>, i64)> {
        let folded = text::fold(&text::clean(&s.q));
        // Words match at word starts ("ho" finds "Hồ Tây", not "Thành phố").
        let words: Vec<String> = folded.split_whitespace().map(|w| format!("% {}%", like_escape(w))).collect();
        // $1 include_dissolved, $2 kind, $3 subtree path prefix, then one parameter per word.
        let cond = |first_word: usize| {
            let mut c =
                String::from("($1 OR effective_to IS NULL) AND ($2 IS NULL OR kind = $2) AND ($3 IS NULL OR path LIKE $3)");
            for i in 0..words.len() {
                c.push_str(&format!(" AND (' ' || search_text) LIKE ${} ESCAPE '\\'", first_word + i));
            }
            c
        };
        // Exact-diacritic matches of the whole query rank first ("hồ" above "hổ"), then the whole
        // query without diacritics, then matches of single words.
        let exact = format!("%{}%", like_escape(&text::clean(&s.q).to_lowercase()));
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
                "SELECT (SELECT COUNT(*) FROM cases WHERE unit_id = $1 OR place_unit_id = $1) + (SELECT COUNT(*) FROM case_supports WHERE unit_id = $1)",
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

    /// Dissolves a unit: records successors and the end date, moves its children as planned,
    /// ends its memberships, and queues what could not be placed for an administrator.
    pub async fn dissolve_unit(
        &self,
        ctx: &AuditCtx,
        id: UnitId,
        successors: &[UnitId],
        plan: &DissolutionPlan,
        on: NaiveDate,
    ) -> Result<()> {
        let unit = self.get_unit(id).await?;
        if unit.dissolved() {
            return Err(FieldErrors::one("unit", "error.unit_dissolved").into());
        }
        let mut errors = FieldErrors::new();
        let mut targets = std::collections::HashMap::new();
        for s in successors {
            match self.get_unit(*s).await {
                Ok(u) if u.dissolved() => errors.add("successors", "error.successor_dissolved"),
                Ok(u) if u.ancestry().contains(&id) => errors.add("successors", "error.successor_inside"),
                Ok(u) => {
                    targets.insert(*s, u);
                }
                Err(StoreError::NotFound) => errors.add("successors", "error.unit_unknown"),
                Err(e) => return Err(e),
            }
        }
        errors.into_result()?;
        // Dissolved children stay where they were: they are history.
        let children = self.child_units(id, false).await?;
        let now = Utc::now();
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            for s in successors {
                sqlx::query("INSERT INTO unit_successors (unit_id, successor_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(id)
                    .bind(*s)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query("UPDATE units SET effective_to = $1, updated_at = $2 WHERE id = $3")
                .bind(on)
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            for (child_id, succ_id) in &plan.moves {
                let (Some(child), Some(succ)) = (children.iter().find(|c| c.id == *child_id), targets.get(succ_id)) else {
                    continue;
                };
                let new_path = format!("{}{}/", succ.path, child.id);
                reroot!(tx, &new_path, child.path, succ.depth + 1 - child.depth);
                sqlx::query("UPDATE units SET parent_id = $1, updated_at = $2 WHERE id = $3")
                    .bind(succ.id)
                    .bind(now)
                    .bind(child.id)
                    .execute(&mut *tx)
                    .await?;
                audit!(
                    tx,
                    ctx,
                    "unit.move",
                    "unit",
                    Some(child.id),
                    &child.name,
                    Changes::new().field("parent_id", Some(id), Some(succ.id))
                );
            }
            for child_id in &plan.unplaced {
                let Some(child) = children.iter().find(|c| c.id == *child_id) else {
                    continue;
                };
                sqlx::query("INSERT INTO pending_transfers (from_unit_id, item_type, item_id, item_label, created_at) VALUES ($1, 'unit', $2, $3, $4)")
                    .bind(id)
                    .bind(child.id)
                    .bind(&child.name)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
            // Open work moves with the unit: to its successor when there is one; with several,
            // each case waits for an administrator to choose. Closed cases keep the old unit.
            let open_cases: Vec<(i64, String)> = sqlx::query_as(&format!(
                "SELECT id, code FROM cases WHERE unit_id = $1 AND status IN {}",
                crate::cases::OPEN_STATUSES
            ))
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
            for (case_id, code) in &open_cases {
                match successors {
                    [only] => {
                        let target = &targets[only];
                        sqlx::query("UPDATE cases SET unit_id = $1, unit_path = $2, updated_at = $3 WHERE id = $4")
                            .bind(target.id)
                            .bind(&target.path)
                            .bind(now)
                            .bind(*case_id)
                            .execute(&mut *tx)
                            .await?;
                        // Now leading the case, the successor no longer supports it.
                        sqlx::query("DELETE FROM case_supports WHERE case_id = $1 AND unit_id = $2")
                            .bind(*case_id)
                            .bind(target.id)
                            .execute(&mut *tx)
                            .await?;
                        sqlx::query("INSERT INTO case_events (case_id, at, actor_id, actor_label, action, note, public) VALUES ($1, $2, $3, $4, 'transfer', $5, TRUE)")
                            .bind(*case_id)
                            .bind(now)
                            .bind(ctx.actor_id)
                            .bind(&ctx.actor_label)
                            .bind(format!("{} → {}", unit.name, target.name))
                            .execute(&mut *tx)
                            .await?;
                        audit!(
                            tx,
                            ctx,
                            "case.move",
                            "case",
                            Some(*case_id),
                            code,
                            Changes::new().field("unit_id", Some(id), Some(target.id))
                        );
                    }
                    _ => {
                        sqlx::query("INSERT INTO pending_transfers (from_unit_id, item_type, item_id, item_label, created_at) VALUES ($1, 'case', $2, $3, $4)")
                            .bind(id)
                            .bind(*case_id)
                            .bind(code)
                            .bind(now)
                            .execute(&mut *tx)
                            .await?;
                    }
                }
            }
            // Supporting open cases passes to the one successor too (unless it now leads the case);
            // with several, the dissolved unit stays listed and an administrator can replace it.
            if let [only] = successors {
                let target = &targets[only];
                let supported: Vec<(i64, i64)> = sqlx::query_as(&format!(
                    "SELECT c.id, c.unit_id FROM case_supports s JOIN cases c ON c.id = s.case_id WHERE s.unit_id = $1 AND c.status IN {}",
                    crate::cases::OPEN_STATUSES
                ))
                .bind(id)
                .fetch_all(&mut *tx)
                .await?;
                for (case_id, lead) in supported {
                    sqlx::query("DELETE FROM case_supports WHERE case_id = $1 AND unit_id = $2")
                        .bind(case_id)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    let ended = lead == target.id;
                    if !ended {
                        sqlx::query(
                            "INSERT INTO case_supports (case_id, unit_id, added_at, added_by) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                        )
                        .bind(case_id)
                        .bind(target.id)
                        .bind(now)
                        .bind(ctx.actor_id)
                        .execute(&mut *tx)
                        .await?;
                    }
                    if ended {
                        // The successor leads the case already: the support simply ends.
                        crate::cases::support_event!(tx, ctx, case_id, now, "support_remove", &unit.name, "");
                    } else {
                        let note = format!("→ {}", target.name);
                        crate::cases::support_event!(tx, ctx, case_id, now, "support_move", &unit.name, &note);
                    }
                }
            }
            // Administrators anchored here keep their role on the first successor (only admins
            // manage admins); other memberships end and the audit log keeps who held them.
            if let Some(first) = successors.first() {
                let admins = danvan_domain::authz::sql_roles(&danvan_domain::authz::system_roles());
                sqlx::query(&format!(
                    "DELETE FROM memberships WHERE unit_id = $1 AND role IN ({admins})
                     AND account_id IN (SELECT account_id FROM memberships WHERE unit_id = $2 AND role IN ({admins}))",
                ))
                .bind(id)
                .bind(*first)
                .execute(&mut *tx)
                .await?;
                sqlx::query(&format!("UPDATE memberships SET unit_id = $1 WHERE unit_id = $2 AND role IN ({admins})"))
                    .bind(*first)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query("DELETE FROM memberships WHERE unit_id = $1").bind(id).execute(&mut *tx).await?;
            let changes = Changes::new().set("effective_to", on).set("successors", successors).set("unplaced", &plan.unplaced);
            audit!(tx, ctx, "unit.dissolve", "unit", Some(id), &unit.name, changes);
            tx.commit().await?;
            Ok(())
        })
    }

    pub async fn pending_transfers(&self) -> Result<Vec<PendingTransfer>> {
        on_pool!(self, read, |p| {
            Ok(sqlx::query_as::<_, PendingTransfer>(
            "SELECT id, from_unit_id, item_type, item_id, item_label, created_at FROM pending_transfers WHERE resolved_at IS NULL ORDER BY id"
        )
        .fetch_all(p)
        .await?)
        })
    }

    /// An administrator places a waiting item (today: a child unit) under one of the successors.
    pub async fn resolve_pending_transfer(&self, ctx: &AuditCtx, pending_id: i64, to: UnitId) -> Result<()> {
        let item = on_pool!(self, read, |p| sqlx::query_as::<_, PendingTransfer>(
            "SELECT id, from_unit_id, item_type, item_id, item_label, created_at FROM pending_transfers WHERE id = $1 AND resolved_at IS NULL"
        )
        .bind(pending_id)
        .fetch_optional(p)
        .await?)
        .ok_or(StoreError::NotFound)?;
        let successors = self.successors(item.from_unit_id).await?;
        if !successors.iter().any(|s| s.id == to) {
            return Err(FieldErrors::one("to", "error.assignment_not_successor").into());
        }
        if item.item_type == "unit" {
            let child = self.get_unit(item.item_id).await?;
            let draft = UnitDraft {
                code: child.code.clone(),
                name: child.name.clone(),
                kind: child.kind,
                parent_id: Some(to),
                territory_id: child.territory_id,
                effective_from: child.effective_from,
                remote_area: child.remote_area,
            };
            self.update_unit(ctx, child.id, &draft).await?;
        }
        if item.item_type == "case" {
            let target = self.get_unit(to).await?;
            if target.dissolved() {
                return Err(dissolved_refusal());
            }
            on_pool!(self, write, |p| {
                let mut tx = p.begin().await?;
                sqlx::query("UPDATE cases SET unit_id = $1, unit_path = $2, updated_at = $3 WHERE id = $4")
                    .bind(target.id)
                    .bind(&target.path)
                    .bind(Utc::now())
                    .bind(item.item_id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("INSERT INTO case_events (case_id, at, actor_id, actor_label, action, note, public) VALUES ($1, $2, $3, $4, 'transfer', $5, TRUE)")
                    .bind(item.item_id)
                    .bind(Utc::now())
                    .bind(ctx.actor_id)
                    .bind(&ctx.actor_label)
                    .bind(format!("→ {}", target.name))
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok::<_, StoreError>(())
            })?;
        }
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            sqlx::query("UPDATE pending_transfers SET resolved_at = $1, resolved_to = $2 WHERE id = $3")
                .bind(Utc::now())
                .bind(to)
                .bind(pending_id)
                .execute(&mut *tx)
                .await?;
            audit!(
                tx,
                ctx,
                "transfer.resolve",
                &item.item_type,
                Some(item.item_id),
                &item.item_label,
                Changes::new().set("to", to)
            );
            tx.commit().await?;
            Ok(())
        })
    }

    /// Imports units from CSV rows in one transaction: new codes are created, known codes updated
    /// (name, kind, parent). Nothing is written when any row is wrong.
    pub async fn import_units(
        &self,
        ctx: &AuditCtx,
        rows: &[UnitCsvRow],
        mut progress: impl FnMut(usize),
    ) -> Result<(usize, usize)> {
        let existing: std::collections::HashMap<String, Unit> =
            self.all_units().await?.into_iter().map(|u| (u.code.clone(), u)).collect();
        let order = unit::order_import(rows, |c| existing.contains_key(c))?;
        let now = Utc::now();
        let (mut created, mut updated) = (0, 0);
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            // code → (id, path, depth) of units placed so far
            let mut placed: std::collections::HashMap<String, (i64, String, i64)> =
                existing.values().map(|u| (u.code.clone(), (u.id, u.path.clone(), u.depth))).collect();
            let mut moved = false;
            for (n, i) in order.iter().enumerate() {
                progress(n + 1);
                let r = &rows[*i];
                let code = r.code.trim().to_string();
                let name = text::clean(&r.name);
                let kind = r.kind.trim();
                let parent = placed.get(r.parent_code.trim()).cloned();
                let (ppath, depth) = parent.as_ref().map(|(_, p, d)| (p.clone(), d + 1)).unwrap_or(("/".into(), 0));
                let mut from = NaiveDate::parse_from_str(r.effective_from.trim(), "%Y-%m-%d").ok();
                let mut to = NaiveDate::parse_from_str(r.effective_to.trim(), "%Y-%m-%d").ok();
                if let Some(old) = existing.get(&code) {
                    if !r.has_dates {
                        (from, to) = (old.effective_from, old.effective_to);
                    }
                    if old.name == name
                        && old.kind.as_str() == kind
                        && old.parent_id == parent.as_ref().map(|p| p.0)
                        && old.effective_from == from
                        && old.effective_to == to
                    {
                        continue;
                    }
                    if let Some((pid, _, _)) = &parent {
                        if unit::creates_cycle(old.id, &path_ids(&ppath)) || *pid == old.id {
                            return Err(StoreError::Invalid(FieldErrors::one(&format!("row {}", i + 2), "error.cycle")));
                        }
                    }
                    let new_path = format!("{ppath}{}/", old.id);
                    sqlx::query("UPDATE units SET name = $1, name_sort = $2, search_text = $3, kind = $4, parent_id = $5, effective_from = $6, effective_to = $7, updated_at = $8 WHERE id = $9")
                        .bind(&name).bind(text::sort_key(&name)).bind(search_text(&code, &name)).bind(kind)
                        .bind(parent.as_ref().map(|p| p.0)).bind(from).bind(to).bind(now).bind(old.id)
                        .execute(&mut *tx).await?;
                    if new_path != old.path {
                        reroot!(tx, &new_path, old.path, depth - old.depth);
                        moved = true;
                    }
                    if old.name != name {
                        sqlx::query("INSERT INTO unit_names (unit_id, name, valid_until) VALUES ($1, $2, $3)")
                            .bind(old.id)
                            .bind(&old.name)
                            .bind(now)
                            .execute(&mut *tx)
                            .await?;
                    }
                    let changes = Changes::new()
                        .field("name", Some(&old.name), Some(&name))
                        .field("kind", Some(old.kind.as_str()), Some(kind))
                        .field("parent_id", old.parent_id, parent.as_ref().map(|p| p.0));
                    audit!(tx, ctx, "unit.import_update", "unit", Some(old.id), &name, changes);
                    placed.insert(code, (old.id, new_path, depth));
                    updated += 1;
                } else {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO units (code, name, name_sort, search_text, kind, parent_id, path, depth, effective_from, effective_to, created_at, updated_at)
                         VALUES ($1, $2, $3, $4, $5, $6, '', $7, $8, $9, $10, $10) RETURNING id",
                    )
                    .bind(&code).bind(&name).bind(text::sort_key(&name)).bind(search_text(&code, &name)).bind(kind)
                    .bind(parent.as_ref().map(|p| p.0)).bind(depth).bind(from).bind(to).bind(now)
                    .fetch_one(&mut *tx).await?;
                    let path = format!("{ppath}{id}/");
                    sqlx::query("UPDATE units SET path = $1 WHERE id = $2").bind(&path).bind(id).execute(&mut *tx).await?;
                    audit!(
                        tx,
                        ctx,
                        "unit.import_create",
                        "unit",
                        Some(id),
                        &name,
                        Changes::new().set("code", &code).set("name", &name).set("kind", kind)
                    );
                    placed.insert(code, (id, path, depth));
                    created += 1;
                }
            }
            if moved {
                // A moved unit may be the ancestor of units that the file does not name, whose
                // paths were read before the move: rebuild every path from the parent links.
                let rows: Vec<(i64, Option<i64>, String, i64)> =
                    sqlx::query_as("SELECT id, parent_id, path, depth FROM units").fetch_all(&mut *tx).await?;
                let links: Vec<(i64, Option<i64>)> = rows.iter().map(|r| (r.0, r.1)).collect();
                let paths =
                    unit::compute_paths(&links).map_err(|_| StoreError::Invalid(FieldErrors::one("file", "error.cycle")))?;
                for (id, _, path, depth) in &rows {
                    if let Some((p, d)) = paths.get(id) {
                        if p != path || d != depth {
                            sqlx::query("UPDATE units SET path = $1, depth = $2 WHERE id = $3")
                                .bind(p)
                                .bind(*d)
                                .bind(*id)
                                .execute(&mut *tx)
                                .await?;
                        }
                    }
                }
                sqlx::query("UPDATE cases SET unit_path = (SELECT path FROM units WHERE units.id = cases.unit_id)")
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok((created, updated))
        })
    }
}

/// What unit search matches: the folded name and code.
/// The folded name (diacritic-insensitive matching), the lowercase name (ranking exact-diacritic
/// matches first) and the code.
fn search_text(code: &str, name: &str) -> String {
    format!("{} | {} | {}", text::fold(name), name.to_lowercase(), code.to_lowercase())
}
