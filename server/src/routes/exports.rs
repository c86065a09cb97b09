//! Exports of reports out of wijkwerk: `GET /api/exports/observations.{csv,geojson,gpkg}` with
//! `?area=<CBS code>&type=<name>&contact=true|false`.
//!
//! Steps: the policy (Export of the type's data class in the whole area; a gemeente, which sees
//! household data only as aggregates, is pointed to `/api/aggregates/observations`) → the
//! per-account export limit → rows: reports of the type whose buurt lies in the area and that
//! are not hidden, withdrawn or merged → the opt-out register → contact cells where the policy lets
//! the caller read the reporter's identity → the audit log (every export, with its counts) →
//! CSV (RFC 4180), GeoJSON (RFC 7946) or GeoPackage (EPSG:4326 points, our own writer). Each row
//! names the address it is about (street, number, postcode, place) beside the BAG ids.
//!
//! Opt-outs (`OptOutRegister::excludes` for `Export`): a report about an address is left out when
//! that address opted out; a report about a building is left out only when *every* address in the
//! building opted out, because a roof seen from the street is about the building, and one
//! household's no does not speak for neighbours who share it (when all said no, the building is
//! theirs alone). Public-space reports concern no household. Contact cells stay empty where the
//! report's address opted out of contact: an address's opt-out wins over a reporter's consent.
//! Reporter ids are never exported.

mod formats;
pub(crate) mod schemas;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use domain::access::{
    DataClass, Decision, Place, Principal, Purpose, Resource, code_within, decide,
};
use domain::privacy::OptOutRegister;
use domain::{AreaCode, AreaRefs, BagId, Model};
use serde::Deserialize;
use serde_json::Value;
use store::SqliteStore;
use store::people::ReporterContact;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Caller;
use crate::auth::ratelimit::Kind;
use crate::error::{ApiError, ApiResult};
use crate::observations::{Observations, read, resource_of};
use crate::openapi as doc;
use crate::routes::auth::no_store;
use crate::routes::{blocking, parse_area};
use crate::state::AppState;
use formats::{Row, RowAddress, to_csv, to_geojson, to_gpkg};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(export_csv))
        .routes(routes!(export_geojson))
        .routes(routes!(export_gpkg))
}

