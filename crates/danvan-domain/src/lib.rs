//! danvan's domain: entities and rules with no I/O. Names follow the glossary.

// The areas' vocabularies are declared with it: first, so that every module below sees it.
#[macro_use]
mod str_enum;

// Areas: the organisation, citizens' cases, the calendar, emulation and commendation, review, settings.
pub mod calendar;
pub mod cases;
pub mod emulation;
pub mod indicators;
pub mod org;
pub mod review;
pub mod settings;

// Shared by every area.
pub mod authz;
pub mod errors;
pub mod text;

pub use authz::{authorize, AccountId, Action, Actor, Denied, Membership, Resource, Role};
pub use errors::{FieldError, FieldErrors, UnknownValue};
pub use org::unit::{UnitId, UnitKind};
