//! Answers sent to citizens (the outbox), extra tracking links, duplicate candidates, merging a
//! case into another, and erasing personal data past its retention period.

use crate::audit::AuditCtx;
use crate::cases::{CaseRow, CASE_COLS, OPEN_STATUSES};
use crate::org::auth::{hash_token, random_token};
use crate::{Backend, Result, Store, StoreError};
use chrono::{DateTime, Utc};
use danvan_domain::cases::delivery::{MessageChannel, MessageStatus};
use danvan_domain::cases::{CaseKind, CaseStatus};
use danvan_domain::FieldErrors;

/// One message to a citizen. `recipient` and `body` are personal data: shown only to those who
/// may see the case's contact, erased with it.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct OutboxMessage {
    pub id: i64,
    pub case_id: i64,
    /// The case whose answer the message carries (another one when `case_id` was merged into it).
    pub answer_case_id: i64,
    #[sqlx(try_from = "crate::Name<MessageChannel>")]
    pub channel: MessageChannel,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// pending, sent, failed, no_channel (the channel is not configured on this server) or erased.
    #[sqlx(try_from = "crate::Name<MessageStatus>")]
    pub status: MessageStatus,
    pub attempts: i64,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

const MSG_COLS: &str = "id, case_id, answer_case_id, channel, recipient, subject, body, status, attempts, next_attempt_at, last_error, created_at, sent_at";

#[derive(Debug, Clone)]
pub struct NewMessage {
    pub case_id: i64,
    pub answer_case_id: i64,
    pub channel: MessageChannel,
    pub recipient: String,
    pub subject: String,
    pub body: String,
}

/// Messages to citizens prepared with a transition (the answer sent, a case merged into an
/// answered one) and the new tracking links they carry: written in the transition's commit.
#[derive(Debug, Clone, Default)]
pub struct Outgoing {
    /// (case id, SHA-256 of a new secret) for each recipient's link.
    pub links: Vec<(i64, String)>,
    pub messages: Vec<NewMessage>,
}

/// Inserts `Outgoing` links and messages inside the caller's transaction.
macro_rules! write_outgoing {
    ($tx:expr, $out:expr, $now:expr) => {
        for (case_id, hash) in &$out.links {
            sqlx::query("INSERT INTO case_links (case_id, secret_hash, created_at) VALUES ($1, $2, $3)")
                .bind(*case_id)
                .bind(hash)
                .bind($now)
                .execute(&mut *$tx)
                .await?;
            $crate::fault::point();
        }
        for m in &$out.messages {
            sqlx::query(
                "INSERT INTO outbox (case_id, answer_case_id, channel, recipient, subject, body, status, attempts, next_attempt_at, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $7)",
            )
            .bind(m.case_id)
            .bind(m.answer_case_id)
            .bind(m.channel.as_str())
            .bind(&m.recipient)
            .bind(&m.subject)
            .bind(&m.body)
            .bind($now)
            .execute(&mut *$tx)
            .await?;
            $crate::fault::point();
        }
    };
}
pub(crate) use write_outgoing;

/// Channel names come from `MessageChannel::as_str`, never from input.
fn channel_list(channels: &[MessageChannel]) -> String {
    let v: Vec<String> = channels.iter().map(|c| format!("'{}'", c.as_str())).collect();
    if v.is_empty() {
        "('')".into()
    } else {
        format!("({})", v.join(","))
    }
}

impl Store {
    /// A further secret link to a case (for a message carrying the answer); returns the secret.
    pub async fn add_case_link(&self, case_id: i64) -> Result<String> {
        let secret = random_token();
        on_pool!(self, write, |p| {
            sqlx::query("INSERT INTO case_links (case_id, secret_hash, created_at) VALUES ($1, $2, $3)")
                .bind(case_id)
                .bind(hash_token(&secret))
                .bind(Utc::now())
                .execute(p)
                .await?;
            crate::fault::point();
            Ok::<_, StoreError>(())
        })?;
        Ok(secret)
    }