#[utoipa::path(
    get,
    path = "/api/exports/observations.csv",
    tag = "exports",
    operation_id = "exportReportsCsv",
    summary = "Reports of a type in an area as CSV.",
    description = "Reports of one type whose buurt lies in the area, oldest first; hidden, withdrawn and merged ones left out. The opt-out register is honoured: a report about an address that opted out of canvassing is left out, and a report about a pand only when every address in it did. Reporter ids are never exported. Who: the admin, and a wijkondernemer whose scope contains the area (public-space types included; the public reads those through the map and Open311). Free text held for review is left out unless the caller may moderate the report. Rate limited per account (with the letters) and per client address without a session; every export is audited with its counts.",
    security((), ("cookieAuth" = [])),
    params(doc::params::ExportArea, doc::params::ExportType, doc::params::ExportContact),
    responses(
        (status = 200, description = "The export (CSV).", content((inline(schemas::ExportReportsCsv200) = "text/csv")), headers(("Content-Disposition" = inline(doc::headers::ExportDisposition)), ("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, description = "A parameter is missing or malformed, an unknown observation type, or an unknown or repeated query parameter: `InvalidParameterValue`, naming it.", content((inline(doc::errors::InvalidParameterValue) = "application/json"))),
        (status = 401, description = "A type about homes without a session: `SignInRequired`.", content((inline(doc::errors::SignInRequired) = "application/json"))),
        (status = 403, description = "A type about homes for a caller without export rights in the whole area (a device session, a resident, a wijkondernemer whose scope does not contain the area; gemeente, communitybuilder and volunteer are pointed to `/api/aggregates/observations`): `Forbidden`.", content((inline(doc::errors::Forbidden) = "application/json"))),
        (status = 422, description = "The area is not in the data: `Unprocessable`.", content((inline(doc::errors::Unprocessable) = "application/json"))),
        (status = 429, response = doc::responses::TooManyRequests),
    )
)]
async fn export_csv(
    state: State<AppState>,
    caller: Caller,
    q: Result<Query<ExportQuery>, QueryRejection>,
) -> ApiResult<Response> {
    export(state, caller, Format::Csv, q).await
}

#[utoipa::path(
    get,
    path = "/api/exports/observations.geojson",
    tag = "exports",
    operation_id = "exportReportsGeoJson",
    summary = "Reports of a type in an area as GeoJSON.",
    description = "Reports of one type whose buurt lies in the area, oldest first; hidden, withdrawn and merged ones left out. The opt-out register is honoured: a report about an address that opted out of canvassing is left out, and a report about a pand only when every address in it did. Reporter ids are never exported. Who: the admin, and a wijkondernemer whose scope contains the area (public-space types included; the public reads those through the map and Open311). Free text held for review is left out unless the caller may moderate the report. Rate limited per account (with the letters) and per client address without a session; every export is audited with its counts.",
    security((), ("cookieAuth" = [])),
    params(doc::params::ExportArea, doc::params::ExportType, doc::params::ExportContact),
    responses(
        (status = 200, description = "The export (GeoJSON).", content((schemas::ExportFeatureCollection = "application/geo+json")), headers(("Content-Disposition" = inline(doc::headers::ExportDisposition)), ("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, description = "A parameter is missing or malformed, an unknown observation type, or an unknown or repeated query parameter: `InvalidParameterValue`, naming it.", content((inline(doc::errors::InvalidParameterValue) = "application/json"))),
        (status = 401, description = "A type about homes without a session: `SignInRequired`.", content((inline(doc::errors::SignInRequired) = "application/json"))),
        (status = 403, description = "A type about homes for a caller without export rights in the whole area (a device session, a resident, a wijkondernemer whose scope does not contain the area; gemeente, communitybuilder and volunteer are pointed to `/api/aggregates/observations`): `Forbidden`.", content((inline(doc::errors::Forbidden) = "application/json"))),
        (status = 422, description = "The area is not in the data: `Unprocessable`.", content((inline(doc::errors::Unprocessable) = "application/json"))),
        (status = 429, response = doc::responses::TooManyRequests),
    )
)]
async fn export_geojson(
    state: State<AppState>,
    caller: Caller,
    q: Result<Query<ExportQuery>, QueryRejection>,
) -> ApiResult<Response> {
    export(state, caller, Format::GeoJson, q).await
}

#[utoipa::path(
    get,
    path = "/api/exports/observations.gpkg",
    tag = "exports",
    operation_id = "exportReportsGpkg",
    summary = "Reports of a type in an area as a GeoPackage.",
    description = "Reports of one type whose buurt lies in the area, oldest first; hidden, withdrawn and merged ones left out. The opt-out register is honoured: a report about an address that opted out of canvassing is left out, and a report about a pand only when every address in it did. Reporter ids are never exported. Who: the admin, and a wijkondernemer whose scope contains the area (public-space types included; the public reads those through the map and Open311). Free text held for review is left out unless the caller may moderate the report. Rate limited per account (with the letters) and per client address without a session; every export is audited with its counts.",
    security((), ("cookieAuth" = [])),
    params(doc::params::ExportArea, doc::params::ExportType, doc::params::ExportContact),
    responses(
        (status = 200, description = "The export (a GeoPackage).", content((inline(schemas::ExportReportsGpkg200) = "application/geopackage+sqlite3")), headers(("Content-Disposition" = inline(doc::headers::ExportDisposition)), ("Cache-Control" = inline(doc::headers::NoStore)))),
        (status = 400, description = "A parameter is missing or malformed, an unknown observation type, or an unknown or repeated query parameter: `InvalidParameterValue`, naming it.", content((inline(doc::errors::InvalidParameterValue) = "application/json"))),
        (status = 401, description = "A type about homes without a session: `SignInRequired`.", content((inline(doc::errors::SignInRequired) = "application/json"))),
        (status = 403, description = "A type about homes for a caller without export rights in the whole area (a device session, a resident, a wijkondernemer whose scope does not contain the area; gemeente, communitybuilder and volunteer are pointed to `/api/aggregates/observations`): `Forbidden`.", content((inline(doc::errors::Forbidden) = "application/json"))),
        (status = 422, description = "The area is not in the data: `Unprocessable`.", content((inline(doc::errors::Unprocessable) = "application/json"))),
        (status = 429, response = doc::responses::TooManyRequests),
    )
)]
async fn export_gpkg(
    state: State<AppState>,
    caller: Caller,
    q: Result<Query<ExportQuery>, QueryRejection>,
) -> ApiResult<Response> {
    export(state, caller, Format::Gpkg, q).await
}

/// The file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    GeoJson,
    Gpkg,
}

impl Format {
    fn ext(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::GeoJson => "geojson",
            Self::Gpkg => "gpkg",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::GeoJson => "application/geo+json",
            Self::Gpkg => "application/geopackage+sqlite3",
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExportQuery {
    area: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    contact: Option<String>,
}

/// What the rows are drawn from, for [`select`].
struct Selection<'a> {
    kind: &'a str,
    area: AreaCode,
    contact: bool,
    who: &'a Principal,
    model: &'a Model,
    opt_outs: &'a OptOutRegister,
    observations: &'a Observations,
}

/// Counts for the audit log.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Counts {
    rows: usize,
    opted_out: usize,
    with_contact: usize,
}

