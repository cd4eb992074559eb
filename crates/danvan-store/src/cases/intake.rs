//! Recording cases: one (with its photos, idempotently), or many at once (bulk loading).

use super::*;

impl Store {
    /// Records a new case with its tracking code; returns it with the secret of its private link.
    /// A repeated idempotency key or source reference returns the case already recorded.
    pub async fn create_case(&self, ctx: &AuditCtx, new: &NewCase) -> Result<(CaseRow, Option<String>)> {
        self.create_case_with(ctx, new, &[]).await
    }

    /// `create_case` with its photos recorded in the same commit: a case is never saved without
    /// the photos it was sent with, nor photos without their case.
    pub async fn create_case_with(
        &self,
        ctx: &AuditCtx,
        new: &NewCase,
        attachments: &[crate::cases::attachments::NewAttachment],
    ) -> Result<(CaseRow, Option<String>)> {
        if let Some(existing) = self.existing_case(new).await? {
            return Ok((existing, None));
        }
        let secret = random_token();
        let d = &new.draft;
        let mut new = new.clone();
        new.notes = new.notes.iter().map(|n| text::clean_multiline(n)).filter(|n| !n.is_empty()).collect();
        let new = &new;
        let prep = crate::cases::writer::Prepared {
            new: new.clone(),
            actor_id: ctx.actor_id,
            actor_label: ctx.actor_label.clone(),
            secret_hash: hash_token(&secret),
            year: new.received_at.with_timezone(&danvan_domain::calendar::vietnam_offset()).year(),
            search: danvan_domain::cases::search_text(&d.title, &d.description, &d.address),
            unit_path: self.get_unit(new.unit_id).await?.path,
            now: Utc::now(),
            attachments: attachments.to_vec(),
            unit_end_sql: self.unit_end_sql(),
        };
        let inserted = match &self.intake {
            // SQLite: the writer task commits it with the others waiting (group commit).
            Some(intake) => intake.write(prep).await?,
            // PostgreSQL: its own transaction; concurrent commits share their flush anyway.
            None => on_pool!(self, write, |p| {
                let mut tx = p.begin().await?;
                let r = crate::cases::writer::write_case!(tx, &prep).await?;
                // On a conflict the transaction is dropped, hence rolled back.
                if matches!(r, crate::cases::writer::Inserted::Created(_)) {
                    tx.commit().await?;
                }
                r
            }),
        };
        match inserted {
            crate::cases::writer::Inserted::Created(id) => Ok((self.get_case(id).await?, Some(secret))),
            // Lost a race with the same key: the other request's case is the answer.
            crate::cases::writer::Inserted::Conflict => Ok((self.existing_case(new).await?.ok_or(StoreError::NotFound)?, None)),
            crate::cases::writer::Inserted::UnitDissolved => Err(crate::org::units::dissolved_refusal()),
        }
    }

    /// The case an earlier request with the same idempotency key or source reference created.
    /// Each lookup is its own indexed query: an `OR` of optional conditions would scan the table.
    async fn existing_case(&self, new: &NewCase) -> Result<Option<CaseRow>> {
        if let Some(key) = &new.idempotency_key {
            let sql = format!("SELECT {CASE_COLS} FROM cases WHERE idempotency_key = $1");
            let found = on_pool!(self, read, |p| sqlx::query_as::<_, CaseRow>(&sql).bind(key).fetch_optional(p).await?);
            if found.is_some() {
                return Ok(found);
            }
        }
        if let Some((system, reference)) = &new.source {
            let sql = format!("SELECT {CASE_COLS} FROM cases WHERE source_system = $1 AND source_ref = $2");
            return on_pool!(self, read, |p| Ok(sqlx::query_as::<_, CaseRow>(&sql)
                .bind(system)
                .bind(reference)
                .fetch_optional(p)
                .await?));
        }
        Ok(None)
    }
}

