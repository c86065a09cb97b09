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

/// A street (an openbare ruimte in one woonplaats) or a postcode found: the addresses it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupHit {
    /// The street's name, or the postcode (`1234AB`).
    pub name: String,
    /// The woonplaats.
    pub place: String,
    /// How many addresses.
    pub addresses: u32,
    /// The extent of its addresses, world units, inclusive.
    pub bbox: [crate::WorldPoint; 2],
    /// An address near the middle (to place a marker on).
    pub middle: u32,
}

/// Grows `hits[key]` by address `i`.
fn grow(
    hits: &mut Vec<((u32, u32), GroupAcc)>,
    index: &mut std::collections::HashMap<(u32, u32), usize>,
    key: (u32, u32),
    i: u32,
    p: crate::WorldPoint,
) {
    let n = *index.entry(key).or_insert_with(|| {
        hits.push((
            key,
            GroupAcc {
                addresses: Vec::new(),
                lo: p,
                hi: p,
            },
        ));
        hits.len() - 1
    });
    let g = &mut hits[n].1;
    g.addresses.push(i);
    g.lo = [g.lo[0].min(p[0]), g.lo[1].min(p[1])];
    g.hi = [g.hi[0].max(p[0]), g.hi[1].max(p[1])];
}

struct GroupAcc {
    addresses: Vec<u32>,
    lo: crate::WorldPoint,
    hi: crate::WorldPoint,
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

    /// Streets (an openbare ruimte in one woonplaats) whose name the words of `query` start (the
    /// place's name may hold some of them), or the postcode `query` names, with the extent of
    /// their addresses; none when the query has a house number. Streets as
    /// [`Model::search_addresses`] matches them, a typo tolerated when nothing matches exactly;
    /// best first (a street whose name starts with the first word, then by name), at most `limit`.
    pub fn search_groups(&self, query: &str, limit: usize) -> Vec<GroupHit> {
        let q = parse(query);
        if q.number.is_some() || limit == 0 {
            return Vec::new();
        }
        let cols = &self.addresses;
        let mut hits: Vec<((u32, u32), GroupAcc)> = Vec::new();
        let mut index = std::collections::HashMap::new();
        if let Some(pc) = &q.postcode {
            if !q.words.is_empty() {
                return Vec::new();
            }
            for i in 0..cols.len() {
                if self.strings.get(cols.postcode[i]) == pc {
                    grow(
                        &mut hits,
                        &mut index,
                        (cols.postcode[i], cols.place[i]),
                        i as u32,
                        cols.points[i],
                    );
                }
            }
        } else {
            let words: Vec<String> = q.words.iter().take(64).cloned().collect();
            if words.is_empty() || words.iter().map(String::len).sum::<usize>() < 3 {
                return Vec::new();
            }
            let all: u64 = if words.len() == 64 {
                u64::MAX
            } else {
                (1u64 << words.len()) - 1
            };
            for typos in [false, true] {
                let masks = word_masks(self, &words, typos);
                for i in 0..cols.len() {
                    let street = masks[cols.street[i] as usize];
                    // The street's name holds a word; the place may hold the others.
                    if street != 0 && (street | masks[cols.place[i] as usize]) == all {
                        grow(
                            &mut hits,
                            &mut index,
                            (cols.street[i], cols.place[i]),
                            i as u32,
                            cols.points[i],
                        );
                    }
                }
                if !hits.is_empty() {
                    break;
                }
            }
        }
        let first = q.words.first().cloned().unwrap_or_default();
        let mut out: Vec<(bool, GroupHit)> = hits
            .into_iter()
            .map(|((name, place), g)| {
                let starts = self.strings.folded(name).starts_with(first.as_str());
                // The address nearest the middle of the extent.
                let mid = [g.lo[0].midpoint(g.hi[0]), g.lo[1].midpoint(g.hi[1])];
                let middle = g
                    .addresses
                    .iter()
                    .copied()
                    .min_by_key(|&a| {
                        let p = cols.points[a as usize];
                        (i64::from(p[0] - mid[0])).pow(2) + (i64::from(p[1] - mid[1])).pow(2)
                    })
                    .unwrap_or(0);
                (
                    starts,
                    GroupHit {
                        name: self.strings.get(name).to_owned(),
                        place: self.strings.get(place).to_owned(),
                        addresses: g.addresses.len() as u32,
                        bbox: [g.lo, g.hi],
                        middle,
                    },
                )
            })
            .collect();
        out.sort_by(|a, b| (!a.0, &a.1.name, &a.1.place).cmp(&(!b.0, &b.1.name, &b.1.place)));
        out.into_iter().take(limit).map(|(_, h)| h).collect()
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

    #[test]
    fn finds_streets_and_postcodes_as_results_of_their_own() {
        let m = model();
        let streets = |q: &str| -> Vec<(String, String, u32)> {
            m.search_groups(q, 5)
                .into_iter()
                .map(|g| (g.name, g.place, g.addresses))
                .collect()
        };
        let kerk = ("Kerkstraat".to_owned(), "Wijkdorp".to_owned(), 4);
        assert_eq!(streets("kerkstraat"), std::slice::from_ref(&kerk));
        assert_eq!(
            streets("Kerk Wijkdorp"),
            std::slice::from_ref(&kerk),
            "the place may hold a word"
        );
        assert_eq!(
            streets("kerkstrat"),
            std::slice::from_ref(&kerk),
            "a typo when nothing matches"
        );
        assert_eq!(streets("s-grav")[0].0, "'s-Gravenweg");
        assert!(
            streets("kerkstraat 12").is_empty(),
            "a house number asks for addresses"
        );
        assert!(streets("wijkdorp").is_empty(), "a place alone is no street");
        assert!(streets("ke").is_empty(), "two letters are not enough");
        assert_eq!(
            streets("1234 ad"),
            [("1234AD".to_owned(), "Wijkdorp".to_owned(), 4)]
        );
        assert!(streets("1234 ad kerk").is_empty());
        assert!(streets("9999 zz").is_empty());
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
