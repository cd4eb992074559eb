//! Intake: what a sender submits ([`CaseInput`]) and its validation into a [`CaseDraft`].

use super::{check_sender, CaseKind, SenderDetails};
use crate::errors::FieldErrors;
use serde::{Deserialize, Serialize};

/// What a sender submits, before validation.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CaseInput {
    pub kind: String,
    pub category: String,
    pub title: String,
    pub description: String,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub sender_name: String,
    pub sender_phone: String,
    pub sender_email: String,
    pub sender_address: String,
    pub publish: bool,
}

pub const MAX_DESCRIPTION: usize = 4000;
/// Longest sender name, address, e-mail, phone or place a case accepts (characters).
pub const MAX_SHORT_FIELD: usize = 500;

/// A validated case draft.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseDraft {
    pub kind: CaseKind,
    pub title: String,
    pub description: String,
    pub address: String,
    pub point: Option<(f64, f64)>,
    pub sender_name: Option<String>,
    pub sender_phone: Option<String>,
    pub sender_email: Option<String>,
    pub sender_address: Option<String>,
    pub publish: bool,
}

/// Checks a submission: the kind decides what identity is needed ([`check_sender`]) and whether
/// it may be published.
pub fn validate_case(input: &CaseInput) -> Result<CaseDraft, FieldErrors> {
    use crate::text::{clean, clean_multiline};
    let mut e = FieldErrors::new();
    let kind = CaseKind::parse(&input.kind);
    if kind.is_none() {
        e.add("kind", if input.kind.trim().is_empty() { "error.required" } else { "error.invalid" });
    }
    let title = clean(&input.title);
    if title.chars().count() > 200 {
        e.add("title", "error.too_long");
    }
    let description = clean_multiline(&input.description);
    if description.chars().count() < 10 {
        e.add("description", if description.is_empty() { "error.required" } else { "case.error.description_short" });
    } else if description.chars().count() > MAX_DESCRIPTION {
        e.add("description", "error.too_long");
    }
    let point = match (input.latitude, input.longitude) {
        (Some(lat), Some(lon)) if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) => Some((lat, lon)),
        (None, None) => None,
        _ => {
            e.add("latitude", "case.error.point");
            None
        }
    };
    let opt = |s: &str| Some(clean(s)).filter(|s| !s.is_empty());
    let sender_name = opt(&input.sender_name);
    let sender_address = opt(&input.sender_address);
    let sender_email = opt(&input.sender_email.to_lowercase());
    let sender_phone = opt(&input.sender_phone);
    // Bounded so that no single submission can exceed what the exports can hold (an XLSX cell takes
    // at most 32,767 characters) or bloat every page that shows it.
    for (field, value) in [
        ("sender_name", &sender_name),
        ("sender_address", &sender_address),
        ("sender_email", &sender_email),
        ("sender_phone", &sender_phone),
    ] {
        if value.as_ref().is_some_and(|v| v.chars().count() > MAX_SHORT_FIELD) {
            e.add(field, "error.too_long");
        }
    }
    let address = clean(&input.address);
    if address.chars().count() > MAX_SHORT_FIELD {
        e.add("address", "error.too_long");
    }
    if let Some(em) = sender_email.as_ref().filter(|em| em.chars().count() <= MAX_SHORT_FIELD) {
        if crate::org::account::validate_account(&crate::org::account::AccountInput {
            username: "abc".into(),
            full_name: "x".into(),
            email: em.clone(),
            phone: String::new(),
        })
        .is_err()
        {
            e.add("sender_email", "error.email");
        }
    }
    let phone = match &sender_phone {
        Some(p) if p.chars().count() > MAX_SHORT_FIELD => None,
        Some(p) => match crate::org::account::validate_account(&crate::org::account::AccountInput {
            username: "abc".into(),
            full_name: "x".into(),
            email: String::new(),
            phone: p.clone(),
        }) {
            Ok(d) => d.phone,
            Err(_) => {
                e.add("sender_phone", "error.phone");
                None
            }
        },
        None => None,
    };
    if let Some(k) = kind {
        let sender = SenderDetails {
            name: sender_name.as_deref(),
            address: sender_address.as_deref(),
            phone: phone.as_deref(),
            email: sender_email.as_deref(),
        };
        e.merge(check_sender(k, &sender));
    }
    if address.is_empty() && point.is_none() {
        e.add("address", "case.error.place_required");
    }
    e.into_result()?;
    let kind = kind.unwrap_or(CaseKind::Feedback);
    Ok(CaseDraft {
        kind,
        title: if title.is_empty() { crate::text::excerpt(&description, 80) } else { title },
        description,
        address,
        point,
        sender_name,
        sender_phone: phone,
        sender_email,
        sender_address,
        // Never offered for complaints and denunciations, whatever was sent.
        publish: input.publish && kind.may_be_published(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complaints_and_denunciations_need_identity_and_are_never_published() {
        let base = CaseInput {
            description: "Cống thoát nước bị tắc lâu ngày".into(),
            address: "Ngõ 5 Hàng Bông".into(),
            publish: true,
            ..Default::default()
        };
        let feedback = validate_case(&CaseInput { kind: "feedback".into(), ..base.clone() }).unwrap();
        assert!(feedback.publish && feedback.sender_name.is_none());
        let e = validate_case(&CaseInput { kind: "complaint".into(), ..base.clone() }).unwrap_err();
        assert!(e.get("sender_name").is_some() && e.get("sender_address").is_some());
        assert_eq!(e.get("sender_phone"), None, "a complaint needs no phone or e-mail");
        let ok = validate_case(&CaseInput {
            kind: "denunciation".into(),
            sender_name: "Trần Văn Bình".into(),
            sender_phone: "0912 345 678".into(),
            sender_address: "Số 9 Hàng Gai".into(),
            ..base.clone()
        })
        .unwrap();
        assert!(!ok.publish, "denunciations are never published");
        assert_eq!(ok.sender_phone.as_deref(), Some("0912345678"));
        let e =
            validate_case(&CaseInput { kind: "feedback".into(), description: "ngắn".into(), address: String::new(), ..base })
                .unwrap_err();
        assert!(e.get("description").is_some() && e.get("address").is_some());
    }

    #[test]
    fn free_text_fields_are_bounded() {
        let long = "a".repeat(MAX_SHORT_FIELD + 1);
        let base = CaseInput {
            kind: "feedback".into(),
            description: "Cống thoát nước bị tắc lâu ngày".into(),
            address: "Ngõ 5 Hàng Bông".into(),
            ..Default::default()
        };
        let e = validate_case(&CaseInput {
            address: long.clone(),
            sender_name: long.clone(),
            sender_address: long.clone(),
            sender_email: format!("{long}@example.vn"),
            sender_phone: "0".repeat(MAX_SHORT_FIELD + 1),
            ..base.clone()
        })
        .unwrap_err();
        for f in ["address", "sender_name", "sender_address", "sender_email", "sender_phone"] {
            assert_eq!(e.get(f), Some("error.too_long"), "{f}");
        }
        let at_limit = "a".repeat(MAX_SHORT_FIELD);
        let ok = validate_case(&CaseInput { address: at_limit.clone(), sender_name: at_limit, ..base }).unwrap();
        assert_eq!(ok.address.chars().count(), MAX_SHORT_FIELD);
    }
}
