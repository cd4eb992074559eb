//! Photos and attachment files: reading them from a multipart form, checking them by content,
//! re-encoding photos (which drops every piece of metadata, GPS included), and keeping the files
//! under the uploads directory. A file is written to `tmp/` first and renamed into place only
//! after the database has committed its row, so a failure leaves neither a row without its file
//! nor (after `discard`) a stray file. Reading the multipart form is the web layer's.

use danvan_domain::cases::attachment::{self, FileKind, Refusal};
use danvan_domain::FieldErrors;
use danvan_store::cases::attachments::NewAttachment;
use image::{DynamicImage, ImageDecoder, ImageReader};
use sha2::{Digest, Sha256};
use std::io::Cursor;
use std::path::{Path, PathBuf};
use tokio::sync::Semaphore;

/// At most this many photos are decoded at once across the whole server: each decoded image can
/// take up to `MAX_ALLOC` bytes, and the machine has few cores.
static DECODERS: Semaphore = Semaphore::const_new(2);
const MAX_ALLOC: u64 = 256 * 1024 * 1024;
const JPEG_QUALITY: u8 = 85;
const THUMB_QUALITY: u8 = 75;

/// A file part of a multipart form, as received.
pub struct Incoming {
    pub field: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
    /// Bigger than the route allows: the bytes were not kept.
    pub size: usize,
}

/// A photo after processing: JPEG bytes of the stored image and of its thumbnail.
#[derive(Debug)]
pub struct Processed {
    pub full: Vec<u8>,
    pub thumb: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// Decodes a photo within limits, turns it upright (EXIF orientation), caps its size and
/// re-encodes it as JPEG with a thumbnail. Nothing of the original's metadata survives.
pub fn process_photo_blocking(bytes: &[u8], kind: FileKind) -> Result<Processed, Refusal> {
    let format = match kind {
        FileKind::Jpeg => image::ImageFormat::Jpeg,
        FileKind::Png => image::ImageFormat::Png,
        FileKind::Webp => image::ImageFormat::WebP,
        FileKind::Pdf => return Err(Refusal::WrongType),
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(attachment::MAX_DIMENSION);
    limits.max_image_height = Some(attachment::MAX_DIMENSION);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(refusal)?;
    // The header's dimensions are checked before a single pixel is decoded.
    let (w, h) = decoder.dimensions();
    if !attachment::dimensions_allowed(w, h) {
        return Err(Refusal::TooManyPixels);
    }
    // `from_decoder` does not reserve against the limits (only `ImageReader::decode` does): a
    // small 16-bit file under the pixel cap could still claim hundreds of megabytes.
    if decoder.total_bytes() > MAX_ALLOC {
        return Err(Refusal::TooManyPixels);
    }
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(refusal)?;
    // Scaled down before turning and converting, so those copies are of the small image.
    // A quarter turn swaps the sides but not the long one, so the target size is the same.
    let (fw, fh) = attachment::fit_within(img.width(), img.height(), attachment::STORED_LONG_SIDE);
    if (fw, fh) != (img.width(), img.height()) {
        img = img.resize_exact(fw, fh, image::imageops::FilterType::Triangle);
    }
    img.apply_orientation(orientation);
    // JPEG has no alpha: transparent parts become white, not black.
    let rgb = flatten(img);
    let full = encode_jpeg(&rgb, JPEG_QUALITY)?;
    let (tw, th) = attachment::fit_within(rgb.width(), rgb.height(), attachment::THUMB_LONG_SIDE);
    let thumb_img = image::imageops::thumbnail(&rgb, tw, th);
    let thumb = encode_jpeg(&thumb_img, THUMB_QUALITY)?;
    Ok(Processed { full, thumb, width: rgb.width(), height: rgb.height() })
}

fn flatten(img: DynamicImage) -> image::RgbImage {
    if !img.color().has_alpha() {
        return img.into_rgb8();
    }
    let rgba = img.into_rgba8();
    image::RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let p = rgba.get_pixel(x, y).0;
        let a = u32::from(p[3]);
        let mix = |c: u8| ((u32::from(c) * a + 255 * (255 - a)) / 255) as u8;
        image::Rgb([mix(p[0]), mix(p[1]), mix(p[2])])
    })
}

