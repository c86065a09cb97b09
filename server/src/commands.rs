//! What each subcommand does: `demo`, `serve`, `import`, `sample`.

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result};
use store::{SqliteStore, Store};
use tokio::net::TcpListener;

use crate::auth::mail::Mailer;
use crate::auth::password;
use crate::config::{
    DemoArgs, DemoConfig, FileConfig, ImportArgs, RetentionArgs, SampleArgs, SampleConfig,
    ServeArgs, ServeConfig, UsersArgs, UsersCommand,
};
use crate::observations::Observations;
use crate::people::People;
use crate::progress::Bar;
use crate::{AppState, app, load_model};

/// `wijkwerk serve`: load the model from the store and serve until Ctrl-C / SIGTERM.
pub async fn serve(args: &ServeArgs, file: &FileConfig) -> Result<()> {
    let config = ServeConfig::resolve(args, file)?;
    run_server(config).await
}

async fn run_server(config: ServeConfig) -> Result<()> {
    let db = config.db.clone();
    let (model, store) =
        tokio::task::spawn_blocking(move || -> Result<(domain::Model, SqliteStore)> {
            let store = SqliteStore::open(&db)
                .with_context(|| format!("opening store {}", db.display()))?;
            let model = load_model(&store).with_context(|| format!("loading {}", db.display()))?;
            Ok((model, store))
        })
        .await??;
    let mailer = if let Some(url) = &config.smtp_url {
        Mailer::smtp(url, &config.mail_from)?
    } else {
        let path = config
            .mail_outbox
            .clone()
            .unwrap_or_else(|| config.db.with_file_name("outbox.jsonl"));
        tracing::info!(
            "no SMTP configured: sign-in mail is written to {}",
            path.display()
        );
        Mailer::outbox(path)
    };
    let reports = Arc::new(
        Observations::load(&store, &config.db, &model, config.reports.clone())
            .with_context(|| format!("loading reports from {}", config.db.display()))?,
    );
    let people = Arc::new(People::new(Arc::new(store), mailer, config.people.clone())?);
    let listener = TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("listening on {}", config.listen))?;
    let addr = listener.local_addr()?;
    crate::retention::spawn(Arc::clone(&people));
    // The address actually bound (port 0 picks one): links in mail use it on loopback.
    let mut config = config;
    config.listen = addr;
    if config.public_url.is_none() && !addr.ip().is_loopback() {
        tracing::warn!(
            "no --public-url while listening on {addr}: sign-in mails carry the code without a \
             link and letters cannot be made (links are never built from a request's Host header)"
        );
    }
    // Deriving the work reads every building once (well under a second for a million): done
    // before serving starts.
    let rules = crate::work_items::rules_text(&people.store, config.rules.as_deref())?;
    let work =
        crate::work_items::load(&people.store, &model, &reports, &rules, crate::clock::now())?;
    let indicators = crate::urgency_live::load_set(config.indicators.as_deref(), &work)?;
    let state = AppState::new(model, config, people, reports, work, indicators);
    // Once a day (checked hourly, and at start) the released indicator values of the CBS levels
    // are kept, for the trend per buurt.
    {
        let st = state.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_hours(1));
            loop {
                tick.tick().await;
                let s = st.clone();
                match tokio::task::spawn_blocking(move || {
                    crate::routes::urgency::snapshot_if_due(&s)
                })
                .await
                {
                    Ok(Ok(_)) => {}
                    Ok(Err(e)) => tracing::warn!(error = %e, "urgency snapshot failed"),
                    Err(e) => tracing::warn!(error = %e, "urgency snapshot task failed"),
                }
            }
        });
    }
    // The one line scripts and tests wait for.
    tracing::info!(%addr, "wijkwerk listening on http://{addr}/");
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown())
    .await
    .context("serving")?;
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
    tracing::info!("shutting down");
}

