//! Configuration of the `wijkwerk` binary, in one place.
//!
//! Each setting comes from, in rising precedence: its default, the TOML file given by `--config`
//! (or `WIJKWERK_CONFIG`), the environment (`WIJKWERK_*`), and the command line. This module is
//! the only one that reads the environment (through clap's `env` attributes in `cli.rs`).
//!
//! The complete file shape (every key optional; see `server/config.example.toml`):
//!
//! ```toml
//! [serve]
//! listen = "127.0.0.1:8080"        # address to listen on
//! db = "wijkwerk.sqlite"           # the store
//! tile_cache_mb = 256              # rendered-tile cache; 0 turns it off
//! public_url = "https://wijk.example.nl"  # base of absolute URLs in TileJSON/style (default: from Host)
//! glyphs_url = "https://…/{fontstack}/{range}.pbf"  # draw labels in the map style (optional)
//!
//! mail_outbox = "outbox.jsonl"     # sign-in mail to a file (default when no smtp_url)
//! smtp_url = "smtp://user:pass@mail.example.nl:587?tls=required"
//! mail_from = "Wijkbedrijf <noreply@wijk.example.nl>"
//! secure_cookies = true            # default: on unless listening on loopback
//! cors_origins = []                # closed by default
//! photo_workers = 4                # photos decoded at once (default: the number of cores)
//! rules = "work-rules.toml"        # the rules of the work to be done (default: as loaded in the app)
//!
//! [serve.privacy]
//! k = 5                            # k-anonymity of aggregates
//! round_to = 5                     # released counts rounded to this
//! retention_every_minutes = 60
//! letter_sender = "Wijkbedrijf Wijkdorp"
//! letter_days = 90                 # a letter code stays valid this long
//! sign_in_burst = 20               # sign-in attempts per client IP before 429
//! report_burst = 60                # reports (API and Open311) per IP before 429; refills burst/2 a minute
//!
//! [serve.privacy.retention]        # days; a missing key keeps the default, -1 keeps forever
//! sessions = 0                     # after expiry
//! login_tokens = 1                 # after expiry
//! address_codes = 0                # after expiry
//! reporter_contacts = 365          # after the reporter's last report was closed
//! device_reporters = 90            # device reporters that never reported
//! audit_log = 730
//! closed_reports = 730             # reports (photos included) after they were closed
//! talent_offers = 365              # offers of time and talent after they were last changed
//! talent_invitations = 730         # invitations to work (and their hours) after they ended
//! campaign_visits = 180            # knocked doors and kept outcomes after a campaign ended
//! work_status = 730                # a closed work item's history thinned to its last status
//!
//! [serve.background]               # optional raster background, e.g. PDOK BRT-Achtergrondkaart
//! url = "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png"
//! attribution = "Kaartgegevens &copy; Kadaster"
//!
//! [demo]
//! dir = "demo-data"                # where the sample wijk and its store are written
//! buildings = 3000
//! seed = 42
//!
//! [sample]                         # `wijkwerk sample`
//! out = "sample-wijk"
//! buildings = 3000
//! seed = 42
//! ```
//!
//! `wijkwerk import` takes `db` from `[serve]`.

mod cli;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

pub use cli::{
    Cli, Command, DemoArgs, ImportArgs, RetentionArgs, SampleArgs, ServeArgs, UsersArgs,
    UsersCommand,
};

/// The `[serve]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ServeFile {
    listen: Option<String>,
    db: Option<PathBuf>,
    tile_cache_mb: Option<u64>,
    public_url: Option<String>,
    glyphs_url: Option<String>,
    background: Option<BackgroundFile>,
    mail_outbox: Option<PathBuf>,
    smtp_url: Option<String>,
    mail_from: Option<String>,
    secure_cookies: Option<bool>,
    cors_origins: Option<Vec<String>>,
    trusted_proxies: Option<Vec<String>>,
    privacy: Option<PrivacyFile>,
    open311_anonymous: Option<bool>,
    photo_workers: Option<usize>,
    rules: Option<PathBuf>,
    indicators: Option<PathBuf>,
}

/// The `[serve.privacy]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PrivacyFile {
    k: Option<u32>,
    round_to: Option<u32>,
    retention_every_minutes: Option<u64>,
    letter_sender: Option<String>,
    letter_days: Option<i64>,
    sign_in_burst: Option<u32>,
    report_burst: Option<u32>,
    retention: Option<RetentionFile>,
}

