//! Rows of the people side of the store: accounts, sessions, reporters, observations and the
//! privacy registers (schema in `migrations/0002_people.sql`).
//!
//! Secrets never reach this module in the clear: session tokens, sign-in codes and letter codes
//! arrive as SHA-256 hashes, passwords as argon2id PHC strings. Times are Unix seconds (UTC),
//! passed in by the caller so that retention and expiry can be tested with a controlled clock.

/// An account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRecord {
    /// Id.
    pub id: i64,
    /// E-mail address (unique, case-insensitive).
    pub email: String,
    /// Name shown to the user.
    pub display_name: String,
    /// argon2id PHC string; `None` for passwordless residents.
    pub password_hash: Option<String>,
    /// Confirmed TOTP secret (base32).
    pub totp_secret: Option<String>,
    /// TOTP secret being enrolled.
    pub totp_pending: Option<String>,
    /// Last TOTP time step used (a code is accepted once).
    pub totp_last_step: Option<i64>,
    /// Disabled accounts cannot sign in.
    pub disabled: bool,
    /// Created, Unix seconds.
    pub created_at: i64,
    /// The organisation a partner acts for; empty for everyone else.
    pub organisation: String,
    /// Roles and scopes, as stored: (`role`, `scope`).
    pub roles: Vec<(String, String)>,
}

/// A session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    /// SHA-256 of the token.
    pub token_hash: Vec<u8>,
    /// The account, for a signed-in session.
    pub user_id: Option<i64>,
    /// The reporter, for a device session.
    pub reporter_id: Option<i64>,
    /// CSRF token of the session.
    pub csrf: String,
    /// Created.
    pub created_at: i64,
    /// Last request.
    pub last_seen_at: i64,
    /// Expires.
    pub expires_at: i64,
}

/// A consent ledger entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentRecord {
    /// Purpose.
    pub purpose: String,
    /// Given (true) or withdrawn (false).
    pub given: bool,
    /// When.
    pub at: i64,
}

/// Contact details of a reporter.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReporterContact {
    /// Name.
    pub name: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Phone.
    pub phone: Option<String>,
}

/// A new observation.
#[derive(Debug, Clone, PartialEq)]
pub struct NewObservation {
    /// Observation type, e.g. `solar_panels`.
    pub kind: String,
    /// BAG pand.
    pub building_id: Option<u64>,
    /// BAG verblijfsobject.
    pub address_id: Option<u64>,
    /// WGS84.
    pub lonlat: [f64; 2],
    /// Buurt code.
    pub buurtcode: Option<String>,
    /// When observed.
    pub observed_at: i64,
    /// `resident`, `volunteer` or `import`.
    pub source: String,
    /// Pseudonymous reporter.
    pub reporter_id: i64,
    /// Answers (JSON).
    pub answers: String,
}

/// A stored observation.
#[derive(Debug, Clone, PartialEq)]
pub struct ObservationRecord {
    /// Id.
    pub id: i64,
    /// The observation.
    pub observation: NewObservation,
    /// Stored.
    pub created_at: i64,
    /// `new`, `confirmed`, `rejected`, `resolved`, `hidden`.
    pub status: domain::observations::ObservationStatus,
    /// When closed (resolved/rejected).
    pub closed_at: Option<i64>,
}

/// A contest of an observation by a resident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContestRecord {
    /// Id.
    pub id: i64,
    /// The observation.
    pub observation_id: i64,
    /// The address.
    pub address_id: u64,
    /// Why.
    pub reason: String,
    /// `open`, `upheld`, `rejected`.
    pub status: String,
    /// When.
    pub created_at: i64,
}

/// An audit log entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    /// Id (ascending in time).
    pub id: i64,
    /// When.
    pub at: i64,
    /// Who: `user:{id}`, `device:{id}`, `anonymous`, `cli`, `system`.
    pub actor: String,
    /// What: `sign_in`, `role_change`, `export`, `read_reporter_identity`, …
    pub action: String,
    /// On what.
    pub target: String,
    /// More (never a secret).
    pub detail: String,
}

/// A custom area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomAreaRecord {
    /// Id (scope `polygon:{id}`).
    pub id: i64,
    /// Name.
    pub name: String,
    /// WKB, WGS84.
    pub wkb: Vec<u8>,
}

/// How long each kind of data is kept, in seconds. `None` keeps forever.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionRules {
    /// Sessions after they expired or were last used.
    pub sessions: Option<i64>,
    /// Sign-in codes after they expired.
    pub login_tokens: Option<i64>,
    /// Letter codes after they expired.
    pub address_codes: Option<i64>,
    /// Reporter contact data after the reporter's last report was closed.
    pub reporter_contacts: Option<i64>,
    /// Device reporters with no reports after their creation.
    pub device_reporters: Option<i64>,
    /// Audit log entries.
    pub audit_log: Option<i64>,
    /// Observations (with their photos, confirmations and flags) after they were closed (resolved,
    /// rejected, withdrawn, merged).
    pub closed_reports: Option<i64>,
    /// Offers of time and talent after they were last changed (renewing the offer keeps it).
    pub talent_offers: Option<i64>,
    /// Invitations to work (with the hours logged on them) after they ended (declined,
    /// withdrawn, done).
    pub talent_invitations: Option<i64>,
    /// Campaign visits per address (knocked doors and the outcomes kept with consent) after the
    /// campaign ended; the counts per route stay.
    pub campaign_visits: Option<i64>,
    /// The status history of a work item closed (done, not wanted, not applicable) that long
    /// ago is thinned: its newest status stays, without who set it, the note or the evidence,
    /// so the work is not offered again; the earlier entries go.
    pub work_status: Option<i64>,
}

impl Default for RetentionRules {
    fn default() -> Self {
        const DAY: i64 = 86_400;
        Self {
            sessions: Some(0),
            login_tokens: Some(DAY),
            address_codes: Some(0),
            reporter_contacts: Some(365 * DAY),
            device_reporters: Some(90 * DAY),
            audit_log: Some(730 * DAY),
            closed_reports: Some(730 * DAY),
            talent_offers: Some(365 * DAY),
            talent_invitations: Some(730 * DAY),
            campaign_visits: Some(180 * DAY),
            work_status: Some(730 * DAY),
        }
    }
}

impl RetentionRules {
    /// The rules as (kind, seconds) in the order they run.
    pub fn entries(&self) -> [(&'static str, Option<i64>); 11] {
        [
            ("sessions", self.sessions),
            ("login_tokens", self.login_tokens),
            ("address_codes", self.address_codes),
            ("reporter_contacts", self.reporter_contacts),
            ("device_reporters", self.device_reporters),
            ("audit_log", self.audit_log),
            ("talent_offers", self.talent_offers),
            ("talent_invitations", self.talent_invitations),
            ("campaign_visits", self.campaign_visits),
            ("work_status", self.work_status),
            // Last: contact data is judged on the reports before they go.
            ("closed_reports", self.closed_reports),
        ]
    }
}

/// What one retention rule removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionOutcome {
    /// Kind of data.
    pub kind: String,
    /// Rows older than this were removed (Unix seconds).
    pub cutoff: i64,
    /// How many.
    pub removed: u64,
    /// When it ran.
    pub at: i64,
}

/// Outcome of redeeming a sign-in code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redeemed {
    /// The e-mail address the code was sent to.
    Email(String),
    /// No live code matches (wrong, expired, used, or too many attempts).
    Invalid,
}