/// Imports `paths` into the store at `db`, in order, each in its own transaction.
pub fn import_paths(db: &Path, paths: &[PathBuf], options: &ingest::ImportOptions) -> Result<()> {
    let store = SqliteStore::open(db).with_context(|| format!("opening store {}", db.display()))?;
    for path in paths {
        let bar = Bar::new(&path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        ));
        let result = ingest::import(path, &store, options, &bar);
        bar.finish();
        let report = result
            .with_context(|| format!("importing {} into {}", path.display(), db.display()))?;
        tracing::info!(
            source = %report.source_key,
            format = %report.format,
            buildings = report.buildings,
            addresses = report.addresses,
            areas = report.areas,
            buildings_3d = report.buildings_3d,
            energy_labels = report.energy_labels,
            labels_unknown_address = report.labels_unknown_address,
            trees = report.trees,
            rejoined = report.rejoined,
            skipped = report.skipped_total,
            seconds = report.elapsed.as_secs_f64(),
            "imported {}",
            path.display()
        );
    }
    let c = store.counts()?;
    tracing::info!(
        buildings = c.buildings,
        addresses = c.addresses,
        areas = c.areas,
        "store {} now holds",
        db.display()
    );
    Ok(())
}

/// The serving configuration of a command that only needs the store (`import`, `users`,
/// `retention`).
fn db_config(db: Option<&PathBuf>, file: &FileConfig) -> Result<ServeConfig> {
    ServeConfig::resolve(
        &ServeArgs {
            db: db.cloned(),
            ..ServeArgs::default()
        },
        file,
    )
}

/// `wijkwerk import`.
pub fn import(args: &ImportArgs, file: &FileConfig) -> Result<()> {
    let serve = db_config(args.db.as_ref(), file)?;
    let options = ingest::ImportOptions {
        tree_columns: ingest::TreeColumns {
            id: args.tree_id.clone(),
            species: args.tree_species.clone(),
            year: args.tree_year.clone(),
        },
        ..ingest::ImportOptions::default()
    };
    import_paths(&serve.db, &args.paths, &options)
}

/// `wijkwerk sample`.
pub fn sample(args: &SampleArgs, file: &FileConfig) -> Result<()> {
    let c = SampleConfig::resolve(args, file);
    generate(&c.out, c.buildings, c.seed)?;
    Ok(())
}

fn generate(out: &Path, buildings: u64, seed: u64) -> Result<sample_data::SampleSummary> {
    let started = Instant::now();
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let opts = sample_data::SampleOptions::new(buildings, seed, out.to_path_buf());
    let bar = indicatif::ProgressBar::new(buildings);
    let summary = sample_data::generate(&opts, &mut |n| bar.set_position(n))
        .context("generating the sample wijk")?;
    bar.finish_and_clear();
    tracing::info!(
        buildings,
        seed,
        seconds = started.elapsed().as_secs_f64(),
        "sample wijk written to {}",
        out.display()
    );
    Ok(summary)
}

/// `wijkwerk demo`: generate the sample wijk, import it through the real import path, serve it.
pub async fn demo(args: &DemoArgs, file: &FileConfig) -> Result<()> {
    let demo = DemoConfig::resolve(args, file);
    let mut serve_args = args.serve.clone();
    // The demo takes Open311 reports without a session (rate-limited), so municipal clients can
    // be tried against it at once.
    serve_args.open311_anonymous = serve_args.open311_anonymous.or(Some(true));
    let db = serve_args
        .db
        .clone()
        .unwrap_or_else(|| demo.dir.join("wijkwerk.sqlite"));
    serve_args.db = Some(db.clone());
    let mut config = ServeConfig::resolve(&serve_args, file)?;
    let dir = demo.dir.clone();
    let reports = config.reports.clone();
    let rules = config.rules.clone();
    let heat = tokio::task::spawn_blocking(move || -> Result<Option<PathBuf>> {
        let summary = generate(&dir, demo.buildings, demo.seed)?;
        // Areas first, so the buildings are joined to their buurt as they arrive; the BAG before
        // the energy labels, which name its verblijfsobjecten.
        let e = &summary.enrichment;
        import_paths(
            &db,
            &[
                summary.wijkenbuurten.clone(),
                summary.bag_light.clone(),
                e.three_d_bag_jsonl.clone(),
                e.ep_online.clone(),
                e.trees.clone(),
            ],
            &ingest::ImportOptions::default(),
        )?;
        demo_accounts(&db, &dir.join("demo-accounts.txt"))?;
        crate::demo_seed::seed(&db, reports, rules.as_deref())?;
        Ok(e.heat.as_ref().map(|(_, indicators)| indicators.clone()))
    })
    .await??;
    // The demo's indicators: the shipped ones and one over the sample's heat map (a GeoTIFF),
    // both written by the generator, unless other indicators are given.
    if config.indicators.is_none() {
        config.indicators = heat;
    }
    let config = Arc::new(config);
    run_server((*config).clone()).await
}

