//! Prometheus metrics: requests by route and status, a latency histogram, the database pool.

use prometheus_client::encoding::text::encode;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    pool_size: Gauge,
    pool_idle: Gauge,
    pool_max: Gauge,
    intake_commits: Gauge,
    intake_cases: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("danvan");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            Histogram::new([0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0].into_iter())
        });
        let (pool_size, pool_idle, pool_max) = (Gauge::default(), Gauge::default(), Gauge::default());
        registry.register("http_requests", "HTTP requests by route and status", requests.clone());
        registry.register("http_request_duration_seconds", "HTTP request latency", latency.clone());
        registry.register("db_pool_connections", "Open database connections", pool_size.clone());
        registry.register("db_pool_idle_connections", "Idle database connections", pool_idle.clone());
        registry.register("db_pool_max_connections", "Maximum database connections", pool_max.clone());
        // SQLite's group commit: cases / commits is the mean batch size.
        let (intake_commits, intake_cases) = (Gauge::default(), Gauge::default());
        registry.register("intake_commits", "Commits of the case intake writer (SQLite)", intake_commits.clone());
        registry.register("intake_cases", "Creations carried by those commits", intake_cases.clone());
        Metrics { registry, requests, latency, pool_size, pool_idle, pool_max, intake_commits, intake_cases }
    }
}

impl Metrics {
    pub fn observe(&self, method: &str, route: &str, status: u16, secs: f64) {
        self.requests.get_or_create(&RequestLabels { method: method.into(), route: route.into(), status }).inc();
        self.latency.get_or_create(&RouteLabels { method: method.into(), route: route.into() }).observe(secs);
    }

    pub fn render(&self, pool: danvan_app::health::PoolStats, intake: Option<danvan_app::health::IntakeStats>) -> String {
        if let Some(i) = intake {
            self.intake_commits.set(i.commits as i64);
            self.intake_cases.set(i.cases as i64);
        }
        self.pool_size.set(pool.size as i64);
        self.pool_idle.set(pool.idle as i64);
        self.pool_max.set(pool.max as i64);
        let mut out = String::new();
        if encode(&mut out, &self.registry).is_err() {
            out.clear();
        }
        out
    }
}

/// Whether the token sent equals the configured one, compared in time independent of where they
/// differ (the scraper's token is a secret).
pub fn same_token(given: &[u8], expected: &[u8]) -> bool {
    given.len() == expected.len() && given.iter().zip(expected).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}
