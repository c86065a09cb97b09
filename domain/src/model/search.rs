//! Address search: "'s-gravenweg 12", "6981 ab 3", "Dorpsstraat 1a Wijkdorp".
//!
//! Matching folds case and common diacritics; every word of the query must start a word of the
//! street or place, and a number must equal the house number (or start it). Street and place
//! names are matched once each (they are interned), then one pass over the addresses finds both
//! the streets or postcodes the query names (results of their own, with the extent of their
//! addresses) and the addresses it matches. When no address (or no street) matches, the words are
//! matched again tolerating a typo, in one more pass: a word of at least 5 letters may be one
//! letter off (inserted, left out or changed), one of at least 9 letters two ("Zeilmakerhof" finds
//! "Zeilmakershof").

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
    // Words beyond 64 add nothing a person types; they are ignored.
    query.words.truncate(64);
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

/// How the streets and postcodes a query names are grouped, if it names any.
#[derive(Clone, Copy, PartialEq, Eq)]
enum GroupBy {
    /// By street and woonplaats: words, at least 3 letters in all, without a house number.
    Street,
    /// By postcode and woonplaats: a postcode alone.
    Postcode,
}

impl Query {
    /// Nothing to look for.
    fn is_empty(&self) -> bool {
        self.words.is_empty() && self.number.is_none() && self.postcode.is_none()
    }

    /// The groups this query asks for; none when it has a house number (it asks for addresses).
    fn group_by(&self) -> Option<GroupBy> {
        if self.number.is_some() {
            None
        } else if self.postcode.is_some() {
            self.words.is_empty().then_some(GroupBy::Postcode)
        } else {
            (self.words.iter().map(String::len).sum::<usize>() >= 3).then_some(GroupBy::Street)
        }
    }

    /// The mask of all words (see [`word_masks`]).
    fn all_words(&self) -> u64 {
        if self.words.len() == 64 {
            u64::MAX
        } else {
            (1u64 << self.words.len()) - 1
        }
    }
}

/// What the pass over the addresses collects.
#[derive(Default)]
struct Scan {
    /// Streets (street, place) or postcodes (postcode, place) with their addresses.
    groups: Vec<((u32, u32), GroupAcc)>,
    /// Address rows with the house number asked for (any, without one), in row order: the
    /// first ones found, up to the cap the pass was given.
    exact: Vec<u32>,
    /// Address rows whose house number starts with the number asked for, in row order (while
    /// `exact` is below the cap).
    partial: Vec<u32>,
}

/// What [`Model::search`] finds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    /// Streets or postcodes, best first.
    pub groups: Vec<GroupHit>,
    /// Addresses, best first.
    pub addresses: Vec<SearchHit>,
}

impl Model {
    /// The streets or postcodes `query` names (as [`Model::search_groups`], at most `groups`),
    /// then the addresses it matches (as [`Model::search_addresses`]), `limit` in all: one pass
    /// over the addresses finds both (and a second, tolerating a typo, only when either found
    /// nothing).
    pub fn search(&self, query: &str, groups: usize, limit: usize) -> Found {
        let q = parse(query);
        let groups = groups.min(limit);
        let scan = self.scan(&q, groups > 0, limit);
        let groups = self.ranked_groups(&q, scan.groups, groups);
        let addresses = self.ranked_addresses(scan.exact, scan.partial, limit - groups.len());
        Found { groups, addresses }
    }

    /// Addresses matching `query`, best first (exact house number before prefix), at most `limit`.
    pub fn search_addresses(&self, query: &str, limit: usize) -> Vec<SearchHit> {
        self.search(query, 0, limit).addresses
    }

    /// Streets (an openbare ruimte in one woonplaats) whose name the words of `query` start (the
    /// place's name may hold some of them), or the postcode `query` names, with the extent of
    /// their addresses; none when the query has a house number. Streets as
    /// [`Model::search_addresses`] matches them, a typo tolerated when nothing matches exactly;
    /// best first (a street whose name starts with the first word, then by name), at most `limit`.
    pub fn search_groups(&self, query: &str, limit: usize) -> Vec<GroupHit> {
        let q = parse(query);
        let scan = self.scan(&q, limit > 0, 0);
        self.ranked_groups(&q, scan.groups, limit)
    }