/// The `[serve.privacy.retention]` table, in days (-1 = keep forever).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RetentionFile {
    sessions: Option<i64>,
    login_tokens: Option<i64>,
    address_codes: Option<i64>,
    reporter_contacts: Option<i64>,
    device_reporters: Option<i64>,
    audit_log: Option<i64>,
    closed_reports: Option<i64>,
    talent_offers: Option<i64>,
    talent_invitations: Option<i64>,
    campaign_visits: Option<i64>,
    work_status: Option<i64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct BackgroundFile {
    url: String,
    #[serde(default)]
    attribution: String,
}

/// The `[demo]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoFile {
    dir: Option<PathBuf>,
    buildings: Option<u64>,
    seed: Option<u64>,
}

/// The `[sample]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SampleFile {
    out: Option<PathBuf>,
    buildings: Option<u64>,
    seed: Option<u64>,
}

/// The whole file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    #[serde(default)]
    serve: ServeFile,
    #[serde(default)]
    demo: DemoFile,
    #[serde(default)]
    sample: SampleFile,
}

impl FileConfig {
    /// Parses a config file's text.
    pub fn from_str(text: &str, origin: &Path) -> Result<Self> {
        toml::from_str(text).with_context(|| format!("invalid config file {}", origin.display()))
    }

    /// Reads and parses a config file.
    pub fn from_path(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read config file {}", path.display()))?;
        Self::from_str(&text, path)
    }
}

/// Everything `serve` needs, parsed into types.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// The store.
    pub db: PathBuf,
    /// Tile cache budget in MiB (0 = off).
    pub tile_cache_mb: u64,
    /// Base of absolute URLs, without a trailing slash. Links in mail, letters and PDFs come only
    /// from here (or, listening on loopback, from the listen address); API responses' self links
    /// fall back to the request's Host.
    pub public_url: Option<String>,
    /// Reverse proxies whose forwarded headers are believed.
    pub trusted_proxies: Vec<TrustedProxy>,
    /// Glyphs URL for map labels.
    pub glyphs_url: Option<String>,
    /// Raster background.
    pub background: Option<tiles::Background>,
    /// Outbox file for mail (used when `smtp_url` is not set).
    pub mail_outbox: Option<PathBuf>,
    /// SMTP URL.
    pub smtp_url: Option<String>,
    /// Sender of mail.
    pub mail_from: String,
    /// Accounts and privacy settings.
    pub people: crate::people::PeopleSettings,
    /// Reporting settings.
    pub reports: crate::observations::ObservationSettings,
    /// The rule file of the work to be done (`--rules`); without it the rules last loaded in the
    /// app, else the shipped defaults.
    pub rules: Option<PathBuf>,
    /// The urgency indicator file (`--indicators`); without it the shipped indicators.
    pub indicators: Option<PathBuf>,
}

impl Default for ServeConfig {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            db: PathBuf::from("wijkwerk.sqlite"),
            tile_cache_mb: 256,
            public_url: None,
            trusted_proxies: Vec::new(),
            glyphs_url: None,
            background: None,
            mail_outbox: None,
            smtp_url: None,
            mail_from: "wijkwerk <noreply@localhost>".into(),
            people: crate::people::PeopleSettings::default(),
            reports: crate::observations::ObservationSettings::default(),
            rules: None,
            indicators: None,
        }
    }
}

fn days(v: Option<i64>, default: Option<i64>) -> Result<Option<i64>> {
    match v {
        None => Ok(default),
        Some(-1) => Ok(None),
        Some(d) if (0..=36_500).contains(&d) => Ok(Some(d * 86_400)),
        Some(d) => bail!("retention of {d} days: give 0 to 36500, or -1 to keep forever"),
    }
}

