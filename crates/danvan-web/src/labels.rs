//! The catalogue key for each stored or enumerated value (a case's status, a unit's kind…),
//! written out so that the key check (tests/it/architecture.rs) sees every key in use. A value the
//! catalogue does not know gets `common.unknown`, never a key built at run time.

pub fn unit_kind(v: impl AsRef<str>) -> &'static str {
    match v.as_ref() {
        "province" => "kind.province",
        "city" => "kind.city",
        "commune" => "kind.commune",
        "ward" => "kind.ward",
        "special_zone" => "kind.special_zone",
        "district" => "kind.district",
        "residential_group" => "kind.residential_group",
        "village" => "kind.village",
        "party_committee" => "kind.party_committee",
        "peoples_council" => "kind.peoples_council",
        "peoples_committee" => "kind.peoples_committee",
        "agency" => "kind.agency",
        "fatherland_front" => "kind.fatherland_front",
        "mass_organization" => "kind.mass_organization",
        "other" => "kind.other",
        _ => "common.unknown",
    }
}

pub fn case_kind(v: impl AsRef<str>) -> &'static str {
    match v.as_ref() {
        "feedback" => "case.kind.feedback",
        "petition" => "case.kind.petition",
        "complaint" => "case.kind.complaint",
        "denunciation" => "case.kind.denunciation",
        _ => "common.unknown",
    }
}

pub fn channel(v: impl AsRef<str>) -> &'static str {
    match v.as_ref() {
        "web" => "case.channel.web",
        "hotline" => "case.channel.hotline",
        "walk_in" => "case.channel.walk_in",
        "letter" => "case.channel.letter",
        "meeting" => "case.channel.meeting",
        "import" => "case.channel.import",
        "open311" => "case.channel.open311",
        _ => "common.unknown",
    }
}

pub fn case_status(v: impl AsRef<str>) -> &'static str {
    match v.as_ref() {
        "received" => "case.status.received",
        "accepted" => "case.status.accepted",
        "rejected" => "case.status.rejected",
        "assigned" => "case.status.assigned",
        "in_progress" => "case.status.in_progress",
        "paused" => "case.status.paused",
        "answer_drafted" => "case.status.answer_drafted",
        "answer_approved" => "case.status.answer_approved",
        "answered" => "case.status.answered",
        "closed" => "case.status.closed",
        "withdrawn" => "case.status.withdrawn",
        "transferred_out" => "case.status.transferred_out",
        _ => "common.unknown",
    }
}

/// A case's status as residents see it (tracking, public pages): what they can act on, never
/// the office's internal steps (drafted, approved, assigned…).
pub fn public_case_status(v: impl AsRef<str>) -> &'static str {
    match v.as_ref() {
        "received" => "case.public_status.received",
        "accepted" | "assigned" | "in_progress" | "answer_drafted" | "answer_approved" => "case.public_status.in_progress",
        "paused" => "case.public_status.paused",
        "rejected" => "case.public_status.rejected",
        "answered" => "case.public_status.answered",
        "closed" => "case.public_status.closed",
        "withdrawn" => "case.public_status.withdrawn",
        "transferred_out" => "case.public_status.transferred_out",
        _ => "common.unknown",
    }
}

pub fn case_action(v: impl AsRef<str>) -> &'static str {
    match v.as_ref() {
        "accept" => "case.action.accept",
        "reject" => "case.action.reject",
        "assign" => "case.action.assign",
        "start" => "case.action.start",
        "pause" => "case.action.pause",
        "resume" => "case.action.resume",
        "draft_answer" => "case.action.draft_answer",
        "return_draft" => "case.action.return_draft",
        "approve_answer" => "case.action.approve_answer",
        "send_answer" => "case.action.send_answer",
        "close" => "case.action.close",
        "reopen" => "case.action.reopen",
        "extend" => "case.action.extend",
        "withdraw" => "case.action.withdraw",
        "transfer_out" => "case.action.transfer_out",
        "transfer" => "case.action.transfer",
        "reclassify" => "case.action.reclassify",
        "merge" => "case.action.merge",
        _ => "common.unknown",
    }
}