impl Store {
    /// Loads many cases in one transaction (the benchmark generator, migrations from other
    /// systems): tracking codes, contacts and the receipt entry as `create_case` writes them.
    pub async fn insert_cases_bulk(&self, rows: &[BulkCase]) -> Result<()> {
        let mut paths: std::collections::HashMap<i64, String> = std::collections::HashMap::new();
        for r in rows {
            if let std::collections::hash_map::Entry::Vacant(e) = paths.entry(r.new.unit_id) {
                e.insert(self.get_unit(r.new.unit_id).await?.path);
            }
        }
        let now = Utc::now();
        // The units that would hold open cases, checked in the commit (none may be dissolved).
        let mut open_units: Vec<i64> = rows.iter().filter(|r| r.status.is_open()).map(|r| r.new.unit_id).collect();
        open_units.sort_unstable();
        open_units.dedup();
        let unit_end_sql = self.unit_end_sql();
        let cal = self.work_calendar().await?;
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            for r in rows {
                let n = &r.new;
                let d = &n.draft;
                let year = n.received_at.with_timezone(&danvan_domain::calendar::vietnam_offset()).year();
                let seq: i64 = sqlx::query_scalar(
                    "INSERT INTO case_counters (year, last) VALUES ($1, 1) ON CONFLICT (year) DO UPDATE SET last = case_counters.last + 1 RETURNING last",
                )
                .bind(year as i64)
                .fetch_one(&mut *tx)
                .await?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO cases (code, secret_hash, kind, channel, status, category_id, title, description, search_text, address, latitude, longitude,
                       place_unit_id, unit_id, unit_path, publish, received_at, received_on, accepted_on, accept_due, resolve_due, answered_at, closed_at, rating,
                       source_system, source_ref, idempotency_key, created_at, updated_at, identity_protected, concerned_unit_id, concerned_name, concerned_account_id, answer_work_days)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $28, $29, $30, $31, $32, $33) RETURNING id",
                )
                .bind(tracking_code(year, seq))
                .bind(hash_token(&random_token()))
                .bind(d.kind.as_str())
                .bind(n.channel.as_str())
                .bind(r.status.as_str())
                .bind(n.category_id)
                .bind(&d.title)
                .bind(&d.description)
                .bind(danvan_domain::cases::search_text(&d.title, &d.description, &d.address))
                .bind(&d.address)
                .bind(d.point.map(|p| p.0))
                .bind(d.point.map(|p| p.1))
                .bind(n.place_unit_id)
                .bind(n.unit_id)
                .bind(&paths[&n.unit_id])
                .bind(d.publish)
                .bind(n.received_at)
                .bind(n.received_on)
                .bind(r.accepted_on)
                .bind(n.accept_due)
                .bind(r.resolve_due)
                .bind(r.answered_at)
                .bind(r.closed_at)
                .bind(r.rating)
                .bind(n.source.as_ref().map(|s| s.0.clone()))
                .bind(n.source.as_ref().map(|s| s.1.clone()))
                .bind(&n.idempotency_key)
                .bind(now)
                .bind(d.kind == CaseKind::Denunciation)
                .bind(n.concern.as_ref().map(|c| c.unit_id))
                .bind(n.concern.as_ref().map(|c| c.name.clone()))
                .bind(n.concern.as_ref().and_then(|c| c.account_id))
                .bind(r.answered_at.map(|a| crate::indicators::answer_work_days(&cal, n.received_on, a)))
                .fetch_one(&mut *tx)
                .await?;
                if d.sender_name.is_some() || d.sender_phone.is_some() || d.sender_email.is_some() {
                    sqlx::query("INSERT INTO case_contacts (case_id, name, phone, email, address) VALUES ($1, $2, $3, $4, $5)")
                        .bind(id)
                        .bind(&d.sender_name)
                        .bind(&d.sender_phone)
                        .bind(&d.sender_email)
                        .bind(&d.sender_address)
                        .execute(&mut *tx)
                        .await?;
                }
                sqlx::query("INSERT INTO case_events (case_id, at, actor_label, action, to_status, note, public) VALUES ($1, $2, 'import', 'receive', 'received', $3, TRUE)")
                    .bind(id)
                    .bind(n.received_at)
                    .bind(n.channel.as_str())
                    .execute(&mut *tx)
                    .await?;
            }
            // Checked after the writes, which hold SQLite's write lock; a refusal rolls them back.
            for u in &open_units {
                let end: Option<Option<NaiveDate>> = sqlx::query_scalar(unit_end_sql).bind(*u).fetch_optional(&mut *tx).await?;
                if matches!(end, Some(Some(_))) {
                    return Err(crate::org::units::dissolved_refusal());
                }
            }
            tx.commit().await?;
            Ok(())
        })
    }
}
