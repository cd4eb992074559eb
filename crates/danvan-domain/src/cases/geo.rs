//! Point-in-area routing: boundaries (a GeoJSON FeatureCollection of Polygon/MultiPolygon
//! features, each naming a unit by `unit_code` or `ma`) and the smallest area containing a point.
//! Coordinates are GeoJSON's (longitude, latitude); the map is small enough for planar geometry.

use crate::errors::FieldErrors;
use serde_json::Value;

/// A closed ring of (longitude, latitude) points.
pub type Ring = Vec<(f64, f64)>;

/// One polygon: its outer ring, then its holes.
#[derive(Debug, Clone, PartialEq)]
pub struct Polygon {
    pub outer: Ring,
    pub holes: Vec<Ring>,
}

/// The area of one unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    /// Unit code named by the feature.
    pub unit_code: String,
    pub polygons: Vec<Polygon>,
    /// Planar size (square degrees), to prefer the smallest of nested areas.
    pub size: f64,
}

/// Ray casting: is the point strictly inside the ring? (Points on an edge may go either way;
/// boundaries between neighbouring wards are shared, and one of them taking it is enough.)
pub fn in_ring(ring: &[(f64, f64)], lon: f64, lat: f64) -> bool {
    let mut inside = false;
    let n = ring.len();
    if n < 3 {
        return false;
    }
    let mut j = n - 1;
    for i in 0..n {
        let (xi, yi) = ring[i];
        let (xj, yj) = ring[j];
        if (yi > lat) != (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi {
            inside = !inside;
        }
        j = i;
    }
    inside
}

fn ring_size(ring: &[(f64, f64)]) -> f64 {
    let n = ring.len();
    let mut s = 0.0;
    for i in 0..n {
        let (x1, y1) = ring[i];
        let (x2, y2) = ring[(i + 1) % n];
        s += x1 * y2 - x2 * y1;
    }
    (s / 2.0).abs()
}

impl Polygon {
    pub fn contains(&self, lon: f64, lat: f64) -> bool {
        in_ring(&self.outer, lon, lat) && !self.holes.iter().any(|h| in_ring(h, lon, lat))
    }
    fn size(&self) -> f64 {
        (ring_size(&self.outer) - self.holes.iter().map(|h| ring_size(h)).sum::<f64>()).max(0.0)
    }
}

impl Area {
    pub fn contains(&self, lon: f64, lat: f64) -> bool {
        self.polygons.iter().any(|p| p.contains(lon, lat))
    }
}

/// The smallest area containing the point (nested areas: a residential group inside its ward
/// wins over the ward), or None.
pub fn locate(areas: &[Area], lat: f64, lon: f64) -> Option<&Area> {
    areas.iter().filter(|a| a.contains(lon, lat)).min_by(|a, b| a.size.total_cmp(&b.size))
}

fn ring(v: &Value) -> Option<Ring> {
    let pts = v.as_array()?;
    let mut r = Vec::with_capacity(pts.len());
    for p in pts {
        let xy = p.as_array()?;
        let (x, y) = (xy.first()?.as_f64()?, xy.get(1)?.as_f64()?);
        if !(-180.0..=180.0).contains(&x) || !(-90.0..=90.0).contains(&y) {
            return None;
        }
        r.push((x, y));
    }
    // A linear ring has at least four positions, the last equal to the first.
    (r.len() >= 4 && r.first() == r.last()).then_some(r)
}

fn polygon(v: &Value) -> Option<Polygon> {
    let rings = v.as_array()?;
    let mut it = rings.iter();
    let outer = ring(it.next()?)?;
    let holes = it.map(ring).collect::<Option<Vec<_>>>()?;
    Some(Polygon { outer, holes })
}

/// Parses boundaries. Errors name the feature (`feature 3`, counting from 1) or the whole file.
pub fn parse_boundaries(text: &str) -> Result<Vec<Area>, FieldErrors> {
    let doc: Value = serde_json::from_str(text).map_err(|_| FieldErrors::one("boundaries", "error.json"))?;
    if doc.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
        return Err(FieldErrors::one("boundaries", "geo.error.not_collection"));
    }
    let Some(features) = doc.get("features").and_then(Value::as_array) else {
        return Err(FieldErrors::one("boundaries", "geo.error.not_collection"));
    };
    let mut e = FieldErrors::new();
    let mut areas = vec![];
    for (i, f) in features.iter().enumerate() {
        let field = format!("feature {}", i + 1);
        let props = f.get("properties");
        let code = ["unit_code", "ma"]
            .iter()
            .find_map(|k| props.and_then(|p| p.get(*k)).and_then(Value::as_str))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        let Some(code) = code else {
            e.add(&field, "geo.error.no_unit_code");
            continue;
        };
        let geom = f.get("geometry");
        let coords = geom.and_then(|g| g.get("coordinates"));
        let polygons = match (geom.and_then(|g| g.get("type")).and_then(Value::as_str), coords) {
            (Some("Polygon"), Some(c)) => polygon(c).map(|p| vec![p]),
            (Some("MultiPolygon"), Some(c)) => c.as_array().and_then(|ps| ps.iter().map(polygon).collect::<Option<Vec<_>>>()),
            (Some("Polygon" | "MultiPolygon"), None) => None,
            _ => {
                e.add(&field, "geo.error.geometry_type");
                continue;
            }
        };
        match polygons.filter(|p| !p.is_empty()) {
            Some(polygons) => {
                let size = polygons.iter().map(Polygon::size).sum();
                areas.push((field, Area { unit_code: code, polygons, size }));
            }
            None => e.add(&field, "geo.error.coordinates"),
        }
    }
    if features.is_empty() {
        e.add("boundaries", "geo.error.empty");
    }
    e.into_result()?;
    Ok(areas.into_iter().map(|(_, a)| a).collect())
}