fn is_staff(role: &str) -> bool {
    role.parse::<domain::access::Role>()
        .is_ok_and(domain::access::Role::is_staff)
}

/// Reads a new password from the first line of standard input and hashes it.
fn read_password() -> Result<String> {
    use std::io::BufRead as _;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let pw = line.trim_end_matches(['\r', '\n']);
    password::check_new(pw).map_err(anyhow::Error::msg)?;
    Ok(password::hash(pw))
}

/// `wijkwerk users`: manage accounts from the command line (the first admin, scripts).
pub fn users(args: &UsersArgs, file: &FileConfig) -> Result<()> {
    let serve = db_config(args.db.as_ref(), file)?;
    let store = SqliteStore::open(&serve.db)
        .with_context(|| format!("opening store {}", serve.db.display()))?;
    let now = crate::clock::now();
    let check_role = |role: &str, scope: &str| -> Result<(String, String)> {
        let r: domain::access::Role = role.parse().map_err(anyhow::Error::msg)?;
        let scope = scope.trim();
        use domain::access::{Grant, Scope};
        // The scope's form (polygons are resolved by the server), then whether the grant may
        // exist at all (an admin holds scope all; a resident too).
        let parsed = if scope == "all" {
            Some(Scope::All)
        } else if let Ok(code) = scope.parse::<domain::AreaCode>() {
            Some(Scope::Area(code))
        } else {
            scope
                .strip_prefix("polygon:")
                .and_then(|n| n.parse::<i64>().ok())
                .map(|id| Scope::Polygon {
                    id,
                    boundary: geo::MultiPolygon(Vec::new()),
                })
        };
        let Some(parsed) = parsed else {
            anyhow::bail!(
                "scope {scope:?} must be all, a CBS code (GM…, WK…, BU…) or polygon:{{id}}"
            );
        };
        Grant::new(r, parsed).map_err(anyhow::Error::msg)?;
        Ok((r.as_str().to_owned(), scope.to_owned()))
    };
    let find = |email: &str| -> Result<store::people::UserRecord> {
        store
            .user_by_email(email.trim())?
            .with_context(|| format!("no account {email}"))
    };
    match &args.command {
        UsersCommand::Add {
            email,
            role,
            scope,
            name,
            organisation,
            password_stdin,
        } => {
            let email = email.trim().to_lowercase();
            let organisation = organisation.trim();
            if (role == "partner") == organisation.is_empty() {
                anyhow::bail!(if role == "partner" {
                    "a partner acts for an organisation: add --organisation NAME"
                } else {
                    "--organisation is for role partner only"
                });
            }
            if !crate::auth::mail::valid_address(&email) {
                anyhow::bail!("{email:?} is not a valid e-mail address");
            }
            let roles = [check_role(role, scope)?];
            let hash = if *password_stdin {
                Some(read_password()?)
            } else if is_staff(role) {
                anyhow::bail!("staff roles sign in with a password: add --password-stdin");
            } else {
                None
            };
            let id = store.create_user(&email, name, hash.as_deref(), &roles, now)?;
            if !organisation.is_empty() {
                store.set_organisation(id, organisation)?;
            }
            store.audit(
                now,
                "cli",
                "user_created",
                &format!("user:{id}"),
                &format!("{role}@{scope}"),
            )?;
            tracing::info!(id, %email, role, scope, "account added");
        }
        UsersCommand::List => {
            let mut out = String::from("id\temail\troles\tdisabled\ttotp\n");
            for u in store.users()? {
                let roles: Vec<String> = u.roles.iter().map(|(r, s)| format!("{r}@{s}")).collect();
                let _ = writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}",
                    u.id,
                    u.email,
                    roles.join(","),
                    u.disabled,
                    u.totp_secret.is_some()
                );
            }
            std::io::Write::write_all(&mut std::io::stdout(), out.as_bytes())?;
        }
        UsersCommand::SetRole {
            email,
            role,
            scope,
            password_stdin,
        } => {
            let u = find(email)?;
            let roles = [check_role(role, scope)?];
            if *password_stdin {
                store.set_password(u.id, &read_password()?)?;
            } else if is_staff(role) && u.password_hash.is_none() {
                anyhow::bail!(
                    "{email} has no password and staff roles sign in with one: add --password-stdin"
                );
            }
            store.set_roles(u.id, &roles)?;
            store.delete_user_sessions(u.id)?;
            store.audit(
                now,
                "cli",
                "role_change",
                &format!("user:{}", u.id),
                &format!("{role}@{scope}"),
            )?;
            tracing::info!(id = u.id, role, scope, "role set");
        }
        UsersCommand::Disable { email, enable } => {
            let u = find(email)?;
            store.set_disabled(u.id, !enable)?;
            store.audit(
                now,
                "cli",
                if *enable {
                    "user_enabled"
                } else {
                    "user_disabled"
                },
                &format!("user:{}", u.id),
                "",
            )?;
            tracing::info!(id = u.id, disabled = !enable, "account updated");
        }
    }
    Ok(())
}