fn people_settings(
    args: &ServeArgs,
    f: &ServeFile,
    listen: SocketAddr,
    public_url: Option<&str>,
) -> Result<crate::people::PeopleSettings> {
    let mut p = crate::people::PeopleSettings::default();
    let pf = f.privacy.clone().unwrap_or_default();
    p.secure_cookies = args.secure_cookies.or(f.secure_cookies).unwrap_or_else(|| {
        public_url.is_some_and(|u| u.starts_with("https://")) || !listen.ip().is_loopback()
    });
    p.cors_origins = if args.cors_origins.is_empty() {
        f.cors_origins.clone().unwrap_or_default()
    } else {
        args.cors_origins.clone()
    };
    for o in &p.cors_origins {
        check_url("cors origin", o)?;
    }
    p.cors_origins = p
        .cors_origins
        .iter()
        .map(|o| o.trim_end_matches('/').to_owned())
        .collect();
    if let Some(k) = args.k_anonymity.or(pf.k) {
        if !(2..=100).contains(&k) {
            bail!("k-anonymity k = {k}: give 2 to 100");
        }
        p.k_anonymity.k = k;
    }
    if let Some(r) = pf.round_to {
        if !(1..=100).contains(&r) {
            bail!("round_to = {r}: give 1 to 100");
        }
        p.k_anonymity.round_to = r;
    }
    if let Some(m) = pf.retention_every_minutes {
        if m == 0 {
            bail!("retention_every_minutes must be at least 1");
        }
        p.retention_every = std::time::Duration::from_secs(m * 60);
    }
    if let Some(s) = pf.letter_sender {
        p.letter_sender = s;
    }
    if let Some(d) = pf.letter_days {
        if !(1..=365).contains(&d) {
            bail!("letter_days = {d}: give 1 to 365");
        }
        p.letter_days = d;
    }
    if let Some(b) = args.sign_in_burst.or(pf.sign_in_burst) {
        if b == 0 {
            bail!("sign_in_burst must be at least 1");
        }
        p.limits.sign_in_ip.burst = b;
        // Mails per address and letter codes per account grow with it (a quarter); failures per
        // account and client do not.
        p.limits.sign_in_mail.burst = p.limits.sign_in_mail.burst.max(b / 4);
        p.limits.letter_code.burst = p.limits.letter_code.burst.max(b / 4);
    }
    if let Some(b) = args.report_burst.or(pf.report_burst) {
        if b == 0 {
            bail!("report_burst must be at least 1");
        }
        p.limits.report_ip = crate::auth::ratelimit::Limit {
            burst: b,
            per_minute: f64::from(b) / 2.0,
        };
    }
    let r = pf.retention.unwrap_or_default();
    let d = p.retention;
    p.retention = store::people::RetentionRules {
        sessions: days(r.sessions, d.sessions)?,
        login_tokens: days(r.login_tokens, d.login_tokens)?,
        address_codes: days(r.address_codes, d.address_codes)?,
        reporter_contacts: days(r.reporter_contacts, d.reporter_contacts)?,
        device_reporters: days(r.device_reporters, d.device_reporters)?,
        audit_log: days(r.audit_log, d.audit_log)?,
        closed_reports: days(r.closed_reports, d.closed_reports)?,
        talent_offers: days(r.talent_offers, d.talent_offers)?,
        talent_invitations: days(r.talent_invitations, d.talent_invitations)?,
        campaign_visits: days(r.campaign_visits, d.campaign_visits)?,
        work_status: days(r.work_status, d.work_status)?,
    };
    Ok(p)
}

/// Settings of `demo` besides serving.
#[derive(Debug, Clone)]
pub struct DemoConfig {
    /// Output folder.
    pub dir: PathBuf,
    /// Buildings to generate.
    pub buildings: u64,
    /// Seed.
    pub seed: u64,
}

fn parse_listen(s: &str) -> Result<SocketAddr> {
    s.parse()
        .with_context(|| format!("listen address {s:?} is not host:port, e.g. 127.0.0.1:8080"))
}

fn check_url(name: &str, url: &str) -> Result<String> {
    let trimmed = url.trim().trim_end_matches('/');
    if !(trimmed.starts_with("http://") || trimmed.starts_with("https://")) {
        bail!("{name} {url:?} must start with http:// or https://");
    }
    Ok(trimmed.to_owned())
}

/// An address or CIDR block of reverse proxies (`--trusted-proxy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrustedProxy {
    net: std::net::IpAddr,
    bits: u8,
}

