//! A decision as a document, in plain typed data: the issuing body under its parent, the number,
//! place and date, the subject, the legal bases, the articles, the signer and the annex (I.
//! individuals, II. collectives, III. households) with each award and amount — what the HTML page
//! shows and what PDF, DOCX and certificates are to be rendered from (RULES.md §6, Decree
//! 30/2020 Annex I). Written in Vietnamese, the language of the document.

use super::decisions::{decision, DecisionView};
use crate::{App, AppResult, Caller};
use chrono::{Datelike, NaiveDate};
use danvan_domain::emulation::{DecisionStatus, RecipientKind};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct DocRecipient {
    pub name: String,
    pub unit: String,
    pub award: danvan_domain::emulation::Award,
    pub award_name: String,
    /// Đồng.
    pub amount: Option<i64>,
    /// The certificate's number in the issuer's register ("Số sổ"), once issued.
    pub certificate_no: Option<i64>,
}

/// One part of the annex: "I. Cá nhân" and its recipients.
#[derive(Debug, Clone, Serialize)]
pub struct AnnexSection {
    pub heading: String,
    pub kind: RecipientKind,
    pub recipients: Vec<DocRecipient>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DecisionDocument {
    pub id: i64,
    /// The parent body (capitals), e.g. "UBND THÀNH PHỐ HÀ NỘI"; empty at the root.
    pub parent_body: String,
    /// The issuing body (capitals).
    pub issuing_body: String,
    /// The issuing body as written in the unit tree ("UBND phường Cửa Nam").
    pub issuer_name: String,
    /// "Số: 15/QĐ-UBND", or "Số:      /QĐ-UBND" while a draft.
    pub number_line: String,
    pub issued: bool,
    /// "Cửa Nam", the place the decision is dated at.
    pub place: String,
    /// "Cửa Nam, ngày 15 tháng 01 năm 2026".
    pub place_date: String,
    pub decided_on: NaiveDate,
    /// The year of the work being rewarded.
    pub award_year: i64,
    pub subject: String,
    pub bases: Vec<String>,
    /// "Điều 1.", its text.
    pub articles: Vec<(String, String)>,
    pub signer_title: String,
    pub signer_name: String,
    pub annex: Vec<AnnexSection>,
    pub total_amount: i64,
    /// The number of the decision this one amends.
    pub amends: Option<String>,
}

pub fn place_date(place: &str, d: NaiveDate) -> String {
    format!("{place}, ngày {:02} tháng {:02} năm {}", d.day(), d.month(), d.year())
}

/// Thousands with dots, as Vietnamese documents write money: 2.340.000.
pub fn money(v: i64) -> String {
    let s = v.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if v < 0 {
        format!("-{out}")
    } else {
        out
    }
}

fn build(app_parent: Option<String>, v: &DecisionView) -> DecisionDocument {
    let d = &v.decision;
    let issued = d.status == DecisionStatus::Issued;
    let abbr = danvan_domain::emulation::issuer_abbreviation(d.issuer_kind);
    let number_line = match &d.number_text {
        Some(n) if issued => format!("Số: {n}"),
        _ => format!("Số:      /QĐ-{abbr}"),
    };
    let sections = [
        (RecipientKind::Individual, "I. Cá nhân"),
        (RecipientKind::Collective, "II. Tập thể"),
        (RecipientKind::Household, "III. Hộ gia đình"),
    ];
    let annex: Vec<AnnexSection> = sections
        .iter()
        .map(|(kind, heading)| AnnexSection {
            heading: heading.to_string(),
            kind: *kind,
            recipients: v
                .awards
                .iter()
                .filter(|a| a.recipient_kind == *kind)
                .map(|a| DocRecipient {
                    name: a.recipient_name.clone(),
                    unit: a.unit_name.clone(),
                    award: a.award,
                    award_name: a.award.name_vi().into(),
                    amount: a.amount,
                    certificate_no: a.certificate_no,
                })
                .collect(),
        })
        .filter(|s| !s.recipients.is_empty())
        .collect();
    let total: i64 = v.awards.iter().filter_map(|a| a.amount).sum();
    let count = |k| v.awards.iter().filter(|a| a.recipient_kind == k).count();
    let mut who = vec![];
    for (k, label) in [
        (RecipientKind::Individual, "cá nhân"),
        (RecipientKind::Collective, "tập thể"),
        (RecipientKind::Household, "hộ gia đình"),
    ] {
        if count(k) > 0 {
            who.push(format!("{} {label}", count(k)));
        }
    }
    let mut articles = vec![];
    if let Some(a) = &v.amends {
        let n = a.number_text.clone().unwrap_or_default();
        articles.push(format!(
            "Sửa đổi Quyết định số {n} ngày {}: nội dung khen thưởng được thay thế bằng danh sách kèm theo Quyết định này.",
            a.decided_on.format("%d/%m/%Y")
        ));
    }
    articles.push(format!(
        "Khen thưởng {} đã có thành tích trong phong trào thi đua năm {} (có danh sách kèm theo).",
        who.join(", "),
        d.award_year
    ));
    articles.push(format!(
        "Tiền thưởng kèm theo thực hiện theo quy định của Nghị định số 152/2025/NĐ-CP; tổng số tiền: {} đồng.",
        money(total)
    ));
    articles.push(
        "Quyết định này có hiệu lực kể từ ngày ký. Văn phòng, bộ phận thi đua – khen thưởng và các cá nhân, tập thể, hộ gia đình có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này."
            .into(),
    );
    DecisionDocument {
        id: d.id,
        parent_body: app_parent.unwrap_or_default().to_uppercase(),
        issuing_body: d.issuer_name.to_uppercase(),
        issuer_name: d.issuer_name.clone(),
        number_line,
        issued,
        place: d.place.clone(),
        place_date: place_date(&d.place, d.decided_on),
        decided_on: d.decided_on,
        award_year: d.award_year,
        subject: d.subject.clone(),
        bases: vec![
            "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15;".into(),
            "Căn cứ Nghị định số 152/2025/NĐ-CP quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng;".into(),
            "Xét đề nghị của Hội đồng Thi đua – Khen thưởng.".into(),
        ],
        articles: articles.into_iter().enumerate().map(|(i, t)| (format!("Điều {}.", i + 1), t)).collect(),
        signer_title: d.signer_title.clone(),
        signer_name: d.signer_name.clone(),
        annex,
        total_amount: total,
        amends: v.amends.as_ref().and_then(|a| a.number_text.clone()),
    }
}

/// The decision and its annex as plain data, for whoever may read the decision.
pub async fn decision_document(app: &App, caller: &Caller, id: i64) -> AppResult<DecisionDocument> {
    let v = decision(app, caller, id).await?;
    document_of(app, &v).await
}

/// The document of a decision already read.
pub async fn document_of(app: &App, v: &DecisionView) -> AppResult<DecisionDocument> {
    let unit = app.store.get_unit(v.decision.issuer_id).await?;
    let parent = match unit.parent_id {
        Some(p) => Some(app.store.get_unit(p).await?.name),
        None => None,
    };
    Ok(build(parent, v))
}
