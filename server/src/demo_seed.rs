//! The demo's sample activity, written into the store before the server starts (which then loads
//! it as it loads any store): resident reports about roofs, homes and greenery, and an assignment
//! story between the demo partner and the wijkondernemer, with residents who offered help (one
//! invited, accepted and logging paid hours). Written once: a second `demo` run on the
//! same folder finds them and adds nothing.
//!
//! Everything goes through the code the server itself uses: targets are resolved as a report's
//! target is, answers are checked against the observation types' schemas, reports are written by
//! the report writer, the work index is derived as at start, and the planned items are chosen by
//! the same selection as accepting an assignment in the API. Reporters are pseudonymous: a dozen
//! fictional resident accounts without contact details (one who reports about their own home has
//! verified that address, as the API demands), and device reporters for greenery.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context as _, Result, bail};
use domain::{AreaCode, AreaKind, Model, Usage, world_to_lonlat};
use serde_json::{Value, json};
use store::people::NewObservation;
use store::{AssignmentTerms, ObservationWriter, PendingObservation, SqliteStore};

use crate::observations::submit::resolve_target;
use crate::observations::{ObservationSettings, Observations, TypeRegistry, read};

/// The demo partner's organisation (its account is made with the other demo accounts).
pub const PARTNER_ORGANISATION: &str = "Energiecoöperatie Wijkdorp";
/// The demo partner's e-mail address.
pub const PARTNER_EMAIL: &str = "partner@wijkdorp.example";
/// The demo wijkondernemer's e-mail address.
pub const WIJKONDERNEMER_EMAIL: &str = "wijkondernemer@wijkdorp.example";
/// The demo volunteer, who walks the first route of the sample campaign.
pub const VOLUNTEER_EMAIL: &str = "vrijwilliger@wijkdorp.example";

const DAY: i64 = 86_400;

/// Insulation steps residents say they took.
const INSULATION: [&[&str]; 4] = [
    &["roof"],
    &["roof", "glass"],
    &["glass"],
    &["roof", "walls", "floor"],
];

/// Writes the sample reports and the assignment story into the store at `db`, each only when the
/// store holds none of its kind yet.
pub fn seed(db: &Path, settings: ObservationSettings, rules: Option<&Path>) -> Result<()> {
    let store = SqliteStore::open(db).with_context(|| format!("opening store {}", db.display()))?;
    let model = crate::load_model(&store).with_context(|| format!("loading {}", db.display()))?;
    let now = crate::clock::now();
    // Seeded before when reports are live or the first fictional resident exists (the reports
    // may have been closed since).
    if store.live_observations()?.is_empty() && store.user_by_email(&resident_email(1))?.is_none() {
        let n = seed_reports(&store, db, &model, now)?;
        tracing::info!(reports = n, "demo: sample resident reports written");
    }
    if store.assignments()?.is_empty() {
        // The work as the server derives it at start, from the reports just written.
        let observations = Observations::load(&store, db, &model, settings)?;
        let rules = crate::work_items::rules_text(&store, rules)?;
        let work = crate::work_items::load(&store, &model, &observations, &rules, now)?;
        let obs = read(&observations.index);
        let src = work::Sources {
            model: &model,
            observations: &obs,
            now,
        };
        let opt_outs = domain::privacy::OptOutRegister::from_rows(
            store.opt_outs()?.iter().map(|(a, p)| (*a, p.as_str())),
        );
        seed_assignments(&store, &model, &work, &src, &opt_outs, now)?;
    }
    Ok(())
}

/// One report to write: its type, target (as the API's `target`), answers and age in days.
struct Sample {
    kind: &'static str,
    target: Value,
    answers: Value,
    days_ago: i64,
    /// Reported by a signed-in resident (one of a few fictional accounts); else from a phone
    /// without an account (a device reporter).
    account: bool,
}

