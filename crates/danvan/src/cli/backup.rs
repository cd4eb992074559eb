//! `backup`: a consistent copy of the database and the uploaded files it names.

use crate::config::Settings;
use anyhow::{bail, Context, Result};
use danvan_store::Store;
use std::path::{Path, PathBuf};

pub async fn backup(settings: &Settings, file: &Path) -> Result<()> {
    let url = settings.database.clone();
    let uploads_dir = settings.uploads_dir();
    // A backup must not change the database it copies: no migrations here.
    let store = Store::connect_without_migrating(&url).await.with_context(|| format!("opening database {url}"))?;
    if file.exists() {
        bail!("{} exists; choose a new file", file.display());
    }
    // The files named by the database, copied after its snapshot: files are never changed
    // once stored, so every one the snapshot names is still there (or was deleted since).
    let copy_uploads = |store: Store| {
        let from = uploads_dir.clone();
        let to = PathBuf::from(format!("{}.uploads", file.display()));
        async move {
            // A database from before attachments existed has no such table: nothing to copy.
            let keys = store.attachment_keys().await.unwrap_or_else(|e| {
                eprintln!("no uploads listed: {e}");
                vec![]
            });
            let mut copied = 0usize;
            for k in &keys {
                let (src, dst) = (from.join(k), to.join(k));
                if let Some(parent) = dst.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                match std::fs::copy(&src, &dst) {
                    Ok(_) => copied += 1,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => eprintln!("missing upload {}", src.display()),
                    Err(e) => return Err(anyhow::Error::from(e).context(format!("copying {}", src.display()))),
                }
            }
            if copied > 0 {
                println!("{copied} uploaded files copied to {}", to.display());
            }
            Ok::<_, anyhow::Error>(())
        }
    };
    if store.backup_sqlite(&file.to_string_lossy()).await? {
        println!("backup written to {}", file.display());
        let snapshot = Store::connect_without_migrating(&format!("sqlite:{}", file.display())).await?;
        copy_uploads(snapshot).await?;
    } else {
        copy_uploads(store.clone()).await?;
        println!(
            "PostgreSQL: take a consistent online backup with\n  pg_dump --format=custom --file={} '{}'",
            file.display(),
            redact(&url)
        );
    }
    Ok(())
}

/// The URL without its password, for printing.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => match url[s + 3..at].split_once(':') {
            Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
            None => url.to_string(),
        },
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn printed_urls_hide_passwords() {
        assert_eq!(super::redact("postgres://danvan:s3cret@db/danvan"), "postgres://danvan:***@db/danvan");
        assert_eq!(super::redact("postgres://danvan@db/danvan"), "postgres://danvan@db/danvan");
        assert_eq!(super::redact("sqlite:data/danvan.db"), "sqlite:data/danvan.db");
    }
}
