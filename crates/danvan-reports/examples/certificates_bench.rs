//! Benchmark of issue 11: a batch of N certificates (default 500) as one PDF, fully rendered and
//! as the overlay for pre-printed blanks, each timed over a few rounds, and the process's peak
//! resident memory (VmHWM). Run by `scripts/bench-certificates.sh`; the figures go to
//! docs/PERFORMANCE.md. Targets: ≤ 10 s and ≤ 300 MB for 500 certificates.

use danvan_reports::commendation::{certificates_overlay_pdf, certificates_pdf, decision_pdf, sample, OverlayCalibration};
use std::time::Instant;

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(500);
    let rounds: usize = std::env::args().nth(2).and_then(|s| s.parse().ok()).unwrap_or(3);
    let batch = sample::sample_certificates(n);
    let mut decision = sample::sample_decision();
    // A decision whose annex lists the whole batch.
    decision.annex.individuals = (0..n)
        .map(|i| {
            let mut e = decision.annex.individuals[i % 8].clone();
            e.name = batch[i].recipient_name.clone();
            e
        })
        .collect();
    println!("batch of {n} certificates, {rounds} rounds");
    let mut worst = 0.0f64;
    for round in 1..=rounds {
        let t = Instant::now();
        let pdf = certificates_pdf(&batch);
        let full = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let overlay = certificates_overlay_pdf(&batch, &OverlayCalibration::default());
        let over = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let dec = decision_pdf(&decision);
        let dect = t.elapsed().as_secs_f64();
        worst = worst.max(full).max(over);
        println!(
            "round {round}: full {full:.3} s ({} KB), overlay {over:.3} s ({} KB), decision with a {n}-line annex {dect:.3} s ({} KB)",
            pdf.len() / 1024,
            overlay.len() / 1024,
            dec.len() / 1024
        );
    }
    let rss = peak_rss_mb();
    println!("worst batch {worst:.3} s; peak RSS {rss:.1} MB");
    if worst > 10.0 || rss > 300.0 {
        eprintln!("over the target (10 s, 300 MB)");
        std::process::exit(1);
    }
}
