//! danvan's application layer: one public function per use case, taking the application, the
//! caller and a typed input. Each validates, calls `authorize()` and makes one store call that
//! owns one transaction. Pages, the JSON API, Open311, the CLI, imports, jobs and the demo call
//! these functions; none of them decides a rule of its own.

pub mod audit;
pub mod calendar;
pub mod caller;
pub mod cases;
pub mod emulation;
pub mod error;
pub mod health;
pub mod indicators;
pub mod input;
pub mod jobs;
pub mod open311;
pub mod org;
pub mod review;
pub mod settings;

pub use caller::Caller;
pub use error::{AppError, AppResult};

use danvan_store::Store;
use std::sync::Arc;

/// What the use cases need besides the caller: the store and the settings given at start.
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// Answers to citizens: SMTP, the outgoing webhook, the public address for links.
    pub delivery: cases::delivery::DeliveryConfig,
    /// Where photos and attachment files are kept (metadata lives in the database).
    pub uploads_dir: std::path::PathBuf,
}

impl Default for AppConfig {
    fn default() -> Self {
        AppConfig { delivery: cases::delivery::DeliveryConfig::default(), uploads_dir: "data/uploads".into() }
    }
}

/// The application: its store, its configuration and its file storage. Cheap to clone.
#[derive(Clone)]
pub struct App {
    pub(crate) store: Store,
    pub config: Arc<AppConfig>,
    pub uploads: Arc<cases::files::Uploads>,
    /// The key signing the public form's start time (`cases::spam`), read once.
    pub(crate) form_key: Arc<tokio::sync::OnceCell<Vec<u8>>>,
}

impl App {
    pub fn new(store: Store, config: AppConfig) -> App {
        let uploads = Arc::new(cases::files::Uploads::new(config.uploads_dir.clone()));
        App { store, config: Arc::new(config), uploads, form_key: Default::default() }
    }

    /// Signs with this key rather than the database's (tests sign start times themselves).
    pub fn with_form_key(mut self, key: &[u8]) -> App {
        self.form_key = Arc::new(tokio::sync::OnceCell::new_with(Some(key.to_vec())));
        self
    }
}