/// Must a report be left out for the opt-out register (see the module doc)?
fn opted_out(
    model: &Model,
    reg: &OptOutRegister,
    address: Option<u64>,
    building: Option<u64>,
) -> bool {
    if let Some(a) = address {
        return reg.excludes(a, Purpose::Export);
    }
    let Some(b) = building
        .and_then(BagId::new)
        .and_then(|b| model.find_building(b))
    else {
        return false;
    };
    let addresses: Vec<u64> = b
        .address_rows()
        .iter()
        .map(|r| model.address(*r).id().get())
        .collect();
    every_household_said_no(&addresses, reg)
}

/// A building report is left out when every address in the building opted out of export.
fn every_household_said_no(addresses: &[u64], reg: &OptOutRegister) -> bool {
    !addresses.is_empty() && addresses.iter().all(|a| reg.excludes(*a, Purpose::Export))
}

/// The address a report is about, for the export's address columns: its own address, else the
/// first address of its building; `None` for a spot or a place no longer in the registers.
fn row_address(model: &Model, address: Option<u64>, building: Option<u64>) -> Option<RowAddress> {
    let row = if let Some(a) = address {
        model.find_address(BagId::new(a)?)?
    } else {
        let b = model.find_building(BagId::new(building?)?)?;
        model.address(*b.address_rows().first()?)
    };
    let mut number = row.house_number().to_string();
    number.push_str(row.house_letter().unwrap_or_default());
    if let Some(addition) = row.addition() {
        number.push('-');
        number.push_str(addition);
    }
    Some(RowAddress {
        street: row.street().to_owned(),
        number,
        postcode: row.postcode().map(str::to_owned),
        place: row.place().to_owned(),
    })
}

fn areas_of(buurt: Option<&str>) -> AreaRefs {
    buurt
        .and_then(|b| b.parse::<AreaCode>().ok())
        .map(AreaRefs::from_code)
        .unwrap_or_default()
}

/// The rows of an export, oldest first, with counts.
fn select(store: &SqliteStore, s: &Selection<'_>) -> store::Result<(Vec<Row>, Counts)> {
    let mut counts = Counts::default();
    let mut rows = Vec::new();
    // Consent and contact details per reporter, read once.
    let mut reporters: HashMap<i64, (bool, ReporterContact)> = HashMap::new();
    for o in store.observations_of_type(s.kind)? {
        let in_area = o
            .observation
            .buurtcode
            .as_deref()
            .and_then(|b| b.parse::<AreaCode>().ok())
            .is_some_and(|b| code_within(b, s.area));
        if !in_area || matches!(o.status.as_str(), "hidden" | "withdrawn" | "merged") {
            continue;
        }
        if opted_out(
            s.model,
            s.opt_outs,
            o.observation.address_id,
            o.observation.building_id,
        ) {
            counts.opted_out += 1;
            continue;
        }
        let Some(report) = store.observation(o.id)? else {
            continue;
        };
        let ob = &report.observation;
        let types = read(&s.observations.types);
        let t = types
            .version(&ob.kind, report.type_version)
            .or_else(|| types.current(&ob.kind));
        drop(types);
        let public = t.as_ref().is_some_and(|t| t.def.public_space);
        let areas = areas_of(ob.buurtcode.as_deref());
        // Defence in depth: each row passes the policy at its own place too.
        let res = resource_of(public, ob.lonlat, areas, ob.address_id);
        if decide(s.who, Purpose::Export, &res) != Decision::Allow {
            continue;
        }
        let answers: Value = serde_json::from_str(&ob.answers).unwrap_or(Value::Null);
        let status_class = t
            .as_ref()
            .map_or_else(|| "unknown".to_owned(), |t| t.status_class(&answers));
        // Free text that looked like personal data leaves only with those who may moderate it,
        // as everywhere else.
        let withheld_answers = match &t {
            Some(t)
                if report.pii_suspected
                    && decide(s.who, Purpose::Moderation, &res) != Decision::Allow =>
            {
                let mut kept = answers.clone();
                t.withhold_free_text(&mut kept);
                Some(kept.to_string())
            }
            _ => None,
        };
        let contact = if s.contact {
            let reporter = ob.reporter_id;
            let (consented, details) = if let Some(known) = reporters.get(&reporter) {
                known.clone()
            } else {
                let known = (
                    store.reporter_consents(reporter, Purpose::Contact.as_str())?,
                    store.reporter_contact(reporter)?.unwrap_or_default(),
                );
                reporters.insert(reporter, known.clone());
                known
            };
            let mut res = Resource::new(
                DataClass::ReporterIdentity,
                Place::Located {
                    lonlat: ob.lonlat,
                    areas,
                },
            );
            res.reporter_consented = consented;
            // An address's opt-out of contact wins over the reporter's consent.
            let household_said_no = ob
                .address_id
                .is_some_and(|a| s.opt_outs.excludes(a, Purpose::Contact));
            if decide(s.who, Purpose::Contact, &res) == Decision::Allow && !household_said_no {
                if details.name.is_some() || details.email.is_some() || details.phone.is_some() {
                    counts.with_contact += 1;
                }
                Some(details)
            } else {
                Some(ReporterContact::default())
            }
        } else {
            None
        };
        let mut report = report;
        if let Some(a) = withheld_answers {
            report.observation.answers = a;
        }
        let address = row_address(
            s.model,
            report.observation.address_id,
            report.observation.building_id,
        );
        rows.push(Row {
            report,
            status_class,
            address,
            contact,
        });
    }
    counts.rows = rows.len();
    Ok((rows, counts))
}

