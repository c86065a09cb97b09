//! Address search: "'s-gravenweg 12", "6981 ab 3", "Dorpsstraat 1a Wijkdorp".
//!
//! Matching folds case and common diacritics; every word of the query must start a word of the
//! street or place, and a number must equal the house number (or start it). Streets are matched
//! once each (they are interned), then only addresses on matching streets are checked.

use super::Model;

/// One search result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHit {
    /// Address row.
    pub address: u32,
}

/// Lower-cases and strips the diacritics found in Dutch names; keeps letters and digits, other
/// characters become spaces.
pub(crate) fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        let c = match ch {
            'á' | 'à' | 'â' | 'ä' | 'Á' | 'À' | 'Â' | 'Ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Ì' | 'Î' | 'Ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'Ó' | 'Ò' | 'Ô' | 'Ö' => 'o',
            'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ù' | 'Û' | 'Ü' => 'u',
            'ç' | 'Ç' => 'c',
            'ñ' | 'Ñ' => 'n',
            'ÿ' | 'ý' => 'y',
            '\'' | '’' => continue,
            c if c.is_alphanumeric() => c.to_lowercase().next().unwrap_or(c),
            _ => ' ',
        };
        out.push(c);
    }
    out
}

struct Query {
    words: Vec<String>,
    number: Option<String>,
    /// Letters glued to the number ("12a").
    letter: Option<String>,
    postcode: Option<String>,
}

fn parse(q: &str) -> Query {
    let folded = fold(q);
    let tokens: Vec<&str> = folded.split_whitespace().collect();
    let mut query = Query {
        words: Vec::new(),
        number: None,
        letter: None,
        postcode: None,
    };
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i];
        let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
        let rest = &t[digits.len()..];
        if digits.len() == 4 && (rest.len() == 2 && rest.chars().all(|c| c.is_ascii_alphabetic())) {
            query.postcode = Some(t.to_ascii_uppercase());
        } else if digits.len() == 4
            && rest.is_empty()
            && tokens
                .get(i + 1)
                .is_some_and(|n| n.len() == 2 && n.chars().all(|c| c.is_ascii_alphabetic()))
        {
            query.postcode = Some(format!("{}{}", digits, tokens[i + 1].to_ascii_uppercase()));
            i += 1;
        } else if !digits.is_empty() && query.number.is_none() {
            query.number = Some(digits);
            if !rest.is_empty() {
                query.letter = Some(rest.to_owned());
            }
        } else if !t.is_empty() {
            query.words.push(t.to_owned());
        }
        i += 1;
    }
    query
}

fn words_match(words: &[String], text: &str) -> bool {
    let hay: Vec<&str> = text.split_whitespace().collect();
    words
        .iter()
        .all(|w| hay.iter().any(|h| h.starts_with(w.as_str())) || text.starts_with(w.as_str()))
}

impl Model {
    /// Addresses matching `query`, best first (exact house number before prefix), at most `limit`.
    pub fn search_addresses(&self, query: &str, limit: usize) -> Vec<SearchHit> {
        let q = parse(query);
        if q.words.is_empty() && q.number.is_none() && q.postcode.is_none() {
            return Vec::new();
        }
        // Which interned strings match all query words (street + place are checked together below).
        let folded: Vec<String> = (0..self.strings.len() as u32)
            .map(|i| fold(self.strings.get(i)))
            .collect();
        let cols = &self.addresses;
        let mut exact = Vec::new();
        let mut partial = Vec::new();
        for i in 0..cols.len() {
            if let Some(pc) = &q.postcode
                && self.strings.get(cols.postcode[i]) != pc
            {
                continue;
            }
            if !q.words.is_empty() {
                let text = format!(
                    "{} {}",
                    folded[cols.street[i] as usize], folded[cols.place[i] as usize]
                );
                if !words_match(&q.words, &text) {
                    continue;
                }
            }
            let mut is_exact = true;
            if let Some(n) = &q.number {
                let number = cols.number[i].to_string();
                if number == *n {
                    if let Some(l) = &q.letter {
                        let letter = folded[cols.letter[i] as usize].clone();
                        let addition = folded[cols.addition[i] as usize].clone();
                        if !(letter.starts_with(l.as_str()) || addition.starts_with(l.as_str())) {
                            continue;
                        }
                    }
                } else if number.starts_with(n.as_str()) {
                    is_exact = false;
                } else {
                    continue;
                }
            }
            if is_exact { &mut exact } else { &mut partial }.push(i as u32);
            if exact.len() >= limit {
                break;
            }
        }
        let sort_key = |&i: &u32| {
            let i = i as usize;
            (
                cols.street[i],
                cols.number[i],
                self.strings.get(cols.letter[i]),
                self.strings.get(cols.addition[i]),
            )
        };
        exact.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));
        partial.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));
        exact
            .into_iter()
            .chain(partial)
            .take(limit)
            .map(|address| SearchHit { address })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_diacritics_and_apostrophes() {
        assert_eq!(fold("'s-Gravenweg"), "s gravenweg");
        assert_eq!(fold("Coöperatiestraat"), "cooperatiestraat");
    }

    #[test]
    fn parses_postcode_and_number() {
        let q = parse("6981 AB 12a");
        assert_eq!(q.postcode.as_deref(), Some("6981AB"));
        assert_eq!(q.number.as_deref(), Some("12"));
        assert_eq!(q.letter.as_deref(), Some("a"));
    }
}
