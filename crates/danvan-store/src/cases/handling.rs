//! Transitions in one transaction each, internal notes and supporting units.

use super::*;

impl Store {
    /// Applies one transition in one transaction: the case changes only if it is still in
    /// `from_status` (another officer may have acted meanwhile); its history entries, its answer
    /// (draft, register number, sending), its pause, the messages to its citizens with their
    /// links and its audit entry are written in the same commit, or nothing is.
    pub async fn apply_case_change(&self, ctx: &AuditCtx, id: i64, ch: &CaseChange) -> Result<CaseRow> {
        let now = ch.at.unwrap_or_else(Utc::now);
        let draft = match &ch.answer {
            Some(AnswerChange::Draft { body }) => Some(checked_answer(body)?),
            _ => None,
        };
        let year = now.with_timezone(&danvan_domain::calendar::vietnam_offset()).year() as i64;
        let today = now.with_timezone(&danvan_domain::calendar::vietnam_offset()).date_naive();
        // Sending an open case to a unit, or assigning one, where the unit is dissolved: refused
        // in the commit, the unit read (and on PostgreSQL locked) there.
        let to_open = ch.to_status.is_open();
        let check_unit = to_open && (ch.unit.is_some() || matches!(ch.assignee_id, Some(Some(_))));
        let unit_end_sql = self.unit_end_sql();
        // An answer's working days (the indicators' input), counted on the working calendar.
        let cal = if ch.answered { Some(self.work_calendar().await?) } else { None };
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            crate::fault::point();
            let mut sets = vec!["status = $1".to_string(), "updated_at = $2".to_string()];
            let mut n = 4; // $3 is the id, $4.. the optional fields in the order below
            let mut next = |col: &str| {
                n += 1;
                sets.push(format!("{col} = ${n}"));
            };
            if ch.kind.is_some() {
                next("kind");
            }
            if ch.unit.is_some() {
                next("unit_id");
                next("unit_path");
            }
            if ch.assignee_id.is_some() {
                next("assignee_id");
            }
            if ch.accepted_on.is_some() {
                next("accepted_on");
            }
            if ch.accept_due.is_some() {
                next("accept_due");
            }
            if ch.resolve_due.is_some() {
                next("resolve_due");
            }
            if ch.paused_since.is_some() {
                next("paused_since");
            }
            if ch.complex.is_some() {
                next("complex");
            }
            if ch.extensions_used.is_some() {
                next("extensions_used");
            }
            if ch.publish.is_some() {
                next("publish");
            }
            if ch.concern.is_some() {
                next("concerned_unit_id");
                next("concerned_name");
                next("concerned_account_id");
            }
            // Set, never cleared: a denouncer stays protected whatever happens to the case later.
            if ch.protect {
                sets.push("identity_protected = TRUE".into());
            }
            if ch.answered {
                sets.push("answered_at = $2".into());
            }
            if ch.closed {
                sets.push("closed_at = $2".into());
            }
            if ch.reopened {
                sets.push("answered_at = NULL".into());
                sets.push("answer_work_days = NULL".into());
                sets.push("closed_at = NULL".into());
            }
            // The row the decision was taken on, compared in the same statement (on PostgreSQL
            // re-checked on the latest row once a concurrent writer's lock is released).
            let mut guard = String::new();
            if ch.seen.is_some() {
                guard = format!(
                    " AND kind = ${} AND unit_path = ${} AND identity_protected = ${} AND COALESCE(concerned_unit_id, 0) = ${} AND COALESCE(concerned_account_id, 0) = ${}",
                    n + 1,
                    n + 2,
                    n + 3,
                    n + 4,
                    n + 5
                );
            }
            let sql = format!("UPDATE cases SET {} WHERE id = $3 AND status = $4{guard} RETURNING code", sets.join(", "));
            let mut q = sqlx::query(&sql).bind(ch.to_status.as_str()).bind(now).bind(id).bind(ch.from_status.as_str());
            if let Some(k) = ch.kind {
                q = q.bind(k.as_str());
            }
            if let Some((u, path)) = &ch.unit {
                q = q.bind(*u).bind(path);
            }
            if let Some(a) = ch.assignee_id {
                q = q.bind(a);
            }
            if let Some(v) = ch.accepted_on {
                q = q.bind(v);
            }
            if let Some(v) = ch.accept_due {
                q = q.bind(v);
            }
            if let Some(v) = ch.resolve_due {
                q = q.bind(v);
            }
            if let Some(v) = ch.paused_since {
                q = q.bind(v);
            }
            if let Some(v) = ch.complex {
                q = q.bind(v);
            }
            if let Some(v) = ch.extensions_used {
                q = q.bind(v);
            }
            if let Some(v) = ch.publish {
                q = q.bind(v);
            }
            if let Some(c) = &ch.concern {
                q = q.bind(c.unit_id).bind(&c.name).bind(c.account_id);
            }
            if let Some(seen) = &ch.seen {
                q = q
                    .bind(seen.kind.as_str())
                    .bind(&seen.unit_path)
                    .bind(seen.identity_protected)
                    .bind(seen.concerned_unit_id.unwrap_or(0))
                    .bind(seen.concerned_account_id.unwrap_or(0));
            }
            let Some(code) = q.fetch_optional(&mut *tx).await?.map(|r| sqlx::Row::get::<String, _>(&r, 0)) else {
                return Err(StoreError::Invalid(FieldErrors::one("status", "case.error.changed")));
            };
            // The answer's working days (the indicators' input), read once the write lock is held.
            if let Some(cal) = &cal {
                let received_on: NaiveDate =
                    sqlx::query_scalar("SELECT received_on FROM cases WHERE id = $1").bind(id).fetch_one(&mut *tx).await?;
                sqlx::query("UPDATE cases SET answer_work_days = $1 WHERE id = $2")
                    .bind(crate::indicators::answer_work_days(cal, received_on, now))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            crate::fault::point();
            // After the first write, which takes SQLite's write lock (a read first could not wait
            // for it); a refusal rolls the update back.
            if check_unit {
                let unit = match &ch.unit {
                    Some((u, _)) => Some(*u),
                    None => {
                        sqlx::query_scalar::<_, i64>("SELECT unit_id FROM cases WHERE id = $1")
                            .bind(id)
                            .fetch_optional(&mut *tx)
                            .await?
                    }
                };
                if let Some(u) = unit {
                    let end: Option<Option<NaiveDate>> =
                        sqlx::query_scalar(unit_end_sql).bind(u).fetch_optional(&mut *tx).await?;
                    if matches!(end, Some(Some(_))) {
                        return Err(crate::org::units::dissolved_refusal());
                    }
                }
                crate::fault::point();
            }
            // A unit that now leads the case no longer supports it; a denunciation has no
            // supporting units (the denounced unit might be one).
            if let Some((u, _)) = &ch.unit {
                sqlx::query("DELETE FROM case_supports WHERE case_id = $1 AND unit_id = $2")
                    .bind(id)
                    .bind(*u)
                    .execute(&mut *tx)
                    .await?;
            }
            if ch.kind == Some(CaseKind::Denunciation) {
                sqlx::query("DELETE FROM case_supports WHERE case_id = $1").bind(id).execute(&mut *tx).await?;
            }
            // Pauses: a pause opens a range; resuming closes it the day before.
            if ch.action == "pause" {
                sqlx::query("INSERT INTO case_pauses (case_id, from_on) VALUES ($1, $2)")
                    .bind(id)
                    .bind(today)
                    .execute(&mut *tx)
                    .await?;
                crate::fault::point();
            }
            if ch.action == "resume" || (ch.from_status == CaseStatus::Paused && ch.to_status != CaseStatus::Paused) {
                sqlx::query("UPDATE case_pauses SET to_on = $1 WHERE case_id = $2 AND to_on IS NULL")
                    .bind(today)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                crate::fault::point();
            }
            let mut note = ch.note.clone();
            let mut audit_changes = ch.audit.as_ref().map(|(_, c)| c.clone());
            match &ch.answer {
                None => {}
                Some(AnswerChange::Draft { .. }) => {
                    sqlx::query(
                        "INSERT INTO case_answers (case_id, body, drafted_by, drafted_at) VALUES ($1, $2, $3, $4)
                         ON CONFLICT (case_id) DO UPDATE SET body = excluded.body, drafted_by = excluded.drafted_by, drafted_at = excluded.drafted_at,
                           register_no = NULL, approved_by = NULL, approved_at = NULL, sent_at = NULL",
                    )
                    .bind(id)
                    .bind(&draft)
                    .bind(ctx.actor_id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    crate::fault::point();
                }
                Some(AnswerChange::Approve { unit_id, symbol, kind }) => {
                    let n: i64 = sqlx::query_scalar(
                        "INSERT INTO answer_registers (unit_id, year, last) VALUES ($1, $2, 1) ON CONFLICT (unit_id, year) DO UPDATE SET last = answer_registers.last + 1 RETURNING last",
                    )
                    .bind(*unit_id)
                    .bind(year)
                    .fetch_one(&mut *tx)
                    .await?;
                    crate::fault::point();
                    let no = danvan_domain::cases::answer_number::answer_number(n, symbol, *kind);
                    let numbered = sqlx::query(
                        "UPDATE case_answers SET register_no = $1, approved_by = $2, approved_at = $3 WHERE case_id = $4",
                    )
                    .bind(&no)
                    .bind(ctx.actor_id)
                    .bind(now)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    if numbered == 0 {
                        return Err(FieldErrors::one("answer", "error.required").into());
                    }
                    crate::fault::point();
                    audit_changes = audit_changes.map(|c| c.set("register_no", &no));
                    note = no;
                }
                Some(AnswerChange::Sent { merged }) => {
                    let sent = sqlx::query("UPDATE case_answers SET sent_at = $1 WHERE case_id = $2")
                        .bind(now)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                    if sent == 0 {
                        return Err(FieldErrors::one("answer", "error.required").into());
                    }
                    let now_merged: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases WHERE merged_into = $1")
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await?;
                    if now_merged != *merged as i64 {
                        return Err(FieldErrors::one("status", "case.error.changed").into());
                    }
                    crate::fault::point();
                }
            }
            for step in &ch.steps {
                sqlx::query(
                    "INSERT INTO case_events (case_id, at, actor_id, actor_label, action, from_status, to_status, note, public) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(id)
                .bind(now)
                .bind(ctx.actor_id)
                .bind(&ctx.actor_label)
                .bind(&step.action)
                .bind(step.from_status.as_str())
                .bind(step.to_status.as_str())
                .bind(text::clean_multiline(&step.note))
                .bind(step.public)
                .execute(&mut *tx)
                .await?;
            }
            sqlx::query(
                "INSERT INTO case_events (case_id, at, actor_id, actor_label, action, from_status, to_status, note, public) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(id)
            .bind(now)
            .bind(ctx.actor_id)
            .bind(&ctx.actor_label)
            .bind(&ch.action)
            // After the steps of a shortcut, this entry starts where the last one ended.
            .bind(ch.steps.last().map_or(ch.from_status, |s| s.to_status).as_str())
            .bind(ch.to_status.as_str())
            .bind(&note)
            .bind(ch.public)
            .execute(&mut *tx)
            .await?;
            crate::fault::point();
            if ch.due_date_event {
                sqlx::query(
                    "INSERT INTO case_events (case_id, at, actor_id, actor_label, action, from_status, to_status, note, public) VALUES ($1, $2, $3, $4, 'due_date', $5, $5, '', FALSE)",
                )
                .bind(id)
                .bind(now)
                .bind(ctx.actor_id)
                .bind(&ctx.actor_label)
                .bind(ch.to_status.as_str())
                .execute(&mut *tx)
                .await?;
                crate::fault::point();
            }
            crate::cases::delivery::write_outgoing!(tx, &ch.outgoing, now);
            if let (Some((action, _)), Some(changes)) = (&ch.audit, audit_changes) {
                audit!(tx, ctx, *action, "case", Some(id), &code, changes);
                crate::fault::point();
            }
            tx.commit().await?;
            crate::fault::point();
            Ok::<_, StoreError>(())
        })?;
        self.get_case(id).await
    }

    /// An internal note (never shown to the citizen or the public).
    pub async fn add_case_note(&self, ctx: &AuditCtx, id: i64, note: &str) -> Result<()> {
        let note = text::clean_multiline(note);
        if note.is_empty() {
            return Err(FieldErrors::one("note", "error.required").into());
        }
        on_pool!(self, write, |p| {
            sqlx::query("INSERT INTO case_events (case_id, at, actor_id, actor_label, action, note, public) VALUES ($1, $2, $3, $4, 'note', $5, FALSE)")
                .bind(id)
                .bind(Utc::now())
                .bind(ctx.actor_id)
                .bind(&ctx.actor_label)
                .bind(&note)
                .execute(p)
                .await?;
            Ok(())
        })
    }

    /// The supporting units (đơn vị phối hợp) of a case, in the order they were added.
    pub async fn case_supports(&self, case_id: i64) -> Result<Vec<CaseSupport>> {
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, CaseSupport>(
            "SELECT u.id AS unit_id, u.code, u.name, u.path, s.added_at FROM case_supports s JOIN units u ON u.id = s.unit_id
             WHERE s.case_id = $1 ORDER BY s.added_at, u.id"
        )
        .bind(case_id)
        .fetch_all(p)
        .await?))
    }

