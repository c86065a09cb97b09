//! The tile cache: rendered tiles with their gzip form, made once, kept within a byte budget.

use std::hash::Hash;
use std::sync::Arc;

use bytes::Bytes;
use quick_cache::Weighter;
use quick_cache::sync::Cache;
use tiles::{TileCoord, TilesetId};

/// A rendered tile ready to send: the raw MVT, its gzip form and its entity tag.
#[derive(Debug)]
pub struct TileBody {
    /// Uncompressed MVT (empty for a tile without features).
    pub raw: Bytes,
    /// Gzip of `raw` (empty for an empty tile).
    pub gzip: Bytes,
    /// Strong entity tag, quoted.
    pub etag: String,
    /// The cache epoch before the data it was rendered from was read (see [`TileCache`]).
    pub epoch: u64,
}

impl TileBody {
    /// Wraps rendered bytes without a gzip form (for tiles that are not kept).
    pub fn new_uncompressed(raw: Vec<u8>) -> Self {
        Self {
            etag: etag_of(&raw),
            raw: Bytes::from(raw),
            gzip: Bytes::new(),
            epoch: 0,
        }
    }

    /// Wraps rendered bytes: hashes them and compresses them once, at `level`.
    pub fn new(raw: Vec<u8>, level: u32) -> Self {
        let etag = etag_of(&raw);
        let gzip = if raw.is_empty() {
            Bytes::new()
        } else {
            gzip(&raw, level)
        };
        Self {
            raw: Bytes::from(raw),
            gzip,
            etag,
            epoch: 0,
        }
    }

    /// Notes the epoch its data was read at.
    #[must_use]
    pub fn read_at(mut self, epoch: u64) -> Self {
        self.epoch = epoch;
        self
    }
}

/// A strong entity tag of tile bytes: XXH3 (64 bits) and the length. Equal bytes give equal tags,
/// in every process and version; XXH3 reads a tile about ten times as fast as SipHash did.
fn etag_of(raw: &[u8]) -> String {
    format!(
        "\"{:016x}-{:x}\"",
        xxhash_rust::xxh3::xxh3_64(raw),
        raw.len()
    )
}

/// Gzips `data` at `level` (1–12; libdeflate's levels, 1 fastest, 6 its default, 12 smallest).
///
/// libdeflate compresses a whole buffer in one call (a tile is always whole, so streaming buys
/// nothing). On the bench set's z16 tiles, against zlib-rs through flate2 at level 1, it runs
/// 44 % fewer instructions for 13 % smaller output (8.6 KB for 9.9 KB; level 6: 8.1 KB for
/// 8.4 KB); CPU time was about the same on the shared VM. Its compressor (one per thread and
/// level) and its output buffer are kept and reused: allocating and zeroing zlib's state for
/// every tile was a third of the instructions of the per-request gzip. The answer is copied out
/// at its exact size.
pub fn gzip(data: &[u8], level: u32) -> Bytes {
    use std::cell::RefCell;

    use libdeflater::{CompressionLvl, Compressor};

    struct Scratch {
        compressors: Vec<(u32, Compressor)>,
        out: Vec<u8>,
    }
    thread_local! {
        static SCRATCH: RefCell<Scratch> = const {
            RefCell::new(Scratch {
                compressors: Vec::new(),
                out: Vec::new(),
            })
        };
    }
    let level = level.clamp(1, 12);
    SCRATCH.with_borrow_mut(|s| {
        let i = s
            .compressors
            .iter()
            .position(|(l, _)| *l == level)
            .unwrap_or_else(|| {
                let lvl = CompressionLvl::new(level as i32).unwrap_or_default();
                s.compressors.push((level, Compressor::new(lvl)));
                s.compressors.len() - 1
            });
        let c = &mut s.compressors[i].1;
        let bound = c.gzip_compress_bound(data.len());
        if s.out.len() < bound {
            s.out.resize(bound, 0);
        }
        // The bound is enough by libdeflate's contract, so this cannot fail.
        let n = c.gzip_compress(data, &mut s.out).unwrap_or(0);
        Bytes::copy_from_slice(&s.out[..n])
    })
}

