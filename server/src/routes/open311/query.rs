//! `GET requests`: the filters, and a stored report as a service request.

use domain::AreaCode;
use domain::observations::ObservationStatus;
use serde_json::Value;
use store::Observation;

use super::services::NOTE;
use super::wire::{Field, Record};
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::observations::read;
use crate::state::AppState;

/// Most requests one `GET requests` answers (the spec's default volume).
pub(super) const MAX_REQUESTS: usize = 1000;
/// The widest date range of `GET requests`, and its default (the most recent 90 days).
const MAX_SPAN_SECS: i64 = 90 * 86_400;

/// Parses a W3C date-time; a `+` of an offset that arrived as a space (an unescaped query) is
/// put back.
pub(super) fn parse_w3c(param: &str, s: &str) -> ApiResult<i64> {
    let fixed = s.trim().replacen(' ', "+", 1);
    domain::parse_rfc3339(s)
        .or_else(|| domain::parse_rfc3339(&fixed))
        .ok_or_else(|| {
            ApiError::param(
                param,
                "a W3C date-time with a time zone, e.g. 2026-05-01T00:00:00Z",
            )
        })
}

/// The filters of `GET requests`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ListQuery {
    /// `service_request_id`: overrides every other filter.
    pub(super) ids: Option<Vec<i64>>,
    pub(super) codes: Vec<String>,
    pub(super) start: i64,
    pub(super) end: i64,
    pub(super) open: bool,
    pub(super) closed: bool,
}

pub(super) fn list_query(
    pairs: &[(String, String)],
    public: &[String],
    now: i64,
) -> ApiResult<ListQuery> {
    // A parameter given more than once counts as one comma-separated list.
    let joined = |k: &str| {
        let all: Vec<&str> = pairs
            .iter()
            .filter(|(n, v)| n == k && !v.trim().is_empty())
            .map(|(_, v)| v.as_str())
            .collect();
        (!all.is_empty()).then(|| all.join(","))
    };
    let (ids_param, codes_param, status_param) = (
        joined("service_request_id"),
        joined("service_code"),
        joined("status"),
    );
    let get = |k: &str| match k {
        "service_request_id" => ids_param.as_deref(),
        "service_code" => codes_param.as_deref(),
        "status" => status_param.as_deref(),
        _ => pairs
            .iter()
            .find(|(n, v)| n == k && !v.trim().is_empty())
            .map(|(_, v)| v.as_str()),
    };
    let list = |s: &str| -> Vec<String> {
        s.split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let ids = get("service_request_id")
        .map(|s| {
            let ids: Vec<i64> = list(s).iter().filter_map(|p| p.parse().ok()).collect();
            if ids.len() != list(s).len() || ids.len() > MAX_REQUESTS {
                return Err(ApiError::param(
                    "service_request_id",
                    "up to 1000 request ids, comma separated",
                ));
            }
            Ok(ids)
        })
        .transpose()?;
    let codes = match get("service_code") {
        None => public.to_vec(),
        Some(s) => {
            let codes = list(s);
            if let Some(bad) = codes.iter().find(|c| !public.contains(c)) {
                return Err(ApiError::param(
                    "service_code",
                    format!(
                        "no service {:?}; services are {}",
                        bad.chars().take(48).collect::<String>(),
                        public.join(", ")
                    ),
                ));
            }
            codes
        }
    };
    let (start, end) = match (get("start_date"), get("end_date")) {
        (None, None) => (now - MAX_SPAN_SECS, now),
        (Some(s), None) => {
            let s = parse_w3c("start_date", s)?;
            (s, s + MAX_SPAN_SECS)
        }
        (None, Some(e)) => {
            let e = parse_w3c("end_date", e)?;
            (e - MAX_SPAN_SECS, e)
        }
        (Some(s), Some(e)) => (parse_w3c("start_date", s)?, parse_w3c("end_date", e)?),
    };
    if end < start {
        return Err(ApiError::param("end_date", "lies before start_date"));
    }
    if end - start > MAX_SPAN_SECS {
        return Err(ApiError::param(
            "start_date",
            "the range spans at most 90 days",
        ));
    }
    let (mut open, mut closed) = (true, true);
    if let Some(s) = get("status") {
        let wanted = list(s);
        if let Some(bad) = wanted
            .iter()
            .find(|w| !matches!(w.as_str(), "open" | "closed"))
        {
            return Err(ApiError::param(
                "status",
                format!(
                    "open or closed, not {:?}",
                    bad.chars().take(20).collect::<String>()
                ),
            ));
        }
        open = wanted.iter().any(|w| w == "open");
        closed = wanted.iter().any(|w| w == "closed");
    }
    Ok(ListQuery {
        ids,
        codes,
        start,
        end,
        open,
        closed,
    })
}

/// Open or closed as the spec knows it; `None` for reports that are not shown (hidden, withdrawn).
pub(super) fn open311_status(status: ObservationStatus) -> Option<&'static str> {
    use ObservationStatus::{Confirmed, Merged, New, Rejected, Resolved};
    match status {
        New | Confirmed => Some("open"),
        Resolved | Rejected | Merged => Some("closed"),
        _ => None,
    }
}

