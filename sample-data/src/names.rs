//! Fictional Dutch names: streets by theme (painters, trees, birds, …), wijken and buurten.
//!
//! Every street name is unique within the woonplaats, as BAG requires of an *openbare ruimte*. A
//! theme's names are handed out in a seeded order; when a theme runs out its names come back with a
//! prefix Dutch towns use for the same purpose (*Korte*, *Lange*, *Eerste*, …), and after those the
//! next theme is used.

use std::collections::BTreeSet;

use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

/// Street name themes: bases (already in the form they take before the suffix) and the suffixes
/// that suit them. Bases are joined to the suffix without a space, as Dutch writes street names.
#[rustfmt::skip]
const THEMES: &[(&[&str], &[&str])] = &[
    (
        &[
            "Rembrandt", "Vermeer", "Frans Hals", "Jan Steen", "Jozef Israëls", "Mesdag", "Breitner",
            "Mondriaan", "Van Gogh", "Ruisdael", "Hobbema", "Paulus Potter", "Ferdinand Bol", "Govert Flinck",
            "Van Ostade", "Thérèse Schwartze", "Charley Toorop", "Jan Toorop", "Judith Leyster",
            "Pieter de Hooch", "Jacob Maris", "Weissenbruch", "Van Goyen", "Avercamp", "Carel Fabritius",
            "Jan Sluijters",
        ],
        &["straat", "laan", "plein", "hof", "kade"],
    ),
    (
        &[
            "Jan Pieterszoon Coen", "Van 't Hoff", "Huygens", "Lorentz", "Kamerlingh Onnes", "Van der Waals",
            "Zeeman", "Leeuwenhoek", "Boerhaave", "Stevin", "Snellius", "Swammerdam", "Buys Ballot",
            "Einthoven", "Aletta Jacobs", "Eijkman", "Debye", "Zernike", "Christiaan Eijkman", "Minnaert",
        ],
        &["straat", "laan", "weg", "plein", "singel"],
    ),
    (
        &[
            "Vondel", "Bilderdijk", "Da Costa", "Multatuli", "Hooft", "Bredero", "Cats", "Nicolaas Beets",
            "Gorter", "Van Eeden", "Couperus", "Potgieter", "Tollens", "Staring", "Hildebrand", "Kloos",
            "Annie M.G. Schmidt", "Guido Gezelle", "Henriëtte Roland Holst", "Bosboom-Toussaint",
        ],
        &["straat", "laan", "hof", "plantsoen", "kade"],
    ),
    (
        &[
            "Eiken", "Beuken", "Berken", "Linden", "Iepen", "Essen", "Wilgen", "Populieren", "Kastanje",
            "Platanen", "Elzen", "Hazelaar", "Meidoorn", "Lijsterbes", "Vlier", "Acacia", "Esdoorn", "Noten",
            "Kersen", "Appel", "Peren", "Pruimen", "Taxus", "Hulst", "Sparren", "Dennen", "Magnolia", "Catalpa",
        ],
        &["laan", "straat", "hof", "dreef", "pad", "singel"],
    ),
    (
        &[
            "Rozen", "Tulpen", "Narcissen", "Hyacinten", "Anjer", "Lelie", "Iris", "Dahlia", "Goudsbloem",
            "Klaproos", "Korenbloem", "Zonnebloem", "Madelief", "Seringen", "Jasmijn", "Krokus",
            "Sneeuwklokjes", "Primula", "Viooltjes", "Lavendel", "Akelei", "Boterbloem", "Fresia", "Gerbera",
            "Orchidee",
        ],
        &["straat", "laan", "hof", "pad", "plantsoen"],
    ),
    (
        &[
            "Merel", "Lijster", "Spreeuw", "Mees", "Vink", "Zwaluw", "Kievit", "Reiger", "Ooievaar", "Specht",
            "Roodborst", "Winterkoning", "Wielewaal", "Nachtegaal", "Leeuwerik", "Buizerd", "Valk", "Havik",
            "Grutto", "Tureluur", "Scholekster", "Kwikstaart", "Zwanen", "Fuut", "Meerkoet", "IJsvogel",
            "Kraanvogel", "Pimpelmees", "Boomklever", "Goudvink",
        ],
        &["straat", "laan", "hof", "weg", "zoom", "pad"],
    ),
    (
        &[
            "Maas", "Rijn", "Waal", "IJssel", "Vecht", "Amstel", "Dommel", "Dinkel", "Berkel", "Regge", "Linge",
            "Lek", "Eem", "Gein", "Schie", "Rotte", "Zaan", "Spaarne", "Hunze", "Reest", "Roer", "Geul",
            "Niers", "Oude IJssel", "Merwede", "Mark", "Dieze", "Aa",
        ],
        &["straat", "kade", "laan", "oever", "plein"],
    ),
    (
        &[
            "Texel", "Vlieland", "Terschelling", "Ameland", "Schiermonnikoog", "Urk", "Marken", "Schokland",
            "Tholen", "Walcheren", "Goeree", "Voorne", "Curaçao", "Bonaire", "Aruba", "Sint Eustatius", "Saba",
            "Rottumeroog", "Griend", "Wieringen",
        ],
        &["straat", "laan", "plein", "hof", "kade"],
    ),
    (
        &[
            "Smids", "Bakkers", "Molenaars", "Kuipers", "Timmermans", "Wevers", "Touwslagers", "Brouwers",
            "Ververs", "Zadelmakers", "Klompenmakers", "Mandenmakers", "Leerlooiers", "Hoefsmids",
            "Pottenbakkers", "Glazeniers", "Lijndraaiers", "Scheepmakers", "Zeilmakers", "Rietdekkers",
        ],
        &["straat", "hof", "erf", "pad", "weg"],
    ),
    (
        &[
            "Kerk", "Dorps", "School", "Molen", "Stations", "Markt", "Haven", "Brug", "Sluis", "Dijk", "Veld",
            "Beek", "Tuin", "Hoeve", "Kasteel", "Wal", "Poort", "Burg", "Kloosters", "Gasthuis", "Weverij",
            "Coöperatie", "Eendracht", "Harmonie", "Vrijheids", "Juliana", "Wilhelmina", "Beatrix", "Oranje",
            "Nassau",
        ],
        &["straat", "weg", "laan", "plein", "pad", "steeg"],
    ),
];

