//! The indicator catalogue: each measure danvan computes from the work it records, defined once
//! (key, name and meaning in Vietnamese and English, formula, policy or legal basis, unit and
//! direction) and shared by the emulation movements' scores (issue 11) and the review dashboards
//! and reports (issue 12, which extends it).
//!
//! - `mod.rs`: the catalogue ([`Indicator`], [`Definition`], [`CATALOGUE`]);
//! - `cases.rs`: the case indicators computed from counts (or case facts) for a unit's subtree
//!   and a period;
//! - `period.rs`: the whole months dashboards and reports cover.

mod cases;
mod period;

pub use cases::*;
pub use period::*;

use serde::{Deserialize, Serialize};

str_enum! {
    /// An indicator's key, as stored on a movement's criterion.
    Indicator {
        CasesReceived = "cases_received",
        CasesAnswered = "cases_answered",
        AnsweredOnTimeShare = "answered_on_time_share",
        MedianAnswerDays = "median_answer_days",
        P90AnswerDays = "p90_answer_days",
        Satisfaction = "satisfaction",
        ReopenedShare = "reopened_share",
        TransferredShare = "transferred_share",
        OverdueNow = "overdue_now",
    }
}

str_enum! {
    /// Whether more of the indicator is better or worse.
    Direction {
        HigherIsBetter = "higher",
        LowerIsBetter = "lower",
    }
}

str_enum! {
    /// The unit an indicator's value is given in.
    Measure {
        Count = "count",
        Percent = "percent",
        WorkingDays = "working_days",
        /// A mean of ratings from 1 to 5.
        Rating = "rating",
    }
}

/// One indicator, defined once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Definition {
    pub key: Indicator,
    pub name_vi: &'static str,
    pub name_en: &'static str,
    pub meaning_vi: &'static str,
    pub meaning_en: &'static str,
    /// The formula, in the terms of the case facts (`cases.rs`), as computed.
    pub formula: &'static str,
    /// The policy or legal basis the indicator serves.
    pub basis: &'static str,
    pub unit: Measure,
    pub direction: Direction,
}

const LAW_PETITIONS: &str =
    "Luật Tiếp công dân 2013; Luật Khiếu nại 2011 Điều 28; Luật Tố cáo 2018 Điều 30; Nghị định 124/2020/NĐ-CP";