/// The features (numbered from 1) whose unit code is not known, as `feature N` field errors.
pub fn unknown_codes(areas: &[Area], known: &dyn Fn(&str) -> bool) -> FieldErrors {
    let mut e = FieldErrors::new();
    for (i, a) in areas.iter().enumerate() {
        if !known(&a.unit_code) {
            e.add(&format!("feature {}", i + 1), "geo.error.unit_unknown");
        }
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> String {
        format!("[[{x0},{y0}],[{x1},{y0}],[{x1},{y1}],[{x0},{y1}],[{x0},{y0}]]")
    }

    fn collection(features: &[String]) -> String {
        format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(","))
    }

    fn feature(code: &str, geometry: &str) -> String {
        format!(r#"{{"type":"Feature","properties":{{"unit_code":"{code}"}},"geometry":{geometry}}}"#)
    }

    #[test]
    fn ray_casting_with_holes_and_multipolygons() {
        // A ward 0..10 with a hole 4..6, and a second part 20..22.
        let geo = format!(
            r#"{{"type":"MultiPolygon","coordinates":[[{},{}],[{}]]}}"#,
            square(0.0, 0.0, 10.0, 10.0),
            square(4.0, 4.0, 6.0, 6.0),
            square(20.0, 0.0, 22.0, 2.0)
        );
        let areas = parse_boundaries(&collection(&[feature("W1", &geo)])).unwrap();
        let a = &areas[0];
        assert!(a.contains(1.0, 1.0));
        assert!(!a.contains(5.0, 5.0), "inside the hole");
        assert!(a.contains(21.0, 1.0), "second polygon");
        assert!(!a.contains(15.0, 5.0), "between the parts");
        assert!(!a.contains(-1.0, 5.0));
        assert!((a.size - (100.0 - 4.0 + 4.0)).abs() < 1e-9);
        // A concave ring (an L shape): the notch is outside.
        let l = vec![(0.0, 0.0), (4.0, 0.0), (4.0, 1.0), (1.0, 1.0), (1.0, 4.0), (0.0, 4.0), (0.0, 0.0)];
        assert!(in_ring(&l, 0.5, 3.0));
        assert!(!in_ring(&l, 3.0, 3.0));
    }

    #[test]
    fn the_smallest_containing_area_wins_and_a_point_outside_finds_none() {
        let ward = feature("W", &format!(r#"{{"type":"Polygon","coordinates":[{}]}}"#, square(0.0, 0.0, 10.0, 10.0)));
        let group = feature("G", &format!(r#"{{"type":"Polygon","coordinates":[{}]}}"#, square(1.0, 1.0, 3.0, 3.0)));
        let other = feature("V", &format!(r#"{{"type":"Polygon","coordinates":[{}]}}"#, square(10.0, 0.0, 20.0, 10.0)));
        let areas = parse_boundaries(&collection(&[ward, group, other])).unwrap();
        // locate takes (lat, lon).
        assert_eq!(locate(&areas, 2.0, 2.0).map(|a| a.unit_code.as_str()), Some("G"));
        assert_eq!(locate(&areas, 8.0, 5.0).map(|a| a.unit_code.as_str()), Some("W"));
        assert_eq!(locate(&areas, 5.0, 15.0).map(|a| a.unit_code.as_str()), Some("V"));
        assert_eq!(locate(&areas, 50.0, 50.0), None);
    }

    #[test]
    fn a_point_in_a_hole_falls_to_the_area_filling_it() {
        let ring_with_hole =
            format!(r#"{{"type":"Polygon","coordinates":[{},{}]}}"#, square(0.0, 0.0, 10.0, 10.0), square(4.0, 4.0, 6.0, 6.0));
        let island = format!(r#"{{"type":"Polygon","coordinates":[{}]}}"#, square(4.0, 4.0, 6.0, 6.0));
        let areas = parse_boundaries(&collection(&[feature("OUT", &ring_with_hole), feature("IN", &island)])).unwrap();
        assert_eq!(locate(&areas, 5.0, 5.0).map(|a| a.unit_code.as_str()), Some("IN"));
        assert_eq!(locate(&areas, 1.0, 1.0).map(|a| a.unit_code.as_str()), Some("OUT"));
    }

    #[test]
    fn bad_files_are_reported_per_feature() {
        assert_eq!(parse_boundaries("{").unwrap_err().get("boundaries"), Some("error.json"));
        assert_eq!(parse_boundaries(r#"{"type":"Feature"}"#).unwrap_err().get("boundaries"), Some("geo.error.not_collection"));
        let point = r#"{"type":"Feature","properties":{"ma":"X"},"geometry":{"type":"Point","coordinates":[1,2]}}"#;
        let nocode = format!(
            r#"{{"type":"Feature","properties":{{}},"geometry":{{"type":"Polygon","coordinates":[{}]}}}}"#,
            square(0.0, 0.0, 1.0, 1.0)
        );
        let open_ring = feature("Y", r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}"#);
        let good = feature("Z", &format!(r#"{{"type":"Polygon","coordinates":[{}]}}"#, square(0.0, 0.0, 1.0, 1.0)));
        let e = parse_boundaries(&collection(&[point.to_string(), nocode, open_ring, good.clone()])).unwrap_err();
        assert_eq!(e.get("feature 1"), Some("geo.error.geometry_type"));
        assert_eq!(e.get("feature 2"), Some("geo.error.no_unit_code"));
        assert_eq!(e.get("feature 3"), Some("geo.error.coordinates"));
        assert_eq!(e.get("feature 4"), None);
        let areas = parse_boundaries(&collection(&[good])).unwrap();
        let unknown = unknown_codes(&areas, &|c| c == "Q");
        assert_eq!(unknown.get("feature 1"), Some("geo.error.unit_unknown"));
        assert!(unknown_codes(&areas, &|c| c == "Z").is_empty());
    }
}