    /// Adds a supporting unit to an open case (the domain's `support_refusal` decides, on the
    /// case as it is inside the transaction); the history records who added it and why.
    pub async fn add_case_support(&self, ctx: &AuditCtx, case_id: i64, unit_id: UnitId, note: &str) -> Result<()> {
        let note = text::clean_multiline(note);
        let unit = self.get_unit(unit_id).await.map_err(|e| match e {
            StoreError::NotFound => FieldErrors::one("support_unit", "error.unit_unknown").into(),
            e => e,
        })?;
        let now = Utc::now();
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            // Touching the row locks it on PostgreSQL (SQLite has one writer): two officers adding
            // units at once are checked one after the other.
            let (status, lead, kind, protected): (String, i64, String, bool) = sqlx::query_as(
                "UPDATE cases SET updated_at = $1 WHERE id = $2 RETURNING status, unit_id, kind, identity_protected",
            )
            .bind(now)
            .bind(case_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
            let already: Vec<i64> = sqlx::query_scalar("SELECT unit_id FROM case_supports WHERE case_id = $1")
                .bind(case_id)
                .fetch_all(&mut *tx)
                .await?;
            let status = CaseStatus::try_from(status)?;
            // A case that was a denunciation has no supporting units either: the unit denounced could
            // be chosen, and its file names the denouncer.
            let kind = if protected { CaseKind::Denunciation } else { CaseKind::try_from(kind)? };
            if let Some(key) = danvan_domain::cases::support_refusal(kind, status, lead, unit.id, unit.dissolved(), &already) {
                return Err(FieldErrors::one("support_unit", key).into());
            }
            sqlx::query("INSERT INTO case_supports (case_id, unit_id, added_at, added_by) VALUES ($1, $2, $3, $4)")
                .bind(case_id)
                .bind(unit.id)
                .bind(now)
                .bind(ctx.actor_id)
                .execute(&mut *tx)
                .await?;
            support_event!(tx, ctx, case_id, now, "support_add", &unit.name, &note);
            tx.commit().await?;
            Ok(())
        })
    }

    /// Ends a unit's support of a case; the history keeps that it supported it.
    pub async fn remove_case_support(&self, ctx: &AuditCtx, case_id: i64, unit_id: UnitId, note: &str) -> Result<()> {
        let note = text::clean_multiline(note);
        let unit = self.get_unit(unit_id).await?;
        let now = Utc::now();
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            let gone = sqlx::query("DELETE FROM case_supports WHERE case_id = $1 AND unit_id = $2")
                .bind(case_id)
                .bind(unit_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if gone == 0 {
                return Err(StoreError::NotFound);
            }
            sqlx::query("UPDATE cases SET updated_at = $1 WHERE id = $2").bind(now).bind(case_id).execute(&mut *tx).await?;
            support_event!(tx, ctx, case_id, now, "support_remove", &unit.name, &note);
            tx.commit().await?;
            Ok(())
        })
    }
}
