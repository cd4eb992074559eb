//! A decision as files to download: the decision with its annex as PDF and DOCX (Decree 30/2020
//! Annex I layout, `danvan-reports`), and once it is issued its certificates (Giấy khen, Bằng
//! khen, a title's Bằng chứng nhận), one page each, as one PDF. Whoever may read the decision may download it
//! (`decisions::decision` authorises); a draft's files say "Số:      /QĐ-…" as the page does.
//! The documents are in Vietnamese whatever the reader's language: they are the state's paper.

use crate::ctx::Ctx;
use crate::error::WebError;
use crate::extract::PathParam;
use crate::routes::Routes;
use crate::AppState;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use danvan_app::emulation::certificates::issuer_calibration;
use danvan_app::emulation::decisions::{self as app_dec, DecisionView};
use danvan_app::emulation::document::{document_of, DecisionDocument};
use danvan_domain::emulation::{Award, Calibration, RecipientKind, Sheet};
use danvan_domain::errors::FieldErrors;
use danvan_reports::commendation::{
    certificates_overlay_pdf, certificates_pdf, decision_docx, decision_pdf, Annex, AnnexEntry, Article, CertificateDoc,
    CertificateKind, DecisionDoc, OffsetMm, OverlayCalibration, Signature,
};

pub fn routes() -> Routes {
    Routes::new()
        .get("/emulation/decisions/{id}/decision.pdf", pdf)
        .get("/emulation/decisions/{id}/decision.docx", docx)
        .get("/emulation/decisions/{id}/certificates.pdf", certificates)
        .get("/emulation/decisions/{id}/certificates-overlay.pdf", certificates_overlay)
}

/// The sheet an award is printed on (`Award::certificate`, where the law is cited).
pub fn certificate_kind(a: Award) -> Option<CertificateKind> {
    a.certificate().map(|sheet| match sheet {
        Sheet::GiayKhen => CertificateKind::GiayKhen,
        Sheet::BangKhen => CertificateKind::BangKhen,
        Sheet::Title(name) => CertificateKind::Title(name),
    })
}

/// The unit's calibration as the renderer takes it.
pub fn overlay_calibration(cal: &Calibration) -> OverlayCalibration {
    let mm = |part: &str| {
        let s = cal.shift(part);
        OffsetMm { dx: s.dx, dy: s.dy }
    };
    OverlayCalibration {
        page: mm("page"),
        recipient_name: mm("recipient_name"),
        recipient_detail: mm("recipient_detail"),
        achievement: mm("achievement"),
        decision: mm("decision"),
        register_number: mm("register_number"),
        place_date: mm("place_date"),
        signer: mm("signer"),
    }
}

/// "Số: 15/QĐ-UBND" → "15/QĐ-UBND"; a draft keeps its blank ("Số:      /QĐ-UBND" →
/// "     /QĐ-UBND"), where the number is written in by hand.
fn number(doc: &DecisionDocument) -> String {
    number_of(&doc.number_line)
}

fn number_of(line: &str) -> String {
    line.strip_prefix("Số: ").unwrap_or(line).to_string()
}

/// The signature block. The title is written as the form asks, its lines apart with "/"
/// ("TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH"); a lone deputy's title gets its "KT." line ("PHÓ CHỦ TỊCH"
/// signs "KT. CHỦ TỊCH"), Decree 30/2020 Art. 13.
fn signature(doc: &DecisionDocument) -> Signature {
    let upper = doc.signer_title.to_uppercase();
    let lines: Vec<&str> = upper.split(['/', '\n']).map(str::trim).filter(|l| !l.is_empty()).collect();
    let (title, above) = lines.split_last().map(|(t, a)| (t.to_string(), a.join("\n"))).unwrap_or_default();
    let on_behalf = match title.strip_prefix("PHÓ ") {
        Some(head) if above.is_empty() => Some(format!("KT. {head}")),
        _ => (!above.is_empty()).then_some(above),
    };
    Signature { on_behalf, title, name: doc.signer_name.clone() }
}

/// The head's title ("CHỦ TỊCH"), whoever signs for them.
fn head_title(doc: &DecisionDocument) -> String {
    let title = signature(doc).title;
    title.strip_prefix("PHÓ ").map(str::to_string).unwrap_or(title)
}

/// The issuing authority as the decision names it: the head of the issuing body.
fn authority(doc: &DecisionDocument) -> String {
    format!("{} {}", head_title(doc), doc.issuing_body.replace('\n', " "))
}

fn render(doc: &DecisionDocument) -> DecisionDoc {
    let entries = |kind: RecipientKind| -> Vec<AnnexEntry> {
        doc.annex
            .iter()
            .filter(|s| s.kind == kind)
            .flat_map(|s| &s.recipients)
            .map(|r| AnnexEntry {
                name: r.name.clone(),
                position_unit: r.unit.clone(),
                award: r.award_name.clone(),
                amount_dong: r.amount.unwrap_or(0).max(0) as u64,
            })
            .collect()
    };
    let issued_by = {
        let head = head_title(doc).to_lowercase();
        let mut c = head.chars();
        let head: String = c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default();
        format!("{head} {}", doc.issuer_name)
    };
    DecisionDoc {
        parent_body: doc.parent_body.clone(),
        issuing_body: doc.issuing_body.clone(),
        number: number(doc),
        place: doc.place.clone(),
        date: doc.decided_on,
        subject: doc.subject.clone(),
        authority: authority(doc),
        legal_bases: doc.bases.clone(),
        articles: doc.articles.iter().map(|(_, text)| Article { heading: None, paragraphs: vec![text.clone()] }).collect(),
        signature: signature(doc),
        recipients: vec!["Như Điều 3;".into(), "Lưu: VT, TĐKT.".into()],
        annex: Annex {
            title: "DANH SÁCH\nCÁ NHÂN, TẬP THỂ, HỘ GIA ĐÌNH ĐƯỢC KHEN THƯỞNG".into(),
            issued_by,
            individuals: entries(RecipientKind::Individual),
            collectives: entries(RecipientKind::Collective),
            households: entries(RecipientKind::Household),
        },
    }
}

