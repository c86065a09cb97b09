//! Tile layers with per-household data, rendered per visibility class (never for the public).
//!
//! `niet_aanbellen` (do-not-knock): addresses whose household opted out of canvassing, for the
//! staff who plan and walk campaigns in their scope. Every feature passes the policy for its own
//! location, so a tile that straddles a scope edge holds only the caller's side.

use domain::Model;
use domain::access::{DataClass, Decision, Place, Principal, Purpose, Resource, decide};
use domain::privacy::OptOutRegister;
use tiles::{EXTENT, GeomType, LayerBuilder, TileCoord, TileTransform, Value};

/// Name of the do-not-knock layer.
pub const OPT_OUT_LAYER: &str = "niet_aanbellen";
/// Lowest zoom of the layer.
pub const OPT_OUT_MIN_ZOOM: u8 = 14;

/// Renders the do-not-knock layer of `tile` for `who` (empty when nothing is visible).
pub fn render_opt_outs(
    model: &Model,
    register: &OptOutRegister,
    who: &Principal,
    tile: TileCoord,
) -> Vec<u8> {
    let mut out = Vec::new();
    if tile.z() < OPT_OUT_MIN_ZOOM {
        return out;
    }
    let tr = TileTransform::new(tile, EXTENT);
    let (lo, hi) = tile.bounds_world(0.0);
    let mut rows: Vec<u32> = register
        .addresses(Purpose::Canvassing)
        .filter_map(|id| domain::BagId::new(id).and_then(|id| model.find_address(id)))
        .filter(|a| {
            let p = a.point();
            p[0] >= lo[0] && p[0] < hi[0] && p[1] >= lo[1] && p[1] < hi[1]
        })
        .map(|a| a.index())
        .collect();
    rows.sort_unstable();
    let mut layer = LayerBuilder::new(OPT_OUT_LAYER, EXTENT);
    let k_id = layer.key("identificatie");
    for row in rows {
        let a = model.address(row);
        let (lon, lat) = domain::world_to_lonlat(a.point());
        let resource = Resource::new(
            DataClass::OptOutRegister,
            Place::Located {
                lonlat: [lon, lat],
                areas: a.areas(),
            },
        );
        if decide(who, Purpose::Canvassing, &resource) != Decision::Allow {
            continue;
        }
        let p = tr.apply(a.point());
        if !(0..EXTENT as i32).contains(&p[0]) || !(0..EXTENT as i32).contains(&p[1]) {
            continue;
        }
        layer.geometry.point(p);
        let id = a.id().to_string();
        let tags = [(k_id, layer.push_value(&Value::Str(&id)))];
        layer.feature(Some(a.id().get()), GeomType::Point, &tags);
    }
    if !layer.is_empty() {
        layer.finish(&mut out);
    }
    out
}

/// Name of the public layer of public-space reports.
pub const PUBLIC_REPORTS_LAYER: &str = "openbare_ruimte";
/// Name of the private layer of reports about homes.
pub const REPORTS_LAYER: &str = "meldingen";
/// Lowest zoom of both report layers.
pub const REPORT_MIN_ZOOM: u8 = 12;