    /// One pass over the addresses collecting the groups `q` names (when `groups`) and up to
    /// `addresses` exact address matches (and the partial ones seen meanwhile); then, when words
    /// found no group or no address, one more pass for those, tolerating a typo.
    fn scan(&self, q: &Query, groups: bool, addresses: usize) -> Scan {
        let group_by = q.group_by().filter(|_| groups);
        let addresses = if q.is_empty() { 0 } else { addresses };
        let all = q.all_words();
        let cols = &self.addresses;
        let mut scan = Scan::default();
        let mut index = std::collections::HashMap::new();
        for typos in [false, true] {
            // A typo only in words, and only for what found nothing exactly.
            if typos && q.words.is_empty() {
                break;
            }
            let want_groups = group_by.is_some() && scan.groups.is_empty();
            let want_addresses = addresses > 0 && scan.exact.is_empty() && scan.partial.is_empty();
            if !want_groups && !want_addresses {
                break;
            }
            let masks = if q.words.is_empty() {
                Vec::new()
            } else {
                word_masks(self, &q.words, typos)
            };
            for (i, (&street_id, &place_id)) in cols.street.iter().zip(&cols.place).enumerate() {
                if let Some(pc) = &q.postcode
                    && self.strings.get(cols.postcode[i]) != pc
                {
                    continue;
                }
                // The street's name or the place holds every word.
                let mut street_named = false;
                if !q.words.is_empty() {
                    let street = masks[street_id as usize];
                    if (street | masks[place_id as usize]) != all {
                        continue;
                    }
                    street_named = street != 0;
                }
                if want_groups {
                    // A street whose name holds a word (the place may hold the others), or the
                    // postcode.
                    let key = match group_by {
                        Some(GroupBy::Street) if street_named => Some(street_id),
                        Some(GroupBy::Postcode) => Some(cols.postcode[i]),
                        _ => None,
                    };
                    if let Some(key) = key {
                        let (i, p) = (i as u32, cols.points[i]);
                        grow(&mut scan.groups, &mut index, (key, place_id), i, p);
                    }
                }
                if want_addresses && scan.exact.len() < addresses {
                    match self.number_match(q, i) {
                        Some(true) => scan.exact.push(i as u32),
                        Some(false) => scan.partial.push(i as u32),
                        None => {}
                    }
                    if !want_groups && scan.exact.len() == addresses {
                        break;
                    }
                }
            }
        }
        scan
    }

    /// Does address row `i` have the house number `q` asks for: `Some(true)` that number (with a
    /// letter or addition the letters glued to it start) or any without one, `Some(false)` a
    /// number it starts, `None` neither.
    fn number_match(&self, q: &Query, i: usize) -> Option<bool> {
        let Some(n) = &q.number else {
            return Some(true);
        };
        let cols = &self.addresses;
        let number = cols.number[i];
        if n.parse::<u32>().ok() == Some(number) && !n.starts_with('0') {
            let Some(l) = &q.letter else {
                return Some(true);
            };
            let letter = self.strings.folded(cols.letter[i]);
            let addition = self.strings.folded(cols.addition[i]);
            (letter.starts_with(l.as_str()) || addition.starts_with(l.as_str())).then_some(true)
        } else {
            number.to_string().starts_with(n.as_str()).then_some(false)
        }
    }