/// Every `n`th of `items`, spread over the list, at most `count`.
fn spread<T: Copy>(items: &[T], count: usize) -> Vec<T> {
    if items.is_empty() || count == 0 {
        return Vec::new();
    }
    let step = (items.len() / count).max(1);
    items.iter().step_by(step).take(count).copied().collect()
}

/// `per` of `items` in each of the `buurten` buurten that hold most of them: residents report
/// where a neighbour started, and a buurt with at least five shows on the public map.
fn in_busiest_buurten(items: &[(Option<AreaCode>, u64)], buurten: usize, per: usize) -> Vec<u64> {
    let mut by_buurt: BTreeMap<AreaCode, Vec<u64>> = BTreeMap::new();
    for (buurt, id) in items {
        if let Some(b) = buurt {
            by_buurt.entry(*b).or_default().push(*id);
        }
    }
    let mut groups: Vec<Vec<u64>> = by_buurt.into_values().collect();
    groups.sort_by_key(|g| std::cmp::Reverse(g.len()));
    groups
        .iter()
        .take(buurten)
        .flat_map(|g| spread(g, per))
        .collect()
}

/// The sample reports for this model.
fn samples(model: &Model) -> Vec<Sample> {
    let homes: Vec<_> = model
        .building_rows()
        .filter(|b| b.usage().contains(Usage::Woonfunctie) && !b.address_rows().is_empty())
        .collect();
    let big_roof: Vec<_> = homes
        .iter()
        .filter(|b| b.roof().is_some_and(|r| r.solar_m2 >= 15.0))
        .map(|b| (b.areas().buurt, b.id().get()))
        .collect();
    let small_roof: Vec<_> = homes
        .iter()
        .filter(|b| b.roof().is_none_or(|r| r.solar_m2 < 15.0))
        .map(|b| (b.areas().buurt, b.id().get()))
        .collect();
    let bag = |id: u64| domain::BagId::new(id).map_or_else(String::new, |b| b.to_string());
    let mut out = Vec::new();
    // Solar panels seen on a roof, or seen to be missing from a suitable one.
    for (i, id) in in_busiest_buurten(&big_roof, 2, 7).into_iter().enumerate() {
        let answers = if i % 5 < 2 {
            json!({ "panels": "yes", "count": (["5-10", "11-20"][i % 2]), "roof_part": (["back", "both"][i % 2]) })
        } else {
            json!({ "panels": "no" })
        };
        out.push(Sample {
            kind: "solar_panels",
            target: json!({ "building": bag(id) }),
            answers,
            days_ago: 1 + (i as i64 * 3) % 20,
            account: true,
        });
    }
    // Roofs 3DBAG finds small, that residents see are suitable (or not).
    for (i, id) in in_busiest_buurten(&small_roof, 1, 8)
        .into_iter()
        .enumerate()
    {
        let shade = ["none", "none", "some", "much"][i % 4];
        out.push(Sample {
            kind: "roof_suitability",
            target: json!({ "building": bag(id) }),
            answers: json!({ "shape": (["sloped", "flat"][i % 2]), "orientation": (["south", "south_west", "west"][i % 3]), "shade": shade }),
            days_ago: 2 + (i as i64 * 5) % 25,
            account: true,
        });
    }
    // Homes getting ready to go off gas, told by their residents.
    let addresses: Vec<_> = model
        .address_rows()
        .filter(|a| a.usage().contains(Usage::Woonfunctie))
        .map(|a| (a.areas().buurt, a.id().get()))
        .collect();
    for (i, id) in in_busiest_buurten(&addresses, 1, 7).into_iter().enumerate() {
        let (heating, cooking, interest) = [
            ("gas_boiler", "gas", "yes"),
            ("hybrid_heat_pump", "induction", "maybe"),
            ("gas_boiler", "gas", "maybe"),
            ("heat_pump", "induction", "already_off_gas"),
            ("gas_boiler", "gas", "no"),
            ("gas_boiler", "induction", "yes"),
            ("district_heat", "electric_other", "already_off_gas"),
        ][i % 7];
        out.push(Sample {
            kind: "gas_readiness",
            target: json!({ "address": bag(id) }),
            answers: json!({ "heating": heating, "cooking": cooking, "interest": interest, "insulation": (INSULATION[i % 4]) }),
            days_ago: 3 + (i as i64 * 4) % 21,
            account: true,
        });
    }
    // Greenery in distress by the trees of the register (or buildings, without trees): some
    // reported twice within a few metres, some once. A report about a tree names its register
    // number, as the form does when a resident taps the tree: those become tree-care work.
    let places: Vec<(f64, f64, Option<String>)> = if model.tree_count() > 0 {
        let all: Vec<u32> = (0..u32::try_from(model.tree_count()).unwrap_or(u32::MAX)).collect();
        spread(&all, 14)
            .into_iter()
            .map(|i| {
                let t = model.tree(i);
                let (lon, lat) = world_to_lonlat(t.point());
                (lon, lat, Some(t.number().to_owned()))
            })
            .collect()
    } else {
        let all: Vec<u32> = homes.iter().map(domain::BuildingRow::index).collect();
        spread(&all, 14)
            .into_iter()
            .map(|i| world_to_lonlat(crate::observations::building_point(model, i)))
            .map(|(lon, lat)| (lon, lat + 0.0002, None))
            .collect()
    };
    for (i, (lon, lat, number)) in places.into_iter().enumerate() {
        let object = [
            "tree",
            "plantsoen",
            "tree",
            "grass",
            "tree",
            "facade_garden",
        ][i % 6];
        let severity = [
            "serious", "dying", "light", "serious", "light", "serious", "dying",
        ][i % 7];
        let cause = ["drought", "heat", "damage", "drought", "unknown", "drought"][i % 6];
        // Some places are reported again within 25 m (about 6 m north-east).
        let again = matches!(i, 0 | 1 | 3 | 6);
        for (k, (dlon, dlat)) in [(0.0, 0.0), (0.00006, 0.00004)].into_iter().enumerate() {
            if k == 1 && !again {
                break;
            }
            let point = json!({ "type": "Point", "coordinates": [lon + dlon, lat + dlat] });
            let (target, answers) = match (&number, object) {
                (Some(n), "tree") => (
                    json!({ "point": point, "tree": n }),
                    json!({ "object": object, "severity": severity, "cause": cause, "tree_id": n }),
                ),
                _ => (
                    json!({ "point": point }),
                    json!({ "object": object, "severity": severity, "cause": cause }),
                ),
            };
            out.push(Sample {
                kind: "greenery_distress",
                target,
                answers,
                days_ago: 1 + (i as i64 * 2 + k as i64 * 3) % 14,
                account: false,
            });
        }
    }
    out
}