impl TrustedProxy {
    /// Does `ip` lie in this block?
    pub fn contains(&self, ip: std::net::IpAddr) -> bool {
        use std::net::IpAddr::{V4, V6};
        let ip = match ip {
            V6(v6) => v6.to_ipv4_mapped().map_or(V6(v6), V4),
            v4 @ V4(_) => v4,
        };
        match (self.net, ip) {
            (V4(n), V4(a)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(self.bits)).unwrap_or(0);
                u32::from(n) & mask == u32::from(a) & mask
            }
            (V6(n), V6(a)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.bits))
                    .unwrap_or(0);
                u128::from(n) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

impl std::str::FromStr for TrustedProxy {
    type Err = anyhow::Error;
    fn from_str(s: &str) -> Result<Self> {
        let s = s.trim();
        let (addr, bits) = s.split_once('/').map_or((s, None), |(a, b)| (a, Some(b)));
        let net: std::net::IpAddr = addr.parse().with_context(|| {
            format!(
                "trusted proxy {s:?}: not an IP address or CIDR block, e.g. 10.0.0.1 or 10.0.0.0/8"
            )
        })?;
        let max = if net.is_ipv4() { 32 } else { 128 };
        let bits = match bits {
            None => max,
            Some(b) => b
                .parse::<u8>()
                .ok()
                .filter(|b| *b <= max)
                .with_context(|| format!("trusted proxy {s:?}: the prefix length is 0 to {max}"))?,
        };
        Ok(Self { net, bits })
    }
}

impl ServeConfig {
    /// Merges defaults, file and command line/environment.
    pub fn resolve(args: &ServeArgs, file: &FileConfig) -> Result<Self> {
        let d = Self::default();
        let f = &file.serve;
        let listen = match args.listen.as_deref().or(f.listen.as_deref()) {
            Some(s) => parse_listen(s)?,
            None => d.listen,
        };
        let background = match (&args.background_url, &f.background) {
            (Some(url), _) => Some(tiles::Background {
                url: check_url("background url", url)?,
                attribution: args.background_attribution.clone().unwrap_or_default(),
            }),
            (None, Some(b)) => Some(tiles::Background {
                url: check_url("background url", &b.url)?,
                attribution: args
                    .background_attribution
                    .clone()
                    .unwrap_or_else(|| b.attribution.clone()),
            }),
            (None, None) => None,
        };
        let public_url = args
            .public_url
            .as_deref()
            .or(f.public_url.as_deref())
            .map(|u| check_url("public url", u))
            .transpose()?;
        let people = people_settings(args, f, listen, public_url.as_deref())?;
        let smtp_url = args.smtp_url.clone().or_else(|| f.smtp_url.clone());
        Ok(Self {
            listen,
            mail_outbox: args.mail_outbox.clone().or_else(|| f.mail_outbox.clone()),
            smtp_url,
            mail_from: args
                .mail_from
                .clone()
                .or_else(|| f.mail_from.clone())
                .unwrap_or(d.mail_from),
            people,
            reports: crate::observations::ObservationSettings {
                open311_anonymous: args
                    .open311_anonymous
                    .or(f.open311_anonymous)
                    .unwrap_or(false),
                photo_workers: match args.photo_workers.or(f.photo_workers) {
                    Some(0) => bail!("photo_workers must be at least 1"),
                    Some(n) => n,
                    None => crate::observations::ObservationSettings::default().photo_workers,
                },
                ..crate::observations::ObservationSettings::default()
            },
            db: args.db.clone().or_else(|| f.db.clone()).unwrap_or(d.db),
            tile_cache_mb: args
                .tile_cache_mb
                .or(f.tile_cache_mb)
                .unwrap_or(d.tile_cache_mb),
            public_url,
            trusted_proxies: if args.trusted_proxies.is_empty() {
                f.trusted_proxies.clone().unwrap_or_default()
            } else {
                args.trusted_proxies.clone()
            }
            .iter()
            .map(|s| s.parse::<TrustedProxy>())
            .collect::<Result<_>>()?,
            glyphs_url: args.glyphs_url.clone().or_else(|| f.glyphs_url.clone()),
            background,
            rules: args.rules.clone().or_else(|| f.rules.clone()),
            indicators: args.indicators.clone().or_else(|| f.indicators.clone()),
        })
    }
}

impl DemoConfig {
    /// Merges defaults, file and command line/environment.
    pub fn resolve(args: &DemoArgs, file: &FileConfig) -> Self {
        Self {
            dir: args
                .dir
                .clone()
                .or_else(|| file.demo.dir.clone())
                .unwrap_or_else(|| PathBuf::from("demo-data")),
            buildings: args.buildings.or(file.demo.buildings).unwrap_or(3000),
            seed: args.seed.or(file.demo.seed).unwrap_or(42),
        }
    }
}

/// Settings of `sample`.
#[derive(Debug, Clone)]
pub struct SampleConfig {
    /// Output folder.
    pub out: PathBuf,
    /// Buildings to generate.
    pub buildings: u64,
    /// Seed.
    pub seed: u64,
}

impl SampleConfig {
    /// Merges defaults, file and command line/environment.
    pub fn resolve(args: &SampleArgs, file: &FileConfig) -> Self {
        Self {
            out: args
                .out
                .clone()
                .or_else(|| file.sample.out.clone())
                .unwrap_or_else(|| PathBuf::from("sample-wijk")),
            buildings: args.buildings.or(file.sample.buildings).unwrap_or(3000),
            seed: args.seed.or(file.sample.seed).unwrap_or(42),
        }
    }
}

/// Hooks for the end-to-end tests, off unless the environment variable `WIJKWERK_TEST_HOOKS` is
/// set (never set it in production). It takes one hook:
///
/// - `hold-renders-until=PATH`: a tile render that finds the file `PATH` missing waits, after it
///   read its data and before its tile is cached, until the file exists (at most 60 s), and logs
///   `test hook: holding a render` when it starts waiting. A test can so put a write between a
///   render's read and the render's insert into the cache.
#[derive(Debug, Clone, Default)]
pub struct TestHooks {
    hold_renders_until: Option<PathBuf>,
}

impl TestHooks {
    /// The hooks `WIJKWERK_TEST_HOOKS` asks for (none when it is not set), read once.
    pub fn get() -> &'static Self {
        static HOOKS: std::sync::OnceLock<TestHooks> = std::sync::OnceLock::new();
        HOOKS.get_or_init(|| {
            let spec = std::env::var("WIJKWERK_TEST_HOOKS").unwrap_or_default();
            Self {
                hold_renders_until: spec.strip_prefix("hold-renders-until=").map(PathBuf::from),
            }
        })
    }

