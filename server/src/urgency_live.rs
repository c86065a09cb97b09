//! The urgency indicators as the server keeps them (issue 14): one [`urgency::Engine`], built on
//! first use and kept current unit by unit. Writers only name what changed (cheap, under a short
//! lock); the next read applies it. A new model (an import), new rules or a change in the opt-out
//! register makes the next read recompute everything.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use domain::Model;
use urgency::{
    DoorState, Engine, IndicatorSet, Inputs, LEVELS, Level, LevelRelease, Placement, Privacy,
    Schemas, Shapes, Unit,
};
use work::{Target, WorkIndex};

use crate::observations::read;
use crate::state::AppState;

/// The indicators to use: `--indicators FILE` when given, else the shipped ones; checked against
/// the fields of `work`. A file with an error is refused with its line and reason.
pub fn load_set(file: Option<&std::path::Path>, work: &WorkIndex) -> anyhow::Result<IndicatorSet> {
    use anyhow::Context as _;
    let text = match file {
        Some(path) => std::fs::read_to_string(path)
            .with_context(|| format!("reading indicators {}", path.display()))?,
        None => urgency::DEFAULT_INDICATORS.to_owned(),
    };
    let schemas = Schemas::new(work.fields(), work.rules());
    // A raster's path is relative to the indicator file's folder.
    let dir = file
        .and_then(std::path::Path::parent)
        .unwrap_or(std::path::Path::new(""));
    IndicatorSet::parse_in(&text, &schemas, dir).map_err(|e| anyhow::anyhow!("indicators: {e}"))
}

/// What changed since the engine was last brought up to date.
#[derive(Default)]
struct Pending {
    units: Vec<Unit>,
    targets: Vec<Target>,
    doors: bool,
}

struct Live {
    engine: Engine,
    /// What it was built from: the model, the rules and the opt-out register (by pointer).
    model: usize,
    rules: usize,
    opt_outs: usize,
    doors: HashMap<u64, DoorState>,
    /// Counts builds and updates: a release made at an older generation is out of date.
    generation: u64,
}

/// What the urgency tile layers draw, per level, with the generation it was made at.
#[derive(Default)]
struct Releases {
    /// The model the shapes belong to (by pointer).
    model: usize,
    shapes: Vec<Shapes>,
    levels: HashMap<Level, (u64, Arc<LevelRelease>)>,
}

/// The live indicators.
pub struct Urgency {
    set: Arc<IndicatorSet>,
    live: Mutex<Option<Live>>,
    pending: Mutex<Pending>,
    /// The placement of the current model's addresses (by model pointer).
    placement: Mutex<Option<(usize, Arc<Placement>)>>,
    /// The releases the tile layers draw.
    releases: Mutex<Releases>,
    /// Generations handed out (never reused, even across rebuilds).
    generations: std::sync::atomic::AtomicU64,
    /// Downloads made from a release (GeoJSON, GeoPackage), newest last: the same request
    /// before anything changed is answered from here, not made again.
    downloads: Mutex<std::collections::VecDeque<Download>>,
}

/// One made download: its level and kind, the release it was made from, the bytes.
type Download = (Level, String, Arc<LevelRelease>, bytes::Bytes);

/// How many downloads are kept (the largest, an H3-10 GeoJSON of a big gemeente, is a few MB).
const DOWNLOADS_KEPT: usize = 8;

impl Urgency {
    /// Indicators `set`, built on first use.
    pub fn new(set: IndicatorSet) -> Self {
        Self {
            set: Arc::new(set),
            live: Mutex::new(None),
            pending: Mutex::new(Pending::default()),
            placement: Mutex::new(None),
            releases: Mutex::new(Releases::default()),
            generations: std::sync::atomic::AtomicU64::new(0),
            downloads: Mutex::new(std::collections::VecDeque::new()),
        }
    }

    /// The indicator set.
    pub fn set(&self) -> &Arc<IndicatorSet> {
        &self.set
    }

    /// Reports `ids` and the work of `targets` changed.
    pub fn touch(&self, ids: impl IntoIterator<Item = i64>, targets: &[Target]) {
        let mut p = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
        p.units.extend(ids.into_iter().map(Unit::Report));
        p.targets.extend_from_slice(targets);
    }

    /// Doors were knocked on.
    pub fn doors_changed(&self) {
        self.pending
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .doors = true;
    }

    fn next_generation(&self) -> u64 {
        self.generations
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            + 1
    }

    /// What the urgency tile layer of `level` draws, brought up to date. When it changed since
    /// the last release, the tiles it makes stale are dropped from the cache first: the cells
    /// whose values or classes changed, or the whole level when a class break moved. A tile
    /// render notes the cache epoch before calling this, so a render from an older release is
    /// never kept.
    pub fn release(&self, state: &AppState, level: Level) -> anyhow::Result<Arc<LevelRelease>> {
        let (release, before) = self.with_generation(state, |engine, model, generation| {
            let mut r = self.releases.lock().unwrap_or_else(PoisonError::into_inner);
            let model_ptr = std::ptr::from_ref(model) as usize;
            if r.model != model_ptr || r.shapes.len() != LEVELS {
                *r = Releases {
                    model: model_ptr,
                    shapes: (0..LEVELS).map(|_| Shapes::default()).collect(),
                    levels: HashMap::new(),
                };
            }
            if let Some((g, rel)) = r.levels.get(&level)
                && *g == generation
            {
                return (Arc::clone(rel), None);
            }
            let at = Level::ALL.iter().position(|l| *l == level).unwrap_or(0);
            let fresh = Arc::new(LevelRelease::new(engine, model, level, &mut r.shapes[at]));
            let before = r
                .levels
                .insert(level, (generation, Arc::clone(&fresh)))
                .map(|(_, old)| old);
            (fresh, before)
        })?;
        if let Some(before) = before
            && let Some(id) = state.tiles.urgency_tileset(level)
        {
            // Past its last zoom a level draws nothing (empty tiles stay right): only its own
            // zooms are visited, so a gemeente's box is a handful of tiles, not millions.
            let (min_zoom, max_zoom) = tiles::urgency_zooms(level);
            match release.stale(&before) {
                Some(boxes) => {
                    for b in boxes {
                        state.cache.invalidate_box_at(b, min_zoom..=max_zoom, &[id]);
                    }
                }
                None => state.cache.invalidate_tilesets(&[id]),
            }
        }
        Ok(release)
    }