/// Writes the sample reports (and confirms some greenery); returns how many were written.
fn seed_reports(store: &SqliteStore, db: &Path, model: &Model, now: i64) -> Result<usize> {
    let types = TypeRegistry::load(&store.observation_types()?);
    let mut pending = Vec::new();
    let mut accounts = 0;
    for s in samples(model) {
        let t = types
            .current(s.kind)
            .with_context(|| format!("no observation type {}", s.kind))?;
        let errors = t.validate(&s.answers);
        if !errors.is_empty() {
            bail!("demo {} answers do not fit the type: {errors:?}", s.kind);
        }
        let target = resolve_target(model, &s.target)
            .map_err(|e| anyhow::anyhow!("demo {} target {}: {e}", s.kind, s.target))?;
        let reporter = if s.account {
            // A few residents, each reporting several things; one about their own home has
            // verified it, as the API demands.
            let n = accounts % RESIDENTS + 1;
            accounts += 1;
            let own_home = if t.def.own_home_only {
                Some(
                    target
                        .address
                        .context("a report about one's own home names an address")?,
                )
            } else {
                None
            };
            resident_reporter(store, n, own_home, now)?
        } else {
            store.new_device_reporter(now)?
        };
        pending.push(PendingObservation {
            observation: NewObservation {
                kind: t.def.name.clone(),
                building_id: target.building,
                address_id: target.address,
                lonlat: target.lonlat,
                buurtcode: target.areas.buurt.map(|b| b.to_string()),
                observed_at: now - s.days_ago * DAY,
                source: "resident".into(),
                reporter_id: reporter,
                answers: s.answers.to_string(),
            },
            type_version: t.def.version,
            tree_id: target.tree,
            pii_suspected: t.looks_personal(&s.answers),
            idempotency_key: None,
        });
    }
    let mut writer = ObservationWriter::open(db)?;
    let written = writer
        .write_batch(&pending, now)?
        .into_iter()
        .collect::<store::Result<Vec<_>>>()?;
    // Neighbours confirm the greenery that is serious or dying.
    for (p, w) in pending.iter().zip(&written) {
        let o = &p.observation;
        if o.kind == "greenery_distress"
            && (o.answers.contains("\"serious\"") || o.answers.contains("\"dying\""))
        {
            let neighbour = store.new_device_reporter(now)?;
            store.add_confirmation(w.id, neighbour, now)?;
        }
    }
    Ok(written.len())
}

