//! Durable intake of new cases. Each acknowledged case must survive a power loss, so SQLite's
//! writer commits with `synchronous = FULL` — one fsync per commit. To create many cases a
//! second anyway, SQLite commits them in groups: one writer task takes every creation waiting on
//! its channel, records each under its own SAVEPOINT (a conflicting idempotency key or source
//! reference rolls back that case alone), commits once, and only then answers each caller with
//! its own result. PostgreSQL groups concurrent commits by itself: there each creation is its
//! own transaction, through the same statements.

use crate::cases::NewCase;
use crate::StoreError;
use chrono::{DateTime, Utc};
use sqlx::sqlite::SqlitePool;
use sqlx::Acquire;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// A case ready to be written: everything that needs no writer computed beforehand.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub new: NewCase,
    pub actor_id: Option<i64>,
    pub actor_label: String,
    pub secret_hash: String,
    pub year: i32,
    pub search: String,
    pub unit_path: String,
    pub now: DateTime<Utc>,
    /// Photos sent with the case, recorded in its commit.
    pub attachments: Vec<crate::cases::attachments::NewAttachment>,
    /// `Store::unit_end_sql`: whether the handling unit is dissolved, read in the commit.
    pub unit_end_sql: &'static str,
}

/// What writing one case came to.
#[derive(Debug)]
pub(crate) enum Inserted {
    Created(i64),
    /// Its idempotency key or source reference is already recorded (perhaps by a batch-mate):
    /// that case is the answer, read after the commit.
    Conflict,
    /// The handling unit is dissolved: no open case is created there.
    UnitDissolved,
}

/// Writes one case (tracking code, case, contact, receipt entry) on `$conn`, inside a
/// transaction or savepoint the caller ends. Written once for both backends: a macro, because
/// each expansion is type-checked for its own database.
macro_rules! write_case {
    ($conn:expr, $prep:expr) => {
        async {
            let p: &$crate::cases::writer::Prepared = $prep;
            let new = &p.new;
            let d = &new.draft;
            let seq: i64 = sqlx::query_scalar(
                "INSERT INTO case_counters (year, last) VALUES ($1, 1) ON CONFLICT (year) DO UPDATE SET last = case_counters.last + 1 RETURNING last",
            )
            .bind(p.year as i64)
            .fetch_one(&mut *$conn)
            .await?;
            // The handling unit may not be dissolved: read after the first write, which takes
            // SQLite's write lock (a read first could not wait for it), and rolled back with it.
            let end: Option<Option<chrono::NaiveDate>> =
                sqlx::query_scalar(p.unit_end_sql).bind(new.unit_id).fetch_optional(&mut *$conn).await?;
            if matches!(end, Some(Some(_))) {
                return Ok::<_, sqlx::Error>($crate::cases::writer::Inserted::UnitDissolved);
            }
            let code = danvan_domain::cases::tracking_code(p.year, seq);
            let insert = sqlx::query_scalar::<_, i64>(
                "INSERT INTO cases (code, secret_hash, kind, channel, status, category_id, title, description, search_text, address, latitude, longitude,
                   place_unit_id, unit_id, unit_path, publish, received_at, received_on, accept_due, source_system, source_ref, idempotency_key, created_at, updated_at,
                   identity_protected, concerned_unit_id, concerned_name, concerned_account_id)
                 VALUES ($1, $2, $3, $4, 'received', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $22, $23, $24, $25, $26) RETURNING id",
            )
            .bind(&code)
            .bind(&p.secret_hash)
            .bind(d.kind.as_str())
            .bind(new.channel.as_str())
            .bind(new.category_id)
            .bind(&d.title)
            .bind(&d.description)
            .bind(&p.search)
            .bind(&d.address)
            .bind(d.point.map(|p| p.0))
            .bind(d.point.map(|p| p.1))
            .bind(new.place_unit_id)
            .bind(new.unit_id)
            .bind(&p.unit_path)
            .bind(d.publish)
            .bind(new.received_at)
            .bind(new.received_on)
            .bind(new.accept_due)
            .bind(new.source.as_ref().map(|s| s.0.clone()))
            .bind(new.source.as_ref().map(|s| s.1.clone()))
            .bind(&new.idempotency_key)
            .bind(p.now)
            // A denunciation's sender is protected from the first commit on.
            .bind(d.kind == danvan_domain::cases::CaseKind::Denunciation)
            .bind(new.concern.as_ref().map(|c| c.unit_id))
            .bind(new.concern.as_ref().map(|c| c.name.clone()))
            .bind(new.concern.as_ref().and_then(|c| c.account_id))
            .fetch_one(&mut *$conn)
            .await;
            let id = match insert {
                Ok(id) => id,
                Err(e) if $crate::is_unique_violation(&e) => return Ok::<_, sqlx::Error>($crate::cases::writer::Inserted::Conflict),
                Err(e) => return Err(e),
            };
            sqlx::query("INSERT INTO case_contacts (case_id, name, phone, email, address, zalo) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(id)
                .bind(&d.sender_name)
                .bind(&d.sender_phone)
                .bind(&d.sender_email)
                .bind(&d.sender_address)
                .bind(d.sender_phone.as_ref().filter(|_| new.zalo))
                .execute(&mut *$conn)
                .await?;
            sqlx::query(
                "INSERT INTO case_events (case_id, at, actor_id, actor_label, action, from_status, to_status, note, public) VALUES ($1, $2, $3, $4, 'receive', NULL, 'received', $5, TRUE)",
            )
            .bind(id)
            .bind(new.received_at)
            .bind(p.actor_id)
            .bind(&p.actor_label)
            .bind(new.channel.as_str())
            .execute(&mut *$conn)
            .await?;
            for note in &new.notes {
                sqlx::query(
                    "INSERT INTO case_events (case_id, at, actor_id, actor_label, action, note, public) VALUES ($1, $2, $3, $4, 'note', $5, FALSE)",
                )
                .bind(id)
                .bind(p.now)
                .bind(p.actor_id)
                .bind(&p.actor_label)
                .bind(note)
                .execute(&mut *$conn)
                .await?;
            }
            $crate::cases::attachments::insert_attachments!($conn, p, id, &p.attachments, p.now);
            Ok($crate::cases::writer::Inserted::Created(id))
        }
    };
}
pub(crate) use write_case;

