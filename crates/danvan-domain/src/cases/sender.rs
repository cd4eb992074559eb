//! What each kind of case requires of its sender (RULES.md §2), checked wherever a case gets its
//! kind: intake from every channel, imports, and reclassification.

use super::CaseKind;
use crate::errors::FieldErrors;

/// What a kind of case requires of its sender (RULES.md §2). Checked by [`check_sender`] wherever
/// a case gets its kind: intake from every channel, imports, and reclassification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SenderRequirements {
    pub name: bool,
    pub address: bool,
    /// A way to contact the sender: a phone number or an e-mail address.
    pub contact: bool,
}

/// The sender's details a case holds, cleaned; `None` (or blank) for what was not given.
#[derive(Debug, Clone, Copy, Default)]
pub struct SenderDetails<'a> {
    pub name: Option<&'a str>,
    pub address: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
}

/// What `kind` requires that `sender` lacks, as field errors on `sender_name`, `sender_address`
/// and `sender_phone` (for the missing contact); empty when nothing is missing.
pub fn check_sender(kind: CaseKind, sender: &SenderDetails<'_>) -> FieldErrors {
    let given = |v: Option<&str>| v.is_some_and(|v| !v.trim().is_empty());
    let need = kind.sender_requirements();
    let mut e = FieldErrors::new();
    if need.name && !given(sender.name) {
        e.add("sender_name", "case.error.identity_required");
    }
    if need.address && !given(sender.address) {
        e.add("sender_address", "case.error.sender_address_required");
    }
    if need.contact && !given(sender.phone) && !given(sender.email) {
        e.add("sender_phone", "case.error.contact_required");
    }
    e
}

impl CaseKind {
    /// What the sender must give. A complaint: name and address (Law on Complaints 2011 Art. 8;
    /// the signature is on the paper, which a letter's officer checks) — no phone or e-mail, so a
    /// letter with a name and an address is a complaint. A denunciation: name, address and a way
    /// to contact (Law on Denunciations 2018 Art. 23); without them it is not handled as a
    /// denunciation. Feedback and petitions may be anonymous.
    pub fn sender_requirements(self) -> SenderRequirements {
        match self {
            CaseKind::Feedback | CaseKind::Petition => SenderRequirements::default(),
            CaseKind::Complaint => SenderRequirements { name: true, address: true, contact: false },
            CaseKind::Denunciation => SenderRequirements { name: true, address: true, contact: true },
        }
    }
    /// Complaints and denunciations need the sender's identity (no anonymous complaints; an
    /// anonymous denunciation is not handled as one).
    pub fn requires_identity(self) -> bool {
        self.sender_requirements().name
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::{validate_case, CaseDraft, CaseInput};

    /// RULES.md §2: a complaint gives name and address (Law on Complaints 2011 Art. 8); a
    /// denunciation name, address and a way to contact (Law on Denunciations 2018 Art. 23).
    #[test]
    fn what_each_kind_requires_of_its_sender() {
        let base = CaseInput {
            description: "Cống thoát nước bị tắc lâu ngày".into(),
            address: "Ngõ 5 Hàng Bông".into(),
            ..Default::default()
        };
        let with = |kind: &str, name: &str, address: &str, phone: &str, email: &str| CaseInput {
            kind: kind.into(),
            sender_name: name.into(),
            sender_address: address.into(),
            sender_phone: phone.into(),
            sender_email: email.into(),
            ..base.clone()
        };
        let fields = |r: Result<CaseDraft, FieldErrors>| -> Vec<String> {
            r.err().map(|e| e.0.into_iter().map(|e| e.field).collect()).unwrap_or_default()
        };
        // A letter complaint: name and address, no phone, no e-mail — accepted.
        let letter = validate_case(&with("complaint", "Nguyễn Văn An", "Số 3 Hàng Bông", "", "")).unwrap();
        assert_eq!((letter.sender_phone, letter.sender_email), (None, None));
        assert_eq!(fields(validate_case(&with("complaint", "", "", "", ""))), ["sender_name", "sender_address"]);
        assert_eq!(fields(validate_case(&with("complaint", "Nguyễn Văn An", "", "0912345678", ""))), ["sender_address"]);
        // A denunciation: name, address and a phone or an e-mail.
        assert!(validate_case(&with("denunciation", "Trần Bình", "Số 9 Hàng Gai", "0912345678", "")).is_ok());
        assert!(validate_case(&with("denunciation", "Trần Bình", "Số 9 Hàng Gai", "", "binh@example.vn")).is_ok());
        assert_eq!(fields(validate_case(&with("denunciation", "Trần Bình", "", "0912345678", ""))), ["sender_address"]);
        assert_eq!(fields(validate_case(&with("denunciation", "Trần Bình", "Số 9 Hàng Gai", "", ""))), ["sender_phone"]);
        assert_eq!(
            fields(validate_case(&with("denunciation", "", "", "", ""))),
            ["sender_name", "sender_address", "sender_phone"]
        );
        // Feedback and petitions may be anonymous.
        assert!(validate_case(&with("feedback", "", "", "", "")).is_ok());
        assert!(validate_case(&with("petition", "", "", "", "")).is_ok());
        // The same rule on details already recorded (reclassification): blanks are missing.
        let blank = SenderDetails { name: Some(" "), address: Some(""), phone: None, email: Some(" ") };
        let keys: Vec<_> = check_sender(CaseKind::Denunciation, &blank).0.into_iter().map(|e| e.key).collect();
        assert_eq!(keys, ["case.error.identity_required", "case.error.sender_address_required", "case.error.contact_required"]);
        assert!(check_sender(CaseKind::Feedback, &blank).is_empty());
        let letter = SenderDetails { name: Some("Nguyễn Văn An"), address: Some("Số 3 Hàng Bông"), ..Default::default() };
        assert!(check_sender(CaseKind::Complaint, &letter).is_empty());
        assert_eq!(check_sender(CaseKind::Denunciation, &letter).get("sender_phone"), Some("case.error.contact_required"));
        assert!(CaseKind::Complaint.requires_identity() && !CaseKind::Petition.requires_identity());
    }
}
