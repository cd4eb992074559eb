//! Photos of a public submission refused for another field (a missing title, a form sent too
//! fast): kept on the server so the resident does not choose them again. They wait in the
//! uploads' `tmp/` under a random token that the form shown again carries in a hidden field,
//! and go with the `tmp/` sweep after `TMP_MAX_AGE` (an hour) — the expiry. Only files that pass
//! the photo checks made before decoding (number, size, kind by content) are kept; decoding
//! happens, as for any photo, only when the whole submission is accepted.

use super::files::{Incoming, Uploads};
use danvan_domain::cases::attachment;

/// Photos kept for a form shown again: the token to send back, and the files' names to show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Kept {
    pub token: String,
    pub names: Vec<String>,
}

fn valid_token(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

fn data_path(uploads: &Uploads, token: &str, i: usize) -> std::path::PathBuf {
    uploads.dir.join("tmp").join(format!("pending-{token}-{i}.part"))
}

fn name_path(uploads: &Uploads, token: &str, i: usize) -> std::path::PathBuf {
    uploads.dir.join("tmp").join(format!("pending-{token}-{i}.name"))
}

/// Keeps the photos among `files` that pass the checks made before decoding (at most
/// `MAX_PHOTOS`); `None` when there is none to keep, or the disk refuses.
pub async fn keep(uploads: &Uploads, files: Vec<Incoming>) -> Option<Kept> {
    let photos: Vec<Incoming> = files
        .into_iter()
        .filter(|f| f.field == "photos" && !f.bytes.is_empty())
        .enumerate()
        .filter(|(i, f)| attachment::check_photo(*i, f.size, &f.bytes[..f.bytes.len().min(16)]).is_ok())
        .map(|(_, f)| f)
        .take(attachment::MAX_PHOTOS)
        .collect();
    if photos.is_empty() {
        return None;
    }
    let token = danvan_store::org::auth::random_token();
    tokio::fs::create_dir_all(uploads.dir.join("tmp")).await.ok()?;
    let mut names = vec![];
    for (i, f) in photos.iter().enumerate() {
        let name = attachment::display_name(&f.file_name, attachment::FileKind::Jpeg);
        let written = tokio::fs::write(data_path(uploads, &token, i), &f.bytes).await.is_ok()
            && tokio::fs::write(name_path(uploads, &token, i), f.file_name.as_bytes()).await.is_ok();
        if !written {
            discard(uploads, &token).await;
            return None;
        }
        names.push(name);
    }
    Some(Kept { token, names })
}

/// The photos kept under `token`, removed from the disk (a form sent again keeps them anew if
/// it is refused again). An unknown, expired or malformed token gives none.
pub async fn take(uploads: &Uploads, token: &str) -> Vec<Incoming> {
    let token = token.trim();
    if !valid_token(token) {
        return vec![];
    }
    let mut out = vec![];
    for i in 0..attachment::MAX_PHOTOS {
        let Ok(bytes) = tokio::fs::read(data_path(uploads, token, i)).await else { break };
        let file_name = tokio::fs::read_to_string(name_path(uploads, token, i)).await.unwrap_or_default();
        out.push(Incoming { field: "photos".into(), file_name, size: bytes.len(), bytes });
    }
    discard(uploads, token).await;
    out
}

async fn discard(uploads: &Uploads, token: &str) {
    for i in 0..attachment::MAX_PHOTOS {
        let _ = tokio::fs::remove_file(data_path(uploads, token, i)).await;
        let _ = tokio::fs::remove_file(name_path(uploads, token, i)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

    fn photo(name: &str, bytes: &[u8]) -> Incoming {
        Incoming { field: "photos".into(), file_name: name.into(), bytes: bytes.to_vec(), size: bytes.len() }
    }

    #[tokio::test]
    async fn kept_photos_come_back_once_and_only_with_their_token() {
        let dir = std::env::temp_dir().join(format!("danvan-pending-{}", danvan_store::org::auth::random_token()));
        let uploads = Uploads::new(&dir);
        let kept = keep(&uploads, vec![photo("a.png", PNG), photo("note.txt", b"not a photo at all")]).await.expect("kept");
        assert_eq!(kept.names.len(), 1, "only what passes the photo checks");
        assert!(take(&uploads, "../../etc/passwd").await.is_empty());
        assert!(take(&uploads, &"0".repeat(64)).await.is_empty());
        let back = take(&uploads, &kept.token).await;
        assert_eq!(back.len(), 1);
        assert_eq!(back[0].bytes, PNG);
        assert_eq!(back[0].file_name, "a.png");
        assert!(take(&uploads, &kept.token).await.is_empty(), "taken once");
        assert!(keep(&uploads, vec![photo("x.txt", b"text")]).await.is_none());
        let _ = std::fs::remove_dir_all(dir);
    }
}
