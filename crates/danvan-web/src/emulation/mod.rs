//! Emulation and commendation (issue 11): people's and collectives' records, their import from
//! spreadsheets, the eligibility page (the engine's unmet conditions as sentences from the
//! catalogues), the settings over time (`settings.rs`), nomination lists and their councils
//! (`nominations.rs`), decisions (`decisions.rs`, the API in `api_council.rs`). Pages in `pages.rs` and `import.rs`, the JSON API in `api.rs`, the sentences and
//! labels both share in this file. "Dân vận khéo" models: `models.rs` (officials' pages),
//! `gallery.rs` (the public showcase, photos, field teams), `models_api.rs`. The annual statistical
//! forms 0601–0605, computed and as XLSX: `statistics.rs`. Decisions and certificates as files:
//! `decision_files.rs`; a unit's calibration for printing on blanks: `calibration.rs`.

pub mod api;
pub mod api_council;
pub mod calibration;
pub mod decision_files;
pub mod decisions;
pub mod gallery;
pub mod import;
pub mod models;
pub mod models_api;
pub mod movement_api;
pub mod movement_labels;
pub mod movements;
pub mod nominations;
pub mod pages;
pub mod scores;
pub mod settings;
pub mod statistics;

use crate::i18n::{self, Lang};

/// The units whose emulation work the caller reads, by name (value: code), for the forms' unit
/// pickers (a `<datalist>`, `emulation/unit_picks.html`): chosen by name, never typed as a code.
pub(crate) async fn unit_picks(
    state: &crate::AppState,
    ctx: &crate::ctx::Ctx,
) -> Result<Vec<crate::html::Opt>, crate::error::WebError> {
    // A person reading their own record has no units to pick from: an empty list.
    let units = danvan_app::emulation::unit_picks(&state.app, &ctx.caller).await?;
    Ok(units.into_iter().map(|(value, label)| crate::html::Opt { value, label }).collect())
}

/// The officials with a role in the caller's units (value: username), for the forms that name an
/// account (a record's own account, an appraiser): chosen by name (`emulation/official_picks.html`).
pub(crate) async fn official_picks(
    state: &crate::AppState,
    ctx: &crate::ctx::Ctx,
) -> Result<Vec<crate::html::Opt>, crate::error::WebError> {
    let units: Vec<_> = ctx.caller.memberships.iter().map(|m| m.unit_id).collect();
    if units.is_empty() {
        return Ok(vec![]);
    }
    let (accounts, _) = danvan_app::org::queries::list_accounts(&state.app, "", Some(&units), 2000, 0).await?;
    Ok(accounts.into_iter().map(|a| crate::html::Opt { label: a.full_name, value: a.username }).collect())
}
use danvan_domain::emulation::{self as em, Award, Reason, Verdict};

pub fn routes() -> crate::routes::Routes {
    pages::routes()
        .merge(import::routes())
        .merge(settings::routes())
        .merge(models::routes())
        .merge(gallery::routes())
        .merge(nominations::routes())
        .merge(decisions::routes())
        .merge(decision_files::routes())
        .merge(calibration::routes())
        .merge(movements::routes())
        .merge(scores::routes())
        .merge(statistics::routes())
}

/// Routes that take photos (multipart): the router gives them the upload limit.
pub fn upload_routes() -> crate::routes::Routes {
    models::upload_routes()
}

fn engine_lang(lang: Lang) -> em::Lang {
    if lang == Lang::Vi {
        em::Lang::Vi
    } else {
        em::Lang::En
    }
}

/// An unmet condition as a sentence, from the catalogue's `Reason::key()` with its parameters.
pub fn sentence(lang: Lang, r: &Reason) -> String {
    if let Reason::AnyOf(alternatives) = r {
        let parts: Vec<String> =
            alternatives.iter().map(|alt| alt.iter().map(|r| sentence(lang, r)).collect::<Vec<_>>().join(", ")).collect();
        let joined = parts.join(if lang == Lang::Vi { "; hoặc " } else { "; or " });
        return i18n::tf(lang, r.key(), &[("alternatives", &joined)]);
    }
    let values: Vec<(&str, String)> = r.params().into_iter().map(|(k, p)| (k, p.render(engine_lang(lang)))).collect();
    let args: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
    i18n::tf(lang, r.key(), &args)
}

/// A legal basis as cited in `lang`.
pub fn basis(lang: Lang, b: &em::LegalBasis) -> String {
    if lang == Lang::Vi {
        b.render_vi()
    } else {
        b.render_en()
    }
}

/// One line of a verdict: the rule, the sentence, the legal basis.
pub struct Line {
    pub rule: String,
    pub text: String,
    pub basis: String,
}

/// A verdict for a page or the API: eligible (with the rules met and what the council still
/// judges), or each unmet condition.
pub struct Explained {
    pub eligible: bool,
    pub unmet: Vec<Line>,
    pub met: Vec<Line>,
    pub judged: Vec<String>,
}

pub fn explain(lang: Lang, v: &Verdict) -> Explained {
    let cite = |bs: &[em::LegalBasis]| bs.iter().map(|b| basis(lang, b)).collect::<Vec<_>>().join("; ");
    match v {
        Verdict::Eligible { basis: met, judged } => Explained {
            eligible: true,
            unmet: vec![],
            met: met.iter().map(|(rule, bs)| Line { rule: rule.as_str().into(), text: String::new(), basis: cite(bs) }).collect(),
            judged: judged.iter().map(|k| i18n::t(lang, k)).collect(),
        },
        Verdict::Ineligible(unmet) => Explained {
            eligible: false,
            unmet: unmet
                .iter()
                .map(|u| Line { rule: u.rule.as_str().into(), text: sentence(lang, &u.reason), basis: cite(&u.basis) })
                .collect(),
            met: vec![],
            judged: vec![],
        },
    }
}

pub fn award_name(lang: Lang, a: Award) -> &'static str {
    if lang == Lang::Vi {
        a.name_vi()
    } else {
        a.name_en()
    }
}

/// The awards as select options, in the engine's order.
pub fn award_options(lang: Lang) -> Vec<crate::html::Opt> {
    Award::ALL.iter().map(|a| crate::html::Opt { value: a.as_str().into(), label: award_name(lang, *a).into() }).collect()
}

/// An indicator's name in the catalogue, in `lang`.
pub fn indicator_name(lang: Lang, i: danvan_domain::indicators::Indicator) -> &'static str {
    let d = i.definition();
    if lang == Lang::Vi {
        d.name_vi
    } else {
        d.name_en
    }
}
