//! `docs/privacy.md` shows the role × data matrix the code enforces. This test fails when the
//! policy changed and the document did not; `WIJKWERK_UPDATE_DOCS=1 cargo test -p domain --test
//! privacy_doc` rewrites the section.

use std::path::Path;

const BEGIN: &str = "<!-- matrix:begin -->\n";
const END: &str = "<!-- matrix:end -->";

#[test]
fn privacy_doc_matrix_matches_the_policy() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/privacy.md");
    let doc = std::fs::read_to_string(&path).expect("docs/privacy.md exists");
    let start = doc.find(BEGIN).expect("matrix:begin marker") + BEGIN.len();
    let end = doc.find(END).expect("matrix:end marker");
    let want = domain::access::matrix_markdown();
    if doc[start..end] == want {
        return;
    }
    if std::env::var_os("WIJKWERK_UPDATE_DOCS").is_some() {
        let updated = format!("{}{want}{}", &doc[..start], &doc[end..]);
        std::fs::write(&path, updated).expect("write docs/privacy.md");
        return;
    }
    panic!(
        "docs/privacy.md's role × data matrix is out of date; run \
         WIJKWERK_UPDATE_DOCS=1 cargo test -p domain --test privacy_doc"
    );
}