/// How many fictional residents report in the demo.
const RESIDENTS: usize = 12;

/// The made-up e-mail address of fictional resident `n`.
fn resident_email(n: usize) -> String {
    format!("bewoner{n:02}@wijkdorp.example")
}

/// The reporter of fictional resident `n` (an account at the demo's made-up domain, no contact
/// details), made on first use; when `own_home` is given, the resident has verified that address
/// with a letter code.
fn resident_reporter(
    store: &SqliteStore,
    n: usize,
    own_home: Option<u64>,
    now: i64,
) -> Result<i64> {
    let user = resident_user(store, n, now)?;
    if let Some(address) = own_home {
        // A letter code nobody is told, redeemed at once.
        let code = crate::auth::secret::token().into_bytes();
        store.set_address_code(address, &code, now, now + 60)?;
        store.redeem_address_code(&code, user, now)?;
    }
    Ok(store.reporter_for_user(user, now)?)
}

/// The account of fictional resident `n`, made on first use.
fn resident_user(store: &SqliteStore, n: usize, now: i64) -> Result<i64> {
    let email = resident_email(n);
    Ok(match store.user_by_email(&email)? {
        Some(u) => u.id,
        None => store.create_user(
            &email,
            &format!("Bewoner {n}"),
            None,
            &[("resident".to_owned(), "all".to_owned())],
            now,
        )?,
    })
}

