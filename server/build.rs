//! Builds the web map (`web/`, TypeScript + Vite) and embeds its files in the binary.
//!
//! Runs `npm ci` when `web/node_modules` is missing, `vite build` into `OUT_DIR` and
//! `web/scripts/precompress.mjs` (gzip and Brotli copies of the text assets, made once here), then
//! writes `web_assets.rs`: a table of (path, bytes, gzip copy, Brotli copy) with `include_bytes!`.
//! Set `WIJKWERK_WEB_DIST` to a built folder to skip npm (e.g. when packaging); without copies
//! there, the server compresses with gzip on first use.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let manifest =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let web = manifest.join("../web");
    println!("cargo:rerun-if-env-changed=WIJKWERK_WEB_DIST");
    // With the `gdal` feature, keep rusqlite's bundled SQLite symbols local so libgdal keeps using
    // the system SQLite it was built against (see ingest/build.rs).
    if std::env::var_os("CARGO_FEATURE_GDAL").is_some() {
        println!("cargo:rustc-link-arg=-Wl,--exclude-libs,ALL");
    }
    // Only inputs that exist: cargo reruns a build script whose declared input is missing on every
    // build (which recompiled the server and rebuilt the web on every `cargo build`).
    for p in [
        "src",
        "public",
        "index.html",
        "aanmelden.html",
        "account.html",
        "beheer.html",
        "werk.html",
        "lopen.html",
        "package.json",
        "package-lock.json",
        "vite.config.ts",
        "tsconfig.json",
        "scripts/precompress.mjs",
    ] {
        let path = web.join(p);
        if path.exists() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
    let dist = match std::env::var_os("WIJKWERK_WEB_DIST") {
        Some(d) => PathBuf::from(d),
        None => build_web(&web, &out.join("web-dist")),
    };
    let mut files = Vec::new();
    collect(&dist, &dist, &mut files);
    files.sort();
    assert!(
        files.iter().any(|(rel, _)| rel == "index.html"),
        "the web build in {} has no index.html",
        dist.display()
    );
    let mut code = String::from(
        "/// Files of the built web map: (path relative to the root, contents, its gzip copy, its\n/// Brotli copy).\n#[allow(clippy::type_complexity, reason = \"a generated table\")]\npub static ASSETS: &[(&str, &[u8], Option<&[u8]>, Option<&[u8]>)] = &[\n",
    );
    let copy = |rel: &str, ext: &str| -> String {
        let name = format!("{rel}{ext}");
        files.iter().find(|(r, _)| *r == name).map_or_else(
            || "None".to_owned(),
            |(_, abs)| format!("Some(include_bytes!({:?}))", abs.display().to_string()),
        )
    };
    for (rel, abs) in &files {
        // The copies travel with their file, never as paths of their own.
        let base = rel.strip_suffix(".gz").or_else(|| rel.strip_suffix(".br"));
        if base.is_some_and(|b| files.iter().any(|(r, _)| r == b)) {
            continue;
        }
        let _ = writeln!(
            code,
            "    ({rel:?}, include_bytes!({:?}), {}, {}),",
            abs.display().to_string(),
            copy(rel, ".gz"),
            copy(rel, ".br")
        );
    }
    code.push_str("];\n");
    std::fs::write(out.join("web_assets.rs"), code).expect("writing web_assets.rs");
}

fn run(cmd: &mut Command, what: &str) {
    let status = cmd.status().unwrap_or_else(|e| {
        panic!("{what}: cannot run {} ({e}). wijkwerk embeds its web map: install Node.js 20+ with npm.", cmd.get_program().display())
    });
    assert!(status.success(), "{what} failed ({status})");
}

fn build_web(web: &Path, dist: &Path) -> PathBuf {
    if !web.join("node_modules").exists() {
        run(
            Command::new("npm")
                .arg("ci")
                .arg("--no-audit")
                .arg("--no-fund")
                .current_dir(web),
            "npm ci in web/",
        );
    }
    run(
        Command::new(web.join("node_modules/.bin/vite"))
            .args(["build", "--logLevel", "warn", "--emptyOutDir", "--outDir"])
            .arg(dist)
            .current_dir(web),
        "vite build of web/",
    );
    run(
        Command::new("node")
            .arg(web.join("scripts/precompress.mjs"))
            .arg(dist)
            .current_dir(web),
        "compressing the web build (web/scripts/precompress.mjs)",
    );
    dist.to_path_buf()
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(root, &p, out);
        } else if let Ok(rel) = p.strip_prefix(root) {
            out.push((rel.to_string_lossy().replace('\\', "/"), p));
        }
    }
}
