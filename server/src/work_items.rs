//! The work to be done, as the server keeps it: the rules in use, the work index built at start
//! from the model, the live observations and the recorded statuses, and kept up to date as
//! observations and statuses change.

use std::sync::{Arc, RwLock};

use domain::Model;
use store::SqliteStore;
use tiles::{Change, Source};
use work::{
    Fields, ObservationTypeInfo, RuleSet, StatusRecord, Target, TargetKind, WorkIndex, WorkStatus,
};

use crate::observations::{LiveObservation, Observations, TypeRegistry, read, write};
use crate::state::AppState;

/// The fields rules may name, for the observation types in `types`.
pub fn fields_for(types: &TypeRegistry) -> Fields {
    let mut v: Vec<ObservationTypeInfo> = types
        .all_current()
        .iter()
        .map(|t| ObservationTypeInfo {
            name: t.def.name.clone(),
            status_classes: t.def.status_classes.values().cloned().collect(),
            public_space: t.def.public_space,
        })
        .collect();
    v.sort_by(|a, b| a.name.cmp(&b.name));
    Fields::new(v)
}

/// Which rules to use at start: `--rules FILE` when given, else the newest the wijkondernemer
/// loaded, else the shipped defaults.
pub fn rules_text(store: &SqliteStore, file: Option<&std::path::Path>) -> anyhow::Result<String> {
    use anyhow::Context as _;
    if let Some(path) = file {
        return std::fs::read_to_string(path)
            .with_context(|| format!("reading rules {}", path.display()));
    }
    Ok(store
        .work_rules()?
        .unwrap_or_else(|| work::DEFAULT_RULES.to_owned()))
}

/// Builds the work index at start.
pub fn load(
    store: &SqliteStore,
    model: &Model,
    observations: &Observations,
    rules: &str,
    now: i64,
) -> anyhow::Result<WorkIndex> {
    let fields = Arc::new(fields_for(&read(&observations.types)));
    let rules = RuleSet::parse(rules, &fields).map_err(|e| anyhow::anyhow!("rules: {e}"))?;
    let mut index = WorkIndex::new(Arc::new(rules), fields);
    let statuses: Vec<(String, Target, StatusRecord)> = store
        .work_statuses()?
        .into_iter()
        .filter_map(|r| {
            let target = Target::from_parts(TargetKind::parse(&r.target_kind)?, r.target_id)?;
            let status = WorkStatus::parse(&r.status)?;
            Some((
                r.kind,
                target,
                StatusRecord {
                    status,
                    at: r.at,
                    by: r.by_user,
                },
            ))
        })
        .collect();
    let obs = read(&observations.index);
    let src = work::Sources {
        model,
        observations: &obs,
        now,
    };
    index.set_statuses(statuses, &src);
    tracing::info!(
        items = index.len(),
        rules = index.rules().rules.len(),
        "work derived"
    );
    Ok(index)
}

/// The work index behind its lock.
pub type WorkLock = RwLock<WorkIndex>;

impl AppState {
    /// Derives again the work items that observations `touched` (as they were and as they are)
    /// can change, and drops the cached tiles of the items that changed.
    pub fn work_observations_changed(&self, touched: &[LiveObservation]) {
        if touched.is_empty() {
            return;
        }
        let model = self.model.load();
        let refresh = {
            let obs = read(&self.observations.index);
            let mut work = write(&self.work);
            let src = work::Sources {
                model: &model,
                observations: &obs,
                now: crate::clock::now(),
            };
            let mut targets: Vec<Target> = touched
                .iter()
                .flat_map(|o| work.targets_of(&src, o))
                .collect();
            targets.sort_unstable();
            targets.dedup();
            let refresh = work.refresh(&src, &targets);
            self.urgency.touch(touched.iter().map(|o| o.id), &targets);
            refresh
        };
        self.work_points_changed(&refresh.points);
    }

    /// Tells the tile cache that work items at `points` changed (the work layer draws points, so
    /// the tiles holding each point are all that go stale).
    pub fn work_points_changed(&self, points: &[domain::WorldPoint]) {
        let mut seen = std::collections::HashSet::new();
        for p in points {
            if seen.insert(*p) {
                self.changed(&Change::at(Source::Work, *p, domain::AreaRefs::default()));
            }
        }
    }
}
