//! Writes every version of forms 0601–0605, filled with made-up counts, to a folder:
//! `cargo run -p danvan-reports --example statistics_samples -- /tmp/danvan-forms`.

use danvan_reports::statistics::{catalogue, form_xlsx, FilledForm};
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "target/forms".into()));
    std::fs::create_dir_all(&dir)?;
    for form in catalogue() {
        let mut counts = std::collections::BTreeMap::new();
        let mut n = 1;
        for r in form.rows.iter().filter(|r| r.sum_of.is_empty() && !r.code.is_empty()) {
            for c in form.cols.iter().filter(|c| c.sum_of.is_empty()) {
                counts.insert((r.code.to_string(), c.code.to_string()), n);
                n = n % 7 + 1;
            }
        }
        let filled = FilledForm {
            form_code: form.code.into(),
            year: form.first_year,
            reporting_unit: "Ủy ban nhân dân phường Cửa Nam".into(),
            receiving_unit: "Sở Nội vụ thành phố Hà Nội".into(),
            counts,
            place: "Hà Nội".into(),
            by_hand: Default::default(),
        };
        let name = format!("{}-{}.xlsx", &form.code[..4], form.first_year);
        std::fs::write(dir.join(name), form_xlsx(&form, &filled)?)?;
    }
    println!("written to {}", dir.display());
    Ok(())
}