    /// Waits as `hold-renders-until` says (returns at once without the hook).
    pub async fn hold_render(&self, tile: impl std::fmt::Display) {
        let Some(gate) = &self.hold_renders_until else {
            return;
        };
        if gate.exists() {
            return;
        }
        tracing::info!(%tile, gate = %gate.display(), "test hook: holding a render");
        let deadline = std::time::Instant::now() + std::time::Duration::from_mins(1);
        while !gate.exists() && std::time::Instant::now() < deadline {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        tracing::info!(%tile, "test hook: render released");
    }
}

/// Reads the config file named on the command line or in `WIJKWERK_CONFIG`, if any.
pub fn load_file(cli: &Cli) -> Result<FileConfig> {
    match &cli.config {
        Some(path) => FileConfig::from_path(path),
        None => Ok(FileConfig::default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_config_parses_and_resolves() {
        let text = include_str!("../../config.example.toml");
        let file = FileConfig::from_str(text, Path::new("config.example.toml")).unwrap();
        let serve = ServeConfig::resolve(&ServeArgs::default(), &file).unwrap();
        assert_eq!(serve.listen.port(), 8080);
        assert!(serve.background.is_some());
        let demo = DemoConfig::resolve(&DemoArgs::default(), &file);
        assert_eq!(demo.buildings, 3000);
    }

    #[test]
    fn command_line_beats_file_and_unknown_keys_fail() {
        let file = FileConfig::from_str(
            "[serve]\ntile_cache_mb = 5\nlisten = \"127.0.0.1:9\"\n",
            Path::new("x"),
        )
        .unwrap();
        let args = ServeArgs {
            tile_cache_mb: Some(0),
            ..ServeArgs::default()
        };
        let c = ServeConfig::resolve(&args, &file).unwrap();
        assert_eq!(c.tile_cache_mb, 0);
        assert_eq!(c.listen.port(), 9);
        assert!(FileConfig::from_str("[serve]\nlisten_on = 1\n", Path::new("x")).is_err());
        let bad = ServeArgs {
            listen: Some("localhost".into()),
            ..ServeArgs::default()
        };
        assert!(ServeConfig::resolve(&bad, &FileConfig::default()).is_err());
    }
}