/// Residents who offer help in `area`: one invited to a planned roof of the solar assignment
/// `assignment`, who accepted and logged hours (paid: the wijkondernemer decided so); one invited
/// who has not answered yet; one whose skills fit no open work.
fn seed_talent(
    store: &SqliteStore,
    area: &str,
    assignment: i64,
    planned: &[store::PlannedItem],
    by: i64,
    now: i64,
) -> Result<()> {
    let offer = |skills: &[&str], other: &str, hours: i64, days: &[&str]| store::TalentOffer {
        skills: skills.iter().map(|s| (*s).to_owned()).collect(),
        other: other.to_owned(),
        hours_per_week: hours,
        day_parts: days.iter().map(|s| (*s).to_owned()).collect(),
        area: area.to_owned(),
        available_until: None,
    };
    store.set_helpers_paid(assignment, true)?;
    let offers = [
        (
            20,
            offer(
                &["knocking_doors", "energy_advice"],
                "",
                4,
                &["weekday_evening", "weekend"],
            ),
        ),
        (
            21,
            offer(
                &["knocking_doors", "small_repairs", "language"],
                "Turks en Arabisch",
                3,
                &["weekday_morning"],
            ),
        ),
        (22, offer(&["watering", "gardening"], "", 2, &["weekend"])),
    ];
    let mut users = Vec::new();
    for (k, (n, o)) in offers.iter().enumerate() {
        let user = resident_user(store, *n, now)?;
        store.put_talent_offer(user, o, now - (12 - k as i64) * DAY)?;
        users.push(user);
    }
    let solar_item = |i: usize| {
        planned.get(i).map(|p| store::InvitedItem {
            kind: "solar".into(),
            target_kind: p.target_kind.clone(),
            target_id: p.target_id,
        })
    };
    if let (Some(item), Some(p)) = (solar_item(5), planned.get(5)) {
        let inv = store.invite(
            users[0],
            Some(&item),
            Some(assignment),
            &p.buurt,
            "Zaterdagochtend samen met de wijkondernemer langs de deuren?",
            Some(by),
            now - 9 * DAY,
        )?;
        store.move_invitation(inv, &["invited"], "accepted", now - 8 * DAY)?;
        for (days, minutes) in [(6, 150), (2, 90)] {
            let day = crate::clock::rfc3339(now - days * DAY)[..10].to_owned();
            store.log_hours(inv, users[0], &day, minutes, now - days * DAY)?;
        }
    }
    if let (Some(item), Some(p)) = (solar_item(6), planned.get(6)) {
        store.invite(
            users[1],
            Some(&item),
            Some(assignment),
            &p.buurt,
            "De bewoners spreken Turks: wil je mee?",
            Some(by),
            now - DAY,
        )?;
    }
    Ok(())
}

