//! Support for the end-to-end tests: the real `wijkwerk` binary on a free port with a generated
//! sample wijk, a minimal HTTP/1.1 client, and helpers to run independent clients (Python, GDAL,
//! Node).

pub mod http;
pub mod images;
pub mod mvt;
pub mod server;

pub use http::{Client, Response, get, get_with, request, request_from};
pub use server::{
    Sandbox, Server, run_wijkwerk, sample_db, sample_server, wijkwerk_binary, workspace_root,
};