/// Cache key: tileset, tile, and the visibility class it was rendered for (the public part of
/// every tile is kept under [`Visibility::Public`](domain::access::Visibility::Public)).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TileKey {
    /// The tileset.
    pub tileset: TilesetId,
    /// The tile.
    pub coord: TileCoord,
    /// Who may see it.
    pub visibility: domain::access::Visibility,
}

#[derive(Clone)]
struct ByBytes;

impl Weighter<TileKey, Arc<TileBody>> for ByBytes {
    fn weight(&self, _key: &TileKey, val: &Arc<TileBody>) -> u64 {
        (val.raw.len() + val.gzip.len() + val.etag.len() + 128) as u64
    }
}

/// Rendered tiles within a byte budget; a budget of 0 disables caching.
///
/// A tile rendered while its data changes must not be kept over the invalidation the change
/// made. Renders therefore note the cache's [`epoch`](Self::epoch) before they read any data and
/// are kept with [`insert_rendered`](Self::insert_rendered), which drops the tile again when a
/// change logged since that epoch touches it. Writers change the data first and invalidate
/// after, so either the render saw the change or the change is in the log (or removes the tile
/// itself).
pub struct TileCache {
    inner: Option<Cache<TileKey, Arc<TileBody>, ByBytes>>,
    /// Visibility classes and tilesets that have been cached, so a change can name exactly the
    /// keys it makes stale.
    seen: std::sync::Mutex<std::collections::HashSet<(TilesetId, domain::access::Visibility)>>,
    /// Recent invalidations, for renders that overlap them.
    changes: std::sync::Mutex<ChangeLog>,
}

/// How many recent invalidations are remembered; a render that outlives more is not kept.
const CHANGE_LOG_LEN: usize = 4096;

/// One invalidation: a world box from a zoom up, or everything.
#[derive(Debug, Clone, Copy)]
struct Change {
    seq: u64,
    area: Option<([domain::WorldPoint; 2], u8)>,
}

#[derive(Debug, Default)]
struct ChangeLog {
    /// Sequence number of the last change (the cache's epoch).
    last: u64,
    recent: std::collections::VecDeque<Change>,
}

impl ChangeLog {
    fn push(&mut self, area: Option<([domain::WorldPoint; 2], u8)>) {
        self.last += 1;
        if self.recent.len() == CHANGE_LOG_LEN {
            self.recent.pop_front();
        }
        self.recent.push_back(Change {
            seq: self.last,
            area,
        });
    }

    /// Did a change after epoch `since` touch `coord`? True when the log no longer reaches back.
    fn touched_since(&self, since: u64, coord: TileCoord) -> bool {
        if self.last == since {
            return false;
        }
        if self.recent.front().is_none_or(|c| c.seq > since + 1) {
            return true;
        }
        self.recent
            .iter()
            .rev()
            .take_while(|c| c.seq > since)
            .any(|c| match c.area {
                None => true,
                Some((b, min_zoom)) => {
                    coord.z() >= min_zoom && {
                        let (xs, ys) = tile_ranges(b, coord.z());
                        xs.contains(&coord.x()) && ys.contains(&coord.y())
                    }
                }
            })
    }
}

/// The tile columns and rows at zoom `z` whose buffered extent (1/64 tile) holds any of box `b`.
fn tile_ranges(
    b: [domain::WorldPoint; 2],
    z: u8,
) -> (std::ops::RangeInclusive<u32>, std::ops::RangeInclusive<u32>) {
    let shift = domain::WORLD_BITS - u32::from(z);
    let pad = (1_i64 << shift) / 64 + 1;
    let range = |lo: i32, hi: i32| {
        let a = ((i64::from(lo) - pad).max(0) >> shift) as u32;
        let b = ((i64::from(hi) + pad).clamp(0, domain::WORLD_SIZE - 1) >> shift) as u32;
        a..=b
    };
    (range(b[0][0], b[1][0]), range(b[0][1], b[1][1]))
}