/// A campaign door to door for the solar assignment: the homes of the wijk with solar work, in
/// routes of about 12 doors; the first route walked by the demo volunteer, with visits — some
/// kept with the household's consent, one "do not knock again".
#[allow(clippy::too_many_arguments)]
fn seed_campaign(
    store: &SqliteStore,
    work: &work::WorkIndex,
    src: &work::Sources<'_>,
    opt_outs: &domain::privacy::OptOutRegister,
    area: &str,
    assignment: i64,
    by: i64,
    now: i64,
) -> Result<()> {
    let (turfs, opted_out) =
        match crate::routes::campaigns::plan_turfs(work, src, opt_outs, area, "solar", 12) {
            Ok(t) => t,
            Err(e) => {
                tracing::warn!(error = %e, "demo: no sample campaign");
                return Ok(());
            }
        };
    let day = |d: i64| crate::clock::rfc3339(now + d * DAY)[..10].to_owned();
    let spec = store::CampaignSpec {
        title: "Zonnepanelen: langs de deur in de wijk".into(),
        topic: "We vertellen over de collectieve inkoop van zonnepanelen en vragen of de bewoners een offerte willen.".into(),
        area: area.to_owned(),
        criteria: String::new(),
        work_kind: Some("solar".into()),
        assignment_id: Some(assignment),
        questions: serde_json::json!([
            { "name": "offerte", "title": { "nl": "Wilt u een offerte voor zonnepanelen?", "en": "Would you like a quote for solar panels?" },
              "type": "choice", "options": ["ja", "misschien", "nee"],
              "option_titles": [{ "nl": "ja", "en": "yes" }, { "nl": "misschien", "en": "maybe" }, { "nl": "nee", "en": "no" }], "sensitive": false },
            { "name": "hulp_nodig", "title": { "nl": "Heeft iemand in huis hulp nodig bij de aanvraag?", "en": "Does anyone at home need help with the application?" },
              "type": "yes_no", "options": [], "option_titles": [], "sensitive": true }
        ])
        .to_string(),
        turf_size: 12,
        starts_on: day(-10),
        ends_on: day(50),
    };
    let id = store.create_campaign(&spec, &turfs, opted_out as i64, Some(by), now - 10 * DAY)?;
    let Some(volunteer) = store.user_by_email(VOLUNTEER_EMAIL)? else {
        return Ok(());
    };
    let first = store
        .turfs(id)?
        .into_iter()
        .next()
        .context("the campaign has a route")?;
    store.set_turf_holder(first.id, None, Some(volunteer.id), now - 9 * DAY)?;
    let doors = store.turf_doors(first.id)?;
    let outcomes = [
        ("interested", true, "ja"),
        ("not_home", false, ""),
        ("not_interested", false, "nee"),
        ("signed_up", true, "ja"),
        ("interested", false, "misschien"),
        ("not_home", false, ""),
        ("do_not_knock", false, ""),
    ];
    let ops: Vec<store::VisitOp> = doors
        .iter()
        .zip(outcomes)
        .enumerate()
        .map(|(k, (address, (outcome, keep, answer)))| {
            let mut counted = Vec::new();
            if !answer.is_empty() {
                counted.push(("offerte".to_owned(), answer.to_owned()));
                counted.push((
                    "hulp_nodig".to_owned(),
                    if k % 3 == 0 { "yes" } else { "no" }.to_owned(),
                ));
            }
            store::VisitOp {
                key: format!("demo-visit-{k:04}"),
                address: *address,
                outcome: outcome.to_owned(),
                keep,
                answers: if keep {
                    serde_json::json!({ "offerte": answer }).to_string()
                } else {
                    "{}".into()
                },
                counted,
                note: String::new(),
            }
        })
        .collect();
    store.apply_visits(id, first.id, volunteer.id, &ops, now - 8 * DAY, |fresh| {
        serde_json::json!({ "status": if fresh { "recorded" } else { "conflict" } }).to_string()
    })?;
    // Five more volunteers walked routes in the same buurt, so that the reach of the campaign
    // shows on the urgency page there (a count from visits needs k distinct volunteers).
    let others: Vec<store::TurfRow> = store
        .turfs(id)?
        .into_iter()
        .filter(|t| t.id != first.id && t.buurt == first.buurt)
        .take(5)
        .collect();
    let outcomes = [
        "interested",
        "not_home",
        "signed_up",
        "not_interested",
        "interested",
    ];
    for (n, t) in others.iter().enumerate() {
        let email = format!("loper{}@wijkdorp.example", n + 2);
        let walker = match store.user_by_email(&email)? {
            Some(u) => u.id,
            None => store.create_user(
                &email,
                &format!("Loper {}", n + 2),
                None,
                &[("volunteer".to_owned(), area.to_owned())],
                now - 20 * DAY,
            )?,
        };
        store.set_turf_holder(t.id, None, Some(walker), now - 9 * DAY)?;
        let ops: Vec<store::VisitOp> = store
            .turf_doors(t.id)?
            .iter()
            .enumerate()
            .map(|(k, address)| {
                let outcome = outcomes[(k + n) % outcomes.len()];
                store::VisitOp {
                    key: format!("demo-visit-{}-{k:04}", t.id),
                    address: *address,
                    outcome: outcome.to_owned(),
                    keep: outcome == "signed_up",
                    answers: "{}".into(),
                    counted: Vec::new(),
                    note: String::new(),
                }
            })
            .collect();
        let day = i64::try_from(n).unwrap_or(0);
        store.apply_visits(id, t.id, walker, &ops, now - (7 - day) * DAY, |fresh| {
            serde_json::json!({ "status": if fresh { "recorded" } else { "conflict" } }).to_string()
        })?;
    }
    tracing::info!(
        routes = turfs.len(),
        walkers = others.len() + 1,
        "demo: sample campaign written"
    );
    Ok(())
}

