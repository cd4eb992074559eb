//! danvan's domain: entities and rules with no I/O. Names follow the glossary.

pub mod account;
pub mod attachment;
pub mod authz;
pub mod calendar;
pub mod case;
pub mod category;
pub mod delivery;
pub mod document;
pub mod errors;
pub mod geo;
pub mod inbox;
pub mod lunar;
pub mod settings;
pub mod text;
pub mod unit;

pub use authz::{authorize, AccountId, Action, Actor, Denied, Membership, Resource, Role};
pub use errors::{FieldError, FieldErrors, UnknownValue};
pub use unit::{UnitId, UnitKind};