fn render_reports(
    name: &str,
    index: &crate::reports::ObservationIndex,
    tile: TileCoord,
    keep: &dyn Fn(&crate::reports::LiveObservation) -> bool,
) -> Vec<u8> {
    let mut out = Vec::new();
    if tile.z() < REPORT_MIN_ZOOM {
        return out;
    }
    let tr = TileTransform::new(tile, EXTENT);
    let (lo, hi) = tile.bounds_world(0.0);
    let now = crate::clock::now();
    let mut layer = LayerBuilder::new(name, EXTENT);
    let (k_type, k_class, k_conf, k_weight, k_reports, k_pand) = (
        layer.key("type"),
        layer.key("status_class"),
        layer.key("confirmations"),
        layer.key("weight"),
        layer.key("reports"),
        layer.key("pand_identificatie"),
    );
    for f in index.features_in_box(lo, hi) {
        let r = f.newest;
        if !keep(r) {
            continue;
        }
        let p = tr.apply(r.point);
        if !(0..EXTENT as i32).contains(&p[0]) || !(0..EXTENT as i32).contains(&p[1]) {
            continue;
        }
        layer.geometry.point(p);
        let weight = domain::observations::weight(now - r.observed_at, r.confirmations);
        let pand = r.building.map(|b| format!("{b:016}"));
        let mut tags = vec![
            (k_type, layer.push_value(&Value::Str(&r.kind))),
            (k_class, layer.push_value(&Value::Str(&r.status_class))),
            (
                k_conf,
                layer.push_value(&Value::Uint(u64::from(r.confirmations))),
            ),
            (
                k_weight,
                layer.push_value(&Value::Double((weight * 100.0).round() / 100.0)),
            ),
        ];
        if !r.public_space {
            tags.push((k_reports, layer.push_value(&Value::Uint(f.reports as u64))));
        }
        if let Some(p) = &pand {
            tags.push((k_pand, layer.push_value(&Value::Str(p))));
        }
        layer.feature(u64::try_from(r.id).ok(), GeomType::Point, &tags);
    }
    if !layer.is_empty() {
        layer.finish(&mut out);
    }
    out
}

/// Public-space reports (a dying tree, a parched plantsoen): for everyone.
pub fn render_public_reports(index: &crate::reports::ObservationIndex, tile: TileCoord) -> Vec<u8> {
    render_reports(PUBLIC_REPORTS_LAYER, index, tile, &|r| r.public_space)
}

/// Reports about homes: one point per pand (or verblijfsobject) and type, drawn by the newest
/// report, only where the policy lets `who` see them.
pub fn render_private_reports(
    index: &crate::reports::ObservationIndex,
    who: &Principal,
    tile: TileCoord,
) -> Vec<u8> {
    render_reports(REPORTS_LAYER, index, tile, &|r| {
        if r.public_space {
            return false;
        }
        let res = crate::reports::resource_of(false, r.lonlat, r.areas, r.address);
        decide(who, Purpose::Map, &res) == Decision::Allow
    })
}

/// Name of the public layer of k-anonymous report counts per buurt.
pub const AGGREGATE_LAYER: &str = "meldingen_per_buurt";
/// Lowest zoom of the aggregate layer.
pub const AGGREGATE_MIN_ZOOM: u8 = 10;

/// k-anonymous counts of reports about homes per buurt and type, at the buurt's label point: the
/// public's view of household data. Suppressed cells are left out; opt-outs of `research` are
/// not counted.
pub fn render_aggregates(
    model: &Model,
    index: &crate::reports::ObservationIndex,
    register: &OptOutRegister,
    rule: domain::privacy::KAnonymity,
    tile: TileCoord,
) -> Vec<u8> {
    use domain::privacy::Released;
    let mut out = Vec::new();
    if tile.z() < AGGREGATE_MIN_ZOOM {
        return out;
    }
    let (lo, hi) = tile.bounds_world(0.0);
    // The buurten whose label point lies in this tile.
    let mut buurten: Vec<(domain::AreaCode, domain::WorldPoint)> = model
        .areas_in(lo, hi)
        .map(|r| model.area(r))
        .filter(|a| a.code().kind() == domain::AreaKind::Buurt)
        .map(|a| (a.code(), a.label_point()))
        .filter(|(_, p)| p[0] >= lo[0] && p[0] < hi[0] && p[1] >= lo[1] && p[1] < hi[1])
        .collect();
    if buurten.is_empty() {
        return out;
    }
    buurten.sort_unstable();
    buurten.dedup_by_key(|(c, _)| *c);
    let codes: Vec<domain::AreaCode> = buurten.iter().map(|(c, _)| *c).collect();
    let opted_out = register.excluded_households(Purpose::Research, model);
    let released = index.release_in(&codes, None, rule, &opted_out);
    let tr = TileTransform::new(tile, EXTENT);
    let mut layer = LayerBuilder::new(AGGREGATE_LAYER, EXTENT);
    let (k_buurt, k_type, k_records, k_addresses) = (
        layer.key("buurtcode"),
        layer.key("type"),
        layer.key("records"),
        layer.key("addresses"),
    );
    for ((buurt, kind), cell) in &released {
        let Released::Shown { records, addresses } = cell else {
            continue;
        };
        let Some((_, p)) = buurten.iter().find(|(c, _)| c == buurt) else {
            continue;
        };
        let q = tr.apply(*p);
        layer.geometry.point(q);
        let code = buurt.to_string();
        let tags = [
            (k_buurt, layer.push_value(&Value::Str(&code))),
            (k_type, layer.push_value(&Value::Str(kind))),
            (
                k_records,
                layer.push_value(&Value::Uint(u64::from(*records))),
            ),
            (
                k_addresses,
                layer.push_value(&Value::Uint(u64::from(*addresses))),
            ),
        ];
        layer.feature(None, GeomType::Point, &tags);
    }
    if !layer.is_empty() {
        layer.finish(&mut out);
    }
    out
}

