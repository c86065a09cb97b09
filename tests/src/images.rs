//! Tiny valid images written byte by byte, for upload tests that need no image tool.

/// An 8×8 grey baseline JPEG written byte by byte (see [`grey_jpeg`]).
pub fn tiny_jpeg() -> Vec<u8> {
    grey_jpeg(8, 8)
}

/// A `width`×`height` grey baseline JPEG written byte by byte: a quantisation table of ones,
/// Huffman tables of one symbol each (DC difference 0; end of block), and every block coded as the
/// bits `00`. Tiny files (24 megapixels take 94 KB) that decode to `width` × `height` pixels.
pub fn grey_jpeg(width: u16, height: u16) -> Vec<u8> {
    let mut j = vec![0xFF, 0xD8, 0xFF, 0xDB, 0x00, 0x43, 0x00];
    j.extend([1u8; 64]);
    let [h1, h0] = height.to_be_bytes();
    let [w1, w0] = width.to_be_bytes();
    j.extend([
        0xFF, 0xC0, 0x00, 0x0B, 0x08, h1, h0, w1, w0, 0x01, 0x01, 0x11, 0x00,
    ]);
    for class in [0x00, 0x10] {
        j.extend([0xFF, 0xC4, 0x00, 0x14, class, 1]);
        j.extend([0u8; 15]);
        j.push(0x00);
    }
    j.extend([0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00]);
    // Two zero bits a block, the last byte padded with ones: only 0x00 bytes and the padding, so
    // no 0xFF needs stuffing.
    let blocks = u64::from(width.div_ceil(8)) * u64::from(height.div_ceil(8));
    let bits = blocks * 2;
    j.extend(std::iter::repeat_n(0u8, (bits / 8) as usize));
    if bits % 8 != 0 {
        j.push(0xFF >> (bits % 8));
    }
    j.extend([0xFF, 0xD9]);
    j
}

/// A 2×2 RGB PNG (red, green / blue, white).
pub fn tiny_png() -> Vec<u8> {
    use std::io::Write as _;
    let mut header = Vec::new();
    header.extend(2u32.to_be_bytes());
    header.extend(2u32.to_be_bytes());
    header.extend([8, 2, 0, 0, 0]);
    // Each row: filter type 0, then RGB triples.
    let rows = [0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255];
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(&rows).expect("writing to a Vec");
    png_of(&header, &z.finish().expect("writing to a Vec"))
}

/// A `width`×`height` PNG of 16-bit RGBA, every pixel transparent black: it compresses about a
/// thousandfold (7071 × 7071 is 389 KB) and decodes to `width` × `height` × 8 bytes — a
/// decompression bomb that passes a check on the number of pixels alone.
pub fn png_bomb(width: u32, height: u32) -> Vec<u8> {
    use std::io::Write as _;
    let mut header = Vec::new();
    header.extend(width.to_be_bytes());
    header.extend(height.to_be_bytes());
    header.extend([16, 6, 0, 0, 0]);
    // Each row: filter type 0, then 8 bytes a pixel.
    let row = vec![0u8; 1 + width as usize * 8];
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    for _ in 0..height {
        z.write_all(&row).expect("writing to a Vec");
    }
    png_of(&header, &z.finish().expect("writing to a Vec"))
}

/// A PNG with this IHDR payload and this (zlib) IDAT payload.
fn png_of(header: &[u8], idat: &[u8]) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png_chunk(&mut png, *b"IHDR", header);
    png_chunk(&mut png, *b"IDAT", idat);
    png_chunk(&mut png, *b"IEND", &[]);
    png
}

fn png_chunk(out: &mut Vec<u8>, kind: [u8; 4], data: &[u8]) {
    out.extend((data.len() as u32).to_be_bytes());
    let mut crc = flate2::Crc::new();
    crc.update(&kind);
    crc.update(data);
    out.extend(kind);
    out.extend(data);
    out.extend(crc.sum().to_be_bytes());
}
