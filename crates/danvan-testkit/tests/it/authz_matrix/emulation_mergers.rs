//! The history of merged units in the role × route matrix: the API's list of records (with what
//! the caller's units took over from dissolved units) is for everyone signed in, each seeing what
//! they may; the pages that show it (`/emulation`, a record) are in `emulation.rs`.

use super::{c, Body, Case, Fresh, SIGNED_IN};
use reqwest::Method;

pub(super) fn cases() -> Vec<Case> {
    vec![c(Method::GET, "/api/v1/emulation/records", Body::None, Fresh::None, SIGNED_IN)]
}