/// A layer the server adds to the tiles of the engine, as TileJSON describes it.
#[derive(Debug, Clone, Copy)]
pub struct Overlay {
    /// Layer name.
    pub name: &'static str,
    /// One sentence.
    pub description: &'static str,
    /// Lowest zoom with features.
    pub min_zoom: u8,
    /// Attributes.
    pub fields: &'static [(&'static str, &'static str)],
    /// Only for callers with per-household rights (a scoped visibility class).
    pub private: bool,
}

/// Every overlay layer, in drawing order.
pub const OVERLAYS: [Overlay; 4] = [
    Overlay {
        name: AGGREGATE_LAYER,
        description: "Reports about homes as k-anonymous counts per buurt and type (cells under k are left out)",
        min_zoom: AGGREGATE_MIN_ZOOM,
        fields: &[
            ("buurtcode", "String: CBS buurt code"),
            ("type", "String: observation type"),
            ("records", "Number: reports, rounded"),
            ("addresses", "Number: distinct addresses, rounded"),
        ],
        private: false,
    },
    Overlay {
        name: PUBLIC_REPORTS_LAYER,
        description: "Reports about public space (greenery in distress), one point each",
        min_zoom: REPORT_MIN_ZOOM,
        fields: &[
            ("type", "String: observation type"),
            (
                "status_class",
                "String: class of the answer the map colours by",
            ),
            ("confirmations", "Number: other residents who confirmed it"),
            ("weight", "Number: freshness × (1 + confirmations)"),
        ],
        private: false,
    },
    Overlay {
        name: REPORTS_LAYER,
        description: "Reports about homes: one point per pand (or verblijfsobject) and type, with the status of the newest report, for staff in their area",
        min_zoom: REPORT_MIN_ZOOM,
        fields: &[
            ("type", "String: observation type"),
            (
                "status_class",
                "String: class of the newest report's answer, which the map colours by",
            ),
            (
                "confirmations",
                "Number: other residents who confirmed the newest report",
            ),
            (
                "weight",
                "Number: the newest report's freshness × (1 + confirmations)",
            ),
            (
                "reports",
                "Number: open reports of this type about the pand",
            ),
            ("pand_identificatie", "String: the BAG pand"),
        ],
        private: true,
    },
    Overlay {
        name: OPT_OUT_LAYER,
        description: "Addresses whose household opted out of visits (niet aanbellen), for staff in their area",
        min_zoom: OPT_OUT_MIN_ZOOM,
        fields: &[("identificatie", "String: BAG verblijfsobject")],
        private: true,
    },
];

/// TileJSON `vector_layers` entries of the overlays a caller may receive.
pub fn overlay_vector_layers(private: bool) -> Vec<serde_json::Value> {
    OVERLAYS
        .iter()
        .filter(|o| private || !o.private)
        .map(|o| {
            let fields: serde_json::Map<String, serde_json::Value> = o
                .fields
                .iter()
                .map(|(k, v)| ((*k).to_owned(), serde_json::Value::from(*v)))
                .collect();
            serde_json::json!({
                "id": o.name, "description": o.description,
                "minzoom": o.min_zoom, "maxzoom": tiles::MAX_ZOOM, "fields": fields,
            })
        })
        .collect()
}