/// `wijkwerk retention`: applies every retention rule once, at `--now` or the current time, and
/// prints what each removed (counts only).
pub fn retention(args: &RetentionArgs, file: &FileConfig) -> Result<()> {
    let serve = db_config(args.db.as_ref(), file)?;
    let now = match &args.now {
        Some(t) => domain::parse_rfc3339(t).with_context(|| {
            format!("--now {t:?} is not an RFC 3339 time, e.g. 2027-01-31T12:00:00Z")
        })?,
        None => crate::clock::now(),
    };
    let store = SqliteStore::open(&serve.db)
        .with_context(|| format!("opening store {}", serve.db.display()))?;
    let out = store.run_retention(&serve.people.retention, now)?;
    let mut text = String::from("kind\tremoved\tcutoff\n");
    for o in &out {
        let _ = writeln!(
            text,
            "{}\t{}\t{}",
            o.kind,
            o.removed,
            crate::clock::rfc3339(o.cutoff)
        );
    }
    std::io::Write::write_all(&mut std::io::stdout(), text.as_bytes())?;
    Ok(())
}

/// Staff accounts of the demo: an admin and a wijkondernemer for the sample gemeente, with fresh
/// random passwords written to `file` (readable by the owner only), never to the log.
fn demo_accounts(db: &Path, file: &Path) -> Result<()> {
    let store = SqliteStore::open(db).with_context(|| format!("opening store {}", db.display()))?;
    let gemeente = store
        .areas()?
        .into_iter()
        .map(|a| a.code)
        .find(|c| c.kind() == domain::AreaKind::Gemeente)
        .map_or_else(|| "all".to_owned(), |c| c.to_string());
    let now = crate::clock::now();
    let mut text = String::from(
        "# wijkwerk demo accounts (staff and the partner sign in at /aanmelden with e-mail and password).\n\
         # Residents sign in with any e-mail address: the code is in outbox.jsonl beside this file.\n",
    );
    for (email, role, scope) in [
        ("admin@wijkdorp.example", "admin", "all".to_owned()),
        (
            crate::demo_seed::WIJKONDERNEMER_EMAIL,
            "wijkondernemer",
            gemeente.clone(),
        ),
        ("gemeente@wijkdorp.example", "gemeente", gemeente.clone()),
        (crate::demo_seed::PARTNER_EMAIL, "partner", gemeente.clone()),
        (
            crate::demo_seed::VOLUNTEER_EMAIL,
            "volunteer",
            gemeente.clone(),
        ),
    ] {
        let pw = crate::auth::secret::token()[..20].to_owned();
        let hash = password::hash(&pw);
        let roles = [(role.to_owned(), scope.clone())];
        let id = match store.user_by_email(email)? {
            Some(u) => {
                store.set_password(u.id, &hash)?;
                store.set_roles(u.id, &roles)?;
                u.id
            }
            None => store.create_user(email, role, Some(&hash), &roles, now)?,
        };
        if role == "partner" {
            store.set_organisation(id, crate::demo_seed::PARTNER_ORGANISATION)?;
        }
        let _ = writeln!(text, "{email}\t{pw}\t{role}@{scope}");
    }
    write_private(file, text.as_bytes())?;
    tracing::info!(
        "demo staff accounts and passwords are in {}",
        file.display()
    );
    Ok(())
}

/// Writes a file only its owner can read.
fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write as _;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let mut f = opts
        .open(path)
        .with_context(|| format!("writing {}", path.display()))?;
    f.write_all(bytes)?;
    Ok(())
}
