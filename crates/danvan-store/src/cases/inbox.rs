//! The inbox: lists, filters and counters (and the public listing, which shares the filters).

use super::*;

use crate::like_escape;
use danvan_domain::indicators::CaseSet;

impl Store {
    /// The table, and on SQLite the index for a subtree: bound parameters hide the range's width
    /// from SQLite's planner, which then may prefer walking every case of a status.
    fn cases_from(&self, f: &CaseFilter) -> &'static str {
        match (&self.backend, f.within.is_some(), f.q.trim().is_empty()) {
            (crate::Backend::Sqlite { .. }, true, true) => "cases c INDEXED BY cases_inbox",
            (crate::Backend::Sqlite { .. }, true, false) => "cases c INDEXED BY cases_search",
            _ => "cases c",
        }
    }

    fn case_filter_sql(&self, f: &CaseFilter, first_word: usize, words: usize) -> String {
        // A subtree is a range of paths ('/1/5/' ≤ path < '/1/5/~'): an index range on both
        // databases, where LIKE would scan on SQLite. Written only when asked for, because
        // "$1 IS NULL OR …" keeps the planner from using the index.
        // The same goes for every optional filter: an absent one becomes "$n IS NULL" (a constant
        // the planner sets aside), so the columns it would read do not force a visit to the table
        // and the inbox index stays covering.
        let when = |present: bool, cond: &str, n: u8| if present { cond.to_string() } else { format!("${n} IS NULL") };
        let mut c = [
            when(f.within.is_some(), "c.unit_path >= $1 AND c.unit_path < ($1 || '~')", 1),
            when(f.kind.is_some(), "c.kind = $2", 2),
            when(f.category_id.is_some(), "c.category_id = $3", 3),
            when(f.channel.is_some(), "c.channel = $4", 4),
            when(f.received_from.is_some(), "c.received_on >= $5", 5),
            when(f.received_to.is_some(), "c.received_on <= $6", 6),
        ]
        .join(" AND ");
        if !f.statuses.is_empty() {
            // statuses are the domain's names, never raw input
            let list: Vec<String> = f.statuses.iter().map(|s| format!("'{}'", s.as_str())).collect();
            if !list.is_empty() {
                c.push_str(&format!(" AND c.status IN ({})", list.join(",")));
            }
        }
        // A paused case's clock is stopped: its stored date is stale while it waits, and it is
        // never due soon or overdue (`danvan_domain::cases::due_status_as_of`).
        if let Some(d) = f.due_by {
            c.push_str(&format!(
                " AND c.status IN {OPEN_STATUSES} AND c.status <> 'paused' AND COALESCE(c.resolve_due, c.accept_due) <= '{d}'"
            ));
        }
        if let Some(d) = f.overdue_as_of {
            c.push_str(&format!(
                " AND c.status IN {OPEN_STATUSES} AND c.status <> 'paused' AND COALESCE(c.resolve_due, c.accept_due) < '{d}'"
            ));
        }
        if !f.codes.is_empty() {
            // Tracking codes are checked against their fixed shape before they reach SQL.
            let list: Vec<String> = f
                .codes
                .iter()
                .filter(|c| c.len() <= 20 && c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-'))
                .map(|c| format!("'{}'", c.to_uppercase()))
                .collect();
            c.push_str(&format!(" AND c.code IN ({})", if list.is_empty() { "''".to_string() } else { list.join(",") }));
        }
        if !f.category_ids.is_empty() {
            let list: Vec<String> = f.category_ids.iter().map(|i| i.to_string()).collect();
            c.push_str(&format!(" AND c.category_id IN ({})", list.join(",")));
        }
        if f.has_point {
            c.push_str(" AND c.latitude IS NOT NULL AND c.longitude IS NOT NULL");
        }
        if let Some(id) = f.after_id {
            // An integer, never text: inlined like the id lists.
            c.push_str(&format!(" AND c.id > {id}"));
        }
        if !f.excluded_ids.is_empty() {
            // Integers, never text: inlined like the id lists.
            let list: Vec<String> = f.excluded_ids.iter().map(|i| i.to_string()).collect();
            c.push_str(&format!(" AND c.id NOT IN ({})", list.join(",")));
        }
        if let Some(id) = f.supported_within {
            // A unit id, never text, like the above. A case whose sender is protected has no
            // supporting units, whatever older rows say (migration 20261207000020).
            c.push_str(&format!(
                " AND NOT c.identity_protected AND c.id IN (SELECT s.case_id FROM case_supports s JOIN units su ON su.id = s.unit_id, units w
                   WHERE w.id = {id} AND su.path >= w.path AND su.path < (w.path || '~'))"
            ));
        }
        // The cases behind an indicator (`danvan_domain::indicators::CaseSet`): constant SQL.
        match f.measure {
            None | Some(CaseSet::Received) => {}
            Some(CaseSet::Answered) => c.push_str(" AND c.answered_at IS NOT NULL"),
            Some(CaseSet::OnTime) => c.push_str(&format!(
                " AND c.answered_at IS NOT NULL AND c.resolve_due IS NOT NULL AND {} <= c.resolve_due",
                self.vn_date_sql("c.answered_at")
            )),
            Some(CaseSet::Rated) => c.push_str(" AND c.rating IS NOT NULL"),
            // Flags kept by the history's trigger (migration 33), as the indicators count them.
            Some(CaseSet::Reopened) => c.push_str(" AND c.reopened"),
            Some(CaseSet::Transferred) => c.push_str(" AND c.transferred"),
        }
        if let Some(id) = f.assignee_id {
            // An account id, never text: inlined like the id lists.
            c.push_str(&format!(" AND c.assignee_id = {id}"));
        }
        if f.public_only {
            c.push_str(" AND c.publish AND c.kind IN ('feedback','petition') AND c.merged_into IS NULL");
        }
        // Two parameters per search term: the word and what it abbreviates (`filter_inputs`). A
        // word that abbreviates nothing comes twice; the second LIKE is then skipped (the
        // parameters' comparison is constant, evaluated once), or every case the word does not
        // match would be scanned twice (at 10^6 cases a ward's text search did 78% more work).
        for i in (0..words).step_by(2) {
            let (short, long) = (first_word + i, first_word + i + 1);
            c.push_str(&format!(
                " AND ((' ' || c.search_text) LIKE ${short} ESCAPE '\\' OR (${long} <> ${short} AND (' ' || c.search_text) LIKE ${long} ESCAPE '\\'))"
            ));
        }
        c
    }

    /// The values a filter binds besides its own fields: the subtree's path and the search words
    /// (folded, as `LIKE` patterns on word starts).
    async fn filter_inputs(&self, f: &CaseFilter) -> Result<(Option<String>, Vec<String>)> {
        let within = match f.within {
            Some(id) => Some(self.get_unit(id).await?.path),
            None => None,
        };
        // At most text::MAX_SEARCH_WORDS terms: each is two more LIKEs in the statement, its word
        // and what the word abbreviates ("ubnd" → "uy ban nhan dan"; the word again otherwise).
        let words = text::search_terms(&f.q)
            .iter()
            .flat_map(|forms| {
                let short = format!("% {}%", like_escape(&forms[0]));
                let long = forms.get(1).map(|l| format!("% {}%", like_escape(l))).unwrap_or_else(|| short.clone());
                [short, long]
            })
            .collect();
        Ok((within, words))
    }

    /// The inbox: cases matching the filter, due date first (or newest first), paginated.
    pub async fn list_cases(&self, f: &CaseFilter) -> Result<(Vec<CaseRow>, i64)> {
        let (within, words) = self.filter_inputs(f).await?;
        let order = order_sql(f.sort);
        let cols = CASE_COLS.split(", ").map(|c| format!("c.{c}")).collect::<Vec<_>>().join(", ");
        let from = self.cases_from(f);
        let list = format!(
            "SELECT {cols} FROM {from} WHERE {} ORDER BY {order} LIMIT $7 OFFSET $8",
            self.case_filter_sql(f, 9, words.len())
        );
        let count = format!("SELECT COUNT(*) FROM {from} WHERE {}", self.case_filter_sql(f, 7, words.len()));
        on_pool!(self, read, |p| {
            let mut q =
                bind_filter!(sqlx::query_as::<_, CaseRow>(&list), &within, f).bind(f.limit.clamp(1, 500)).bind(f.offset.max(0));
            for w in &words {
                q = q.bind(w);
            }
            let rows = q.fetch_all(p).await?;
            if f.skip_total {
                return Ok((rows, -1));
            }
            let mut c = bind_filter!(sqlx::query_scalar::<_, i64>(&count), &within, f);
            for w in &words {
                c = c.bind(w);
            }
            Ok((rows, c.fetch_one(p).await?))
        })
    }

    /// Published cases as Open311 lists them (`f.public_only` is implied), newest first or by
    /// due date, without the total, in one query. Only the columns shown are read: reading every
    /// column of a thousand rows cost more than finding them.
    pub async fn list_public_cases(&self, f: &CaseFilter) -> Result<Vec<PublicCase>> {
        let f = CaseFilter { public_only: true, ..f.clone() };
        let (within, words) = self.filter_inputs(&f).await?;
        let order = order_sql(f.sort);
        let sql = format!(
            "SELECT {PUBLIC_CASE_COLS} FROM {} {PUBLIC_CASE_JOINS} WHERE {} ORDER BY {order} LIMIT $7 OFFSET $8",
            self.cases_from(&f),
            self.case_filter_sql(&f, 9, words.len())
        );
        let limit = f.limit.clamp(1, 1000);
        match &self.backend {
            // SQLite: read in place (see `direct`); same statement, same parameters.
            crate::Backend::Sqlite { read, .. } => {
                use rusqlite::types::Value;
                let mut params = vec![
                    crate::cases::direct::text(within),
                    crate::cases::direct::text(f.kind.map(|k| k.as_str().to_string())),
                    f.category_id.map_or(Value::Null, Value::Integer),
                    crate::cases::direct::text(f.channel.map(|c| c.as_str().to_string())),
                    crate::cases::direct::date(f.received_from),
                    crate::cases::direct::date(f.received_to),
                    Value::Integer(limit),
                    Value::Integer(f.offset.max(0)),
                ];
                params.extend(words.into_iter().map(Value::Text));
                crate::cases::direct::with_connection(read, |c| {
                    let mut stmt = c.prepare(&sql)?;
                    crate::cases::direct::bind_numbered(&mut stmt, &params)?;
                    let mut rows = stmt.raw_query();
                    let mut out = Vec::with_capacity(limit as usize);
                    while let Some(r) = rows.next()? {
                        out.push(PublicCase {
                            id: r.get(0)?,
                            code: r.get(1)?,
                            status: crate::cases::direct::named(r, 2)?,
                            category_code: r.get(3)?,
                            category_name: r.get(4)?,
                            description: r.get(5)?,
                            address: r.get(6)?,
                            latitude: r.get(7)?,
                            longitude: r.get(8)?,
                            place_code: r.get(9)?,
                            unit_name: r.get(10)?,
                            received_at: crate::cases::direct::timestamp(r, 11)?,
                            accept_due: crate::cases::direct::opt_date(r, 12)?,
                            resolve_due: crate::cases::direct::opt_date(r, 13)?,
                            updated_at: crate::cases::direct::timestamp(r, 14)?,
                            photo_id: r.get(15)?,
                        });
                    }
                    Ok(out)
                })
                .await
            }
            crate::Backend::Postgres(p) => {
                let mut q = bind_filter!(sqlx::query_as::<_, PublicCase>(&sql), &within, f).bind(limit).bind(f.offset.max(0));
                for w in &words {
                    q = q.bind(w);
                }
                Ok(q.fetch_all(p).await?)
            }
        }
    }

    /// How many cases match (the inbox counters).
    pub async fn count_cases(&self, f: &CaseFilter) -> Result<i64> {
        let (within, words) = self.filter_inputs(f).await?;
        let count = format!("SELECT COUNT(*) FROM {} WHERE {}", self.cases_from(f), self.case_filter_sql(f, 7, words.len()));
        on_pool!(self, read, |p| {
            let mut c = bind_filter!(sqlx::query_scalar::<_, i64>(&count), &within, f);
            for w in &words {
                c = c.bind(w);
            }
            Ok(c.fetch_one(p).await?)
        })
    }

    /// The inbox's five counters in one pass over the subtree's open cases (one grouped query
    /// instead of five counts, each of which walked the same index range). Same definitions as
    /// the filters: new = received, waiting = paused, to approve = answer drafted; due soon and
    /// overdue count every open status but paused (its clock is stopped) by its due date.
    /// The inbox's counters of a subtree (all units when `within` is None), never counting the
    /// cases `excluded` (those that concern the reader).
    pub async fn case_counters(
        &self,
        within: Option<UnitId>,
        excluded: &[i64],
        soon: NaiveDate,
        today: NaiveDate,
    ) -> Result<CaseCounters> {
        let from = self.cases_from(&CaseFilter { within, ..Default::default() });
        // Integers, never text: inlined like the filters' id lists.
        let not_in = if excluded.is_empty() {
            String::new()
        } else {
            format!(" AND c.id NOT IN ({})", excluded.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(","))
        };
        let within = match within {
            Some(id) => Some(self.get_unit(id).await?.path),
            None => None,
        };
        let subtree = if within.is_some() { "c.unit_path >= $1 AND c.unit_path < ($1 || '~')" } else { "$1 IS NULL" };
        let sql = format!(
            "SELECT c.status, COUNT(*),
                    COALESCE(SUM(CASE WHEN c.status <> 'paused' AND COALESCE(c.resolve_due, c.accept_due) <= $2 THEN 1 ELSE 0 END), 0),
                    COALESCE(SUM(CASE WHEN c.status <> 'paused' AND COALESCE(c.resolve_due, c.accept_due) < $3 THEN 1 ELSE 0 END), 0)
             FROM {from} WHERE {subtree} AND c.status IN {OPEN_STATUSES}{not_in} GROUP BY c.status"
        );
        let rows: Vec<(String, i64, i64, i64)> =
            on_pool!(self, read, |p| sqlx::query_as(&sql).bind(&within).bind(soon).bind(today).fetch_all(p).await?);
        let mut c = CaseCounters::default();
        for (status, n, due_soon, overdue) in rows {
            match CaseStatus::try_from(status)? {
                CaseStatus::Received => c.received = n,
                CaseStatus::Paused => c.paused = n,
                CaseStatus::AnswerDrafted => c.to_approve = n,
                _ => {}
            }
            c.due_soon += due_soon;
            c.overdue += overdue;
        }
        Ok(c)
    }
}