pub fn reject_reason(v: impl AsRef<str>) -> &'static str {
    match v.as_ref() {
        "outside_competence" => "case.reject.outside_competence",
        "duplicate" => "case.reject.duplicate",
        "insufficient_information" => "case.reject.insufficient_information",
        "spam" => "case.reject.spam",
        _ => "common.unknown",
    }
}

pub fn case_event(v: impl AsRef<str>) -> &'static str {
    match v.as_ref() {
        "receive" => "case.event.receive",
        "accept" => "case.event.accept",
        "reject" => "case.event.reject",
        "assign" => "case.event.assign",
        "start" => "case.event.start",
        "pause" => "case.event.pause",
        "resume" => "case.event.resume",
        "draft_answer" => "case.event.draft_answer",
        "return_draft" => "case.event.return_draft",
        "approve_answer" => "case.event.approve_answer",
        "send_answer" => "case.event.send_answer",
        "close" => "case.event.close",
        "reopen" => "case.event.reopen",
        "extend" => "case.event.extend",
        "withdraw" => "case.event.withdraw",
        "transfer_out" => "case.event.transfer_out",
        "transfer" => "case.event.transfer",
        "reclassify" => "case.event.reclassify",
        "rate" => "case.event.rate",
        "note" => "case.event.note",
        "due_date" => "case.event.due_date",
        "merge" => "case.event.merge",
        "merge_in" => "case.event.merge_in",
        "support_add" => "case.event.support_add",
        "support_remove" => "case.event.support_remove",
        "support_move" => "case.event.support_move",
        _ => "common.unknown",
    }
}

pub fn delivery_channel(v: impl AsRef<str>) -> &'static str {
    match v.as_ref() {
        "email" => "delivery.channel.email",
        "sms" => "delivery.channel.sms",
        "zalo" => "delivery.channel.zalo",
        _ => "common.unknown",
    }
}

pub fn delivery_status(v: impl AsRef<str>) -> &'static str {
    match v.as_ref() {
        "pending" => "delivery.status.pending",
        "sent" => "delivery.status.sent",
        "failed" => "delivery.status.failed",
        "no_channel" => "delivery.status.no_channel",
        "erased" => "delivery.status.erased",
        _ => "common.unknown",
    }
}

pub fn calendar_kind(v: impl AsRef<str>) -> &'static str {
    match v.as_ref() {
        "day_off" => "calendar.kind.day_off",
        "working_day" => "calendar.kind.working_day",
        "remove_holiday" => "calendar.kind.remove_holiday",
        _ => "common.unknown",
    }
}

/// An escalation notice: its due status (notices are sent only when due soon or overdue).
pub fn notice_kind(v: impl AsRef<str>) -> &'static str {
    match v.as_ref() {
        "due_soon" => "notice.due_soon",
        "overdue" => "notice.overdue",
        _ => "common.unknown",
    }
}

pub fn settings_count(v: impl AsRef<str>) -> &'static str {
    match v.as_ref() {
        "working" => "settings.count.working",
        "calendar" => "settings.count.calendar",
        _ => "common.unknown",
    }
}

pub fn settings_from(v: impl AsRef<str>) -> &'static str {
    match v.as_ref() {
        "acceptance" => "settings.from.acceptance",
        "receipt" => "settings.from.receipt",
        _ => "common.unknown",
    }
}

pub fn settings_field(v: impl AsRef<str>) -> &'static str {
    match v.as_ref() {
        "accept_days" => "settings.field.accept_days",
        "resolve_days" => "settings.field.resolve_days",
        "resolve_days_complex" => "settings.field.resolve_days_complex",
        "resolve_days_remote" => "settings.field.resolve_days_remote",
        "resolve_days_remote_complex" => "settings.field.resolve_days_remote_complex",
        "max_extensions" => "settings.field.max_extensions",
        "extension_days" => "settings.field.extension_days",
        "reopen_window_days" => "settings.field.reopen_window_days",
        "accept_count" => "settings.field.accept_count",
        "resolve_count" => "settings.field.resolve_count",
        "resolve_from" => "settings.field.resolve_from",
        "basis" => "settings.field.basis",
        "default_province" => "settings.field.default_province",
        "tile_url" => "settings.field.tile_url",
        "attribution" => "settings.field.attribution",
        "boundaries" => "settings.field.boundaries",
        _ => "common.unknown",
    }
}

