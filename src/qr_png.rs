//! A QR code of some text as a PNG image: the `qrcode` crate lays out the modules, and a small
//! PNG writer (1-bit grayscale, zlib "stored" blocks, so no compressor is needed) encodes them.

use qrcode::{Color, EcLevel, QrCode};

/// Pixels per QR module.
const SCALE: usize = 4;
/// The quiet zone around the symbol, in modules (ISO/IEC 18004 asks for 4).
const BORDER: usize = 4;

/// The PNG of `text` as a QR code, or `None` if the text is too long for any QR version.
pub fn qr_png(text: &str) -> Option<Vec<u8>> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let modules = code.width();
    let dark = code.to_colors();
    let side = (modules + 2 * BORDER) * SCALE;
    let row_bytes = side.div_ceil(8);
    let mut raw = Vec::with_capacity((row_bytes + 1) * side);
    for y in 0..side {
        raw.push(0); // filter type None
        let my = (y / SCALE).checked_sub(BORDER);
        let mut row = vec![0xffu8; row_bytes]; // 1 = white
        for x in 0..side {
            let mx = (x / SCALE).checked_sub(BORDER);
            let is_dark = match (mx, my) {
                (Some(mx), Some(my)) if mx < modules && my < modules => {
                    dark[my * modules + mx] == Color::Dark
                }
                _ => false,
            };
            if is_dark {
                row[x / 8] &= !(0x80 >> (x % 8));
            }
        }
        raw.extend_from_slice(&row);
    }
    Some(png_gray1(side as u32, side as u32, &raw))
}

/// A PNG of 1-bit grayscale rows that already carry their filter byte.
fn png_gray1(width: u32, height: u32, filtered_rows: &[u8]) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    // bit depth 1, color type 0 (grayscale), deflate, adaptive filtering, no interlace
    ihdr.extend_from_slice(&[1, 0, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &zlib_stored(filtered_rows));
    chunk(&mut out, b"IEND", &[]);
    out
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// A zlib stream (RFC 1950) of uncompressed deflate blocks (RFC 1951 §3.2.4).
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let mut blocks = data.chunks(0xffff).peekable();
    if blocks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    while let Some(block) = blocks.next() {
        out.push(u8::from(blocks.peek().is_none())); // BFINAL on the last, BTYPE 00
        let len = block.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    out.extend_from_slice(&adler32(data).to_be_bytes());
    out
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65521;
        b = (b + a) % 65521;
    }
    (b << 16) | a
}

/// CRC-32 as PNG uses it (ISO 3309, reflected polynomial 0xEDB88320).
fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_match_known_values() {
        // The standard check values of CRC-32 and Adler-32 for "123456789".
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        assert_eq!(adler32(b"123456789"), 0x091e_01de);
    }

    #[test]
    fn png_has_signature_header_and_end() {
        let png = qr_png("otpauth://totp/Amazon%20Web%20Services:dev@000000000000?secret=ABC")
            .expect("encodes");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(&png[12..16], b"IHDR");
        let width = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
        assert_eq!(width as usize % SCALE, 0);
        assert!(width as usize >= (21 + 2 * BORDER) * SCALE);
        assert_eq!(&png[png.len() - 8..png.len() - 4], b"IEND");
    }

    #[test]
    fn stored_blocks_split_at_64k() {
        let data = vec![0u8; 70_000];
        let z = zlib_stored(&data);
        // header + two blocks (5 bytes of framing each) + data + adler
        assert_eq!(z.len(), 2 + 5 + 5 + 70_000 + 4);
        assert_eq!(z[2], 0, "first block is not final");
        assert_eq!(z[2 + 5 + 0xffff], 1, "second block is final");
    }
}
