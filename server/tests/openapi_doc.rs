//! `server/openapi.json` is the OpenAPI document the server generates from its handlers (and
//! serves at `/api/openapi.json`), kept in the repository for the web's `npm run gen:api`. This
//! test fails when the two differ; `WIJKWERK_UPDATE_DOCS=1 cargo test -p server --test
//! openapi_doc` rewrites the file.

use std::path::Path;

#[test]
fn the_committed_openapi_json_is_the_generated_one() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi.json");
    let want = server::openapi::document();
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    if have == want {
        return;
    }
    if std::env::var_os("WIJKWERK_UPDATE_DOCS").is_some() {
        std::fs::write(&path, want).expect("write server/openapi.json");
        return;
    }
    panic!(
        "server/openapi.json is not the document the server generates; run \
         WIJKWERK_UPDATE_DOCS=1 cargo test -p server --test openapi_doc (then cd web && npm run \
         gen:api)"
    );
}

#[test]
fn the_document_is_openapi_3_1_and_names_every_operation_once() {
    let doc: serde_json::Value = serde_json::from_str(server::openapi::document()).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let mut ids = std::collections::BTreeSet::new();
    for item in doc["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            let id = op["operationId"]
                .as_str()
                .expect("every operation has an id");
            assert!(ids.insert(id.to_owned()), "operationId {id} twice");
            assert!(op["summary"].is_string(), "{id} has no summary");
            assert!(
                op["tags"].as_array().is_some_and(|t| !t.is_empty()),
                "{id} has no tag"
            );
        }
    }
}