/// The message key of a set of cases behind an indicator (the inbox's `measure`).
pub fn case_set(s: danvan_domain::indicators::CaseSet) -> &'static str {
    use danvan_domain::indicators::CaseSet::*;
    match s {
        Received => "indicator.set.received",
        Answered => "indicator.set.answered",
        OnTime => "indicator.set.on_time",
        Rated => "indicator.set.rated",
        Reopened => "indicator.set.reopened",
        Transferred => "indicator.set.transferred",
    }
}

/// The message key of a movement's period kind.
pub fn period_kind(k: danvan_domain::emulation::PeriodKind) -> &'static str {
    use danvan_domain::emulation::PeriodKind::*;
    match k {
        Annual => "movement.period.annual",
        MultiYear => "movement.period.multi_year",
        Thematic => "movement.period.thematic",
    }
}

/// The message key of a criterion's kind.
pub fn criterion_kind(k: danvan_domain::emulation::CriterionKind) -> &'static str {
    match k {
        danvan_domain::emulation::CriterionKind::Measured => "movement.criterion.measured",
        danvan_domain::emulation::CriterionKind::Reviewed => "movement.criterion.reviewed",
    }
}

/// The message keys of an indicator's unit and direction.
pub fn indicator_unit(m: danvan_domain::indicators::Measure) -> &'static str {
    use danvan_domain::indicators::Measure::*;
    match m {
        Count => "indicator.unit.count",
        Percent => "indicator.unit.percent",
        WorkingDays => "indicator.unit.working_days",
        Rating => "indicator.unit.rating",
    }
}

pub fn indicator_direction(d: danvan_domain::indicators::Direction) -> &'static str {
    match d {
        danvan_domain::indicators::Direction::HigherIsBetter => "indicator.direction.higher",
        danvan_domain::indicators::Direction::LowerIsBetter => "indicator.direction.lower",
    }
}

/// An audit entry's action in words, when the catalogue has words for it.
pub fn audit_action(v: &str) -> Option<&'static str> {
    AUDIT_ACTION_KEYS.iter().copied().find(|k| k.strip_prefix("audit.action.") == Some(v))
}

const AUDIT_ACTION_KEYS: &[&str] = &[
    "audit.action.session.login",
    "audit.action.session.logout",
    "audit.action.login.failed",
    "audit.action.login.throttled",
    "audit.action.account.create",
    "audit.action.account.update",
    "audit.action.account.active",
    "audit.action.account.password",
    "audit.action.account.password_failed",
    "audit.action.account.password_refused",
    "audit.action.account.logout_everywhere",
    "audit.action.api_token.create",
    "audit.action.api_token.revoke",
    "audit.action.membership.add",
    "audit.action.membership.remove",
    "audit.action.unit.create",
    "audit.action.unit.update",
    "audit.action.unit.delete",
    "audit.action.unit.dissolve",
    "audit.action.unit.answer_symbol",
    "audit.action.emulation.calibration",
    "audit.action.unit.move",
    "audit.action.unit.import_create",
    "audit.action.unit.import_update",
    "audit.action.settings.update",
    "audit.action.settings.retention",
    "audit.action.category.create",
    "audit.action.category.update",
    "audit.action.template.create",
    "audit.action.template.update",
    "audit.action.template.delete",
    "audit.action.calendar.override",
    "audit.action.calendar.override_delete",
    "audit.action.inbox.export",
    "audit.action.attachment.add",
    "audit.action.attachment.delete",
    "audit.action.transfer.resolve",
    "audit.action.case.move",
    "audit.action.case.concern_move",
    "audit.action.case.personal_data_erase",
    "audit.action.case.answer_approve",
];

