//! The command line (and its `WIJKWERK_*` environment variables).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// wijkwerk: the work a Dutch neighbourhood has to do, on a map.
///
/// Tile and query server over the open registers (BAG, CBS wijken en buurten) with a web map.
#[derive(Debug, Parser)]
#[command(name = "wijkwerk", version, propagate_version = true)]
pub struct Cli {
    /// TOML configuration file (see server/config.example.toml).
    #[arg(long, global = true, env = "WIJKWERK_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate the sample wijk, import it through the real import path, and serve it.
    Demo(DemoArgs),
    /// Serve the map, tiles and API from a store.
    Serve(ServeArgs),
    /// Import register files (bag-light GeoPackage, BAG 2.0 XML extract, CBS wijk- en buurtkaart) into a store.
    Import(ImportArgs),
    /// Generate a fictional neighbourhood in the real PDOK/CBS formats.
    Sample(SampleArgs),
    /// Manage accounts: the first admin, scripts.
    Users(UsersArgs),
    /// Apply the retention rules once now (the server also runs them on a schedule).
    Retention(RetentionArgs),
}

/// Options of `retention`.
#[derive(Debug, Clone, Args)]
pub struct RetentionArgs {
    /// The store (SQLite file) [default: wijkwerk.sqlite].
    #[arg(long, env = "WIJKWERK_DB", value_name = "FILE")]
    pub db: Option<PathBuf>,
    /// Apply the rules as if it were this time (RFC 3339), e.g. to check what a rule will remove.
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
}

/// Options of `users`.
#[derive(Debug, Clone, Args)]
pub struct UsersArgs {
    /// The store (SQLite file) [default: wijkwerk.sqlite].
    #[arg(long, env = "WIJKWERK_DB", value_name = "FILE", global = true)]
    pub db: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: UsersCommand,
}

/// `users` subcommands.
#[derive(Debug, Clone, Subcommand)]
pub enum UsersCommand {
    /// Add an account. Staff get a password from standard input (`--password-stdin`).
    Add {
        /// E-mail address (the sign-in name).
        #[arg(long)]
        email: String,
        /// Role: resident, volunteer, communitybuilder, wijkondernemer, gemeente, partner, admin.
        #[arg(long)]
        role: String,
        /// Scope of the role: all, a CBS code (GM…, WK…, BU…) or polygon:{id}.
        #[arg(long, default_value = "all")]
        scope: String,
        /// Name shown in the app.
        #[arg(long, default_value = "")]
        name: String,
        /// The organisation a partner acts for (required for role partner).
        #[arg(long, default_value = "")]
        organisation: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List accounts with their roles.
    List,
    /// Replace the roles of an account with one role in one scope (staff roles need a password:
    /// give one with `--password-stdin` if the account has none).
    SetRole {
        /// E-mail address.
        email: String,
        /// Role.
        role: String,
        /// Scope.
        #[arg(long, default_value = "all")]
        scope: String,
        /// Set the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Disable an account (ends its sessions); `--enable` undoes it.
    Disable {
        /// E-mail address.
        email: String,
        /// Enable instead.
        #[arg(long)]
        enable: bool,
    },
}

/// Options of `serve` (also used by `demo`).
#[derive(Debug, Clone, Default, Args)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, env = "WIJKWERK_LISTEN", value_name = "ADDR")]
    pub listen: Option<String>,
    /// The store (SQLite file) [default: wijkwerk.sqlite].
    #[arg(long, env = "WIJKWERK_DB", value_name = "FILE")]
    pub db: Option<PathBuf>,
    /// Size of the rendered-tile cache in MiB; 0 turns it off [default: 256].
    #[arg(long, env = "WIJKWERK_TILE_CACHE_MB", value_name = "MB")]
    pub tile_cache_mb: Option<u64>,
    /// Public base URL for absolute links in TileJSON and the style [default: from the Host header].
    #[arg(long, env = "WIJKWERK_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,
    /// Raster background URL template with {z}/{x}/{y}, e.g. PDOK BRT-Achtergrondkaart.
    #[arg(long, env = "WIJKWERK_BACKGROUND_URL", value_name = "URL")]
    pub background_url: Option<String>,
    /// Attribution of the raster background.
    #[arg(long, env = "WIJKWERK_BACKGROUND_ATTRIBUTION", value_name = "HTML")]
    pub background_attribution: Option<String>,
    /// Glyphs URL template ({fontstack}/{range}.pbf); when set the style draws area labels itself.
    #[arg(long, env = "WIJKWERK_GLYPHS_URL", value_name = "URL")]
    pub glyphs_url: Option<String>,
    /// Write outgoing mail (sign-in codes) to this JSON Lines file instead of sending it
    /// [default without --smtp-url: outbox.jsonl beside the store].
    #[arg(long, env = "WIJKWERK_MAIL_OUTBOX", value_name = "FILE")]
    pub mail_outbox: Option<PathBuf>,
    /// Send mail over SMTP, e.g. smtp://user:pass@mail.example.nl:587?tls=required.
    #[arg(long, env = "WIJKWERK_SMTP_URL", value_name = "URL")]
    pub smtp_url: Option<String>,
    /// Sender of outgoing mail (default: `wijkwerk <noreply@localhost>`).
    #[arg(long, env = "WIJKWERK_MAIL_FROM", value_name = "MAILBOX")]
    pub mail_from: Option<String>,
    /// Mark session cookies Secure and send HSTS [default: on unless listening on loopback].
    #[arg(long, env = "WIJKWERK_SECURE_COOKIES", value_name = "BOOL")]
    pub secure_cookies: Option<bool>,
    /// Origin allowed to call the API from another site (CORS); repeatable. Closed by default.
    #[arg(
        long = "cors-origin",
        env = "WIJKWERK_CORS_ORIGINS",
        value_delimiter = ',',
        value_name = "ORIGIN"
    )]
    pub cors_origins: Vec<String>,
    /// A reverse proxy (IP address or CIDR block) whose X-Forwarded-For, -Proto and -Host headers
    /// are believed; repeatable. Without one, forwarded headers are ignored.
    #[arg(
        long = "trusted-proxy",
        env = "WIJKWERK_TRUSTED_PROXIES",
        value_delimiter = ',',
        value_name = "IP[/BITS]"
    )]
    pub trusted_proxies: Vec<String>,
    /// k of k-anonymous aggregates [default: 5].
    #[arg(long, env = "WIJKWERK_K_ANONYMITY", value_name = "K")]
    pub k_anonymity: Option<u32>,
    /// Accept Open311 GeoReport v2 requests without a session (rate-limited) [default: false;
    /// on in the demo].
    #[arg(long, env = "WIJKWERK_OPEN311_ANONYMOUS", value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
    pub open311_anonymous: Option<bool>,
    /// Sign-in attempts per client IP before 429 (bucket size; refills 10 a minute); sign-in
    /// mails per address and letter codes per account get a quarter of it, at least 5
    /// [default: 20].
    #[arg(long, env = "WIJKWERK_SIGN_IN_BURST", value_name = "N")]
    pub sign_in_burst: Option<u32>,
    /// Observations (API and Open311) per client IP before 429 (bucket size; refills half of it a
    /// minute) [default: 60].
    #[arg(long, env = "WIJKWERK_REPORT_BURST", value_name = "N")]
    pub report_burst: Option<u32>,
    /// Photos decoded at once; an upload beyond them is answered 503 with Retry-After. Each
    /// takes up to about 250 MB while it is decoded [default: the number of cores].
    #[arg(long, env = "WIJKWERK_PHOTO_WORKERS", value_name = "N")]
    pub photo_workers: Option<usize>,
    /// The rule file of the work to be done (TOML; see docs/work.md). A file with an error stops
    /// the server with its line and reason [default: the rules last loaded in the app, else the
    /// shipped ones].
    #[arg(long, env = "WIJKWERK_RULES", value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// The urgency indicator file (TOML; see docs/urgency.md). A file with an error stops the
    /// server with its line and reason [default: the shipped indicators].
    #[arg(long, env = "WIJKWERK_INDICATORS", value_name = "FILE")]
    pub indicators: Option<PathBuf>,
}

