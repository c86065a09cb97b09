//! WGS84 → RD New (EPSG:28992) by the approximation formulas of Schreutelkamp and Strang van
//! Hees ("Benaderingsformules voor de transformatie tussen RD- en WGS84-kaartcoördinaten", 2001):
//! a polynomial in the offset from Amersfoort, good to about a metre over the Netherlands. Enough
//! to place an address in a 100 m grid cell (the CBS squares); the exact inverse of the import's
//! RD → WGS84 is not needed for that. Checked against the RDNAPTRANS™2018 reference points in
//! `ingest/tests/rd_reference.rs`.

/// Latitude and longitude of Amersfoort in WGS84, degrees: the formulas' origin.
const PHI0: f64 = 52.155_174_40;
const LAM0: f64 = 5.387_206_21;
/// RD coordinates of Amersfoort, metres.
const X0: f64 = 155_000.0;
const Y0: f64 = 463_000.0;

/// (p, q, coefficient) of X = X0 + Σ R_pq · dφ^p · dλ^q.
const R: [(i32, i32, f64); 9] = [
    (0, 1, 190_094.945),
    (1, 1, -11_832.228),
    (2, 1, -114.221),
    (0, 3, -32.391),
    (1, 0, -0.705),
    (3, 1, -2.340),
    (1, 3, -0.608),
    (0, 2, -0.008),
    (2, 3, 0.148),
];

/// (p, q, coefficient) of Y = Y0 + Σ S_pq · dφ^p · dλ^q.
const S: [(i32, i32, f64); 10] = [
    (1, 0, 309_056.544),
    (0, 2, 3_638.893),
    (2, 0, 73.077),
    (1, 2, -157.984),
    (3, 0, 59.788),
    (0, 1, 0.433),
    (2, 2, -6.439),
    (1, 1, -0.032),
    (0, 4, 0.092),
    (1, 4, -0.054),
];

/// RD New x and y (metres) of a WGS84 longitude and latitude (degrees).
pub fn wgs84_to_rd(lon: f64, lat: f64) -> (f64, f64) {
    let dphi = 0.36 * (lat - PHI0);
    let dlam = 0.36 * (lon - LAM0);
    let term = |(p, q, c): &(i32, i32, f64)| c * dphi.powi(*p) * dlam.powi(*q);
    (
        X0 + R.iter().map(term).sum::<f64>(),
        Y0 + S.iter().map(term).sum::<f64>(),
    )
}

/// The CBS code of the 100 m square an RD point lies in: `E` and `N` with the lower-left corner
/// in whole hectometres, four digits each (CBS, "Statistische gegevens per vierkant en postcode",
/// chapter 3 "Codering vierkant"; the full name prefixes `CRS28992RES100M`).
pub fn cbs_square_100m(x: f64, y: f64) -> String {
    let e = (x / 100.0).floor() as i64;
    let n = (y / 100.0).floor() as i64;
    format!("E{e:04}N{n:04}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amersfoort_is_the_origin_and_squares_are_named_by_their_corner() {
        let (x, y) = wgs84_to_rd(LAM0, PHI0);
        assert!((x - X0).abs() < 1e-6 && (y - Y0).abs() < 1e-6);
        assert_eq!(cbs_square_100m(155_000.0, 463_000.0), "E1550N4630");
        assert_eq!(cbs_square_100m(155_099.9, 463_099.9), "E1550N4630");
        assert_eq!(cbs_square_100m(12_345.0, 400_000.0), "E0123N4000");
    }
}