impl std::fmt::Debug for TileCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TileCache")
            .field("enabled", &self.inner.is_some())
            .finish_non_exhaustive()
    }
}

impl TileCache {
    /// A cache of at most `megabytes` MiB.
    pub fn new(megabytes: u64) -> Self {
        let bytes = megabytes.saturating_mul(1 << 20);
        let inner = (bytes > 0).then(|| {
            // ~20 KB per tile on average is a fair guess for sizing the hash table.
            let items = (bytes / 20_000).clamp(64, 10_000_000) as usize;
            Cache::with_weighter(items, bytes, ByBytes)
        });
        Self {
            inner,
            seen: std::sync::Mutex::new(std::collections::HashSet::new()),
            changes: std::sync::Mutex::new(ChangeLog::default()),
        }
    }

    fn changes(&self) -> std::sync::MutexGuard<'_, ChangeLog> {
        self.changes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The epoch to note before reading the data a tile is rendered from.
    pub fn epoch(&self) -> u64 {
        self.changes().last
    }

    /// Keeps a tile rendered from data read after epoch `since`, unless a change since then
    /// touched it (then the render may predate the change and is not kept). Checked and inserted
    /// under the log's lock: a change logged later removes the tile itself. A tile built on
    /// another cached tile passes the older of the two epochs.
    pub fn insert_rendered(&self, key: &TileKey, body: Arc<TileBody>, since: u64) {
        let changes = self.changes();
        if !changes.touched_since(since, key.coord) {
            self.insert(key.clone(), body);
        }
        drop(changes);
    }

    /// Whether tiles are kept.
    pub fn enabled(&self) -> bool {
        self.inner.is_some()
    }

    /// A cached tile.
    pub fn get(&self, key: &TileKey) -> Option<Arc<TileBody>> {
        self.inner.as_ref()?.get(key)
    }

    /// Keeps a tile.
    pub fn insert(&self, key: TileKey, body: Arc<TileBody>) {
        if let Some(c) = &self.inner {
            {
                let mut seen = self
                    .seen
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                if !seen.contains(&(key.tileset, key.visibility.clone())) {
                    seen.insert((key.tileset, key.visibility.clone()));
                }
            }
            c.insert(key, body);
        }
    }

    /// Removes the tiles of `tilesets`, for every cached visibility class, whose buffered extent
    /// holds any of world box `b`, at zooms `min_zoom..=MAX_ZOOM`. Returns how many keys were
    /// looked at. (Called by `AppState::changed`, which knows which tilesets a change touches.)
    pub fn invalidate_box(
        &self,
        b: [domain::WorldPoint; 2],
        min_zoom: u8,
        tilesets: &[TilesetId],
    ) -> usize {
        self.invalidate_box_at(b, min_zoom..=tiles::MAX_ZOOM, tilesets)
    }

    /// [`Self::invalidate_box`] at `zooms` only: for tilesets that draw nothing past a zoom (the
    /// urgency levels), so a wide box (a gemeente) does not visit millions of deep tiles.
    pub fn invalidate_box_at(
        &self,
        b: [domain::WorldPoint; 2],
        zooms: std::ops::RangeInclusive<u8>,
        tilesets: &[TilesetId],
    ) -> usize {
        let Some(c) = &self.inner else { return 0 };
        let min_zoom = *zooms.start();
        self.changes().push(Some((b, min_zoom)));
        let seen: Vec<(TilesetId, domain::access::Visibility)> = self
            .seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .filter(|(tileset, _)| tilesets.contains(tileset))
            .cloned()
            .collect();
        let mut n = 0;
        for z in zooms {
            // The tile buffer means a feature near an edge is also in the neighbour.
            let (xs, ys) = tile_ranges(b, z);
            for y in ys {
                for x in xs.clone() {
                    let Ok(coord) = TileCoord::new(z, x, y) else {
                        continue;
                    };
                    for (tileset, visibility) in &seen {
                        c.remove(&TileKey {
                            tileset: *tileset,
                            coord,
                            visibility: visibility.clone(),
                        });
                        n += 1;
                    }
                }
            }
        }
        n
    }