    /// Queues messages, all or none (outside a transition: tests, tools).
    pub async fn enqueue_messages(&self, msgs: &[NewMessage]) -> Result<()> {
        let now = Utc::now();
        let out = Outgoing { links: vec![], messages: msgs.to_vec() };
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            write_outgoing!(tx, &out, now);
            tx.commit().await?;
            crate::fault::point();
            Ok(())
        })
    }

    /// How many further tracking links a case has (one per answer message sent to it).
    pub async fn case_link_count(&self, case_id: i64) -> Result<i64> {
        on_pool!(self, read, |p| Ok(sqlx::query_scalar("SELECT COUNT(*) FROM case_links WHERE case_id = $1")
            .bind(case_id)
            .fetch_one(p)
            .await?))
    }

    /// Messages on a case (the officer's case page, the citizen's data request).
    pub async fn case_messages(&self, case_id: i64) -> Result<Vec<OutboxMessage>> {
        let sql = format!("SELECT {MSG_COLS} FROM outbox WHERE case_id = $1 ORDER BY id");
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, OutboxMessage>(&sql).bind(case_id).fetch_all(p).await?))
    }

    /// Parks messages for channels this server cannot send (`no_channel`, visible on the case
    /// page) and takes back those whose channel is now configured. Returns how many were parked.
    pub async fn park_unconfigured(&self, configured: &[MessageChannel]) -> Result<u64> {
        let list = channel_list(configured);
        let park = format!("UPDATE outbox SET status = 'no_channel', last_error = 'no channel configured' WHERE status = 'pending' AND channel NOT IN {list}");
        let unpark =
            format!("UPDATE outbox SET status = 'pending', last_error = '' WHERE status = 'no_channel' AND channel IN {list}");
        on_pool!(self, write, |p| {
            sqlx::query(&unpark).execute(p).await?;
            Ok(sqlx::query(&park).execute(p).await?.rows_affected())
        })
    }

    /// Claims up to `limit` due messages of the given channels: each gets one more attempt and
    /// is leased until `lease_until`, so another server (or this one after a crash) only takes
    /// it again once the lease has run out. PostgreSQL skips rows another node holds.
    pub async fn claim_messages(
        &self,
        channels: &[MessageChannel],
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<OutboxMessage>> {
        let lock = match self.backend {
            Backend::Postgres(_) => " FOR UPDATE SKIP LOCKED",
            // One writer connection: the subquery and the update cannot interleave with another.
            Backend::Sqlite { .. } => "",
        };
        let sql = format!(
            "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $1
             WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $2 AND channel IN {}
                          ORDER BY id LIMIT $3{lock})
             RETURNING {MSG_COLS}",
            channel_list(channels)
        );
        on_pool!(self, write, |p| Ok(sqlx::query_as::<_, OutboxMessage>(&sql)
            .bind(lease_until)
            .bind(now)
            .bind(limit)
            .fetch_all(p)
            .await?))
    }

    /// Records a message as sent. `claim` is the `attempts` value the claim returned: it is the
    /// claim's token, so a sender whose lease ran out (and whose message another node claimed
    /// again) changes nothing. The body goes once it is no longer needed (it holds the answer
    /// and the private link). Returns whether the claim was still current.
    pub async fn mark_message_sent(&self, id: i64, claim: i64, at: DateTime<Utc>) -> Result<bool> {
        on_pool!(self, write, |p| {
            let n = sqlx::query(
                "UPDATE outbox SET status = 'sent', sent_at = $1, last_error = '', body = ''
                 WHERE id = $2 AND attempts = $3 AND status = 'pending'",
            )
            .bind(at)
            .bind(id)
            .bind(claim)
            .execute(p)
            .await?
            .rows_affected();
            Ok(n > 0)
        })
    }

    /// Records a failed attempt of the claim `claim` (see `mark_message_sent`): tried again at
    /// `retry_at`, or given up (`failed`, its body blanked) when None.
    pub async fn mark_message_failed(&self, id: i64, claim: i64, error: &str, retry_at: Option<DateTime<Utc>>) -> Result<bool> {
        let error: String = error.chars().take(500).collect();
        on_pool!(self, write, |p| {
            let n = match retry_at {
                Some(t) => {
                    sqlx::query(
                        "UPDATE outbox SET last_error = $1, next_attempt_at = $2 WHERE id = $3 AND attempts = $4 AND status = 'pending'",
                    )
                    .bind(&error)
                    .bind(t)
                    .bind(id)
                    .bind(claim)
                    .execute(p)
                    .await?
                }
                None => {
                    sqlx::query(
                        "UPDATE outbox SET status = 'failed', last_error = $1, body = '' WHERE id = $2 AND attempts = $3 AND status = 'pending'",
                    )
                    .bind(&error)
                    .bind(id)
                    .bind(claim)
                    .execute(p)
                    .await?
                }
            }
            .rows_affected();
            Ok(n > 0)
        })
    }

    /// Cases merged into `case_id` (their citizens receive its answer too).
    pub async fn merged_cases(&self, case_id: i64) -> Result<Vec<CaseRow>> {
        let sql = format!("SELECT {CASE_COLS} FROM cases WHERE merged_into = $1 ORDER BY id");
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, CaseRow>(&sql).bind(case_id).fetch_all(p).await?))
    }

    /// Open, unmerged cases handled within the subtree at `path`, received since `since`,
    /// newest first, at most `limit`: the candidates duplicate scoring looks at.
    pub async fn duplicate_candidates(&self, path: &str, since: DateTime<Utc>, exclude: i64, limit: i64) -> Result<Vec<CaseRow>> {
        let sql = format!(
            "SELECT {CASE_COLS} FROM cases
             WHERE unit_path >= $1 AND unit_path < ($1 || '~') AND received_at >= $2 AND id <> $3
               AND merged_into IS NULL AND status IN {OPEN_STATUSES}
             ORDER BY received_at DESC LIMIT $4"
        );
        on_pool!(self, read, |p| Ok(sqlx::query_as::<_, CaseRow>(&sql)
            .bind(path)
            .bind(since)
            .bind(exclude)
            .bind(limit)
            .fetch_all(p)
            .await?))
    }

    /// Merges case `b` into case `a` (the state machine has allowed `merge` from `b_status`):
    /// `b` leaves the open work as rejected with `merged_into`, both histories record it, and
    /// cases merged into `b` earlier now follow `a`; `outgoing` (a's answer to b's citizen, when
    /// a was answered already) is queued in the same commit. Fails with
    /// `status`/`case.error.changed` if `b` changed meanwhile.
    pub async fn merge_case(
        &self,
        ctx: &AuditCtx,
        b: &CaseRow,
        a: &CaseRow,
        to_status: CaseStatus,
        note: &str,
        outgoing: &Outgoing,
    ) -> Result<()> {
        let now = Utc::now();
        on_pool!(self, write, |p| {
            if a.id == b.id {
                return Err(StoreError::Invalid(FieldErrors::one("into", "merge.error.self")));
            }
            let mut tx = p.begin().await?;
            // Both rows are locked in id order (PostgreSQL; SQLite has one writer), so two
            // crossing merges (A into B, B into A) cannot both pass: the second sees the first's
            // change and fails, instead of making a cycle or a deadlock.
            let mut steps = [(a.id, true), (b.id, false)];
            steps.sort_by_key(|s| s.0);
            for (_, target) in steps {
                if target {
                    // The target must still be handled and not merged itself.
                    let n = sqlx::query(
                        "UPDATE cases SET updated_at = $1
                         WHERE id = $2 AND merged_into IS NULL AND status NOT IN ('rejected', 'withdrawn', 'transferred_out')",
                    )
                    .bind(now)
                    .bind(a.id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    if n == 0 {
                        return Err(StoreError::Invalid(FieldErrors::one("into", "merge.error.target_closed")));
                    }
                    // And still where it was when `outgoing` was decided: an answer sent since
                    // then would not reach the merged case's citizen.
                    let still: Option<String> =
                        sqlx::query_scalar("SELECT status FROM cases WHERE id = $1").bind(a.id).fetch_optional(&mut *tx).await?;
                    if still.as_deref() != Some(a.status.as_str()) {
                        return Err(StoreError::Invalid(FieldErrors::one("status", "case.error.changed")));
                    }
                } else {
                    let n = sqlx::query(
                        "UPDATE cases SET status = $1, merged_into = $2, publish = FALSE, updated_at = $3
                         WHERE id = $4 AND status = $5 AND merged_into IS NULL",
                    )
                    .bind(to_status.as_str())
                    .bind(a.id)
                    .bind(now)
                    .bind(b.id)
                    .bind(b.status.as_str())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    if n == 0 {
                        return Err(StoreError::Invalid(FieldErrors::one("status", "case.error.changed")));
                    }
                }
            }
            sqlx::query("UPDATE cases SET merged_into = $1 WHERE merged_into = $2")
                .bind(a.id)
                .bind(b.id)
                .execute(&mut *tx)
                .await?;
            for (case_id, action, from, to, text, public) in [
                (b.id, "merge", Some(b.status.as_str()), Some(to_status.as_str()), format!("→ {}: {note}", a.code), true),
                (a.id, "merge_in", Some(a.status.as_str()), Some(a.status.as_str()), format!("← {}: {note}", b.code), false),
            ] {
                sqlx::query(
                    "INSERT INTO case_events (case_id, at, actor_id, actor_label, action, from_status, to_status, note, public) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(case_id)
                .bind(now)
                .bind(ctx.actor_id)
                .bind(&ctx.actor_label)
                .bind(action)
                .bind(from)
                .bind(to)
                .bind(&text)
                .bind(public)
                .execute(&mut *tx)
                .await?;
                crate::fault::point();
            }
            write_outgoing!(tx, outgoing, now);
            tx.commit().await?;
            crate::fault::point();
            Ok(())
        })
    }

    /// Ended cases whose personal data is past its period: feedback and petitions that ended
    /// before `feedback_before`, complaints and denunciations before `complaint_before`. A case
    /// ends when closed, else when answered, else (rejected, withdrawn, sent elsewhere) at its
    /// last change. At most `limit` per call.
    pub async fn cases_past_retention(
        &self,
        feedback_before: DateTime<Utc>,
        complaint_before: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<(i64, String, CaseKind)>> {
        let sql = "SELECT id, code, kind FROM cases
             WHERE personal_data_erased_at IS NULL AND status IN ('rejected','answered','closed','withdrawn','transferred_out')
               AND ((kind IN ('feedback','petition') AND COALESCE(closed_at, answered_at, updated_at) < $1)
                 OR (kind IN ('complaint','denunciation') AND COALESCE(closed_at, answered_at, updated_at) < $2))
             ORDER BY id LIMIT $3";
        let rows = on_pool!(self, read, |p| sqlx::query_as::<_, (i64, String, String)>(sql)
            .bind(feedback_before)
            .bind(complaint_before)
            .bind(limit)
            .fetch_all(p)
            .await?);
        rows.into_iter().map(|(id, code, kind)| Ok((id, code, CaseKind::try_from(kind)?))).collect()
    }

    /// Erases (anonymises) a case's personal data: the sender's identity and contacts, the
    /// recipients and texts of its messages (those not yet sent become `erased`, never sent
    /// blank), and its photos and answer files (faces, number plates, letters naming the
    /// sender); one audit entry. Returns the storage keys of the removed files for the caller to
    /// delete, or None when the case had already been erased (by another node meanwhile).
    pub async fn erase_personal_data(&self, ctx: &AuditCtx, case_id: i64, code: &str, years: u32) -> Result<Option<Vec<String>>> {
        let now = Utc::now();
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            // First, so that a second eraser waits for this one and then changes nothing.
            let n =
                sqlx::query("UPDATE cases SET personal_data_erased_at = $1, concerned_name = NULL WHERE id = $2 AND personal_data_erased_at IS NULL")
                    .bind(now)
                    .bind(case_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            if n == 0 {
                return Ok(None);
            }
            sqlx::query("UPDATE case_contacts SET name = NULL, phone = NULL, email = NULL, address = NULL, zalo = NULL WHERE case_id = $1")
                .bind(case_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE outbox SET recipient = '', body = '',
                   status = CASE WHEN status IN ('pending', 'no_channel') THEN 'erased' ELSE status END
                 WHERE case_id = $1",
            )
            .bind(case_id)
            .execute(&mut *tx)
            .await?;
            let keys: Vec<(Option<String>, Option<String>)> =
                sqlx::query_as("SELECT storage_key, thumb_key FROM attachments WHERE case_id = $1")
                    .bind(case_id)
                    .fetch_all(&mut *tx)
                    .await?;
            sqlx::query("DELETE FROM attachments WHERE case_id = $1").bind(case_id).execute(&mut *tx).await?;
            audit!(
                tx,
                ctx,
                "case.personal_data_erase",
                "case",
                Some(case_id),
                code,
                crate::Changes::new().set("retention_years", years)
            );
            tx.commit().await?;
            Ok(Some(keys.into_iter().flat_map(|(a, b)| [a, b]).flatten().collect()))
        })
    }

    /// When a case's personal data was erased, if it was.
    pub async fn personal_data_erased_at(&self, case_id: i64) -> Result<Option<DateTime<Utc>>> {
        on_pool!(self, read, |p| Ok(sqlx::query_scalar::<_, Option<DateTime<Utc>>>(
            "SELECT personal_data_erased_at FROM cases WHERE id = $1"
        )
        .bind(case_id)
        .fetch_optional(p)
        .await?
        .flatten()))
    }

    /// Writes settings with one audit entry (old → new values).
    pub async fn set_settings_audited(&self, ctx: &AuditCtx, action: &str, values: &[(&str, String)]) -> Result<()> {
        let mut changes = crate::Changes::new();
        for (k, v) in values {
            let old = self.get_setting(k).await?;
            changes = changes.field(k, old, Some(v.clone()));
        }
        on_pool!(self, write, |p| {
            let mut tx = p.begin().await?;
            for (k, v) in values {
                sqlx::query(
                    "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                )
                .bind(*k)
                .bind(v)
                .execute(&mut *tx)
                .await?;
            }
            audit!(tx, ctx, action, "settings", None::<i64>, "retention", changes);
            tx.commit().await?;
            Ok(())
        })
    }
}
