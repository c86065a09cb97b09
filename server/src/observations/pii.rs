//! A check of free text for what looks like personal data — phone numbers and e-mail addresses —
//! so moderators see it before others do. It errs on the side of flagging.

/// Does `text` look like it contains a phone number or an e-mail address?
pub fn looks_personal(text: &str) -> bool {
    has_email(text) || has_phone(text)
}

fn has_email(text: &str) -> bool {
    text.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '<' | '>'))
        .any(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            match w.split_once('@') {
                Some((local, domain)) => {
                    !local.is_empty()
                        && domain.contains('.')
                        && !domain.starts_with('.')
                        && domain.rsplit('.').next().is_some_and(|tld| tld.len() >= 2)
                }
                None => false,
            }
        })
}

/// Runs of digits with the separators people type (space, dash, dot, brackets, a leading +),
/// holding 9 to 13 digits — Dutch numbers have 10 (06…, 020…) or 11 with 31.
fn has_phone(text: &str) -> bool {
    let mut digits = 0;
    let mut in_run = false;
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if c.is_ascii_digit() {
            digits += 1;
            in_run = true;
        } else if in_run && matches!(c, ' ' | '-' | '.' | '(' | ')' | '/') {
            // A separator inside a number: keep counting when a digit follows soon.
            let next_digit = chars[i + 1..].iter().take(2).any(char::is_ascii_digit);
            if !next_digit {
                if (9..=13).contains(&digits) {
                    return true;
                }
                digits = 0;
                in_run = false;
            }
        } else if *c == '+' && !in_run {
            in_run = true;
        } else {
            if (9..=13).contains(&digits) {
                return true;
            }
            digits = 0;
            in_run = false;
        }
    }
    (9..=13).contains(&digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_and_mail_addresses_are_spotted() {
        for t in [
            "bel me op 06-12345678",
            "06 1234 5678 graag",
            "+31 6 12345678",
            "tel. (020) 123 45 67",
            "mail jan.jansen@example.nl als het kan",
            "<piet@wijk.nl>",
        ] {
            assert!(looks_personal(t), "{t}");
        }
        for t in [
            "boom staat er slecht bij sinds 2019",
            "nummer 12, achterkant",
            "12 panelen, 2 rijen van 6",
            "postcode 1999 AB",
            "email@ niet ingevuld",
        ] {
            assert!(!looks_personal(t), "{t}");
        }
    }
}