    /// The download `what` of `level` made from `release`: kept from an earlier request while
    /// the release is the same, else made by `make` and kept (the oldest of the last eight
    /// goes).
    pub fn download(
        &self,
        level: Level,
        what: &str,
        release: &Arc<LevelRelease>,
        make: impl FnOnce() -> anyhow::Result<Vec<u8>>,
    ) -> anyhow::Result<bytes::Bytes> {
        let kept = |d: &Download| d.0 == level && d.1 == what && Arc::ptr_eq(&d.2, release);
        if let Some(d) = self
            .downloads
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .find(|d| kept(d))
        {
            return Ok(d.3.clone());
        }
        // Made without the lock: two first requests at once both make it, nobody waits.
        let bytes = bytes::Bytes::from(make()?);
        let mut d = self
            .downloads
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        d.retain(|x| !(x.0 == level && x.1 == what));
        if d.len() >= DOWNLOADS_KEPT {
            d.pop_front();
        }
        d.push_back((level, what.to_owned(), Arc::clone(release), bytes.clone()));
        Ok(bytes)
    }

    /// Runs `f` over the engine brought up to date.
    pub fn with<R>(
        &self,
        state: &AppState,
        f: impl FnOnce(&Engine, &Model) -> R,
    ) -> anyhow::Result<R> {
        self.with_generation(state, |engine, model, _| f(engine, model))
    }

    /// [`Self::with`], also given the engine's generation.
    fn with_generation<R>(
        &self,
        state: &AppState,
        f: impl FnOnce(&Engine, &Model, u64) -> R,
    ) -> anyhow::Result<R> {
        let model = state.model.load();
        let opt_outs = state.people.opt_outs.load();
        let work = read(&state.work);
        let obs = read(&state.observations.index);
        let opted = |a: u64| opt_outs.excludes(a, domain::access::Purpose::Research);
        let model_ptr = Arc::as_ptr(&model) as usize;
        let rules_ptr = Arc::as_ptr(work.rules()) as usize;
        let opt_ptr = Arc::as_ptr(&opt_outs) as usize;
        let mut live = self.live.lock().unwrap_or_else(PoisonError::into_inner);
        let pending =
            std::mem::take(&mut *self.pending.lock().unwrap_or_else(PoisonError::into_inner));
        let src = work::Sources {
            model: &model,
            observations: &obs,
            now: crate::clock::now(),
        };
        let fresh = live
            .as_ref()
            .is_none_or(|l| l.model != model_ptr || l.rules != rules_ptr || l.opt_outs != opt_ptr);
        if fresh {
            let doors = door_states(state)?;
            let place = {
                let mut p = self
                    .placement
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner);
                if p.as_ref().is_none_or(|(m, _)| *m != model_ptr) {
                    *p = Some((model_ptr, Arc::new(Placement::new(&model))));
                }
                p.as_ref().map_or_else(
                    || Arc::new(Placement::new(&model)),
                    |(_, pl)| Arc::clone(pl),
                )
            };
            let rule = state.people.settings.k_anonymity;
            let schemas = Arc::new(Schemas::new(work.fields(), work.rules()));
            let inputs = Inputs {
                src,
                work: &work,
                doors: &doors,
                opted_out: &opted,
            };
            let engine = Engine::build(
                Arc::clone(&self.set),
                schemas,
                Privacy {
                    k: rule.k,
                    round_to: rule.round_to,
                    cell_key: Some(state.people.cell_key),
                },
                place,
                &inputs,
            );
            *live = Some(Live {
                engine,
                model: model_ptr,
                rules: rules_ptr,
                opt_outs: opt_ptr,
                doors,
                generation: self.next_generation(),
            });
        } else if let Some(l) = live.as_mut() {
            let mut units = pending.units;
            if pending.doors {
                let doors = door_states(state)?;
                for (a, d) in &doors {
                    if l.doors.get(a) != Some(d) {
                        units.push(Unit::Door(*a));
                    }
                }
                units.extend(
                    l.doors
                        .keys()
                        .filter(|a| !doors.contains_key(a))
                        .map(|a| Unit::Door(*a)),
                );
                l.doors = doors;
            }
            let inputs = Inputs {
                src,
                work: &work,
                doors: &l.doors,
                opted_out: &opted,
            };
            for t in pending.targets {
                units.extend(l.engine.units_of(&inputs, t));
            }
            units.sort_unstable();
            units.dedup();
            if !units.is_empty() {
                l.engine.update(&inputs, units);
                l.generation = self.next_generation();
            }
        }
        let l = live
            .as_ref()
            .ok_or_else(|| anyhow::anyhow!("the urgency engine was not built"))?;
        Ok(f(&l.engine, &model, l.generation))
    }
}

fn door_states(state: &AppState) -> anyhow::Result<HashMap<u64, DoorState>> {
    Ok(state
        .people
        .store
        .campaign_door_states()?
        .into_iter()
        .map(|(a, d)| {
            (
                a,
                DoorState {
                    visited: d.visited,
                    answered: d.answered,
                    signed_up: d.signed_up,
                    visitor: d.visitor,
                },
            )
        })
        .collect())
}