/// Names every town has, used first (and once each) by the first theme that needs a name.
#[rustfmt::skip]
const CLASSICS: &[&str] = &[
    "Kerkstraat", "'s-Gravenweg", "Coöperatiestraat", "Van 't Hoffstraat", "Jan Pieterszoon Coenstraat",
    "Dorpsstraat", "Hoofdstraat", "Molenweg", "Nieuwstraat", "Achterweg", "Brink", "'s-Hertogenlaan",
    "Rijksstraatweg", "Julianastraat", "Stationsweg", "Marktplein",
];

/// Prefixes for a theme's second round of names.
#[rustfmt::skip]
const PREFIXES: &[&str] = &[
    "Korte ", "Lange ", "Eerste ", "Tweede ", "Derde ", "Oude ", "Nieuwe ", "Kleine ", "Grote ", "Hoge ",
    "Lage ", "Vierde ", "Vijfde ", "Achter ", "Binnen ", "Buiten ", "Boven ", "Beneden ",
];

/// Hands out unique street names.
pub(crate) struct StreetNames {
    /// Per theme: its names in seeded order, and how many were handed out.
    themes: Vec<(Vec<String>, usize)>,
    classics: std::vec::IntoIter<&'static str>,
    handed_out: u64,
}

impl StreetNames {
    pub(crate) fn new(rng: &mut ChaCha8Rng) -> Self {
        // A name may come about twice ("Oude IJssel" + "straat", "Oude " + "IJsselstraat"): keep the first.
        let mut seen: BTreeSet<String> = CLASSICS.iter().map(|c| (*c).to_owned()).collect();
        let mut unseen = |names: Vec<String>| -> Vec<String> {
            names
                .into_iter()
                .filter(|n| seen.insert(n.clone()))
                .collect()
        };
        let plain: Vec<Vec<String>> = THEMES
            .iter()
            .map(|(bases, suffixes)| {
                let mut plain = unseen(
                    bases
                        .iter()
                        .flat_map(|b| suffixes.iter().map(move |s| format!("{b}{s}")))
                        .collect(),
                );
                plain.shuffle(rng);
                plain
            })
            .collect();
        let themes = plain
            .into_iter()
            .map(|mut names| {
                let mut prefixed = unseen(
                    PREFIXES
                        .iter()
                        .flat_map(|p| names.iter().map(move |n| format!("{p}{n}")))
                        .collect(),
                );
                prefixed.shuffle(rng);
                names.extend(prefixed);
                (names, 0)
            })
            .collect();
        Self {
            themes,
            classics: CLASSICS.to_vec().into_iter(),
            handed_out: 0,
        }
    }

    /// The number of themes (wijken pick one each).
    pub(crate) fn theme_count() -> usize {
        THEMES.len()
    }

    /// The next unused name of `theme` (or of a later theme when it is used up). Classic names
    /// (*Kerkstraat*, *'s-Gravenweg*, …) come first, whatever the theme.
    pub(crate) fn next(&mut self, theme: usize) -> String {
        self.handed_out += 1;
        if let Some(c) = self.classics.next() {
            return c.to_owned();
        }
        let n = self.themes.len();
        for t in (0..n).map(|k| (theme + k) % n) {
            let (names, used) = &mut self.themes[t];
            if let Some(name) = names.get(*used) {
                *used += 1;
                return name.clone();
            }
        }
        // Beyond some 25,000 streets (over ten million buildings): numbered, still unique.
        format!("Nieuwbouwstraat {}", self.handed_out)
    }
}

