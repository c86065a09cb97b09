//! What each subcommand does: `demo`, `serve`, `import`, `sample`.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result};
use store::{SqliteStore, Store};
use tokio::net::TcpListener;

use crate::config::{
    DemoArgs, DemoConfig, FileConfig, ImportArgs, SampleArgs, SampleConfig, ServeArgs, ServeConfig,
};
use crate::progress::Bar;
use crate::{AppState, app, load_model};

/// `wijkwerk serve`: load the model from the store and serve until Ctrl-C / SIGTERM.
pub async fn serve(args: &ServeArgs, file: &FileConfig) -> Result<()> {
    let config = ServeConfig::resolve(args, file)?;
    run_server(config).await
}

async fn run_server(config: ServeConfig) -> Result<()> {
    let db = config.db.clone();
    let model = tokio::task::spawn_blocking(move || -> Result<domain::Model> {
        let store =
            SqliteStore::open(&db).with_context(|| format!("opening store {}", db.display()))?;
        load_model(&store).with_context(|| format!("loading {}", db.display()))
    })
    .await??;
    let listener = TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("listening on {}", config.listen))?;
    let addr = listener.local_addr()?;
    let state = AppState::new(model, config);
    // The one line scripts and tests wait for.
    tracing::info!(%addr, "wijkwerk listening on http://{addr}/");
    axum::serve(listener, app(state))
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
pub fn import_paths(db: &Path, paths: &[PathBuf]) -> Result<()> {
    let store = SqliteStore::open(db).with_context(|| format!("opening store {}", db.display()))?;
    for path in paths {
        let bar = Bar::new(&path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        ));
        let result = ingest::import(path, &store, &ingest::ImportOptions::default(), &bar);
        bar.finish();
        let report = result
            .with_context(|| format!("importing {} into {}", path.display(), db.display()))?;
        tracing::info!(
            source = %report.source_key,
            format = %report.format,
            buildings = report.buildings,
            addresses = report.addresses,
            areas = report.areas,
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

/// `wijkwerk import`.
pub fn import(args: &ImportArgs, file: &FileConfig) -> Result<()> {
    let serve = ServeConfig::resolve(
        &ServeArgs {
            db: args.db.clone(),
            ..ServeArgs::default()
        },
        file,
    )?;
    import_paths(&serve.db, &args.paths)
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
    let db = serve_args
        .db
        .clone()
        .unwrap_or_else(|| demo.dir.join("wijkwerk.sqlite"));
    serve_args.db = Some(db.clone());
    let config = ServeConfig::resolve(&serve_args, file)?;
    let dir = demo.dir.clone();
    tokio::task::spawn_blocking(move || -> Result<()> {
        let summary = generate(&dir, demo.buildings, demo.seed)?;
        // Areas first, so the buildings are joined to their buurt as they arrive.
        import_paths(
            &db,
            &[summary.wijkenbuurten.clone(), summary.bag_light.clone()],
        )
    })
    .await??;
    let config = Arc::new(config);
    run_server((*config).clone()).await
}
