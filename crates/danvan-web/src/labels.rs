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