type Reply = oneshot::Sender<Result<Inserted, StoreError>>;

/// The most cases one commit carries; more waiting go in the next.
const MAX_BATCH: usize = 256;

/// The sending end of SQLite's writer task.
#[derive(Debug, Clone)]
pub(crate) struct Intake {
    jobs: mpsc::Sender<(Prepared, Reply)>,
    stats: Arc<Counters>,
}

#[derive(Debug, Default)]
struct Counters {
    commits: AtomicU64,
    cases: AtomicU64,
}

/// How the writer task has grouped its work so far (for metrics and tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct IntakeStats {
    /// Batches committed.
    pub commits: u64,
    /// Creations they carried (created, conflicting or failed).
    pub cases: u64,
}

impl Intake {
    /// Starts the writer task on `write` (SQLite's single writer connection). The task ends when
    /// the last `Store` holding this handle is dropped.
    pub fn start(write: SqlitePool) -> Intake {
        let (tx, rx) = mpsc::channel(4 * MAX_BATCH);
        let stats = Arc::new(Counters::default());
        tokio::spawn(run(write, rx, stats.clone()));
        Intake { jobs: tx, stats }
    }

    pub fn stats(&self) -> IntakeStats {
        IntakeStats { commits: self.stats.commits.load(Ordering::Relaxed), cases: self.stats.cases.load(Ordering::Relaxed) }
    }

    /// Writes one case; returns once the commit that holds it is durable.
    pub async fn write(&self, prep: Prepared) -> Result<Inserted, StoreError> {
        let (tx, rx) = oneshot::channel();
        self.jobs.send((prep, tx)).await.map_err(|_| closed())?;
        rx.await.map_err(|_| closed())?
    }
}

fn closed() -> StoreError {
    StoreError::Db(sqlx::Error::PoolClosed)
}

async fn run(pool: SqlitePool, mut rx: mpsc::Receiver<(Prepared, Reply)>, stats: Arc<Counters>) {
    let mut jobs = Vec::with_capacity(MAX_BATCH);
    // Waits for one creation, then takes all that queued up meanwhile (while the previous commit
    // was being written): the batch grows with the load, a lone request is not delayed.
    while rx.recv_many(&mut jobs, MAX_BATCH).await > 0 {
        let preps: Vec<&Prepared> = jobs.iter().map(|(p, _)| p).collect();
        match commit_batch(&pool, &preps).await {
            Ok(results) => {
                stats.commits.fetch_add(1, Ordering::Relaxed);
                stats.cases.fetch_add(results.len() as u64, Ordering::Relaxed);
                for ((_, reply), r) in jobs.drain(..).zip(results) {
                    // A caller that went away (client disconnected) needs no answer.
                    let _ = reply.send(r);
                }
            }
            Err(e) => {
                // Nothing of the batch was committed: every caller learns it failed.
                tracing::error!(error = %e, cases = jobs.len(), "case intake: batch commit failed");
                let msg = e.to_string();
                for (_, reply) in jobs.drain(..) {
                    let _ = reply.send(Err(StoreError::Db(sqlx::Error::Io(std::io::Error::other(msg.clone())))));
                }
            }
        }
    }
}

/// One transaction for the batch, one savepoint per case. Err only if the batch as a whole failed
/// (then nothing was committed).
async fn commit_batch(pool: &SqlitePool, preps: &[&Prepared]) -> Result<Vec<Result<Inserted, StoreError>>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let mut results = Vec::with_capacity(preps.len());
    for p in preps {
        let mut sp = tx.begin().await?;
        let r = write_case!(sp, p).await;
        match r {
            Ok(Inserted::Created(id)) => {
                sp.commit().await?;
                results.push(Ok(Inserted::Created(id)));
            }
            Ok(r @ (Inserted::Conflict | Inserted::UnitDissolved)) => {
                sp.rollback().await?;
                results.push(Ok(r));
            }
            Err(e) => {
                sp.rollback().await?;
                results.push(Err(e.into()));
            }
        }
    }
    tx.commit().await?;
    Ok(results)
}
