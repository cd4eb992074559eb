//! Writes the sample commendation documents to a folder, to look at them:
//! `cargo run -p danvan-reports --example commendation_samples -- /tmp/danvan-docs`
//! (then e.g. `pdftoppm -png -r 60 /tmp/danvan-docs/decision.pdf /tmp/danvan-docs/decision`).

use danvan_reports::commendation::{self, sample, OffsetMm, OverlayCalibration};
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "target/samples".into()));
    std::fs::create_dir_all(&dir)?;
    let d = sample::sample_decision();
    std::fs::write(dir.join("decision.pdf"), commendation::decision_pdf(&d))?;
    std::fs::write(dir.join("decision.docx"), commendation::decision_docx(&d)?)?;
    let certs = sample::sample_certificates(3);
    std::fs::write(dir.join("certificate.pdf"), commendation::certificate_pdf(&certs[0]))?;
    std::fs::write(dir.join("certificates.pdf"), commendation::certificates_pdf(&certs))?;
    let cal = OverlayCalibration { page: OffsetMm { dx: 1.5, dy: -2.0 }, ..Default::default() };
    std::fs::write(dir.join("certificates-overlay.pdf"), commendation::certificates_overlay_pdf(&certs, &cal))?;
    println!("written to {}", dir.display());
    Ok(())
}