/// The assignment story: the partner's solar offer, accepted by the wijkondernemer with its items
/// planned, some delivered and accepted; and a second offer still open.
fn seed_assignments(
    store: &SqliteStore,
    model: &Model,
    work: &work::WorkIndex,
    src: &work::Sources<'_>,
    opt_outs: &domain::privacy::OptOutRegister,
    now: i64,
) -> Result<()> {
    let partner = store
        .user_by_email(PARTNER_EMAIL)?
        .context("the demo partner account")?
        .id;
    let wijkondernemer = store
        .user_by_email(WIJKONDERNEMER_EMAIL)?
        .context("the demo wijkondernemer account")?
        .id;
    let deadline = |days: i64| crate::clock::rfc3339(now + days * DAY)[..10].to_owned();
    let solar = |area: String| AssignmentTerms {
        title: "Zonnepanelen op daken uit 1960–1990".into(),
        kind: "solar".into(),
        area,
        criteria: "bouwjaar BETWEEN 1960 AND 1990".into(),
        units: 12,
        fee_cents: 4_500,
        budget_cents: Some(54_000),
        deadline: deadline(120),
        delivered_when: "De bewoners zijn thuis gesproken en hebben een offerte voor zonnepanelen \
                         gekregen."
            .into(),
    };
    // The wijk with the most open solar work on roofs of those years.
    let mut best: Option<(AssignmentTerms, Vec<store::PlannedItem>)> = None;
    for w in model
        .area_rows()
        .filter(|a| a.code().kind() == AreaKind::Wijk)
    {
        let terms = solar(w.code().to_string());
        match crate::routes::assignments::items_to_plan(work, src, opt_outs, &terms) {
            Ok(items) if best.as_ref().is_none_or(|(_, b)| items.len() > b.len()) => {
                best = Some((terms, items.into_iter().map(|(_, i)| i).collect()));
            }
            Ok(_) => {}
            Err(e) => tracing::debug!(wijk = %w.code(), error = %e, "demo: no solar offer here"),
        }
    }
    let Some((terms, items)) = best else {
        // A small wijk (`--buildings`) may have no roofs of those years: the demo runs without.
        tracing::warn!(
            "demo: no open solar work on roofs from 1960–1990 in any wijk; no sample assignments"
        );
        return Ok(());
    };
    let offered = now - 20 * DAY;
    let id = store.offer_assignment(PARTNER_ORGANISATION, &terms, offered, Some(partner))?;
    store.move_assignment(
        id,
        &["offered"],
        "accepted",
        offered + 2 * DAY,
        Some(wijkondernemer),
        "Wij gaan de komende maanden langs de deuren.",
        &items,
    )?;
    // Four homes visited, three of them accepted by the partner so far.
    for (k, item) in items.iter().take(4).enumerate() {
        let at = offered + (5 + 3 * k as i64) * DAY;
        let d = store.record_delivery(
            id,
            item,
            at,
            Some(wijkondernemer),
            "visit",
            None,
            "Bewoners gesproken, offerte meegegeven.",
        )?;
        if k < 3 {
            store.decide_delivery(id, d, "accepted", at + DAY, Some(partner))?;
        }
    }
    seed_talent(store, &terms.area, id, &items, wijkondernemer, now)?;
    seed_campaign(
        store,
        work,
        src,
        opt_outs,
        &terms.area,
        id,
        wijkondernemer,
        now,
    )?;
    let gas = AssignmentTerms {
        title: "Keukentafelgesprekken over aardgasvrij wonen".into(),
        kind: "gas_free".into(),
        area: terms.area.clone(),
        criteria: "bouwjaar < 1975".into(),
        units: 20,
        fee_cents: 3_500,
        budget_cents: None,
        deadline: deadline(180),
        delivered_when: "Een keukentafelgesprek is gevoerd en het verslag is gedeeld.".into(),
    };
    // Offered only when the rules and the data hold such work, as the API checks an offer.
    match crate::routes::assignments::items_to_plan(work, src, opt_outs, &gas) {
        Ok(_) => {
            store.offer_assignment(PARTNER_ORGANISATION, &gas, now - 3 * DAY, Some(partner))?;
        }
        Err(e) => tracing::warn!(error = %e, "demo: no gas_free offer"),
    }
    tracing::info!(planned = items.len(), "demo: sample assignments written");
    Ok(())
}