    /// The groups found, best first (a name that starts with the first word, then by name and
    /// place), at most `limit`, each with the address nearest the middle of its extent.
    fn ranked_groups(
        &self,
        q: &Query,
        hits: Vec<((u32, u32), GroupAcc)>,
        limit: usize,
    ) -> Vec<GroupHit> {
        let cols = &self.addresses;
        let first = q.words.first().map_or("", String::as_str);
        let mut out: Vec<(bool, GroupHit)> = hits
            .into_iter()
            .map(|((name, place), g)| {
                let starts = self.strings.folded(name).starts_with(first);
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

    /// At most `limit` addresses: the first `limit` exact matches found (in row order), else all
    /// of them and then the partial ones, each part by street, number, letter and addition.
    fn ranked_addresses(
        &self,
        mut exact: Vec<u32>,
        mut partial: Vec<u32>,
        limit: usize,
    ) -> Vec<SearchHit> {
        let cols = &self.addresses;
        let sort_key = |&i: &u32| {
            let i = i as usize;
            (
                self.strings.get(cols.street[i]),
                cols.number[i],
                self.strings.get(cols.letter[i]),
                self.strings.get(cols.addition[i]),
            )
        };
        exact.truncate(limit);
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

    /// One search finds the street (or postcode) and then its addresses, within one limit: what
    /// the street leaves of the limit goes to the addresses, the first exact matches sorted.
    #[test]
    fn finds_a_street_and_its_addresses_in_one_search() {
        let m = model();
        let found = |q: &str, groups: usize, limit: usize| {
            let f = m.search(q, groups, limit);
            let groups: Vec<(String, u32)> = f
                .groups
                .into_iter()
                .map(|g| (g.name, g.addresses))
                .collect();
            let addresses: Vec<String> = f
                .addresses
                .into_iter()
                .map(|h| m.address(h.address).street_line())
                .collect();
            (groups, addresses)
        };
        let kerk = || vec![("Kerkstraat".to_owned(), 4)];
        let all = [
            "Kerkstraat 1",
            "Kerkstraat 2",
            "Kerkstraat 12A",
            "Kerkstraat 21",
        ];
        assert_eq!(
            found("kerkstraat", 3, 10),
            (kerk(), all.map(String::from).to_vec())
        );
        // The street takes one of the limit.
        let (groups, addresses) = found("kerkstraat", 3, 3);
        assert_eq!(groups, kerk());
        assert_eq!(addresses.len(), 2);
        assert!(
            addresses.iter().all(|a| all.contains(&a.as_str())),
            "{addresses:?}"
        );
        assert_eq!(found("kerkstraat", 3, 1), (kerk(), vec![]));
        assert_eq!(found("kerkstraat", 0, 2).0, vec![], "no groups asked for");
        assert_eq!(found("kerkstraat", 0, 2).1.len(), 2);
        // A typo: the street and its addresses both found by the second pass.
        assert_eq!(
            found("kerkstrat", 3, 10),
            (kerk(), all.map(String::from).to_vec())
        );
        // A postcode names a group of its own, then its addresses.
        assert_eq!(
            found("1234 ad", 3, 3),
            (
                vec![("1234AD".to_owned(), 4)],
                vec!["Kerkstraat 1".to_owned(), "Kerkstraat 2".to_owned()]
            )
        );
        // A house number asks for addresses only; a place alone is no street.
        assert_eq!(
            found("kerkstraat 2", 3, 10),
            (
                vec![],
                vec!["Kerkstraat 2".to_owned(), "Kerkstraat 21".to_owned()]
            )
        );
        let (groups, addresses) = found("wijkdorp", 3, 10);
        assert!(groups.is_empty());
        assert_eq!(addresses.len(), 10);
        assert_eq!(found("kerkstraat", 3, 0), (vec![], vec![]));
        // The same as asking for the streets and then for the addresses with what is left.
        for q in [
            "kerk",
            "s-grav 2",
            "1234 ab",
            "coperatie",
            "wijkdorp",
            "nergens",
            "12",
        ] {
            for limit in 0..6 {
                let f = m.search(q, limit.min(3), limit);
                let groups = m.search_groups(q, limit.min(3));
                let addresses = m.search_addresses(q, limit - groups.len());
                assert_eq!(f, Found { groups, addresses }, "{q} {limit}");
            }
        }
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
