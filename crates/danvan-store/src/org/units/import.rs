//! Importing units from CSV in one transaction (paths repaired when an ancestor moves).

use super::*;

impl Store {
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