    /// Removes every cached tile of `tilesets`, for every visibility class (a change that
    /// reaches everywhere in them, too wide for [`Self::invalidate_box`]).
    pub fn invalidate_tilesets(&self, tilesets: &[TilesetId]) {
        let Some(c) = &self.inner else { return };
        // Logged as a change everywhere: a render of any tileset overlapping it is not kept.
        self.changes().push(None);
        c.retain(|k, _| !tilesets.contains(&k.tileset));
    }

    /// Forgets every tile (after the model changed).
    pub fn clear(&self) {
        if let Some(c) = &self.inner {
            self.changes().push(None);
            c.clear();
        }
    }

    /// Is this tile cached?
    pub fn contains(&self, key: &TileKey) -> bool {
        self.inner.as_ref().is_some_and(|c| c.get(key).is_some())
    }
}

#[cfg(test)]
mod gzip_tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    fn gunzip(gz: &[u8], len: usize) -> Vec<u8> {
        let mut out = vec![0; len];
        let n = libdeflater::Decompressor::new()
            .gzip_decompress(gz, &mut out)
            .unwrap();
        out.truncate(n);
        out
    }

    #[test]
    fn gzip_is_gzip_at_every_level_and_reuses_nothing_but_buffers() {
        // Something tile-like: repeated keys and small varints, and some noise.
        let mut big = Vec::new();
        for i in 0u32..20_000 {
            big.extend_from_slice(&[
                0x1a,
                (i % 7) as u8,
                (i.wrapping_mul(2_654_435_761) >> 24) as u8,
            ]);
        }
        let small = b"buildings".to_vec();
        for level in [1, 6, 12] {
            for data in [&big, &small, &big] {
                let gz = gzip(data, level);
                assert_eq!(&gz[..3], &[0x1f, 0x8b, 8], "gzip magic and deflate");
                assert_eq!(gunzip(&gz, data.len()), *data, "level {level}");
            }
        }
        assert!(gzip(&big, 6).len() < big.len() / 2);
        // Equal bytes, equal tags; different bytes, different tags.
        assert_eq!(etag_of(&big), etag_of(&big.clone()));
        assert_ne!(etag_of(&big), etag_of(&big[1..]));
    }
}