fn encode_jpeg(img: &image::RgbImage, quality: u8) -> Result<Vec<u8>, Refusal> {
    let mut out = vec![];
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality).encode_image(img).map_err(|_| Refusal::Unreadable)?;
    Ok(out)
}

fn refusal(e: image::ImageError) -> Refusal {
    match e {
        image::ImageError::Limits(_) => Refusal::TooManyPixels,
        _ => Refusal::Unreadable,
    }
}

/// `process_photo_blocking` off the async threads, at most two at a time server-wide.
pub(crate) async fn process_photo(bytes: Vec<u8>, kind: FileKind) -> Result<Processed, Refusal> {
    let permit = DECODERS.acquire().await.map_err(|_| Refusal::Unreadable)?;
    // The permit lives in the blocking task: if the client goes away and this future is
    // dropped, the decoding goes on and still counts against the limit.
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        process_photo_blocking(&bytes, kind)
    })
    .await
    .map_err(|_| Refusal::Unreadable)?
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The uploads directory: `YYYY/MM/<uuid>.<ext>` files, `tmp/` for files not yet committed.
#[derive(Debug, Clone)]
pub struct Uploads {
    pub dir: PathBuf,
    /// Photos decoded since start: decoding is the costly part of an upload.
    decoded: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

/// Files written to `tmp/`, waiting for the database commit. Dropped without `promote` or
/// `discard` (the request's future was dropped when its client went away), it removes them.
#[derive(Debug, Default)]
pub struct Staged {
    moves: Vec<(PathBuf, PathBuf)>,
}

impl Drop for Staged {
    fn drop(&mut self) {
        for (tmp, _) in self.moves.drain(..) {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

/// Temporary files older than this are leftovers (a crash between writing and committing).
pub const TMP_MAX_AGE: std::time::Duration = std::time::Duration::from_secs(3600);

impl Uploads {
    pub fn new(dir: impl Into<PathBuf>) -> Uploads {
        Uploads { dir: dir.into(), decoded: Default::default() }
    }

    /// How many photos were decoded since start (tests check that refused forms decode none).
    pub fn decoded(&self) -> u64 {
        self.decoded.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn count_decode(&self) {
        self.decoded.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// The file a stored key names. Keys come from `stage` only, but are checked anyway so a
    /// tampered row cannot name a file outside the directory.
    pub fn path_of(&self, key: &str) -> Option<PathBuf> {
        let safe = !key.is_empty()
            && key.split('/').all(|p| !p.is_empty() && p != ".." && p != "." && !p.contains('\\'))
            && !key.starts_with('/');
        safe.then(|| self.dir.join(key))
    }

    /// Writes `bytes` to a temporary file and returns the key it will have once committed.
    pub async fn stage(&self, staged: &mut Staged, bytes: &[u8], suffix: &str) -> std::io::Result<String> {
        let now = chrono::Utc::now();
        let id = uuid::Uuid::now_v7().simple().to_string();
        let key = format!("{}/{}{suffix}", now.format("%Y/%m"), id);
        let tmp_dir = self.dir.join("tmp");
        tokio::fs::create_dir_all(&tmp_dir).await?;
        let tmp = tmp_dir.join(format!("{id}{suffix}.part"));
        let target = self.dir.join(&key);
        // The final folder exists before the commit, so the rename after it cannot fail for that.
        if let Some(parent) = target.parent() {
            tokio::fs::create_dir_all(parent).await?;
        }
        staged.moves.push((tmp.clone(), target));
        tokio::fs::write(&tmp, bytes).await?;
        Ok(key)
    }

    /// After the commit: the files take their place.
    pub async fn promote(&self, mut staged: Staged) {
        for (tmp, target) in std::mem::take(&mut staged.moves) {
            if let Err(e) = tokio::fs::rename(&tmp, &target).await {
                tracing::error!(error = %e, file = %target.display(), "could not move an upload into place");
            }
        }
    }

    /// After a failure: the temporary files go.
    pub async fn discard(&self, mut staged: Staged) {
        for (tmp, _) in std::mem::take(&mut staged.moves) {
            let _ = tokio::fs::remove_file(&tmp).await;
        }
    }

    /// Removes files in `tmp/` last changed more than `max_age` ago; returns how many. Run at
    /// start and hourly: a process that died between writing and committing leaves them.
    pub async fn sweep_tmp(&self, max_age: std::time::Duration) -> usize {
        let Ok(mut rd) = tokio::fs::read_dir(self.dir.join("tmp")).await else { return 0 };
        let mut n = 0;
        while let Ok(Some(e)) = rd.next_entry().await {
            let old = e
                .metadata()
                .await
                .ok()
                .and_then(|m| m.modified().ok())
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|a| a > max_age);
            if old && tokio::fs::remove_file(e.path()).await.is_ok() {
                n += 1;
            }
        }
        n
    }

    /// Removes a committed attachment's files (after its row was deleted).
    pub async fn remove(&self, keys: &[Option<String>]) {
        for k in keys.iter().flatten() {
            if let Some(p) = self.path_of(k) {
                let _ = tokio::fs::remove_file(p).await;
            }
        }
    }
}

/// Checks, processes and stages the photos of a case submission. Errors are reported under the
/// form field `photos`; on error nothing stays on disk.
pub(crate) async fn prepare_photos(uploads: &Uploads, files: Vec<Incoming>) -> Result<(Vec<NewAttachment>, Staged), FieldErrors> {
    let files: Vec<Incoming> = files.into_iter().filter(|f| f.field == "photos").collect();
    let mut staged = Staged::default();
    let mut out = vec![];
    let mut errors = FieldErrors::new();
    // Every file's number, size and kind are checked before any is decoded: a sixth photo or a
    // file that is no photo refuses the lot before the costly part.
    let mut kinds = vec![];
    for (i, f) in files.iter().enumerate() {
        match attachment::check_photo(i, f.size, &f.bytes[..f.bytes.len().min(16)]) {
            Ok(kind) => kinds.push(kind),
            Err(r) if errors.0.iter().all(|e| e.key != r.key()) => errors.add("photos", r.key()),
            Err(_) => {}
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    for (f, kind) in files.into_iter().zip(kinds) {
        uploads.count_decode();
        let processed = process_photo(f.bytes, kind).await;
        match processed {
            Ok(p) => {
                if !errors.is_empty() {
                    continue;
                }
                let name = attachment::display_name(&f.file_name, FileKind::Jpeg);
                let keys = match (
                    uploads.stage(&mut staged, &p.full, ".jpg").await,
                    uploads.stage(&mut staged, &p.thumb, "-t.jpg").await,
                ) {
                    (Ok(a), Ok(b)) => (a, b),
                    (Err(e), _) | (_, Err(e)) => {
                        uploads.discard(staged).await;
                        tracing::error!(error = %e, "could not write an upload");
                        return Err(FieldErrors::one("photos", "photo.error.storage"));
                    }
                };
                out.push(NewAttachment {
                    purpose: danvan_domain::cases::attachment::Purpose::Photo,
                    content_type: "image/jpeg".into(),
                    file_name: name,
                    storage_key: Some(keys.0),
                    thumb_key: Some(keys.1),
                    external_url: None,
                    bytes: p.full.len() as i64,
                    width: Some(i64::from(p.width)),
                    height: Some(i64::from(p.height)),
                    sha256: sha256_hex(&p.full),
                });
            }
            Err(r) => {
                // One message per kind of problem is enough next to the field.
                if errors.0.iter().all(|e| e.key != r.key()) {
                    errors.add("photos", r.key());
                }
            }
        }
    }
    if errors.is_empty() {
        Ok((out, staged))
    } else {
        uploads.discard(staged).await;
        Err(errors)
    }
}

/// Checks and stages files an officer attaches to an answer: photos re-encoded like a citizen's,
/// PDFs kept as sent.
pub(crate) async fn prepare_answer_files(
    uploads: &Uploads,
    files: Vec<Incoming>,
    already: usize,
) -> Result<(Vec<NewAttachment>, Staged), FieldErrors> {
    let mut staged = Staged::default();
    let mut out = vec![];
    let files: Vec<Incoming> = files.into_iter().filter(|f| f.field == "files").collect();
    // All of them checked (number, size, kind) before the first photo is decoded.
    let kinds = files
        .iter()
        .enumerate()
        .map(|(i, f)| attachment::check_answer_file(already + i, f.size, &f.bytes[..f.bytes.len().min(16)]))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|r| FieldErrors::one("files", r.key()))?;
    for (f, kind) in files.into_iter().zip(kinds) {
        let (bytes, thumb, dims, ct) = if kind.is_image() {
            uploads.count_decode();
            match process_photo(f.bytes, kind).await {
                Ok(p) => (p.full, Some(p.thumb), Some((p.width, p.height)), "image/jpeg"),
                Err(r) => {
                    uploads.discard(staged).await;
                    return Err(FieldErrors::one("files", r.key()));
                }
            }
        } else {
            (f.bytes, None, None, kind.content_type())
        };
        let ext = if kind.is_image() { ".jpg".to_string() } else { format!(".{}", kind.extension()) };
        let key = uploads.stage(&mut staged, &bytes, &ext).await;
        let thumb_key = match &thumb {
            Some(t) => Some(uploads.stage(&mut staged, t, "-t.jpg").await),
            None => None,
        };
        let (key, thumb_key) = match (key, thumb_key.transpose()) {
            (Ok(k), Ok(t)) => (k, t),
            (Err(e), _) | (_, Err(e)) => {
                tracing::error!(error = %e, "could not write an upload");
                uploads.discard(staged).await;
                return Err(FieldErrors::one("files", "photo.error.storage"));
            }
        };
        out.push(NewAttachment {
            purpose: danvan_domain::cases::attachment::Purpose::Answer,
            content_type: ct.into(),
            file_name: attachment::display_name(&f.file_name, if kind.is_image() { FileKind::Jpeg } else { kind }),
            storage_key: Some(key),
            thumb_key,
            external_url: None,
            bytes: bytes.len() as i64,
            width: dims.map(|d| i64::from(d.0)),
            height: dims.map(|d| i64::from(d.1)),
            sha256: sha256_hex(&bytes),
        });
    }
    Ok((out, staged))
}

/// Whether `dir` holds any file (tests and checks: nothing half-saved).
pub fn count_files(dir: &Path) -> usize {
    let Ok(rd) = std::fs::read_dir(dir) else { return 0 };
    rd.flatten().map(|e| if e.path().is_dir() { count_files(&e.path()) } else { 1 }).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(w: u32, h: u32) -> Vec<u8> {
        let img =
            image::RgbImage::from_fn(w, h, |x, _| if x < w / 2 { image::Rgb([255, 0, 0]) } else { image::Rgb([0, 0, 255]) });
        encode_jpeg(&img, 95).unwrap()
    }

    /// An EXIF block (big-endian TIFF) with an orientation and a GPS position, as phones write.
    fn exif_app1(orientation: u16) -> Vec<u8> {
        let mut t = vec![];
        t.extend_from_slice(b"MM\0\x2a\0\0\0\x08");
        t.extend_from_slice(&2u16.to_be_bytes()); // IFD0: two entries
        t.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1]);
        t.extend_from_slice(&orientation.to_be_bytes());
        t.extend_from_slice(&[0, 0]);
        t.extend_from_slice(&[0x88, 0x25, 0, 4, 0, 0, 0, 1]);
        t.extend_from_slice(&38u32.to_be_bytes()); // GPS IFD offset
        t.extend_from_slice(&0u32.to_be_bytes());
        assert_eq!(t.len(), 38);
        t.extend_from_slice(&1u16.to_be_bytes()); // GPS IFD: latitude reference "N"
        t.extend_from_slice(&[0, 1, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0]);
        t.extend_from_slice(&0u32.to_be_bytes());
        let mut payload = b"Exif\0\0".to_vec();
        payload.extend_from_slice(&t);
        let mut seg = vec![0xFF, 0xE1];
        seg.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        seg.extend_from_slice(&payload);
        seg
    }

    fn with_exif(jpeg: &[u8], orientation: u16) -> Vec<u8> {
        let mut out = jpeg[..2].to_vec(); // SOI
        out.extend_from_slice(&exif_app1(orientation));
        out.extend_from_slice(&jpeg[2..]);
        out
    }

    #[test]
    fn exif_and_gps_are_gone_and_the_orientation_is_applied() {
        let original = with_exif(&jpeg(40, 20), 6); // 6: rotate 90° clockwise to view
        assert!(original.windows(4).any(|w| w == b"Exif"), "the test photo carries EXIF");
        let p = process_photo_blocking(&original, FileKind::Jpeg).unwrap();
        assert_eq!((p.width, p.height), (20, 40), "turned upright");
        for out in [&p.full, &p.thumb] {
            assert!(!out.windows(4).any(|w| w == b"Exif"), "no EXIF left");
            assert!(!out.windows(2).any(|w| w == [0xFF, 0xE1]), "no APP1 segment left");
            assert_eq!(sniff_out(out), Some(FileKind::Jpeg));
        }
        // Red was on the left; after a clockwise turn it is on top.
        let img = image::load_from_memory(&p.full).unwrap().to_rgb8();
        let top = img.get_pixel(10, 2).0;
        let bottom = img.get_pixel(10, 37).0;
        assert!(top[0] > 150 && top[2] < 100, "top is red: {top:?}");
        assert!(bottom[2] > 150 && bottom[0] < 100, "bottom is blue: {bottom:?}");
    }

    fn sniff_out(b: &[u8]) -> Option<FileKind> {
        attachment::sniff(b)
    }

    #[test]
    fn a_png_is_re_encoded_as_jpeg_with_a_small_thumbnail() {
        let img = image::RgbaImage::from_pixel(1000, 500, image::Rgba([0, 0, 0, 0]));
        let mut png = Cursor::new(vec![]);
        img.write_to(&mut png, image::ImageFormat::Png).unwrap();
        let p = process_photo_blocking(png.get_ref(), FileKind::Png).unwrap();
        assert_eq!((p.width, p.height), (1000, 500));
        let thumb = image::load_from_memory(&p.thumb).unwrap();
        assert_eq!((thumb.width(), thumb.height()), (320, 160));
        // Transparent became white, not black.
        let px = image::load_from_memory(&p.full).unwrap().to_rgb8().get_pixel(5, 5).0;
        assert!(px.iter().all(|c| *c > 240), "{px:?}");
    }

    #[test]
    fn large_photos_are_capped_on_their_long_side() {
        let p = process_photo_blocking(&jpeg(3000, 1000), FileKind::Jpeg).unwrap();
        assert_eq!((p.width, p.height), (2560, 853));
    }

    #[test]
    fn oversized_dimensions_are_refused_before_decoding() {
        let img = image::GrayImage::new(attachment::MAX_DIMENSION + 1, 1);
        let mut png = Cursor::new(vec![]);
        img.write_to(&mut png, image::ImageFormat::Png).unwrap();
        assert_eq!(process_photo_blocking(png.get_ref(), FileKind::Png).unwrap_err(), Refusal::TooManyPixels);
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut c = 0xFFFF_FFFFu32;
        for b in data {
            c ^= u32::from(*b);
            for _ in 0..8 {
                c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
            }
        }
        !c
    }

    fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc32(&body).to_be_bytes());
    }

    #[test]
    fn a_small_16_bit_png_claiming_too_much_memory_is_refused() {
        // 7071×7071 is under 50 MP, but 16-bit RGBA makes it ~400 MB decoded: more than
        // MAX_ALLOC. Only the header is real; the file is a few dozen bytes.
        let (w, h) = (7071u32, 7071u32);
        assert!(attachment::dimensions_allowed(w, h));
        assert!(u64::from(w) * u64::from(h) * 8 > MAX_ALLOC);
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = vec![];
        ihdr.extend_from_slice(&w.to_be_bytes());
        ihdr.extend_from_slice(&h.to_be_bytes());
        ihdr.extend_from_slice(&[16, 6, 0, 0, 0]); // 16 bits, RGBA
        png_chunk(&mut png, b"IHDR", &ihdr);
        png_chunk(&mut png, b"IDAT", &[0x78, 0x9c, 0x03, 0x00]);
        png_chunk(&mut png, b"IEND", &[]);
        assert_eq!(attachment::sniff(&png), Some(FileKind::Png));
        assert_eq!(process_photo_blocking(&png, FileKind::Png).unwrap_err(), Refusal::TooManyPixels);
    }

    #[test]
    fn a_disguised_or_broken_file_is_refused() {
        // A JPEG signature followed by rubbish, and text that says it is a PNG.
        let mut broken = vec![0xFF, 0xD8, 0xFF, 0xE0];
        broken.extend_from_slice(&[0u8; 200]);
        assert_eq!(process_photo_blocking(&broken, FileKind::Jpeg).unwrap_err(), Refusal::Unreadable);
        assert!(process_photo_blocking(b"not a png at all", FileKind::Png).is_err());
        // The kind comes from the bytes: a PNG is decoded as a PNG whatever it was called.
        let mut png = Cursor::new(vec![]);
        image::RgbImage::new(4, 4).write_to(&mut png, image::ImageFormat::Png).unwrap();
        let kind = attachment::sniff(png.get_ref()).unwrap();
        assert_eq!(kind, FileKind::Png);
        assert!(process_photo_blocking(png.get_ref(), kind).is_ok());
    }

    #[tokio::test]
    async fn a_refused_batch_leaves_no_file_and_a_sixth_photo_is_refused() {
        let dir = std::env::temp_dir().join(format!("danvan-uploads-unit-{}", uuid::Uuid::now_v7().simple()));
        let uploads = Uploads::new(&dir);
        let photo = |n: &str| Incoming { field: "photos".into(), file_name: n.into(), bytes: jpeg(8, 8), size: jpeg(8, 8).len() };
        let six: Vec<Incoming> = (0..6).map(|i| photo(&format!("{i}.jpg"))).collect();
        let e = prepare_photos(&uploads, six).await.unwrap_err();
        assert_eq!(e.get("photos"), Some("photo.error.too_many"));
        assert_eq!(count_files(&dir), 0);
        let big =
            Incoming { field: "photos".into(), file_name: "b.jpg".into(), bytes: vec![], size: attachment::MAX_PHOTO_BYTES + 1 };
        let e = prepare_photos(&uploads, vec![photo("a.jpg"), big]).await.unwrap_err();
        assert_eq!(e.get("photos"), Some("photo.error.too_large"));
        assert_eq!(count_files(&dir), 0);
        // Five are fine: staged, then promoted into place.
        let five: Vec<Incoming> = (0..5).map(|i| photo(&format!("{i}.jpg"))).collect();
        let (atts, staged) = prepare_photos(&uploads, five).await.unwrap();
        assert_eq!(atts.len(), 5);
        assert_eq!(count_files(&dir.join("tmp")), 10);
        uploads.promote(staged).await;
        assert_eq!(count_files(&dir.join("tmp")), 0);
        // Staged but neither promoted nor discarded (the request was dropped): removed on drop.
        let (_, staged) = prepare_photos(&uploads, vec![photo("x.jpg")]).await.unwrap();
        assert_eq!(count_files(&dir.join("tmp")), 2);
        drop(staged);
        assert_eq!(count_files(&dir.join("tmp")), 0);
        // Leftovers of a crash are swept once old enough.
        std::fs::write(dir.join("tmp").join("left.part"), b"x").unwrap();
        assert_eq!(uploads.sweep_tmp(TMP_MAX_AGE).await, 0, "too recent");
        assert_eq!(uploads.sweep_tmp(std::time::Duration::ZERO).await, 1);
        assert_eq!(count_files(&dir.join("tmp")), 0);
        assert!(atts.iter().all(|a| uploads.path_of(a.storage_key.as_deref().unwrap()).unwrap().exists()));
        assert!(uploads.path_of("../etc/passwd").is_none() && uploads.path_of("/etc/passwd").is_none());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
