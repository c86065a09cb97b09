//! Link setting for the `gdal` feature (see the comment below); nothing to build otherwise.

fn main() {
    // GDAL's GeoPackage/SQLite drivers and PROJ use the system libsqlite3, while rusqlite links its
    // own bundled SQLite statically. The linker would export the bundled sqlite3_* symbols that
    // libgdal references, so GDAL would call a mix of two SQLite builds on one connection and
    // crash when closing it. Keeping the static libraries' symbols local gives each its own copy.
    if std::env::var_os("CARGO_FEATURE_GDAL").is_some() {
        println!("cargo:rustc-link-arg=-Wl,--exclude-libs,ALL");
    }
}
