//! What may be attached to a case, decided from the bytes themselves (never the file name or the
//! browser's declared type): photos with a case, documents with its answer, and their limits.

/// A citizen may send this many photos with one case.
pub const MAX_PHOTOS: usize = 5;
/// Each photo, as uploaded (before it is re-encoded).
pub const MAX_PHOTO_BYTES: usize = 10 * 1024 * 1024;
/// Files an officer may attach to one answer.
pub const MAX_ANSWER_FILES: usize = 10;
/// Each answer file (a scanned, signed document can be large).
pub const MAX_ANSWER_FILE_BYTES: usize = 20 * 1024 * 1024;
/// A decoded photo may not be wider or taller than this, nor hold more pixels than
/// `MAX_PIXELS`: a tiny file can claim a huge image (a decompression bomb).
pub const MAX_DIMENSION: u32 = 12_000;
pub const MAX_PIXELS: u64 = 50_000_000;
/// Stored photos are at most this long on their long side; thumbnails this long.
pub const STORED_LONG_SIDE: u32 = 2560;
pub const THUMB_LONG_SIDE: u32 = 320;

/// What an attachment is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Purpose {
    /// A photo the citizen sent with the case.
    #[default]
    Photo,
    /// A file attached to the answer.
    Answer,
    /// A reference an Open311 client sent (kept, never fetched).
    MediaUrl,
}

impl Purpose {
    pub const ALL: [Purpose; 3] = [Purpose::Photo, Purpose::Answer, Purpose::MediaUrl];
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Photo => "photo",
            Purpose::Answer => "answer",
            Purpose::MediaUrl => "media_url",
        }
    }
    pub fn parse(s: &str) -> Option<Purpose> {
        Purpose::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// How the store decodes a stored purpose: an unknown name is an error, never a default.
impl TryFrom<String> for Purpose {
    type Error = crate::UnknownValue;
    fn try_from(s: String) -> Result<Purpose, Self::Error> {
        Purpose::parse(&s).ok_or(crate::UnknownValue { what: "attachment purpose", value: s })
    }
}

/// Compares with a stored name (`x == "…"`): tests and templates read so.
impl PartialEq<&str> for Purpose {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for Purpose {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl AsRef<str> for Purpose {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Display for Purpose {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Purpose {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Jpeg,
    Png,
    Webp,
    Pdf,
}

impl FileKind {
    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
            FileKind::Webp => "image/webp",
            FileKind::Pdf => "application/pdf",
        }
    }
    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Jpeg => "jpg",
            FileKind::Png => "png",
            FileKind::Webp => "webp",
            FileKind::Pdf => "pdf",
        }
    }
    pub fn is_image(self) -> bool {
        !matches!(self, FileKind::Pdf)
    }
}

/// The kind of file these bytes are, by their signature ("magic bytes").
pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(FileKind::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(FileKind::Png)
    } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(FileKind::Webp)
    } else if bytes.starts_with(b"%PDF-") {
        Some(FileKind::Pdf)
    } else {
        None
    }
}

/// Why one uploaded file is refused; each is a translation key for the field's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    TooMany,
    TooLarge,
    WrongType,
    TooManyPixels,
    Unreadable,
}

impl Refusal {
    pub fn key(self) -> &'static str {
        match self {
            Refusal::TooMany => "photo.error.too_many",
            Refusal::TooLarge => "photo.error.too_large",
            Refusal::WrongType => "photo.error.type",
            Refusal::TooManyPixels => "photo.error.dimensions",
            Refusal::Unreadable => "photo.error.unreadable",
        }
    }
}

/// Checks the `index`-th photo (0-based) of a submission from its size and first bytes.
pub fn check_photo(index: usize, size: usize, head: &[u8]) -> Result<FileKind, Refusal> {
    if index >= MAX_PHOTOS {
        return Err(Refusal::TooMany);
    }
    if size > MAX_PHOTO_BYTES {
        return Err(Refusal::TooLarge);
    }
    match sniff(head) {
        Some(k) if k.is_image() => Ok(k),
        _ => Err(Refusal::WrongType),
    }
}

/// Checks the `index`-th file attached to an answer (a PDF or a photo).
pub fn check_answer_file(index: usize, size: usize, head: &[u8]) -> Result<FileKind, Refusal> {
    if index >= MAX_ANSWER_FILES {
        return Err(Refusal::TooMany);
    }
    if size > MAX_ANSWER_FILE_BYTES {
        return Err(Refusal::TooLarge);
    }
    sniff(head).ok_or(Refusal::WrongType)
}

/// Whether a decoded image of these dimensions may be decoded at all.
pub fn dimensions_allowed(width: u32, height: u32) -> bool {
    width > 0
        && height > 0
        && width <= MAX_DIMENSION
        && height <= MAX_DIMENSION
        && u64::from(width) * u64::from(height) <= MAX_PIXELS
}