/// Bases of wijk names.
#[rustfmt::skip]
const WIJK_NAMES: &[&str] = &[
    "Oud-Wijkdorp", "De Hoven", "Molenveld", "Bloemenwijk", "Vogelwijk", "Schilderswijk", "De Akkers",
    "Het Broek", "De Weiden", "Kerkeveld", "Hoogland", "De Horst", "Het Ven", "Stationskwartier",
    "Havenkwartier", "De Bongerd", "De Esch", "Het Loo", "Zandvoort", "De Kamp", "Heideveld", "Rivierenwijk",
    "Eilandenbuurt", "Parkwijk", "Beekdal", "De Gaarden", "Veenhoop", "De Brink", "Kloosterveld", "Waterwijk",
    "De Laar", "Het Hout", "Boszicht", "De Meent", "Nieuwland", "Weidezicht", "Dijkzicht", "Lindenhof",
    "De Vliert", "Schothorst",
];

/// Compass qualifiers, for wijken and buurten that share a base name.
#[rustfmt::skip]
const COMPASS: &[&str] = &[
    "Noord", "Zuid", "Oost", "West", "Midden", "Noordoost", "Noordwest", "Zuidoost", "Zuidwest",
];

/// Bases of buurt names.
#[rustfmt::skip]
const BUURT_NAMES: &[&str] = &[
    "Molenhoek", "Het Zand", "Kerkebuurt", "Rozenhof", "Vogelzang", "De Gaard", "Het Erf", "De Wetering",
    "Oosterhof", "Westerhof", "De Kolk", "Het Hoog", "De Lage Weide", "Beukenrode", "Het Wiel", "De Klomp",
    "Sluiskwartier", "Brugwijk", "De Vaart", "Het Spijk", "De Steeg", "Hofstede", "De Haar", "Ooievaarsnest",
    "Het Laag", "De Bleek", "Gildekwartier", "De Stroom", "Kasteelhof", "De Velden", "Hooiland", "Rietland",
    "Het Maalderij", "De Koppel", "De Mars", "Het Goor", "De Lier", "Het Gein", "Paardenwei", "Dorpsakker",
];

/// Hands out wijk and buurt names: each base once, then with a compass qualifier, then numbered.
pub(crate) struct AreaNames {
    wijken: Vec<String>,
    buurten: Vec<String>,
    next_wijk: usize,
    next_buurt: usize,
}

impl AreaNames {
    pub(crate) fn new(rng: &mut ChaCha8Rng) -> Self {
        let expand = |bases: &[&str], rng: &mut ChaCha8Rng| {
            let mut first: Vec<String> = bases.iter().map(|b| (*b).to_owned()).collect();
            first.shuffle(rng);
            let mut second: Vec<String> = bases
                .iter()
                .flat_map(|b| COMPASS.iter().map(move |c| format!("{b}-{c}")))
                .collect();
            second.shuffle(rng);
            first.extend(second);
            first
        };
        Self {
            wijken: expand(WIJK_NAMES, rng),
            buurten: expand(BUURT_NAMES, rng),
            next_wijk: 0,
            next_buurt: 0,
        }
    }

    /// The next wijk name, without the CBS "Wijk ww" prefix.
    pub(crate) fn wijk(&mut self) -> String {
        self.next_wijk += 1;
        self.wijken
            .get(self.next_wijk - 1)
            .cloned()
            .unwrap_or_else(|| format!("Uitbreiding {}", self.next_wijk))
    }

    /// The next buurt name.
    pub(crate) fn buurt(&mut self) -> String {
        self.next_buurt += 1;
        self.buurten
            .get(self.next_buurt - 1)
            .cloned()
            .unwrap_or_else(|| format!("Buurt {}", self.next_buurt))
    }
}

/// A seeded pick of a theme for a wijk.
pub(crate) fn pick_theme(rng: &mut ChaCha8Rng) -> usize {
    rng.random_range(0..StreetNames::theme_count())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn street_names_are_unique_and_start_with_the_classics() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut names = StreetNames::new(&mut rng);
        let all: Vec<String> = (0..20_000).map(|i| names.next(i % 4)).collect();
        assert_eq!(all[0], "Kerkstraat");
        assert_eq!(all[1], "'s-Gravenweg");
        let unique: BTreeSet<&String> = all.iter().collect();
        assert_eq!(unique.len(), all.len());
        assert!(all.iter().any(|n| n.contains('ë') || n.contains('ö')));
    }

    #[test]
    fn area_names_are_unique() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut names = AreaNames::new(&mut rng);
        let wijken: BTreeSet<String> = (0..100).map(|_| names.wijk()).collect();
        let buurten: BTreeSet<String> = (0..10_000).map(|_| names.buurt()).collect();
        assert_eq!((wijken.len(), buurten.len()), (100, 10_000));
    }
}
