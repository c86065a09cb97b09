//! The `wijkwerk` binary: parses the command line and runs a subcommand.

use clap::Parser;
use server::commands;
use server::config::{Cli, Command, load_file};
use tracing_subscriber::EnvFilter;

fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(cli: &Cli) -> anyhow::Result<()> {
    let file = load_file(cli)?;
    match &cli.command {
        Command::Sample(args) => commands::sample(args, &file),
        Command::Import(args) => commands::import(args, &file),
        Command::Users(args) => commands::users(args, &file),
        Command::Retention(args) => commands::retention(args, &file),
        Command::Serve(args) => runtime()?.block_on(commands::serve(args, &file)),
        Command::Demo(args) => runtime()?.block_on(commands::demo(args, &file)),
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}