/// The system's own actors of audit entries (accounts are recorded by name).
pub fn audit_actor(v: &str) -> Option<&'static str> {
    AUDIT_ACTOR_KEYS.iter().copied().find(|k| k.strip_prefix("audit.actor.") == Some(v))
}

const AUDIT_ACTOR_KEYS: &[&str] = &[
    "audit.actor.anonymous",
    "audit.actor.citizen",
    "audit.actor.system",
    "audit.actor.setup",
    "audit.actor.retention",
    "audit.actor.demo",
    "audit.actor.import",
];

/// What an audit entry is about.
pub fn audit_target(v: &str) -> Option<&'static str> {
    AUDIT_TARGET_KEYS.iter().copied().find(|k| k.strip_prefix("audit.target.") == Some(v))
}

const AUDIT_TARGET_KEYS: &[&str] = &[
    "audit.target.account",
    "audit.target.unit",
    "audit.target.case",
    "audit.target.cases",
    "audit.target.category",
    "audit.target.settings",
    "audit.target.session",
    "audit.target.sessions",
    "audit.target.template",
    "audit.target.membership",
];

/// The label of a form field, for the error summary ("Nội dung: Bắt buộc"); `None` for a field
/// without one here (the summary then shows the message alone).
pub fn field_label(field: &str) -> Option<&'static str> {
    Some(match field {
        "page_dx" | "page_dy" => "emulation.calibration.part.page",
        "recipient_name_dx" | "recipient_name_dy" => "emulation.calibration.part.recipient_name",
        "recipient_detail_dx" | "recipient_detail_dy" => "emulation.calibration.part.recipient_detail",
        "achievement_dx" | "achievement_dy" => "emulation.calibration.part.achievement",
        "place_date_dx" | "place_date_dy" => "emulation.calibration.part.place_date",
        "signer_dx" | "signer_dy" => "emulation.calibration.part.signer",
        "decision_dx" | "decision_dy" => "emulation.calibration.part.decision",
        "register_number_dx" | "register_number_dy" => "emulation.calibration.part.register_number",
        "kind" => "case.field.kind",
        "category" => "case.field.category",
        "title" => "case.field.title",
        "description" => "case.field.description",
        "photos" => "photo.field",
        "place" => "case.field.place",
        "address" => "case.field.address",
        "latitude" => "case.field.latitude",
        "longitude" => "case.field.longitude",
        "sender_name" => "case.field.sender_name",
        "sender_phone" => "case.field.sender_phone",
        "sender_email" => "case.field.sender_email",
        "sender_address" => "case.field.sender_address",
        "concerned_unit" => "case.field.concerned_unit",
        "concerned_name" => "case.field.concerned_name",
        "code" => "case.field.code",
        "contact" => "case.field.contact",
        "rating" => "case.rating",
        "note" => "case.field.note",
        "received_on" => "case.field.received_on",
        "channel" => "case.field.channel",
        _ => return None,
    })
}

/// The message key of a "Dân vận khéo" field (a model's, and the review report's table of models).
pub fn model_field(f: danvan_domain::emulation::models::ModelField) -> &'static str {
    use danvan_domain::emulation::models::ModelField;
    match f {
        ModelField::Economy => "model.fields.economy",
        ModelField::CultureSociety => "model.fields.culture_society",
        ModelField::DefenceSecurity => "model.fields.defence_security",
        ModelField::PoliticalSystem => "model.fields.political_system",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use danvan_domain::cases::{CaseKind, CaseStatus, Channel};
    use danvan_domain::UnitKind;

    #[test]
    fn every_value_of_the_domain_enums_has_its_own_key() {
        let unknown = "common.unknown";
        assert!(UnitKind::ALL.iter().all(|k| unit_kind(k.as_str()) != unknown));
        assert!(CaseKind::ALL.iter().all(|k| case_kind(k.as_str()) != unknown));
        assert!(CaseStatus::ALL.iter().all(|s| case_status(s.as_str()) != unknown));
        assert!(Channel::ALL.iter().all(|c| channel(c.as_str()) != unknown));
        assert_eq!(case_status("no_such_status"), unknown);
    }
}