/// The catalogue, in the order pages list it.
pub const CATALOGUE: &[Definition] = &[
    Definition {
        key: Indicator::CasesReceived,
        name_vi: "Số vụ việc tiếp nhận",
        name_en: "Cases received",
        meaning_vi: "Số phản ánh, kiến nghị, khiếu nại, tố cáo do các đơn vị trong phạm vi tiếp nhận trong kỳ.",
        meaning_en: "Feedback, petitions, complaints and denunciations received by the units in scope during the period.",
        formula: "received = count(cases handled in the unit's subtree with received_on in [from, to])",
        basis: "Quy chế dân vận (Quyết định 23-QĐ/TW năm 2021); Luật Tiếp công dân 2013",
        unit: Measure::Count,
        direction: Direction::HigherIsBetter,
    },
    Definition {
        key: Indicator::CasesAnswered,
        name_vi: "Số vụ việc đã trả lời",
        name_en: "Cases answered",
        meaning_vi: "Số vụ việc nhận trong kỳ đã có văn bản trả lời gửi người dân (không tính vụ việc đang mở lại).",
        meaning_en: "Cases received in the period whose answer has been sent to the citizen (a reopened case counts once answered again).",
        formula: "answered = count(received cases with answered_at set)",
        basis: LAW_PETITIONS,
        unit: Measure::Count,
        direction: Direction::HigherIsBetter,
    },
    Definition {
        key: Indicator::AnsweredOnTimeShare,
        name_vi: "Tỷ lệ trả lời đúng hạn",
        name_en: "Share answered on time",
        meaning_vi: "Trong số vụ việc đã trả lời, tỷ lệ vụ việc trả lời không muộn hơn hạn giải quyết (theo ngày giờ Việt Nam).",
        meaning_en: "Of the cases answered, the share answered no later than their resolution due date (Vietnamese calendar day).",
        formula: "on_time_share = 100 × on_time / answered, where on_time = count(answered cases with resolve_due set and the Vietnamese date of answered_at ≤ resolve_due); none when answered = 0",
        basis: LAW_PETITIONS,
        unit: Measure::Percent,
        direction: Direction::HigherIsBetter,
    },
    Definition {
        key: Indicator::MedianAnswerDays,
        name_vi: "Số ngày làm việc trả lời (trung vị)",
        name_en: "Median working days to answer",
        meaning_vi: "Trung vị số ngày làm việc từ ngày tiếp nhận đến ngày trả lời của các vụ việc đã trả lời (theo lịch làm việc, trừ ngày nghỉ lễ, Tết).",
        meaning_en: "The median number of working days from receipt to answer of the cases answered (on the working calendar, holidays excluded).",
        formula: "median_days = median over answered cases of answer_work_days (working_days_between(received_on, Vietnamese date of answered_at) on the working calendar when the answer was sent); with an even count the mean of the two middle values; none when answered = 0",
        basis: LAW_PETITIONS,
        unit: Measure::WorkingDays,
        direction: Direction::LowerIsBetter,
    },
    Definition {
        key: Indicator::P90AnswerDays,
        name_vi: "Số ngày làm việc trả lời (90% vụ việc)",
        name_en: "Working days to answer (90th percentile)",
        meaning_vi: "90% vụ việc đã trả lời được trả lời trong không quá số ngày làm việc này: cho thấy những vụ việc chậm nhất, mà trung vị che khuất.",
        meaning_en: "90% of the cases answered were answered within this many working days: it shows the slowest cases, which the median hides.",
        formula: "p90_days = the answer_work_days at rank ceil(0.9 × answered) of the answered cases in ascending order (nearest rank); none when answered = 0",
        basis: LAW_PETITIONS,
        unit: Measure::WorkingDays,
        direction: Direction::LowerIsBetter,
    },
    Definition {
        key: Indicator::Satisfaction,
        name_vi: "Mức độ hài lòng",
        name_en: "Satisfaction",
        meaning_vi: "Điểm đánh giá trung bình (1–5) người dân cho câu trả lời của các vụ việc nhận trong kỳ.",
        meaning_en: "The mean rating (1–5) citizens gave the answers of the cases received in the period.",
        formula: "satisfaction = sum(rating) / rated, where rated = count(received cases with a rating); none when rated = 0",
        basis: "Nghị quyết 76/NQ-CP năm 2021 (chỉ số hài lòng của người dân); Quy chế dân vận 2021",
        unit: Measure::Rating,
        direction: Direction::HigherIsBetter,
    },
    Definition {
        key: Indicator::ReopenedShare,
        name_vi: "Tỷ lệ vụ việc bị mở lại",
        name_en: "Share of cases reopened",
        meaning_vi: "Tỷ lệ vụ việc nhận trong kỳ mà người dân không đồng ý với câu trả lời và vụ việc phải mở lại.",
        meaning_en: "The share of cases received in the period that were reopened because the citizen disputed the answer.",
        formula: "reopened_share = 100 × reopened / received, where reopened = count(received cases with at least one 'reopen' history event); none when received = 0",
        basis: LAW_PETITIONS,
        unit: Measure::Percent,
        direction: Direction::LowerIsBetter,
    },
    Definition {
        key: Indicator::TransferredShare,
        name_vi: "Tỷ lệ vụ việc phải chuyển đơn vị",
        name_en: "Share of cases transferred",
        meaning_vi: "Tỷ lệ vụ việc nhận trong kỳ đã phải chuyển sang đơn vị khác giải quyết: cao nghĩa là vụ việc thường đến sai nơi lúc đầu.",
        meaning_en: "The share of cases received in the period that had to be transferred to another unit: high means cases often reach the wrong unit first.",
        formula: "transferred_share = 100 × transferred / received, where transferred = count(received cases with at least one 'transfer' history event); none when received = 0",
        basis: "Luật Tiếp công dân 2013 Điều 26; Nghị định 124/2020/NĐ-CP (chuyển đơn đến cơ quan có thẩm quyền)",
        unit: Measure::Percent,
        direction: Direction::LowerIsBetter,
    },
    Definition {
        key: Indicator::OverdueNow,
        name_vi: "Số vụ việc đang quá hạn",
        name_en: "Cases overdue now",
        meaning_vi: "Số vụ việc đang mở (không tạm dừng) của các đơn vị trong phạm vi đã quá hạn giải quyết (hoặc hạn thụ lý, khi chưa có hạn giải quyết) tính đến hôm nay.",
        meaning_en: "Open (not paused) cases of the units in scope past their resolution due date (or acceptance due date, before one is set) as of today.",
        formula: "overdue_now = count(cases in the subtree with an open status other than paused and COALESCE(resolve_due, accept_due) < today); a state, shown only for a period that includes today",
        basis: LAW_PETITIONS,
        unit: Measure::Count,
        direction: Direction::LowerIsBetter,
    },
];

impl Indicator {
    /// Whether the indicator measures the cases of a period (a movement's criterion may use it),
    /// rather than a state of today.
    pub fn measures_a_period(self) -> bool {
        self != Indicator::OverdueNow
    }

    /// The indicator's definition in the catalogue.
    pub fn definition(self) -> &'static Definition {
        CATALOGUE.iter().find(|d| d.key == self).expect("every indicator is in the catalogue")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_indicator_is_defined_once() {
        for i in Indicator::ALL {
            assert_eq!(CATALOGUE.iter().filter(|d| d.key == *i).count(), 1, "{i}");
            let d = i.definition();
            assert!(!d.name_vi.is_empty() && !d.name_en.is_empty() && !d.formula.is_empty() && !d.basis.is_empty());
        }
        assert_eq!(CATALOGUE.len(), Indicator::ALL.len());
    }
}