/// The size an image is scaled to so that its long side is at most `long_side` (never enlarged).
pub fn fit_within(width: u32, height: u32, long_side: u32) -> (u32, u32) {
    let long = width.max(height);
    if long <= long_side || long == 0 {
        return (width, height);
    }
    let scale = |v: u32| ((u64::from(v) * u64::from(long_side) + u64::from(long) / 2) / u64::from(long)).max(1) as u32;
    (scale(width), scale(height))
}

/// A file name safe to show and to offer in `Content-Disposition`: the last path component,
/// control characters and quotes removed, at most 120 characters; a default when nothing is left.
pub fn display_name(name: &str, kind: FileKind) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last.chars().filter(|c| !c.is_control() && !matches!(c, '"' | ';' | '<' | '>')).take(120).collect();
    let cleaned = cleaned.trim().to_string();
    if cleaned.is_empty() || cleaned.starts_with('.') {
        format!("tep.{}", kind.extension())
    } else {
        cleaned
    }
}

/// Only plain web addresses are kept as references (never fetched by the server).
pub fn valid_media_url(url: &str) -> bool {
    let u = url.trim();
    u.len() <= 2048
        && (u.starts_with("https://") || u.starts_with("http://"))
        && u.len() > "https://".len()
        && !u.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG_HEAD: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

    #[test]
    fn sniffs_by_content_not_by_name() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(FileKind::Jpeg));
        assert_eq!(sniff(PNG_HEAD), Some(FileKind::Png));
        assert_eq!(sniff(b"RIFF\x10\0\0\0WEBPVP8 "), Some(FileKind::Webp));
        assert_eq!(sniff(b"%PDF-1.7\n"), Some(FileKind::Pdf));
        assert_eq!(sniff(b"<html><script>alert(1)</script>"), None);
        assert_eq!(sniff(b"RIFF\x10\0\0\0WAVEfmt "), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn a_text_file_named_jpg_is_refused_and_a_png_named_jpg_is_a_png() {
        // The name is not consulted at all: only the bytes decide.
        assert_eq!(check_photo(0, 20, b"just some text, not a photo"), Err(Refusal::WrongType));
        assert_eq!(check_photo(0, 20, PNG_HEAD), Ok(FileKind::Png));
    }

    #[test]
    fn a_pdf_is_not_a_photo_but_may_be_attached_to_an_answer() {
        assert_eq!(check_photo(0, 100, b"%PDF-1.4"), Err(Refusal::WrongType));
        assert_eq!(check_answer_file(0, 100, b"%PDF-1.4"), Ok(FileKind::Pdf));
        assert_eq!(check_answer_file(0, 100, b"MZ\x90\0"), Err(Refusal::WrongType));
    }

    #[test]
    fn the_sixth_photo_is_refused() {
        for i in 0..MAX_PHOTOS {
            assert!(check_photo(i, 10, PNG_HEAD).is_ok());
        }
        assert_eq!(check_photo(MAX_PHOTOS, 10, PNG_HEAD), Err(Refusal::TooMany));
    }

    #[test]
    fn more_than_ten_megabytes_is_refused() {
        assert!(check_photo(0, MAX_PHOTO_BYTES, PNG_HEAD).is_ok());
        assert_eq!(check_photo(0, MAX_PHOTO_BYTES + 1, PNG_HEAD), Err(Refusal::TooLarge));
    }

    #[test]
    fn oversized_dimensions_are_refused() {
        assert!(dimensions_allowed(4000, 3000));
        assert!(!dimensions_allowed(MAX_DIMENSION + 1, 10));
        assert!(!dimensions_allowed(10_000, 10_000)); // 100 MP
        assert!(!dimensions_allowed(0, 10));
    }

    #[test]
    fn fitting_keeps_the_aspect_ratio_and_never_enlarges() {
        assert_eq!(fit_within(4000, 3000, 2560), (2560, 1920));
        assert_eq!(fit_within(3000, 4000, 320), (240, 320));
        assert_eq!(fit_within(800, 600, 2560), (800, 600));
        assert_eq!(fit_within(10_000, 1, 320), (320, 1));
    }

    #[test]
    fn display_names_lose_paths_and_quotes() {
        assert_eq!(display_name("C:\\Users\\an\\ảnh 1.jpg", FileKind::Jpeg), "ảnh 1.jpg");
        assert_eq!(display_name("../../etc/passwd", FileKind::Pdf), "passwd");
        assert_eq!(display_name("a\"b\r\n.pdf", FileKind::Pdf), "ab.pdf");
        assert_eq!(display_name("", FileKind::Png), "tep.png");
        assert_eq!(display_name(".htaccess", FileKind::Png), "tep.png");
    }

    #[test]
    fn media_urls_are_plain_web_addresses() {
        assert!(valid_media_url("https://example.org/a.jpg"));
        assert!(!valid_media_url("file:///etc/passwd"));
        assert!(!valid_media_url("javascript:alert(1)"));
        assert!(!valid_media_url("https://"));
        assert!(!valid_media_url("https://a b"));
    }
}
