//! Tray icons: PNG bytes decoded to the RGBA pixels the tray crate takes.

use tray_icon::Icon;

/// Why an icon could not be made (a build's own files: a developer's error, logged).
#[derive(Debug, thiserror::Error)]
pub enum IconError {
    #[error(transparent)]
    Png(#[from] png::DecodingError),
    #[error("the PNG is larger than memory allows")]
    TooLarge,
    #[error("the PNG is {0:?} at {1:?}; tray icons are 8-bit RGBA")]
    NotRgba(png::ColorType, png::BitDepth),
    #[error(transparent)]
    Tray(#[from] tray_icon::BadIcon),
}

/// The PNG's pixels, as the tray takes them.
pub fn decode(png_bytes: &[u8]) -> Result<Icon, IconError> {
    let mut reader = png::Decoder::new(std::io::Cursor::new(png_bytes)).read_info()?;
    let size = reader.output_buffer_size().ok_or(IconError::TooLarge)?;
    let mut rgba = vec![0; size];
    let frame = reader.next_frame(&mut rgba)?;
    if (frame.color_type, frame.bit_depth) != (png::ColorType::Rgba, png::BitDepth::Eight) {
        return Err(IconError::NotRgba(frame.color_type, frame.bit_depth));
    }
    rgba.truncate(frame.buffer_size());
    Ok(Icon::from_rgba(rgba, frame.width, frame.height)?)
}
