//! What is judged on a whole list rather than on one record: the share cap on Chiến sĩ thi đua
//! cơ sở (R3) and the tie-break order (R10: women, and collectives with at least 70 % women,
//! come first among equals).

use super::{EmulationSettings, Reason, RecipientKind, Record};

/// R3: with the cap on (a local rule; none in the law), `proposed` Chiến sĩ thi đua cơ sở may be
/// at most ⌊cap % × `advanced_workers`⌋; the reason when the list exceeds it.
pub fn grassroots_cap(proposed: u32, advanced_workers: u32, settings: &EmulationSettings) -> Option<Reason> {
    let percent = settings.grassroots_cap_percent?;
    let max = (u64::from(advanced_workers) * u64::from(percent) / 100) as u32;
    (proposed > max).then_some(Reason::ShareCap { percent, proposed, advanced: advanced_workers, max })
}

/// A name on a list with the score it was ranked by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: String,
    pub score: i64,
    pub kind: RecipientKind,
    pub woman: bool,
    pub members: u32,
    pub women_members: u32,
}

impl Candidate {
    pub fn from_record(id: &str, score: i64, record: &Record) -> Candidate {
        Candidate {
            id: id.into(),
            score,
            kind: record.kind,
            woman: record.woman,
            members: record.members.len() as u32,
            women_members: record.members.iter().filter(|m| m.woman).count() as u32,
        }
    }

    /// Comes first among equals: a woman, or a collective with at least `percent` % women.
    pub fn has_priority(&self, percent: u32) -> bool {
        match self.kind {
            RecipientKind::Individual => self.woman,
            RecipientKind::Collective => {
                self.members > 0 && u64::from(self.women_members) * 100 >= u64::from(percent) * u64::from(self.members)
            }
            RecipientKind::Household => false,
        }
    }
}

/// Orders a list: higher score first; on equal scores, those with priority first; otherwise the
/// order given (the sort is stable).
pub fn tie_break(candidates: &mut [Candidate], settings: &EmulationSettings) {
    let percent = settings.women_priority_percent;
    candidates.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| b.has_priority(percent).cmp(&a.has_priority(percent))));
}
