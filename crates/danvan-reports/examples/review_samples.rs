//! Writes the sample review report in both formats to a folder, to look at them:
//! `cargo run -p danvan-reports --example review_samples -- /tmp/danvan-review`
//! (then e.g. `pdftoppm -png -r 60 /tmp/danvan-review/review-state.pdf /tmp/danvan-review/state`;
//! the DOCX's charts are word/media/chartN.png inside it).

use danvan_reports::review::{review_docx, review_pdf, review_xlsx, sample::sample_review, Format};
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "target/samples".into()));
    std::fs::create_dir_all(&dir)?;
    for (format, name) in [(Format::State, "state"), (Format::Party, "party")] {
        let d = sample_review(format);
        std::fs::write(dir.join(format!("review-{name}.pdf")), review_pdf(&d))?;
        std::fs::write(dir.join(format!("review-{name}.docx")), review_docx(&d)?)?;
        std::fs::write(dir.join(format!("review-{name}.xlsx")), review_xlsx(&d)?)?;
    }
    println!("written to {}", dir.display());
    Ok(())
}
