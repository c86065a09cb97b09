//! Address search: "'s-gravenweg 12", "6981 ab 3", "Dorpsstraat 1a Wijkdorp".
//!
//! Matching folds case and common diacritics; every word of the query must start a word of the
//! street or place, and a number must equal the house number (or start it). Streets are matched
//! once each (they are interned), then only addresses on matching streets are checked. When no
//! address matches, the words are matched again tolerating a typo: a word of at least 5 letters
//! may be one letter off (inserted, left out or changed), one of at least 9 letters two
//! ("Zeilmakerhof" finds "Zeilmakershof").

use super::Model;

/// One search result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHit {
    /// Address row.
    pub address: u32,
}

/// A name folded for search (lower case, no diacritics or apostrophes).
pub fn fold_name(s: &str) -> String {
    fold(s)
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

/// For every interned string, a bit per query word that starts one of the string's words (with
/// `typos`, that starts one allowing the typos [`near_prefix`] allows).
fn word_masks(model: &Model, words: &[String], typos: bool) -> Vec<u64> {
    (0..model.strings.len() as u32)
        .map(|i| {
            let text = model.strings.folded(i);
            words.iter().enumerate().fold(0u64, |mask, (bit, w)| {
                let hit = |t: &str| t.starts_with(w.as_str()) || (typos && near_prefix(w, t));
                if text.split_whitespace().any(hit) || text.starts_with(w.as_str()) {
                    mask | (1 << bit)
                } else {
                    mask
                }
            })
        })
        .collect()
}

/// Letters a word of `len` letters may be off: none below 5, one below 9, else two.
fn allowed_typos(len: usize) -> usize {
    match len {
        0..5 => 0,
        5..9 => 1,
        _ => 2,
    }
}

/// Does `word` start `text` but for at most a few letters (none below 5 letters, one below 9, else two) inserted, left out or
/// changed? (Levenshtein distance from `word` to the best prefix of `text`.)
pub fn near_prefix(word: &str, text: &str) -> bool {
    let w: Vec<char> = word.chars().collect();
    let max = allowed_typos(w.len());
    if max == 0 {
        return false;
    }
    let t: Vec<char> = text.chars().collect();
    if t.len() + max < w.len() {
        return false;
    }
    // prev[j]: distance between w[..i] and t[..j].
    let mut prev: Vec<usize> = (0..=t.len()).collect();
    for i in 1..=w.len() {
        let mut cur = vec![i; t.len() + 1];
        for j in 1..=t.len() {
            let change = usize::from(w[i - 1] != t[j - 1]);
            cur[j] = (prev[j - 1] + change).min(prev[j] + 1).min(cur[j - 1] + 1);
        }
        prev = cur;
    }
    // The best prefix of `text`: any length.
    prev.into_iter().min().is_some_and(|d| d <= max)
}

impl Model {
    /// Addresses matching `query`, best first (exact house number before prefix), at most `limit`.
    pub fn search_addresses(&self, query: &str, limit: usize) -> Vec<SearchHit> {
        let exact = self.search_with(query, limit, false);
        if !exact.is_empty() {
            return exact;
        }
        self.search_with(query, limit, true)
    }

    fn search_with(&self, query: &str, limit: usize, typos: bool) -> Vec<SearchHit> {
        let mut q = parse(query);
        // Words beyond 64 add nothing a person types; they are ignored.
        q.words.truncate(64);
        if q.words.is_empty() && q.number.is_none() && q.postcode.is_none() {
            return Vec::new();
        }
        let all: u64 = if q.words.len() == 64 {
            u64::MAX
        } else {
            (1u64 << q.words.len()) - 1
        };
        let masks = if q.words.is_empty() {
            Vec::new()
        } else {
            word_masks(self, &q.words, typos)
        };
        let cols = &self.addresses;
        let mut exact = Vec::new();
        let mut partial = Vec::new();
        for i in 0..cols.len() {
            if let Some(pc) = &q.postcode
                && self.strings.get(cols.postcode[i]) != pc
            {
                continue;
            }
            if !q.words.is_empty()
                && (masks[cols.street[i] as usize] | masks[cols.place[i] as usize]) != all
            {
                continue;
            }
            let mut is_exact = true;
            if let Some(n) = &q.number {
                let number = cols.number[i];
                if n.parse::<u32>().ok() == Some(number) && !n.starts_with('0') {
                    if let Some(l) = &q.letter {
                        let letter = self.strings.folded(cols.letter[i]);
                        let addition = self.strings.folded(cols.addition[i]);
                        if !(letter.starts_with(l.as_str()) || addition.starts_with(l.as_str())) {
                            continue;
                        }
                    }
                } else if number.to_string().starts_with(n.as_str()) {
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
                self.strings.get(cols.street[i]),
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

    fn model() -> Model {
        let mut b = crate::ModelBuilder::default();
        let streets = [
            ("'s-Gravenweg", "1234AB"),
            ("Coöperatiestraat", "1234AC"),
            ("Kerkstraat", "1234AD"),
        ];
        let mut id = 1;
        for (street, pc) in streets {
            for n in [1, 2, 12, 21] {
                b.add_address(&crate::Address {
                    id: crate::BagId::new(id).unwrap(),
                    location_wgs84: geo::Point::new(5.0, 52.0),
                    street: street.into(),
                    house_number: n,
                    house_letter: (n == 12).then(|| "A".to_owned()),
                    addition: None,
                    postcode: Some(pc.into()),
                    place: "Wijkdorp".into(),
                    status: crate::AddressStatus::InUse,
                    usage: crate::UsageSet::EMPTY,
                    floor_area_m2: None,
                    building_ids: Vec::new(),
                    areas: crate::AreaRefs::default(),
                });
                id += 1;
            }
        }
        b.build()
    }

    fn labels(m: &Model, q: &str) -> Vec<String> {
        m.search_addresses(q, 10)
            .into_iter()
            .map(|h| m.address(h.address).street_line())
            .collect()
    }

    #[test]
    fn finds_streets_with_apostrophes_and_diacritics() {
        let m = model();
        assert_eq!(
            labels(&m, "s-grav 2"),
            vec!["'s-Gravenweg 2", "'s-Gravenweg 21"]
        );
        assert_eq!(labels(&m, "cooperatie 12a"), vec!["Coöperatiestraat 12A"]);
        assert_eq!(
            labels(&m, "1234 ad 1"),
            vec!["Kerkstraat 1", "Kerkstraat 12A"]
        );
        assert_eq!(labels(&m, "kerkstraat 1 wijkdorp").len(), 2);
        assert!(labels(&m, "nergensstraat").is_empty());
        // A typo: one letter off in a word of 5 or more.
        assert_eq!(labels(&m, "kerkstrat 21"), vec!["Kerkstraat 21"]);
        assert_eq!(
            labels(&m, "coperatiestrat 12a"),
            vec!["Coöperatiestraat 12A"],
            "two off in a long word"
        );
        assert!(labels(&m, "kirk 1").is_empty(), "no typos in a short word");
        assert!(near_prefix("zeilmakerhof", "zeilmakershof"));
        assert!(!near_prefix("zeilmakerhof", "zuilenstraat"));
        assert!(labels(&m, "  ").is_empty());
    }
}
