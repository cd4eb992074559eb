//! Dissolving a unit into its successors, and the administrator's waiting list of what could not be placed.

use super::*;

impl Store {
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
            // A denunciation that concerns the dissolved unit keeps away from its people: the
            // concern follows them to the successors (`concern_after_dissolution`); its own
            // memberships have just ended, so a concern left on it would protect nobody. Closed
            // cases too: they are read for years.
            let successor_ancestries: Vec<Vec<UnitId>> = successors.iter().map(|s| targets[s].ancestry()).collect();
            if let Some(to) = danvan_domain::cases::denunciation::concern_after_dissolution(&successor_ancestries) {
                let concerning: Vec<(i64, String)> = sqlx::query_as("SELECT id, code FROM cases WHERE concerned_unit_id = $1")
                    .bind(id)
                    .fetch_all(&mut *tx)
                    .await?;
                for (case_id, code) in &concerning {
                    sqlx::query("UPDATE cases SET concerned_unit_id = $1, updated_at = $2 WHERE id = $3")
                        .bind(to)
                        .bind(now)
                        .bind(*case_id)
                        .execute(&mut *tx)
                        .await?;
                    audit!(
                        tx,
                        ctx,
                        "case.concern_move",
                        "case",
                        Some(*case_id),
                        code,
                        Changes::new().field("concerned_unit_id", Some(id), Some(to))
                    );
                }
            }
            // Whatever the moves above brought into a unit a denunciation must avoid (its open
            // cases into the unit concerned, a child unit under it, the concern onto the unit
            // handling it) goes to the unit above, as a transfer would.
            route_open_denunciations!(tx, ctx, now);
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
                // Placed in a unit it must avoid (a denunciation), it goes on to the unit above.
                route_open_denunciations!(tx, ctx, Utc::now());
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
}