// ----- the handler ---------------------------------------------------------------------------

async fn export(
    State(state): State<AppState>,
    caller: Caller,
    format: Format,
    q: Result<Query<ExportQuery>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(q) = q?;
    let raw_area = q
        .area
        .ok_or_else(|| ApiError::param("area", "required: a CBS code"))?;
    let area = parse_area(&raw_area, &state.model.load())?;
    let kind = q
        .kind
        .ok_or_else(|| ApiError::param("type", "required: an observation type"))?;
    let Some(t) = read(&state.observations.types).current(&kind) else {
        let names = read(&state.observations.types).names().join(", ");
        return Err(ApiError::param(
            "type",
            format!("no such observation type; types are {names}"),
        ));
    };
    let contact = match q.contact.as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(ApiError::param("contact", "true or false")),
    };
    let class = if t.def.public_space {
        DataClass::PublicSpaceObservations
    } else {
        DataClass::HouseholdObservations
    };
    match caller.require(Purpose::Export, &Resource::new(class, Place::Area(area)))? {
        Decision::Allow => {}
        _ => {
            return Err(ApiError::forbidden(format!(
                "your role sees {} only as aggregates: use GET /api/aggregates/observations?type={kind}&area={area}",
                class.as_str()
            )));
        }
    }
    state
        .people
        .limiter
        .check(Kind::Export, &caller.actor())
        .map_err(|retry_after| ApiError::TooManyRequests { retry_after })?;
    let (people, reports) = (Arc::clone(&state.people), Arc::clone(&state.observations));
    let (model, opt_outs) = (state.model.load_full(), state.people.opt_outs.load_full());
    let who = caller.principal.clone();
    let k = kind.clone();
    let (rows, counts) = blocking(move || {
        let s = Selection {
            kind: &k,
            area,
            contact,
            who: &who,
            model: &model,
            opt_outs: &opt_outs,
            observations: &reports,
        };
        Ok(select(&people.store, &s)?)
    })
    .await?;
    let mut detail = format!(
        "{} of {kind}: {} rows, {} left out by opt-outs",
        format.ext(),
        counts.rows,
        counts.opted_out
    );
    if contact {
        let _ = write!(detail, ", contact details in {} rows", counts.with_contact);
    }
    caller
        .audit("export", &format!("observations:{area}"), &detail)
        .await?;
    let bytes = match format {
        Format::Csv => to_csv(&rows, contact)
            .map_err(|e| ApiError::Internal(format!("writing the CSV export: {e}")))?,
        Format::GeoJson => to_geojson(&rows, contact),
        Format::Gpkg => {
            blocking(move || {
                to_gpkg(&rows, contact, "meldingen")
                    .map_err(|e| ApiError::Internal(format!("writing the GeoPackage export: {e}")))
            })
            .await?
        }
    };
    let mut r = no_store(bytes.into_response());
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"meldingen-{kind}-{area}.{}\"",
        format.ext()
    )) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_building_is_left_out_only_when_every_household_said_no() {
        let reg =
            OptOutRegister::from_rows([(1, "canvassing"), (2, "canvassing"), (3, "research")]);
        assert!(every_household_said_no(&[1, 2], &reg));
        assert!(
            !every_household_said_no(&[1, 2, 3], &reg),
            "3 did not opt out of canvassing"
        );
        assert!(
            !every_household_said_no(&[], &reg),
            "no addresses: nobody said no"
        );
    }
}
