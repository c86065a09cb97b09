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

/// (p, q, coefficient) of φ = φ0 + Σ K_pq · dX^p · dY^q / 3600 (the inverse formulas).
const K: [(i32, i32, f64); 11] = [
    (0, 1, 3_235.653_89),
    (2, 0, -32.582_97),
    (0, 2, -0.247_50),
    (2, 1, -0.849_78),
    (0, 3, -0.065_50),
    (2, 2, -0.017_09),
    (1, 0, -0.007_38),
    (4, 0, 0.005_30),
    (2, 3, -0.000_39),
    (4, 1, 0.000_33),
    (1, 1, -0.000_12),
];

/// (p, q, coefficient) of λ = λ0 + Σ L_pq · dX^p · dY^q / 3600.
const L: [(i32, i32, f64); 12] = [
    (1, 0, 5_260.529_16),
    (1, 1, 105.946_84),
    (1, 2, 2.456_56),
    (3, 0, -0.818_85),
    (1, 3, 0.055_94),
    (3, 1, -0.056_07),
    (0, 1, 0.011_99),
    (3, 2, -0.002_56),
    (1, 4, 0.001_28),
    (0, 2, 0.000_22),
    (2, 0, -0.000_22),
    (5, 0, 0.000_26),
];

/// WGS84 longitude and latitude (degrees) of an RD New point (metres), by the same paper's
/// inverse formulas: to draw a CBS square on a web map, not to import data (the import uses the
/// full transformation).
pub fn rd_to_wgs84(x: f64, y: f64) -> (f64, f64) {
    let dx = (x - X0) * 1e-5;
    let dy = (y - Y0) * 1e-5;
    let term = |(p, q, c): &(i32, i32, f64)| c * dx.powi(*p) * dy.powi(*q);
    (
        LAM0 + L.iter().map(term).sum::<f64>() / 3600.0,
        PHI0 + K.iter().map(term).sum::<f64>() / 3600.0,
    )
}

/// The lower-left corner (RD New, metres) of a CBS 100 m square from its `E` and `N` numbers.
pub fn cbs_square_corner(e: i64, n: i64) -> (f64, f64) {
    (e as f64 * 100.0, n as f64 * 100.0)
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
        let (lon, lat) = rd_to_wgs84(X0, Y0);
        assert!((lon - LAM0).abs() < 1e-9 && (lat - PHI0).abs() < 1e-9);
        assert_eq!(cbs_square_100m(155_099.9, 463_099.9), "E1550N4630");
        assert_eq!(cbs_square_100m(12_345.0, 400_000.0), "E0123N4000");
    }

    #[test]
    fn the_inverse_goes_back_within_a_metre() {
        // Doesburg, Ermelo, Leeuwarden, Maastricht, Den Helder: corners of the country.
        for (lon, lat) in [
            (6.139, 52.012),
            (5.622, 52.299),
            (5.799, 53.201),
            (5.690, 50.851),
            (4.760, 52.959),
        ] {
            let (x, y) = wgs84_to_rd(lon, lat);
            let (lon2, lat2) = rd_to_wgs84(x, y);
            let (x2, y2) = wgs84_to_rd(lon2, lat2);
            assert!(
                (x - x2).abs() < 1.0 && (y - y2).abs() < 1.0,
                "{lon},{lat}: {x2},{y2}"
            );
        }
    }
}