pub(super) fn status_notes(r: &Observation) -> Option<String> {
    let mut notes = Vec::new();
    match r.status {
        ObservationStatus::Resolved => notes.push("Opgelost / Resolved".to_owned()),
        ObservationStatus::Rejected => notes.push("Afgewezen / Rejected".to_owned()),
        ObservationStatus::Merged => notes.push(match r.merged_into {
            Some(i) => format!("Samengevoegd met melding {i} / Merged into request {i}"),
            None => "Samengevoegd / Merged".to_owned(),
        }),
        _ => {}
    }
    if r.confirmations > 0 {
        let n = r.confirmations;
        notes.push(format!(
            "Bevestigd door {n} andere melder(s) / Confirmed by {n} other reporter(s)"
        ));
    }
    (!notes.is_empty()).then(|| notes.join(". "))
}

/// A report as a service request, if it is a shown public-space report.
pub(super) fn request_record(state: &AppState, base: &str, r: &Observation) -> Option<Record> {
    let o = &r.observation;
    let status = open311_status(r.status)?;
    let t = read(&state.observations.types)
        .current(&o.kind)
        .filter(|t| t.def.public_space)?;
    let answers: Value = serde_json::from_str(&o.answers).unwrap_or(Value::Null);
    // Free text that looks like personal data waits for a moderator before it is published here.
    let description = (!r.pii_suspected)
        .then(|| answers.get(NOTE).and_then(Value::as_str).map(str::to_owned))
        .flatten();
    let agency = o
        .buurtcode
        .as_deref()
        .and_then(|b| b.parse::<AreaCode>().ok())
        .and_then(|b| {
            let model = state.model.load();
            model
                .area_name(b.gemeente())
                .map(|n| format!("Gemeente {n}"))
        });
    let updated = if status == "closed" {
        r.closed_at.unwrap_or(r.created_at)
    } else {
        r.updated_at.unwrap_or(r.created_at).max(r.created_at)
    };
    let round = |v: f64| (v * 1e6).round() / 1e6;
    Some(
        Record::default()
            .text("service_request_id", r.id.to_string())
            .text("status", status)
            .opt("status_notes", status_notes(r))
            .text("service_name", &t.def.title.nl)
            .text("service_code", &t.def.name)
            .opt("description", description)
            .opt("agency_responsible", agency)
            .text("requested_datetime", clock::rfc3339(r.created_at))
            .text("updated_datetime", clock::rfc3339(updated))
            .opt("address", None)
            .with("lat", Field::Float(round(o.lonlat[1])))
            .with("long", Field::Float(round(o.lonlat[0])))
            .opt(
                "media_url",
                r.photos
                    .first()
                    .map(|p| format!("{base}/api/photos/{p}.jpg")),
            ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(query: &str) -> ApiResult<ListQuery> {
        let pairs: Vec<(String, String)> = query
            .split('&')
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        list_query(&pairs, &["greenery_distress".to_owned()], 1_800_000_000)
    }

    #[test]
    fn the_default_is_the_last_90_days_of_every_status() {
        let d = q("").unwrap();
        assert_eq!(
            (d.start, d.end),
            (1_800_000_000 - MAX_SPAN_SECS, 1_800_000_000)
        );
        assert!(d.open && d.closed);
        assert_eq!(d.codes, ["greenery_distress"]);
        assert!(d.ids.is_none());
    }

    #[test]
    fn filters_parse_and_bad_ones_are_400() {
        let d =
            q("start_date=2026-05-01T00:00:00Z&end_date=2026-05-31T00:00:00+02:00&status=closed")
                .unwrap();
        assert_eq!(d.end - d.start, 30 * 86_400 - 7200);
        assert!(d.closed && !d.open);
        // A `+` that arrived unescaped decodes to a space.
        assert!(q("start_date=2026-05-01T00:00:00 02:00").is_ok());
        assert_eq!(q("service_request_id=3,5").unwrap().ids, Some(vec![3, 5]));
        let both =
            q("status=open&status=closed&service_request_id=3&service_request_id=4").unwrap();
        assert!(both.open && both.closed);
        assert_eq!(both.ids, Some(vec![3, 4]), "repeated parameters add up");
        for bad in [
            "service_request_id=3,x",
            "service_code=potholes",
            "status=pending",
            "start_date=yesterday",
            "start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z",
            "start_date=2026-02-01T00:00:00Z&end_date=2026-01-01T00:00:00Z",
        ] {
            let e = q(bad).unwrap_err();
            assert!(matches!(e, ApiError::BadParam { .. }), "{bad}: {e}");
        }
    }

    #[test]
    fn statuses_map_to_open_and_closed() {
        assert_eq!(open311_status(ObservationStatus::New), Some("open"));
        assert_eq!(open311_status(ObservationStatus::Confirmed), Some("open"));
        assert_eq!(open311_status(ObservationStatus::Resolved), Some("closed"));
        assert_eq!(open311_status(ObservationStatus::Merged), Some("closed"));
        assert_eq!(open311_status(ObservationStatus::Hidden), None);
        assert_eq!(open311_status(ObservationStatus::Withdrawn), None);
    }
}