/// The certificates of an issued decision's Giấy khen and Bằng khen, in the annex's order.
fn certificate_docs(doc: &DecisionDocument) -> Vec<CertificateDoc> {
    let d = render(doc);
    let issuer = d.authority.clone();
    doc.annex
        .iter()
        .flat_map(|s| &s.recipients)
        .filter_map(|r| {
            certificate_kind(r.award).map(|kind| CertificateDoc {
                kind,
                issuer: issuer.clone(),
                recipient_name: r.name.clone(),
                recipient_detail: r.unit.clone(),
                achievement: format!("Đã có thành tích trong phong trào thi đua năm {}", doc.award_year),
                decision_number: d.number.clone(),
                decision_date: doc.decided_on,
                register_number: r.certificate_no.map(|n| n.to_string()),
                place: doc.place.clone(),
                date: doc.decided_on,
                signature: d.signature.clone(),
            })
        })
        .collect()
}

async fn document(state: &AppState, ctx: &Ctx, id: i64) -> Result<DecisionDocument, WebError> {
    let v = app_dec::decision(&state.app, &ctx.caller, id).await?;
    Ok(document_of(&state.app, &v).await?)
}

/// A file to download: its type, an ASCII name, never cached (it carries names of people).
pub(super) fn file(bytes: Vec<u8>, content_type: &'static str, name: String) -> Response {
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // ASCII only: the decision's number has "Đ" in it.
    let ascii: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '-' }).collect();
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{ascii}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    r
}

fn file_name(doc: &DecisionDocument, what: &str, ext: &str) -> String {
    let number = danvan_domain::text::fold(&number(doc));
    let number = if doc.issued { number } else { format!("du-thao-{}", doc.id) };
    format!("{what}-{number}.{ext}")
}

/// Rendering is CPU work: off the async workers.
pub(super) async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, WebError> {
    tokio::task::spawn_blocking(f).await.map_err(|e| WebError::Internal(e.to_string()))
}

async fn pdf(State(state): State<AppState>, ctx: Ctx, PathParam(id): PathParam<i64>) -> Result<Response, WebError> {
    let doc = document(&state, &ctx, id).await?;
    let d = render(&doc);
    let bytes = blocking(move || decision_pdf(&d)).await?;
    Ok(file(bytes, "application/pdf", file_name(&doc, "quyet-dinh", "pdf")))
}

async fn docx(State(state): State<AppState>, ctx: Ctx, PathParam(id): PathParam<i64>) -> Result<Response, WebError> {
    let doc = document(&state, &ctx, id).await?;
    let d = render(&doc);
    let bytes = blocking(move || decision_docx(&d)).await?.map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(file(
        bytes,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        file_name(&doc, "quyet-dinh", "docx"),
    ))
}

/// Certificates are printed from an issued decision only (its number is on each); a draft, or a
/// decision whose awards carry none (Lao động tiên tiến alone), answers 409 with the reason.
async fn printable(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
) -> Result<(DecisionView, DecisionDocument, Vec<CertificateDoc>), WebError> {
    let v = app_dec::decision(&state.app, &ctx.caller, id).await?;
    let doc = document_of(&state.app, &v).await?;
    if !doc.issued {
        return Err(WebError::Conflict(FieldErrors::one("certificates", "emulation.certificates.not_issued")));
    }
    let batch = certificate_docs(&doc);
    if batch.is_empty() {
        return Err(WebError::Conflict(FieldErrors::one("certificates", "emulation.certificates.none")));
    }
    Ok((v, doc, batch))
}

async fn certificates(State(state): State<AppState>, ctx: Ctx, PathParam(id): PathParam<i64>) -> Result<Response, WebError> {
    let (_, doc, batch) = printable(&state, &ctx, id).await?;
    let bytes = blocking(move || certificates_pdf(&batch)).await?;
    Ok(file(bytes, "application/pdf", file_name(&doc, "giay-khen", "pdf")))
}

/// The same certificates as text only, placed by the issuer's calibration, to print on the
/// pre-printed blanks.
async fn certificates_overlay(
    State(state): State<AppState>,
    ctx: Ctx,
    PathParam(id): PathParam<i64>,
) -> Result<Response, WebError> {
    let (v, doc, batch) = printable(&state, &ctx, id).await?;
    let cal = overlay_calibration(&issuer_calibration(&state.app, &v).await?);
    let bytes = blocking(move || certificates_overlay_pdf(&batch, &cal)).await?;
    Ok(file(bytes, "application/pdf", file_name(&doc, "in-tren-phoi", "pdf")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drafts_number_keeps_its_blank() {
        assert_eq!(number_of("Số: 15/QĐ-UBND"), "15/QĐ-UBND");
        assert_eq!(number_of("Số:      /QĐ-UBND"), "     /QĐ-UBND");
    }
}
