//! Outgoing mail: SMTP (lettre, STARTTLS or TLS as the URL says) or a local outbox file.
//!
//! The outbox is a JSON Lines file, one message per line, appended and flushed before the request
//! is answered. The demo and the tests use it; a real deployment sets an SMTP URL
//! (`smtp://user:pass@host:587?tls=required`, see lettre's `from_url`).

use std::io::Write as _;
use std::path::PathBuf;

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport as _, Message, Tokio1Executor};
use serde_json::json;

/// One message.
#[derive(Debug, Clone)]
pub struct Mail {
    /// Recipient.
    pub to: String,
    /// Subject.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
    /// For the outbox only: the one-time code the body carries (tests read it).
    pub code: Option<String>,
    /// For the outbox only: the sign-in link the body carries.
    pub link: Option<String>,
}

/// Where mail goes.
pub enum Mailer {
    /// Appended to a JSON Lines file.
    Outbox(PathBuf, std::sync::Mutex<()>),
    /// Sent over SMTP.
    Smtp {
        /// The transport.
        transport: Box<AsyncSmtpTransport<Tokio1Executor>>,
        /// Sender.
        from: Mailbox,
    },
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Outbox(p, _) => write!(f, "Mailer::Outbox({})", p.display()),
            Self::Smtp { from, .. } => write!(f, "Mailer::Smtp(from {from})"),
        }
    }
}

impl Mailer {
    /// A mailer writing to `path`.
    pub fn outbox(path: PathBuf) -> Self {
        Self::Outbox(path, std::sync::Mutex::new(()))
    }

    /// A mailer for an SMTP URL.
    pub fn smtp(url: &str, from: &str) -> anyhow::Result<Self> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| anyhow::anyhow!("invalid SMTP URL: {e}"))?
            .build();
        let from: Mailbox = from
            .parse()
            .map_err(|e| anyhow::anyhow!("invalid sender address {from:?}: {e}"))?;
        Ok(Self::Smtp {
            transport: Box::new(transport),
            from,
        })
    }

    /// Sends (or writes) a message.
    pub async fn send(&self, mail: Mail, now_rfc3339: String) -> anyhow::Result<()> {
        match self {
            Self::Outbox(path, lock) => {
                let line = json!({
                    "to": mail.to, "subject": mail.subject, "body": mail.body,
                    "code": mail.code, "link": mail.link, "sent_at": now_rfc3339,
                })
                .to_string();
                let _guard = lock
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                let mut f = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)?;
                writeln!(f, "{line}")?;
                f.sync_data()?;
                Ok(())
            }
            Self::Smtp { transport, from } => {
                let to: Mailbox = mail.to.parse()?;
                let msg = Message::builder()
                    .from(from.clone())
                    .to(to)
                    .subject(mail.subject)
                    .header(lettre::message::header::ContentType::TEXT_PLAIN)
                    .body(mail.body)?;
                transport.send(msg).await?;
                Ok(())
            }
        }
    }
}

/// A plausible e-mail address: one `@`, a dot in the domain, no spaces, at most 254 bytes.
pub fn valid_address(s: &str) -> bool {
    let s = s.trim();
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    s.len() <= 254
        && !local.is_empty()
        && local.len() <= 64
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && s.chars().all(|c| !c.is_whitespace() && !c.is_control())
        && s.parse::<Mailbox>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_checked() {
        assert!(valid_address("jan@wijkdorp.nl"));
        assert!(!valid_address("jan"));
        assert!(!valid_address("jan@localhost"));
        assert!(!valid_address("jan @x.nl"));
        assert!(!valid_address("a@b@c.nl"));
    }

    #[tokio::test]
    async fn outbox_appends_json_lines() {
        let dir = tempfile::tempdir().unwrap();
        let m = Mailer::outbox(dir.path().join("o.jsonl"));
        for i in 0..2 {
            m.send(
                Mail {
                    to: "a@b.nl".into(),
                    subject: format!("s{i}"),
                    body: "b".into(),
                    code: Some("123456".into()),
                    link: None,
                },
                "2026-01-01T00:00:00Z".into(),
            )
            .await
            .unwrap();
        }
        let text = std::fs::read_to_string(dir.path().join("o.jsonl")).unwrap();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1]["subject"], "s1");
        assert_eq!(lines[0]["code"], "123456");
    }
}
