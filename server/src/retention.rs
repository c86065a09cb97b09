//! Retention: every rule of [`store::people::RetentionRules`] applied on a schedule. The log and the
//! `retention_runs` table hold only metadata (kind, cutoff, count), never what was removed.

use std::sync::Arc;

use store::people::RetentionOutcome;

use crate::error::ApiResult;
use crate::people::People;

/// Applies every rule at `now` (Unix seconds) and logs what was removed.
pub async fn run_once(people: &Arc<People>, now: i64) -> ApiResult<Vec<RetentionOutcome>> {
    let p = Arc::clone(people);
    let out =
        tokio::task::spawn_blocking(move || p.store.run_retention(&p.settings.retention, now))
            .await??;
    for o in &out {
        if o.removed > 0 {
            tracing::info!(kind = %o.kind, removed = o.removed, cutoff = o.cutoff, "retention");
        }
    }
    if out.iter().any(|o| o.kind == "sessions" && o.removed > 0) || out.is_empty() {
        tracing::debug!("retention run done");
    }
    Ok(out)
}

/// Runs retention now and then every `settings.retention_every`, until the process ends.
pub fn spawn(people: Arc<People>) {
    let every = people.settings.retention_every;
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = run_once(&people, crate::clock::now()).await {
                tracing::error!(error = %e, "retention run failed");
            }
        }
    });
}