#[cfg(test)]
mod invalidation_tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use domain::access::Visibility;

    use super::*;

    fn key(z: u8, x: u32, y: u32, visibility: Visibility, _: u64) -> TileKey {
        TileKey {
            tileset: TilesetId::COMPOSITE,
            coord: TileCoord::new(z, x, y).unwrap(),
            visibility,
        }
    }

    #[test]
    fn a_box_drops_exactly_the_tiles_it_touches_for_every_class() {
        let cache = TileCache::new(16);
        let body = || Arc::new(TileBody::new_uncompressed(vec![1, 2, 3]));
        let staff = Visibility::Scoped("wijkondernemer@WK199901".into());
        // A point in the middle of tile 16/100/200 (world units: 2^15 per tile at z16).
        let p = [100 * (1 << 15) + (1 << 14), 200 * (1 << 15) + (1 << 14)];
        let inside = [
            key(16, 100, 200, Visibility::Public, 0),
            key(16, 100, 200, staff.clone(), 7),
            key(15, 50, 100, Visibility::Public, 0),
            key(12, 6, 12, staff.clone(), 7),
        ];
        let outside = [
            key(16, 101, 200, Visibility::Public, 0),
            key(16, 100, 202, staff.clone(), 7),
            key(11, 3, 6, Visibility::Public, 0),
        ];
        for k in inside.iter().chain(&outside) {
            cache.insert(k.clone(), body());
        }
        cache.invalidate_box([p, p], 12, &[TilesetId::COMPOSITE]);
        for k in &inside {
            assert!(!cache.contains(k), "{k:?} should be gone");
        }
        for k in &outside {
            assert!(cache.contains(k), "{k:?} should stay");
        }
    }

    /// A wide box at a level's own zooms visits a handful of tiles, not the millions below; a
    /// whole tileset goes with `invalidate_tilesets`, others stay.
    #[test]
    fn invalidating_at_some_zooms_visits_only_those() {
        let cache = TileCache::new(16);
        let body = || Arc::new(TileBody::new_uncompressed(vec![1]));
        // Any single tileset will do: the cache knows tilesets by id only.
        let urgency = tiles::TileSet::default().resolve("buildings").unwrap();
        // About 10 km around a point at 52° N, as wide as a gemeente.
        let (lo, hi) = (
            domain::lonlat_to_world(5.8, 51.9),
            domain::lonlat_to_world(5.95, 52.0),
        );
        let b = [[lo[0], hi[1]], [hi[0], lo[1]]];
        let p = domain::lonlat_to_world(5.9, 51.95);
        let inside = TileKey {
            tileset: urgency,
            ..key(
                10,
                (p[0] >> 21) as u32,
                (p[1] >> 21) as u32,
                Visibility::Public,
                0,
            )
        };
        cache.insert(inside.clone(), body());
        let visited = cache.invalidate_box_at(b, 6..=12, &[urgency]);
        assert!(!cache.contains(&inside));
        assert!(visited < 100, "{visited} keys looked at");
        let other = key(16, 1, 1, Visibility::Public, 0);
        cache.insert(inside.clone(), body());
        cache.insert(other.clone(), body());
        cache.invalidate_tilesets(&[urgency]);
        assert!(!cache.contains(&inside) && cache.contains(&other));
    }

    #[test]
    fn a_render_that_overlaps_a_change_to_its_tile_is_not_kept() {
        let cache = TileCache::new(16);
        let body = || Arc::new(TileBody::new_uncompressed(vec![1, 2, 3]));
        let p = [100 * (1 << 15) + (1 << 14), 200 * (1 << 15) + (1 << 14)];
        let here = key(16, 100, 200, Visibility::Public, 0);
        let there = key(16, 140, 200, Visibility::Public, 0);
        let since = cache.epoch();
        // A write lands while both tiles are being rendered.
        cache.invalidate_box([p, p], 12, &[TilesetId::COMPOSITE]);
        cache.insert_rendered(&here, body(), since);
        cache.insert_rendered(&there, body(), since);
        assert!(
            !cache.contains(&here),
            "rendered before the change: dropped"
        );
        assert!(cache.contains(&there), "the change is elsewhere: kept");
        // A render that started after the change is kept.
        cache.insert_rendered(&here, body(), cache.epoch());
        assert!(cache.contains(&here));
        // A render older than the whole log is never kept.
        let fresh = key(16, 141, 200, Visibility::Public, 0);
        let since = cache.epoch();
        for _ in 0..=CHANGE_LOG_LEN {
            cache.invalidate_box([[0, 0], [0, 0]], 12, &[TilesetId::COMPOSITE]);
        }
        cache.insert_rendered(&fresh, body(), since);
        assert!(!cache.contains(&fresh));
        // Only the tilesets named are invalidated.
        let layer = TileKey {
            tileset: tiles::TileSet::default().resolve("buildings").unwrap(),
            ..here.clone()
        };
        cache.insert(layer.clone(), body());
        cache.invalidate_box([p, p], 12, &[TilesetId::COMPOSITE]);
        assert!(cache.contains(&layer) && !cache.contains(&here));
        // Clearing (a new model) touches every tile.
        let since = cache.epoch();
        cache.clear();
        cache.insert_rendered(&there, body(), since);
        assert!(!cache.contains(&there));
    }
}
