//! The query of an OGC API items request: `bbox`, `limit`, `offset` (and the `bbox-crs` and `f`
//! that are accepted as they are), and the query string of the paging links.

use std::fmt::Write as _;

use super::{CRS84, DEFAULT_LIMIT, MAX_LIMIT};
use crate::error::{ApiError, ApiResult};

/// Parsed query of an items request.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ItemsQuery {
    pub(super) bbox: Option<[f64; 4]>,
    pub(super) limit: usize,
    pub(super) offset: usize,
    /// CQL2 text (`filter-lang=cql2-text`), compiled by the handler against the collection.
    pub(super) filter: Option<String>,
}

pub(super) fn parse_items_query(pairs: &[(String, String)]) -> ApiResult<ItemsQuery> {
    let mut q = ItemsQuery {
        bbox: None,
        limit: DEFAULT_LIMIT,
        offset: 0,
        filter: None,
    };
    for (k, v) in pairs {
        match k.as_str() {
            "bbox" => q.bbox = Some(parse_bbox(v)?),
            "limit" => {
                let n: usize = v.trim().parse().map_err(|_| {
                    ApiError::param(
                        "limit",
                        format!("{v:?} is not a whole number from 1 to {MAX_LIMIT}"),
                    )
                })?;
                if n == 0 {
                    return Err(ApiError::param("limit", "must be at least 1"));
                }
                q.limit = n.min(MAX_LIMIT);
            }
            "offset" => {
                q.offset = v.trim().parse().map_err(|_| {
                    ApiError::param("offset", format!("{v:?} is not a whole number ≥ 0"))
                })?;
            }
            "bbox-crs" | "filter-crs" if v == CRS84 => {}
            "bbox-crs" => {
                return Err(ApiError::param(
                    "bbox-crs",
                    format!("only {CRS84} is supported"),
                ));
            }
            "filter" => q.filter = Some(v.clone()),
            "filter-lang" if v == "cql2-text" => {}
            "filter-lang" => {
                return Err(ApiError::param(
                    "filter-lang",
                    format!(
                        "{:?} is not supported; only cql2-text is",
                        v.chars().take(48).collect::<String>()
                    ),
                ));
            }
            "filter-crs" => {
                return Err(ApiError::param(
                    "filter-crs",
                    format!("only {CRS84} is supported"),
                ));
            }
            "f" if v == "json" || v == "geojson" => {}
            "f" => return Err(ApiError::param("f", "only json/geojson is served")),
            other => {
                return Err(ApiError::param(
                    other,
                    "unknown parameter; items accept bbox, limit, offset, filter, filter-lang",
                ));
            }
        }
    }
    Ok(q)
}

fn parse_bbox(v: &str) -> ApiResult<[f64; 4]> {
    let nums: Vec<f64> = v
        .split(',')
        .map(|s| s.trim().parse::<f64>().ok().filter(|n| n.is_finite()))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| ApiError::param("bbox", format!("{v:?} is not a list of numbers")))?;
    let b = match nums.as_slice() {
        [a, b, c, d] => [*a, *b, *c, *d],
        [a, b, _, d, e, _] => [*a, *b, *d, *e],
        _ => {
            return Err(ApiError::param(
                "bbox",
                "needs 4 numbers: minLon,minLat,maxLon,maxLat",
            ));
        }
    };
    if !(-180.0..=180.0).contains(&b[0])
        || !(-180.0..=180.0).contains(&b[2])
        || !(-90.0..=90.0).contains(&b[1])
        || !(-90.0..=90.0).contains(&b[3])
    {
        return Err(ApiError::param(
            "bbox",
            "longitudes must lie in -180..180 and latitudes in -90..90",
        ));
    }
    if b[1] > b[3] {
        return Err(ApiError::param("bbox", "minLat is larger than maxLat"));
    }
    if b[0] > b[2] {
        return Err(ApiError::param(
            "bbox",
            "minLon is larger than maxLon (boxes across the antimeridian are not supported)",
        ));
    }
    Ok(b)
}

pub(super) fn query_string(q: &ItemsQuery, offset: usize) -> String {
    let mut s = format!("limit={}&offset={offset}", q.limit);
    if let Some(b) = q.bbox {
        let _ = write!(s, "&bbox={},{},{},{}", b[0], b[1], b[2], b[3]);
    }
    if let Some(f) = &q.filter {
        let _ = write!(s, "&filter-lang=cql2-text&filter={}", percent_encode(f));
    }
    s
}

/// `s` as a query-string value: unreserved characters as they are, every other byte as `%XX`.
pub(super) fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> ApiResult<ItemsQuery> {
        parse_items_query(
            &pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect::<Vec<_>>(),
        )
    }

    #[test]
    fn bad_parameters_are_named() {
        for (pairs, param) in [
            (vec![("limit", "ten")], "limit"),
            (vec![("limit", "0")], "limit"),
            (vec![("bbox", "1,2,3")], "bbox"),
            (vec![("bbox", "5,53,4,52")], "bbox"),
            (vec![("bbox", "a,b,c,d")], "bbox"),
            (vec![("offset", "-1")], "offset"),
            (vec![("colour", "red")], "colour"),
            (vec![("filter-lang", "cql2-json")], "filter-lang"),
            (vec![("filter-crs", "EPSG:28992")], "filter-crs"),
        ] {
            match q(&pairs) {
                Err(ApiError::BadParam { param: p, .. }) => assert_eq!(p, param),
                other => panic!("{pairs:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn limit_is_capped_and_bbox_parsed() {
        let parsed = q(&[("limit", "5000"), ("bbox", "6.1,52.0,6.2,52.1")]).unwrap();
        assert_eq!(parsed.limit, MAX_LIMIT);
        assert_eq!(parsed.bbox, Some([6.1, 52.0, 6.2, 52.1]));
    }

    #[test]
    fn filter_is_kept_in_links_encoded() {
        let parsed = q(&[
            ("filter", "bouwjaar < 1975 AND straat = 'Dorpsstraat' & 50%"),
            ("filter-lang", "cql2-text"),
            ("limit", "10"),
        ])
        .unwrap();
        assert_eq!(
            query_string(&parsed, 10),
            "limit=10&offset=10&filter-lang=cql2-text&filter=bouwjaar%20%3C%201975%20AND%20straat%20%3D%20%27Dorpsstraat%27%20%26%2050%25"
        );
    }
}
