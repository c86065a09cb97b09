//! The role × data class tables of the policy, for `docs/privacy.md` and the matrix test.

use super::policy::decide_public;
use super::{DataClass, Decision, Purpose, Role, decide_role};

/// The role × data class table for one purpose (for `docs/privacy.md` and the matrix test):
/// rows are data classes, columns are anonymous then each role, decided in scope.
pub fn matrix(purpose: Purpose) -> Vec<(DataClass, Vec<Decision>)> {
    DataClass::ALL
        .into_iter()
        .map(|class| {
            let mut row = vec![decide_public(purpose, class)];
            for role in Role::ALL {
                let d = match class {
                    DataClass::OwnAccount => Decision::Allow,
                    DataClass::OwnAddress => Decision::Deny,
                    _ => decide_role(role, purpose, class, true),
                };
                row.push(d);
            }
            (class, row)
        })
        .collect()
}

/// The role × data class tables of every purpose as Markdown (for `docs/privacy.md`).
pub fn matrix_markdown() -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Cells: **allow**, **aggregate** (only as k-anonymous aggregates) or **deny**, for a \
         caller whose scope contains the data. Outside their scope staff get what the public gets. \
         `own_account` is the caller's own account; `own_address` is allowed only for an address the \
         caller verified with a letter code (see `decide`). `reporter_identity` for the wijkondernemer \
         is allowed only when the reporter consented to `contact` (consent ledger)."
    );
    for purpose in Purpose::ALL {
        let _ = writeln!(out, "\n### Purpose `{}`\n", purpose.as_str());
        out.push_str("| data | public |");
        for r in Role::ALL {
            let _ = write!(out, " {} |", r.as_str());
        }
        out.push_str("\n|---|---|");
        for _ in Role::ALL {
            out.push_str("---|");
        }
        out.push('\n');
        for (class, row) in matrix(purpose) {
            let _ = write!(out, "| {} |", class.as_str());
            for d in row {
                let _ = write!(out, " {} |", d.as_str());
            }
            out.push('\n');
        }
    }
    out
}
