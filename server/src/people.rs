//! The people side of the server state: the store, mail, rate limits, and the in-memory copies of
//! the custom areas and the opt-out register that every request consults.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use arc_swap::ArcSwap;
use domain::privacy::{KAnonymity, OptOutRegister};
use geo::MultiPolygon;
use store::SqliteStore;
use store::people::RetentionRules;

use crate::auth::mail::Mailer;
use crate::auth::ratelimit::{Limits, RateLimiter};

/// Settings of accounts and privacy.
#[derive(Debug, Clone)]
pub struct PeopleSettings {
    /// Mark cookies `Secure` and send HSTS.
    pub secure_cookies: bool,
    /// Origins allowed to call the API cross-site (CORS); empty = closed.
    pub cors_origins: Vec<String>,
    /// k-anonymity of aggregates.
    pub k_anonymity: KAnonymity,
    /// Retention per kind of data.
    pub retention: RetentionRules,
    /// How often retention runs.
    pub retention_every: Duration,
    /// Rate limits.
    pub limits: Limits,
    /// Sender shown in letters.
    pub letter_sender: String,
    /// Days a letter code stays valid.
    pub letter_days: i64,
}

impl Default for PeopleSettings {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            cors_origins: Vec::new(),
            k_anonymity: KAnonymity::default(),
            retention: RetentionRules::default(),
            retention_every: Duration::from_hours(1),
            limits: Limits::default(),
            letter_sender: "Wijkbedrijf".into(),
            letter_days: 90,
        }
    }
}

/// Accounts, mail, limits and the privacy registers.
#[derive(Debug)]
pub struct People {
    /// The store.
    pub store: Arc<SqliteStore>,
    /// Outgoing mail.
    pub mailer: Mailer,
    /// Rate limits.
    pub limiter: RateLimiter,
    /// Drawn areas by id (scopes `polygon:{id}`).
    pub custom_areas: ArcSwap<HashMap<i64, MultiPolygon<f64>>>,
    /// The opt-out register.
    pub opt_outs: ArcSwap<OptOutRegister>,
    /// Settings.
    pub settings: PeopleSettings,
    /// The installation's secret for the cell-key method of the urgency indicators (made at
    /// random on the first start, kept in the store).
    pub cell_key: [u64; 2],
}

impl People {
    /// Loads the registers from the store.
    pub fn new(
        store: Arc<SqliteStore>,
        mailer: Mailer,
        settings: PeopleSettings,
    ) -> store::Result<Self> {
        let cell_key = cell_key(&store)?;
        let people = Self {
            cell_key,
            limiter: RateLimiter::new(settings.limits),
            store,
            mailer,
            custom_areas: ArcSwap::from_pointee(HashMap::new()),
            opt_outs: ArcSwap::from_pointee(OptOutRegister::default()),
            settings,
        };
        people.reload_custom_areas()?;
        people.reload_opt_outs()?;
        Ok(people)
    }

    /// Re-reads the custom areas.
    pub fn reload_custom_areas(&self) -> store::Result<()> {
        let mut map = HashMap::new();
        for a in self.store.custom_areas()? {
            if let Ok(mp) = domain::wkb::read_multi_polygon(&a.wkb) {
                map.insert(a.id, mp);
            }
        }
        self.custom_areas.store(Arc::new(map));
        Ok(())
    }

    /// Re-reads the opt-out register.
    pub fn reload_opt_outs(&self) -> store::Result<()> {
        let rows = self.store.opt_outs()?;
        let reg = OptOutRegister::from_rows(rows.iter().map(|(a, p)| (*a, p.as_str())));
        self.opt_outs.store(Arc::new(reg));
        Ok(())
    }
}

/// The installation's cell key: 16 random bytes made on the first start and kept.
fn cell_key(store: &SqliteStore) -> store::Result<[u64; 2]> {
    let mut made = [0u8; 16];
    crate::auth::secret::fill(&mut made);
    let kept = store.install_secret("urgency_cell_key", &made)?;
    let mut halves = [0u64; 2];
    for (half, bytes) in halves.iter_mut().zip(kept.chunks(8)) {
        let mut b = [0u8; 8];
        b[..bytes.len()].copy_from_slice(bytes);
        *half = u64::from_le_bytes(b);
    }
    Ok(halves)
}