/// Options of `demo`.
#[derive(Debug, Clone, Default, Args)]
pub struct DemoArgs {
    /// Folder for the generated files and the store [default: demo-data].
    #[arg(long, env = "WIJKWERK_DEMO_DIR", value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Buildings in the sample wijk [default: 3000].
    #[arg(long, env = "WIJKWERK_DEMO_BUILDINGS", value_name = "N")]
    pub buildings: Option<u64>,
    /// Seed of the sample wijk [default: 42].
    #[arg(long, env = "WIJKWERK_DEMO_SEED", value_name = "SEED")]
    pub seed: Option<u64>,
    /// Serving options.
    #[command(flatten)]
    pub serve: ServeArgs,
}

/// Options of `import`.
#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// The store (SQLite file), created if missing [default: wijkwerk.sqlite].
    #[arg(long, env = "WIJKWERK_DB", value_name = "FILE")]
    pub db: Option<PathBuf>,
    /// Files or folders to import, in order (import CBS areas before BAG for the fastest join, and
    /// BAG before EP-Online: labels of verblijfsobjecten the store lacks are left out).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// A tree register's column with the tree's number, when it is none of the built-in names
    /// (BOOMNUMMER, ELEMENTNR, ID, OBJECTID, …).
    #[arg(long, value_name = "COLUMN")]
    pub tree_id: Option<String>,
    /// A tree register's column with the species (built in: BOOMSOORT, SOORT, SOORTNAAM, …).
    #[arg(long, value_name = "COLUMN")]
    pub tree_species: Option<String>,
    /// A tree register's column with the planting year (built in: PLANTJAAR, AANLEGJAAR, …).
    #[arg(long, value_name = "COLUMN")]
    pub tree_year: Option<String>,
}

/// Options of `sample`.
#[derive(Debug, Clone, Default, Args)]
pub struct SampleArgs {
    /// Number of buildings [default: 3000].
    #[arg(long, env = "WIJKWERK_SAMPLE_BUILDINGS", value_name = "N")]
    pub buildings: Option<u64>,
    /// Seed; the same seed gives the same files [default: 42].
    #[arg(long, env = "WIJKWERK_SAMPLE_SEED", value_name = "SEED")]
    pub seed: Option<u64>,
    /// Output folder [default: sample-wijk].
    #[arg(long, env = "WIJKWERK_SAMPLE_OUT", value_name = "DIR")]
    pub out: Option<PathBuf>,
}
